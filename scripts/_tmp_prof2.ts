import * as fs from 'node:fs';
import { Parser } from 'web-tree-sitter';
import { analyzePythonTaint } from '../server/code/python/taint';
import { initCodeParsers, languageOf } from '../server/code/parsers';
import { FileContext } from '../server/engine/context';
(async () => {
  await initCodeParsers();
  const L = '/root/.pyenv/versions/3.11.7/lib/python3.11/';
  const p = new Parser(); p.setLanguage(languageOf('python')!);
  const texts = ['_pydecimal.py', 'typing.py', 'argparse.py', 'tarfile.py'].map(f => fs.readFileSync(L + f, 'utf8'));
  const trees = texts.map(t => p.parse(t)!);
  for (let i = 0; i < 10; i++) texts.forEach((t, j) => analyzePythonTaint(trees[j], new FileContext('/x.py', t, 'python')));
})();
