import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyzeFile } from '../helpers/engine';

const fixture = (rel: string) => path.join(__dirname, '..', 'fixtures', 'code', rel);

/** Code findings with review on: `line:rule:confidence`. */
async function reviewFindings(rel: string): Promise<string[]> {
  const result = await analyzeFile(fixture(rel), { review: true });
  return result.findings
    .filter((f) => f.layer === 'code')
    .map((f) => `${f.range.start.line + 1}:${f.ruleId}:${f.confidence ?? 'high'}`)
    .sort();
}

test('review mode: timer callbacks and delays are not code (setImmediate never is); only string arguments are', async () => {
  assert.deepEqual(await reviewFindings('code/timer-callbacks.js'), ['19:code/code-injection:high', '20:code/code-injection:high', '21:code/code-injection:high']);
});

test('review mode: SQL built from quoted identifiers (quote_name, identifier_preparer.quote, sql.Identifier) is not review-worthy', async () => {
  assert.deepEqual(await reviewFindings('sql/identifier-quoting.py'), ['31:code/sql-injection:high']);
});

test('review mode: escapeId / knex.ref / pg-format sanitise identifiers; a bare column name stays a review finding', async () => {
  assert.deepEqual(await reviewFindings('sql/identifier-quoting.js'), ['11:code/sql-injection:review']);
});
