import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { applyFix } from '../helpers/applyFix';
import { fixtureFiles } from '../helpers/expectations';
import type { Finding } from '../../server/engine/types';
import { FIXTURES, analyzeText } from './support';

/*
 * Round trips: every fix offered on every cluster fixture is applied; the
 * result must parse, the finding must be gone, no finding may appear that was
 * not there, and an inserting fix must keep every original line in order.
 */

function parses(text: string): void {
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [];
  for (const d of list) assert.deepEqual(d.errors.map((e) => e.message), [], 'fixed file parses');
}

function countBy(findings: readonly Finding[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of findings) m.set(f.ruleId, (m.get(f.ruleId) ?? 0) + 1);
  return m;
}

/** Original lines, all present in the new text in the same order (an insertion changed nothing else). */
function isLineSubsequence(before: string, after: string): boolean {
  const a = before.split(/\r?\n/);
  const b = after.split(/\r?\n/);
  let j = 0;
  for (const line of a) {
    while (j < b.length && b[j] !== line) j++;
    if (j === b.length) return false;
    j++;
  }
  return true;
}

const files = fixtureFiles('cluster').filter((f) => /\.ya?ml$/.test(f) && !f.includes(`${path.sep}parsing${path.sep}`) && !f.includes(`${path.sep}posture${path.sep}`));

async function roundTrip(file: string, text: string): Promise<number> {
  const before = await analyzeText(file, text);
  const beforeCounts = countBy(before.findings);
  let applied = 0;
  for (const finding of before.findings) {
    for (const fix of finding.fixes) {
      const label = `${path.basename(file)}:${finding.range.start.line + 1} ${finding.ruleId} "${fix.title}"`;
      const fixed = applyFix(text, fix);
      assert.notEqual(fixed, text, `${label} changes the file`);
      parses(fixed);
      const after = await analyzeText(file, fixed);
      assert.deepEqual(after.notes, [], `${label}: no parse notes`);
      const afterCounts = countBy(after.findings);
      assert.equal(afterCounts.get(finding.ruleId) ?? 0, (beforeCounts.get(finding.ruleId) ?? 0) - 1, `${label} removes the finding`);
      for (const [rule, n] of afterCounts) {
        if (rule === finding.ruleId) continue;
        assert.ok(n <= (beforeCounts.get(rule) ?? 0), `${label} adds no ${rule} finding`);
      }
      const inserts = fix.edits.every((e) => e.range.start.line === e.range.end.line && e.range.start.character === e.range.end.character && /\n/.test(e.newText));
      if (inserts) assert.ok(isLineSubsequence(text, fixed), `${label} keeps every original line`);
      applied++;
    }
  }
  return applied;
}

describe('cluster fix round trips', () => {
  for (const file of files) {
    it(path.relative(FIXTURES, file), async () => {
      await roundTrip(file, fs.readFileSync(file, 'utf8'));
    });
  }

  for (const name of fs.readdirSync(path.join(__dirname, '..', '..', 'examples', 'cluster'))) {
    it(`examples/cluster/${name}`, async () => {
      const file = path.join(__dirname, '..', '..', 'examples', 'cluster', name);
      await roundTrip(file, fs.readFileSync(file, 'utf8'));
    });
  }

  it('no fix is offered in a document with aliases: editing an anchor would change every object using it', async () => {
    const file = path.join(FIXTURES, 'inheritance', 'anchors-and-merge-keys.yaml');
    const result = await analyzeText(file, fs.readFileSync(file, 'utf8'));
    assert.ok(result.findings.length >= 2);
    assert.deepEqual(result.findings.flatMap((f) => f.fixes), []);
  });

  it('fixes on CRLF files write CRLF', async () => {
    const file = path.join(FIXTURES, 'fixes', 'two-space.yaml');
    const text = fs.readFileSync(file, 'utf8').replace(/\n/g, '\r\n');
    const n = await roundTrip(file, text);
    assert.ok(n >= 10, `applied ${n} fixes`);
    const before = await analyzeText(file, text);
    for (const f of before.findings) for (const fix of f.fixes) for (const e of fix.edits) assert.ok(!/[^\r]\n/.test(e.newText), `${f.ruleId}: no bare LF`);
  });

  it('the restricted securityContext goes in at the container indentation, after name, in the file style', async () => {
    const file = path.join(FIXTURES, 'fixes', 'four-space-indentless.yaml');
    const text = fs.readFileSync(file, 'utf8');
    const result = await analyzeText(file, text);
    const missing = result.findings.find((f) => f.ruleId === 'cluster/missing-security-context')!;
    const fixed = applyFix(text, missing.fixes[0]);
    assert.ok(
      fixed.includes(
        [
          '            - name: shop  # main container',
          '              securityContext:',
          '                  runAsNonRoot: true',
          '                  allowPrivilegeEscalation: false',
          '                  readOnlyRootFilesystem: true',
          '                  capabilities:',
          '                      drop:',
          '                      - ALL',
          '                  seccompProfile:',
          '                      type: RuntimeDefault',
          '              image: registry.example.com/shop:1.8.0',
        ].join('\n'),
      ),
      fixed,
    );
  });

  it('removing privileged: true keeps the comment above it and the other keys', async () => {
    const file = path.join(FIXTURES, 'fixes', 'four-space-indentless.yaml');
    const text = fs.readFileSync(file, 'utf8');
    const result = await analyzeText(file, text);
    const priv = result.findings.find((f) => f.ruleId === 'cluster/privileged')!;
    const fixed = applyFix(text, priv.fixes[0]);
    assert.equal(fixed, text.replace('                  privileged: true\n', ''));
  });

  it('a key inserted at the top of a map goes above the comments of the first key, so suppressions stay attached', async () => {
    const file = path.join(FIXTURES, 'fixes', 'comment-above-first-key.yaml');
    const text = fs.readFileSync(file, 'utf8');
    const result = await analyzeText(file, text);
    assert.deepEqual(result.suppressed.map((f) => f.ruleId), ['cluster/privileged']);
    for (const rule of ['cluster/privilege-escalation', 'cluster/run-as-non-root', 'cluster/capabilities', 'cluster/seccomp']) {
      const f = result.findings.find((x) => x.ruleId === rule)!;
      const fixed = applyFix(text, f.fixes[0]);
      assert.match(fixed, /securityContext:\n {8}\S.*\n(?: {10}.*\n)* {8}# fourfold-ignore cluster\/privileged: short-lived debug pod\n {8}privileged: true\n/, rule);
      const after = await analyzeText(file, fixed);
      assert.deepEqual(after.suppressed.map((x) => x.ruleId), ['cluster/privileged'], rule);
    }
  });

  it('the resources fix is a snippet with placeholders', async () => {
    const file = path.join(FIXTURES, 'fixes', 'four-space-indentless.yaml');
    const result = await analyzeText(file, fs.readFileSync(file, 'utf8'));
    const res = result.findings.filter((f) => f.ruleId === 'cluster/resources');
    assert.equal(res.length, 2);
    for (const r of res) {
      assert.equal(r.fixes[0].snippet, true);
      assert.match(r.fixes[0].edits.map((e) => e.newText).join(''), /\$\{1:[^}]+\}/);
    }
  });
});
