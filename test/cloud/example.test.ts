import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyzeFile } from '../helpers/engine';

/* The bundled sample app's cloud files show the cloud layer's text rules, and only those findings. */

const EXAMPLES = path.join(__dirname, '..', '..', 'examples', 'cloud');
const keys = (findings: ReadonlyArray<{ ruleId: string; severity: string; range: { start: { line: number } } }>, rules: string[]) =>
  findings.filter((f) => rules.includes(f.ruleId)).map((f) => `${f.range.start.line + 1}:${f.ruleId}:${f.severity}`).sort();

describe('examples/cloud', () => {
  const RULES = ['cloud/hardcoded-credential', 'cloud/metadata-endpoint'];

  it('settings.env: the AWS key pair and the Slack webhook, not the ${DB_PASSWORD} reference', async () => {
    const r = await analyzeFile(path.join(EXAMPLES, 'settings.env'));
    assert.deepEqual(keys(r.findings, RULES), [
      '4:cloud/hardcoded-credential:high',
      '5:cloud/hardcoded-credential:critical',
      '7:cloud/hardcoded-credential:medium',
    ]);
  });

  it('instance_role.py: the metadata service and the fallback key id, with an environment fix', async () => {
    const r = await analyzeFile(path.join(EXAMPLES, 'instance_role.py'));
    assert.deepEqual(keys(r.findings, RULES), ['10:cloud/hardcoded-credential:high', '9:cloud/metadata-endpoint:info']);
    const key = r.findings.find((f) => f.ruleId === 'cloud/hardcoded-credential')!;
    assert.equal(key.fixes[0].edits.at(-1)!.newText, 'os.environ["AWS_ACCESS_KEY_ID"]');
  });
});
