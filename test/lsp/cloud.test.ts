import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { FakeCredentials } from '../cloud/fakeCredentials';
import { LspTestClient, uriOf } from '../helpers/lspClient';

const CRED = 'cloud/hardcoded-credential';
const IMDS = 'cloud/metadata-endpoint';
const count = (d: Diagnostic[], code: string) => d.filter((x) => x.code === code).length;

describe('cloud layer through the language server', () => {
  let ws: string;
  let client: LspTestClient;

  before(async () => {
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'ff-lsp-cloud-'));
    client = await LspTestClient.start({ workspaceFolders: [ws] });
  });
  after(async () => {
    await client.stop();
    fs.rmSync(ws, { recursive: true, force: true });
  });

  test('credentials are reported masked, fixed through a code action, and the finding goes away', async () => {
    const fake = new FakeCredentials(1234);
    const id = fake.awsAccessKeyId();
    const secret = fake.awsSecretAccessKey();
    const text =
      '"""Uploader."""\nimport boto3\nimport requests\n\n' +
      `s3 = boto3.client("s3", aws_access_key_id="${id}", aws_secret_access_key="${secret}")\n` +
      'creds = requests.get("http://169.254.169.254/latest/meta-data/iam/security-credentials/app").json()\n';
    const uri = uriOf(path.join(ws, 'upload.py'));
    await client.open(uri, 'python', text);
    const diags = await client.waitForVersion(uri, (d) => count(d, CRED) === 2 && count(d, IMDS) === 1);

    for (const d of diags.filter((x) => x.code === CRED || x.code === IMDS)) {
      assert.ok(!d.message.includes(id) && !d.message.includes(secret), `masked: ${d.message}`);
    }
    const secretDiag = diags.find((d) => d.code === CRED && /secret access key/.test(d.message))!;
    assert.equal(secretDiag.severity, 1, 'critical → Error');
    assert.equal(diags.find((d) => d.code === IMDS)!.severity, 4, 'info → Hint');
    assert.equal(secretDiag.range.start.line, 4);

    const actions = await client.codeActions(uri, secretDiag.range, [secretDiag]);
    const fix = actions.find((a) => a.isPreferred && /environment/.test(a.title));
    assert.ok(fix?.edit, `an environment fix among ${actions.map((a) => a.title)}`);
    const fixed = await client.applyWorkspaceEdit(fix!.edit!, uri);
    assert.match(fixed, /^import os$/m);
    assert.match(fixed, /aws_secret_access_key=os\.environ\["AWS_SECRET_ACCESS_KEY"\]/);
    const after = await client.waitForVersion(uri, (d) => count(d, CRED) === 1);
    assert.ok(after.every((d) => d.code !== CRED || /access key id/.test(d.message)));
  });
});
