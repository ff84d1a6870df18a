import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { checkAnalysis } from '../helpers/checkAnalysis';
import { applyFix } from '../helpers/applyFix';
import { fixtureFiles } from '../helpers/expectations';
import { analyzeText } from './support';

/*
 * Mutated manifests (lines dropped, duplicated, re-indented, characters
 * inserted): no rule throws, every range lies in the file, and every fix
 * offered on a file that parsed leaves a file that still parses.
 */
const SEEDS = fixtureFiles('cluster')
  .filter((f) => /\.ya?ml$/.test(f) && !f.includes('parsing'))
  .map((f) => fs.readFileSync(f, 'utf8'));

const mutation = fc.oneof(
  fc.record({ op: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('dup' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('indent' as const), at: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(': ', '- ', '{', '[', '&a ', '*a', '"', '\t', '#', 'true', '0', '\u00e9', '{}') }),
);

function mutate(text: string, ms: Array<{ op: string; at: number; by?: number; text?: string }>): string {
  let lines = text.split('\n');
  for (const m of ms) {
    const i = m.at % Math.max(1, lines.length);
    if (m.op === 'drop') lines.splice(i, 1);
    else if (m.op === 'dup') lines.splice(i, 0, lines[i] ?? '');
    else if (m.op === 'indent') lines[i] = m.by! >= 0 ? ' '.repeat(m.by!) + (lines[i] ?? '') : (lines[i] ?? '').replace(new RegExp(`^ {0,${-m.by!}}`), '');
    else {
      const l = lines[i] ?? '';
      const c = m.at % (l.length + 1);
      lines[i] = l.slice(0, c) + m.text + l.slice(c);
    }
  }
  return lines.join('\n');
}

const parses = (t: string) => {
  const d = parseAllDocuments(t, { uniqueKeys: true });
  return (Array.isArray(d) ? d : []).every((x) => x.errors.length === 0);
};

describe('cluster fuzzing', () => {
  it('mutated manifests never throw, keep ranges inside the file, and their fixes keep YAML valid', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: SEEDS.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), async (seed, ms) => {
        const text = mutate(SEEDS[seed], ms);
        const result = await analyzeText('/fuzz/manifest.yaml', text);
        checkAnalysis(result, text);
        if (!parses(text)) return;
        for (const f of result.findings) {
          for (const fix of f.fixes) {
            const fixed = applyFix(text, fix);
            assert.ok(parses(fixed), `${f.ruleId} "${fix.title}" broke the YAML:\n${fixed}`);
          }
        }
      }),
      { numRuns: 1500 },
    );
  });
});
