// Measures the JavaScript/TypeScript taint pass against bare tree-sitter
// parsing of the same files in the same run:
//   node --import tsx scripts/measure-code-javascript.ts [folder] [maxFiles]
// Defaults to the project's own node_modules (real-world TS/JS).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { FileContext } from '../server/engine/context';
import { fileKindOf } from '../server/engine/fileKinds';
import { analyzeJavaScriptTaint } from '../server/code/javascript/taint';
import { initCodeParsers, languageOf, type CodeKind } from '../server/code/parsers';
import { Parser } from 'web-tree-sitter';

const root = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'node_modules'));
const maxFiles = Number(process.argv[3] ?? 3000);
const MAX_SIZE = 1024 * 1024;

function collect(dir: string, out: string[]): void {
  if (out.length >= maxFiles) return;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (out.length >= maxFiles) return;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) collect(p, out);
    else if (e.isFile() && /\.(js|mjs|cjs|jsx|ts|mts|cts|tsx)$/.test(e.name) && !e.name.endsWith('.d.ts')) {
      if (fs.statSync(p).size <= MAX_SIZE) out.push(p);
    }
  }
}

(async () => {
  await initCodeParsers();
  const files: string[] = [];
  collect(root, files);
  const parsers = new Map<CodeKind, Parser>();
  let parseMs = 0;
  let analyseMs = 0;
  let bytes = 0;
  let flows = 0;
  let errors = 0;
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const kind = fileKindOf(file) as CodeKind;
    let parser = parsers.get(kind);
    if (!parser) {
      parser = new Parser();
      parser.setLanguage(languageOf(kind)!);
      parsers.set(kind, parser);
    }
    bytes += text.length;
    const t0 = performance.now();
    const tree = parser.parse(text)!;
    const t1 = performance.now();
    const ctx = new FileContext(file, text, kind);
    try {
      flows += analyzeJavaScriptTaint(ctx, () => tree).length;
    } catch (e) {
      errors++;
      console.error(`${file}: ${(e as Error).stack}`);
    }
    const t2 = performance.now();
    tree.delete();
    parseMs += t1 - t0;
    analyseMs += t2 - t1;
  }
  console.log(`files: ${files.length}, ${(bytes / 1e6).toFixed(1)} MB from ${root}`);
  console.log(`bare parse: ${parseMs.toFixed(0)} ms; taint analysis: ${analyseMs.toFixed(0)} ms; ratio analysis/parse: ${(analyseMs / parseMs).toFixed(2)}x`);
  console.log(`flows: ${flows}; exceptions: ${errors}`);
  process.exitCode = errors ? 1 : 0;
})();
