/*
 * Cost of the Python taint analysis against bare tree-sitter parsing of the
 * same files in the same run, on a real corpus (the Python standard library),
 * and the re-analysis time of an edit to a 5,000-line file.
 *
 *   node --import tsx scripts/measure-code-python.ts [dir] [--limit N]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Parser } from 'web-tree-sitter';
import { analyzePythonTaint } from '../server/code/python/taint';
import { initCodeParsers, languageOf } from '../server/code/parsers';
import { defaultConfig, mergeConfig } from '../server/engine/config';
import { FileContext } from '../server/engine/context';
import { Engine, initEngine } from '../server/engine/engine';

function findCorpus(): string | undefined {
  const candidates = [process.argv[2], '/root/.pyenv/versions/3.11.7/lib/python3.11', '/usr/lib/python3.12', '/usr/lib/python3.11', '/usr/lib/python3'];
  return candidates.find((c) => c && !c.startsWith('--') && fs.existsSync(c));
}

function pythonFiles(dir: string, limit: number): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (out.length >= limit) return;
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'site-packages' && e.name !== '__pycache__') walk(p);
      } else if (e.name.endsWith('.py')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  const limitArg = process.argv.indexOf('--limit');
  const limit = limitArg > 0 ? Number(process.argv[limitArg + 1]) : 3000;
  const corpus = findCorpus();
  if (!corpus) throw new Error('no Python corpus found; pass a directory');
  await initCodeParsers();
  const language = languageOf('python');
  if (!language) throw new Error('python grammar did not load');
  const parser = new Parser();
  parser.setLanguage(language);

  const files = pythonFiles(corpus, limit)
    .map((f) => ({ f, text: fs.readFileSync(f, 'utf8') }))
    .filter((x) => x.text.length < 2_000_000);
  const bytes = files.reduce((n, x) => n + x.text.length, 0);
  const lines = files.reduce((n, x) => n + x.text.split('\n').length, 0);

  let parseMs = 0;
  let analysisMs = 0;
  let flows = 0;
  for (let round = 0; round < 2; round++) {
    // Round 0 warms up the JIT; round 1 is measured.
    parseMs = 0;
    analysisMs = 0;
    flows = 0;
    for (const { f, text } of files) {
      const t0 = performance.now();
      const tree = parser.parse(text);
      const t1 = performance.now();
      if (!tree) continue;
      const ctx = new FileContext(f, text, 'python');
      flows += analyzePythonTaint(tree, ctx).length;
      const t2 = performance.now();
      parseMs += t1 - t0;
      analysisMs += t2 - t1;
      tree.delete();
    }
  }
  console.log(`corpus: ${corpus}`);
  console.log(`files: ${files.length}, lines: ${lines}, chars: ${bytes}`);
  console.log(`bare parse: ${parseMs.toFixed(0)} ms; taint analysis (mirror + all categories): ${analysisMs.toFixed(0)} ms`);
  console.log(`analysis / parse: ${(analysisMs / parseMs).toFixed(2)}x (budget 3x); flows found (review included): ${flows}`);

  // Edit latency: a 5,000-line file, one character changed, re-analysed through the engine with a document key.
  await initEngine();
  const engine = new Engine(mergeConfig(defaultConfig(), {}));
  let big = '';
  for (const { text } of files) {
    if (big.split('\n').length >= 5000) break;
    big += text + '\n';
  }
  big = big.split('\n').slice(0, 5000).join('\n');
  const key = 'file:///measure/big.py';
  engine.analyze({ path: '/measure/big.py', text: big, documentKey: key });
  const times: number[] = [];
  let current = big;
  for (let i = 0; i < 25; i++) {
    const at = Math.floor(current.length / 2);
    current = current.slice(0, at) + (i % 2 ? '' : ' ') + current.slice(at + (i % 2 ? 1 : 0));
    const t0 = performance.now();
    engine.analyze({ path: '/measure/big.py', text: current, documentKey: key });
    times.push(performance.now() - t0);
  }
  console.log(`edit of a 5,000-line file, full engine re-analysis: median ${median(times).toFixed(1)} ms (budget 30 ms)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
