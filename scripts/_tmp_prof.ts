import * as fs from 'node:fs';
import { Parser } from 'web-tree-sitter';
import { analyzePythonTaint } from '../server/code/python/taint';
import { initCodeParsers, languageOf } from '../server/code/parsers';
import { FileContext } from '../server/engine/context';
(async () => {
  await initCodeParsers();
  const p = new Parser(); p.setLanguage(languageOf('python')!);
  const files = process.argv.slice(2);
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    let best = [1e9, 1e9];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now(); const tree = p.parse(text)!; const t1 = performance.now();
      analyzePythonTaint(tree, new FileContext(f, text, 'python')); const t2 = performance.now();
      best = [Math.min(best[0], t1 - t0), Math.min(best[1], t2 - t1)]; tree.delete();
    }
    console.log(f.split('/').pop(), text.split('\n').length, 'parse', best[0].toFixed(1), 'analysis', best[1].toFixed(1), (best[1]/best[0]).toFixed(2));
  }
})();
