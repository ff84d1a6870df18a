import * as fs from 'node:fs';
import { Parser, type Node } from 'web-tree-sitter';
import { mirrorTree, type PyNode } from '../server/code/python/syntax';
import { initCodeParsers, languageOf } from '../server/code/parsers';
(async () => {
  await initCodeParsers();
  const p = new Parser(); p.setLanguage(languageOf('python')!);
  const L = '/root/.pyenv/versions/3.11.7/lib/python3.11/';
  let bad = 0, n = 0;
  const texts = fs.readdirSync(L).filter((f) => f.endsWith('.py')).slice(120, 400).map((f) => fs.readFileSync(L + f, 'utf8'));
  texts.push('def f(:\n  x = = 1\n  "é😀" + y\nclass C(\n', 'x = (1,\n', '\ufeffimport os # c\n\n\n');
  for (const t of texts) {
    const tree = p.parse(t)!;
    const m = mirrorTree(tree);
    const cmp = (a: PyNode, b: Node) => { n++; if (a.start !== b.startIndex || a.end !== b.endIndex || a.type !== b.type) { bad++; if (bad < 5) console.log('mismatch', a.type, a.start, a.end, b.type, b.startIndex, b.endIndex); } for (let i = 0; i < a.children.length; i++) cmp(a.children[i], b.child(i)!); };
    cmp(m, tree.rootNode);
  }
  console.log('nodes', n, 'mismatches', bad);
})();
