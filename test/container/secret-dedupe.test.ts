import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyzeFile } from '../helpers/engine';
import { findingKeys } from '../helpers/expectations';

/*
 * container/secret-in-env leaves a credential that cloud/hardcoded-credential
 * recognises by format to that rule, but only when that rule runs: switched
 * off (or its layer off), secret-in-env reports the value again, so turning
 * one rule off never hides a secret.
 */

const dir = path.join(__dirname, '..', 'fixtures', 'container', 'secret-in-env');
const pair = path.join(dir, 'aws-key-pair-reported-once-by-cloud.Dockerfile');
const examples = path.join(dir, 'aws-secret-access-key.Dockerfile');
const relevant = (r: { findings: Array<{ ruleId: string; range: { start: { line: number } } }> }) =>
  findingKeys(r.findings.filter((f) => f.ruleId === 'container/secret-in-env' || f.ruleId === 'cloud/hardcoded-credential'));

describe('secret-in-env and cloud/hardcoded-credential: one finding per secret', () => {
  it('a well-formed AWS secret key next to its AKIA id gives exactly one finding, from the cloud rule', async () => {
    const r = await analyzeFile(pair);
    const onSecret = r.findings.filter((f) => f.range.start.line === 7);
    assert.equal(onSecret.length, 1);
    assert.equal(onSecret[0].ruleId, 'cloud/hardcoded-credential');
    assert.deepEqual(relevant(r), ['11:container/secret-in-env', '6:cloud/hardcoded-credential', '8:cloud/hardcoded-credential']);
  });

  it('still reports a password the cloud rule has no format for', async () => {
    const r = await analyzeFile(pair);
    const db = r.findings.filter((f) => f.range.start.line === 10);
    assert.deepEqual(db.map((f) => f.ruleId), ['container/secret-in-env']);
  });

  it('reports the secret key under secret-in-env when the cloud rule is off', async () => {
    const r = await analyzeFile(pair, { rules: { 'cloud/hardcoded-credential': { enabled: false } } });
    // AWS_ACCESS_KEY_ID is an id, not a secret name: only the secret key and the password.
    assert.deepEqual(relevant(r), ['11:container/secret-in-env', '8:container/secret-in-env']);
  });

  it('reports the secret key under secret-in-env when the cloud layer is off', async () => {
    const r = await analyzeFile(pair, { layers: { cloud: false } });
    assert.deepEqual(relevant(r), ['11:container/secret-in-env', '8:container/secret-in-env']);
  });

  it('documented example keys: secret-in-env by default, the cloud rule once includeExamples is on', async () => {
    assert.deepEqual(relevant(await analyzeFile(examples)), ['4:container/secret-in-env']);
    const withExamples = await analyzeFile(examples, {
      rules: { 'cloud/hardcoded-credential': { enabled: true, options: { includeExamples: true } } },
    });
    assert.deepEqual(relevant(withExamples), ['2:cloud/hardcoded-credential', '4:cloud/hardcoded-credential']);
  });
});
