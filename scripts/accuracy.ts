/*
 * Precision and recall of the Code layer on the labelled corpus in
 * test/fixtures/code/** (both languages), through the real engine with review
 * findings off (as in CI). Labels are `expect: code/<rule>` comments; every
 * other code finding is a false positive.
 *
 *   node --import tsx scripts/accuracy.ts [--json]
 *
 * Exits non-zero when a category of a language is below precision 0.9 or
 * recall 0.85.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultConfig, mergeConfig } from '../server/engine/config';
import { Engine, initEngine } from '../server/engine/engine';
import { expectedFindings, findingKeys, fixtureFiles } from '../test/helpers/expectations';

const MIN_PRECISION = 0.9;
const MIN_RECALL = 0.85;
const CATEGORIES = [
  'sql-injection',
  'nosql-injection',
  'command-injection',
  'code-injection',
  'template-injection',
  'xss',
  'path-traversal',
  'ssrf',
  'unsafe-deserialization',
];

type Language = 'Python' | 'JavaScript/TypeScript';

function languageOf(file: string): Language | undefined {
  if (file.endsWith('.py')) return 'Python';
  if (/\.(js|mjs|cjs|jsx|ts|mts|cts|tsx)$/.test(file)) return 'JavaScript/TypeScript';
  return undefined;
}

interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

async function main(): Promise<number> {
  await initEngine();
  const engine = new Engine(mergeConfig(defaultConfig(), { review: false }));
  const counts = new Map<string, Counts>(); // `${language}\t${category}`
  const misses: string[] = [];
  const files = fixtureFiles('code');
  for (const file of files) {
    const language = languageOf(file);
    if (!language) continue;
    const text = fs.readFileSync(file, 'utf8');
    const result = engine.analyze({ path: file, text });
    const got = new Set(findingKeys(result.findings.filter((f) => f.layer === 'code')));
    const expected = new Set(expectedFindings(text).filter((k) => k.includes(':code/')));
    const rel = path.relative(process.cwd(), file);
    const bump = (key: string, field: keyof Counts) => {
      const category = key.slice(key.indexOf(':code/') + 6);
      const id = `${language}\t${category}`;
      const c = counts.get(id) ?? { tp: 0, fp: 0, fn: 0 };
      c[field]++;
      counts.set(id, c);
    };
    for (const k of got) {
      if (expected.has(k)) bump(k, 'tp');
      else {
        bump(k, 'fp');
        misses.push(`FP ${rel}:${k}`);
      }
    }
    for (const k of expected) {
      if (!got.has(k)) {
        bump(k, 'fn');
        misses.push(`FN ${rel}:${k}`);
      }
    }
    for (const note of result.notes) misses.push(`NOTE ${rel}: ${note.split('\n')[0]}`);
  }

  const rows: Array<{ language: Language; category: string; tp: number; fp: number; fn: number; precision: number; recall: number; ok: boolean }> = [];
  let failed = false;
  for (const language of ['Python', 'JavaScript/TypeScript'] as Language[]) {
    const total: Counts = { tp: 0, fp: 0, fn: 0 };
    for (const category of CATEGORIES) {
      const c = counts.get(`${language}\t${category}`);
      if (!c) continue;
      total.tp += c.tp;
      total.fp += c.fp;
      total.fn += c.fn;
      const precision = c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp);
      const recall = c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn);
      const ok = precision >= MIN_PRECISION && recall >= MIN_RECALL;
      if (!ok) failed = true;
      rows.push({ language, category, ...c, precision, recall, ok });
    }
    if (total.tp + total.fp + total.fn > 0) {
      const precision = total.tp + total.fp === 0 ? 1 : total.tp / (total.tp + total.fp);
      const recall = total.tp + total.fn === 0 ? 1 : total.tp / (total.tp + total.fn);
      rows.push({ language, category: '(all)', ...total, precision, recall, ok: true });
    }
  }

  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ rows, misses }, null, 2));
  } else {
    const pad = (s: string, n: number) => s.padEnd(n);
    const num = (n: number) => String(n).padStart(4);
    const pct = (n: number) => n.toFixed(2).padStart(9);
    console.log(`${pad('language', 22)} ${pad('category', 24)}   TP   FP   FN precision    recall`);
    for (const r of rows)
      console.log(`${pad(r.language, 22)} ${pad(r.category, 24)} ${num(r.tp)} ${num(r.fp)} ${num(r.fn)} ${pct(r.precision)} ${pct(r.recall)}${r.ok ? '' : '   < target'}`);
    if (misses.length) {
      console.log('');
      for (const m of misses) console.log(m);
    }
    console.log(`\ntargets: precision >= ${MIN_PRECISION}, recall >= ${MIN_RECALL} per category and language (review findings off)`);
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(2);
  },
);
