// Property-based robustness: random and mutated inputs for every analyser.
// No exception may escape (a rule that throws shows up as a note), every
// finding's range lies inside the document, and each file finishes in bounded
// time. FUZZ_RUNS raises the case count (`npm run fuzz`).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import fc from 'fast-check';
import { defaultConfig, mergeConfig } from '../../server/engine/config';
import { Engine, initEngine } from '../../server/engine/engine';
import { checkAnalysis } from '../helpers/checkAnalysis';
import { fixtureFiles } from '../helpers/expectations';

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);

/** One sample file name per analysed kind. */
const NAMES = ['app.py', 'server.js', 'server.ts', 'view.tsx', 'Dockerfile', 'deploy.yaml', 'manifest.json', '.env'];

let engine: Engine;

function seeds(): Map<string, string[]> {
  const byExt = new Map<string, string[]>();
  for (const f of [...fixtureFiles('code'), ...fixtureFiles('container'), ...fixtureFiles('cluster'), ...fixtureFiles('cloud')]) {
    const base = path.basename(f);
    const key = /dockerfile/i.test(base) ? 'Dockerfile' : path.extname(base);
    const list = byExt.get(key) ?? [];
    list.push(fs.readFileSync(f, 'utf8'));
    byExt.set(key, list);
  }
  return byExt;
}

function seedFor(name: string, all: Map<string, string[]>): string[] {
  const key = name === 'Dockerfile' ? 'Dockerfile' : path.extname(name) || '.env';
  return all.get(key) ?? all.get(name === 'view.tsx' ? '.tsx' : '.ts') ?? ['x'];
}

/** Mutations of real files: truncation, splicing random text, duplicating, flipping line endings. */
function mutated(samples: string[]): fc.Arbitrary<string> {
  const sample = fc.constantFrom(...samples);
  const noise = fc.string({ unit: fc.constantFrom('{', '}', '[', ']', '(', ')', '"', "'", '`', '\\', '\n', '\r\n', '\t', ' ', ':', '-', '#', '$', '\0', '\uFEFF', '\uD800', 'é', '😀', '${', '{{', '&a', '*a', '<<') , maxLength: 40 });
  return fc.oneof(
    sample.chain((s) => fc.nat(s.length).map((n) => s.slice(0, n))),
    fc.tuple(sample, fc.nat(), noise).map(([s, at, n]) => s.slice(0, at % (s.length + 1)) + n + s.slice(at % (s.length + 1))),
    fc.tuple(sample, sample).map(([a, b]) => a + b),
    sample.map((s) => s.replace(/\n/g, '\r\n')),
    sample.map((s) => s.replace(/\n/g, '\r')),
    noise,
    fc.string({ maxLength: 400 }),
    fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('utf8')),
  );
}

describe('fuzzing every analyser', () => {
  let all: Map<string, string[]>;
  before(async () => {
    await initEngine();
    engine = new Engine(mergeConfig(defaultConfig(), { review: true, rules: { 'container/missing-healthcheck': { enabled: true } } }));
    all = seeds();
  });

  for (const name of NAMES) {
    test(`${name}: random and mutated inputs never throw and keep ranges inside the file`, () => {
      fc.assert(
        fc.property(mutated(seedFor(name, all)), (text) => {
          const a = engine.analyze({ path: `/fuzz/${name}`, text });
          checkAnalysis(a, text);
        }),
        { numRuns: RUNS },
      );
    });
  }
});
