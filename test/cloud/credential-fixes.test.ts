import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Language, Parser } from 'web-tree-sitter';
import { parseAllDocuments } from 'yaml';
import type { FileAnalysis, Finding, Fix } from '../../server/engine/types';
import { applyFix } from '../helpers/applyFix';
import { analyzeFile } from '../helpers/engine';
import { FakeCredentials } from './fakeCredentials';

const RULE = 'cloud/hardcoded-credential';
const cred = (a: FileAnalysis) => a.findings.filter((f) => f.ruleId === RULE);

const GRAMMARS: Record<string, string> = {
  '.py': 'tree-sitter-python/tree-sitter-python.wasm',
  '.js': 'tree-sitter-javascript/tree-sitter-javascript.wasm',
  '.ts': 'tree-sitter-typescript/tree-sitter-typescript.wasm',
  '.tsx': 'tree-sitter-typescript/tree-sitter-tsx.wasm',
};
const parsers = new Map<string, Parser>();

/** Parses with the real grammar: the fixed file must have no syntax error. */
function assertParses(name: string, text: string): void {
  const ext = path.extname(name);
  if (ext === '.yaml') {
    for (const doc of parseAllDocuments(text)) assert.deepEqual(doc.errors, [], `${name} is valid YAML after the fix`);
    return;
  }
  const parser = parsers.get(ext);
  assert.ok(parser, `a grammar for ${ext}`);
  const tree = parser.parse(text)!;
  assert.equal(tree.rootNode.hasError, false, `${name} parses after the fix:\n${text}`);
  tree.delete();
}

let dir: string;
before(async () => {
  await Parser.init();
  for (const [ext, wasm] of Object.entries(GRAMMARS)) {
    const p = new Parser();
    p.setLanguage(await Language.load(require.resolve(wasm)));
    parsers.set(ext, p);
  }
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ff-cloud-fix-'));
});
after(() => {
  for (const p of parsers.values()) p.delete();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function analyze(name: string, text: string): Promise<FileAnalysis> {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return analyzeFile(file, {}, text);
}

/**
 * The round trip every fix must survive: apply it, the file still parses,
 * the finding is gone (one fewer, no other credential finding added), and the
 * result is exactly the expected text when one is given.
 */
async function roundTrip(name: string, text: string, pickFinding: (f: Finding[]) => Finding, expected?: string): Promise<string> {
  const before = cred(await analyze(name, text));
  const finding = pickFinding(before);
  assert.equal(finding.fixes.length, 1, `one fix for ${finding.message}`);
  const fix: Fix = finding.fixes[0];
  assert.ok(fix.isPreferred);
  const fixed = applyFix(text, fix);
  if (expected !== undefined) assert.equal(fixed, expected);
  assertParses(name, fixed);
  const afterFix = cred(await analyze(name, fixed));
  assert.equal(afterFix.length, before.length - 1, 'exactly the fixed finding is gone');
  assert.ok(!afterFix.some((f) => f.fingerprint === finding.fingerprint), 'the fixed credential is no longer reported');
  return fixed;
}

describe('quick fix: read the credential from the environment', () => {
  const fake = new FakeCredentials(314);

  test('Python: os.environ, and `import os` after the docstring', async () => {
    const id = fake.awsAccessKeyId();
    const text = `"""Uploader."""\nimport boto3\n\ns3 = boto3.client("s3", aws_access_key_id="${id}")\n`;
    await roundTrip(
      'upload.py',
      text,
      (f) => f[0],
      `"""Uploader."""\nimport os\nimport boto3\n\ns3 = boto3.client("s3", aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"])\n`,
    );
  });

  test('Python: no second `import os`; the assigned name becomes the variable', async () => {
    const token = fake.slackBotToken();
    const text = `import os, sys\n\nSLACK_ALERTS_TOKEN = '${token}'  # ops channel\n`;
    await roundTrip('alerts.py', text, (f) => f[0], `import os, sys\n\nSLACK_ALERTS_TOKEN = os.environ["SLACK_ALERTS_TOKEN"]  # ops channel\n`);
  });

  test('Python: after the shebang, comments and __future__ imports, CRLF kept', async () => {
    const secret = fake.awsSecretAccessKey();
    const text = `#!/usr/bin/env python3\r\n# -*- coding: utf-8 -*-\r\nfrom __future__ import annotations\r\n\r\naws_secret_access_key = r"${secret}"\r\n`;
    await roundTrip(
      'job.py',
      text,
      (f) => f[0],
      `#!/usr/bin/env python3\r\n# -*- coding: utf-8 -*-\r\nfrom __future__ import annotations\r\nimport os\r\n\r\naws_secret_access_key = os.environ["AWS_SECRET_ACCESS_KEY"]\r\n`,
    );
  });

  test('Python: the fixture file, fixed one credential at a time, ends clean', async () => {
    const fixture = path.join(__dirname, '..', 'fixtures', 'cloud', 'hardcoded-credential', 'aws-boto3-client.py');
    let text = fs.readFileSync(fixture, 'utf8');
    text = await roundTrip('boto.py', text, (f) => f[0]);
    text = await roundTrip('boto.py', text, (f) => f[0]);
    assert.deepEqual(cred(await analyze('boto.py', text)), []);
    assert.equal((text.match(/^import os$/gm) ?? []).length, 1);
  });

  test('connection URL and API token: the whole string is read from the environment', async () => {
    const url = `postgresql+psycopg2://orders:${fake.password()}@db.internal:5432/orders`;
    const text = `import os\nfrom sqlalchemy import create_engine\n\nengine = create_engine("${url}")\n`;
    await roundTrip('db.py', text, (f) => f[0], `import os\nfrom sqlalchemy import create_engine\n\nengine = create_engine(os.environ["DATABASE_URL"])\n`);
    const key = fake.stripeKey();
    await roundTrip('pay.ts', `const stripe = new Stripe('${key}');\n`, (f) => f[0], `const stripe = new Stripe(process.env.STRIPE_SECRET_KEY);\n`);
  });

  test('TypeScript: process.env in an object literal', async () => {
    const fixture = path.join(__dirname, '..', 'fixtures', 'cloud', 'hardcoded-credential', 'aws-sdk-client.ts');
    const text = fs.readFileSync(fixture, 'utf8');
    const fixed = await roundTrip('client.ts', text, (f) => f.find((x) => x.data?.format === 'aws-secret-access-key')!);
    assert.match(fixed, /secretAccessKey: process\.env\.AWS_SECRET_ACCESS_KEY, \/\/ expect/);
  });

  test('JavaScript: a whole connection string literal', async () => {
    const conn = fake.azureConnectionString();
    const text = `const { BlobServiceClient } = require('@azure/storage-blob');\nconst storageConnection = \`${conn}\`;\nmodule.exports = BlobServiceClient.fromConnectionString(storageConnection);\n`;
    await roundTrip(
      'blob.js',
      text,
      (f) => f[0],
      `const { BlobServiceClient } = require('@azure/storage-blob');\nconst storageConnection = process.env.STORAGE_CONNECTION;\nmodule.exports = BlobServiceClient.fromConnectionString(storageConnection);\n`,
    );
  });

  test('TSX: a JSX attribute gets braces', async () => {
    const hook = fake.slackWebhook();
    const text = `export const Alerts = () => <SlackButton webhook="${hook}" label="Notify" />;\n`;
    await roundTrip('Alerts.tsx', text, (f) => f[0], `export const Alerts = () => <SlackButton webhook={process.env.SLACK_WEBHOOK_URL} label="Notify" />;\n`);
  });

  test('no fix where replacing the literal would break or change the code', async () => {
    const t = () => fake.githubToken();
    const cases: Array<[string, string]> = [
      ['comment.py', `# old token: ${t()}\nx = 1\n`],
      ['dictkey.py', `ALLOWED = {"${t()}": True}\n`],
      ['fstring.py', `url = f"${t()}"\n`],
      ['bytes.py', `raw = b"${t()}"\n`],
      ['concat.py', `x = "${t()}" "suffix"\n`],
      ['partial.py', `header = "token ${t()}"\n`],
      ['objkey.ts', `const seen = { '${t()}': 1 };\n`],
      ['tagged.js', `const q = sql\`${t()}\`;\n`],
      ['comment.js', `/* ${t()} */ const x = 1;\n`],
      ['template.js', `const h = \`Bearer \${x} ${t()}\`;\n`],
    ];
    for (const [name, text] of cases) {
      const found = cred(await analyze(name, text));
      assert.equal(found.length, 1, `${name}: reported`);
      assert.deepEqual(found[0].fixes, [], `${name}: no fix`);
    }
  });
});

describe('quick fix: Kubernetes env value → secretKeyRef', () => {
  test('the fixture Deployment: comment kept, indentation kept, valid YAML, finding gone', async () => {
    const fixture = path.join(__dirname, '..', 'fixtures', 'cloud', 'hardcoded-credential', 'k8s-deployment-env.yaml');
    const text = fs.readFileSync(fixture, 'utf8');
    const fixed = await roundTrip('deploy.yaml', text, (f) => f.find((x) => x.data?.format === 'aws-secret-access-key')!);
    const before = text.split('\n');
    const afterLines = fixed.split('\n');
    const at = before.findIndex((l) => /value: "/.test(l));
    // Everything before the edited line and after the inserted block is byte-identical.
    assert.deepEqual(afterLines.slice(0, at), before.slice(0, at));
    assert.deepEqual(afterLines.slice(at + 4), before.slice(at + 1));
    assert.deepEqual(afterLines.slice(at, at + 4), [
      '              valueFrom: # rotated 2024-03',
      '                secretKeyRef:',
      '                  name: app-secrets',
      '                  key: aws-secret-access-key',
    ]);
    const doc = parseAllDocuments(fixed)[0].toJS();
    const env = doc.spec.template.spec.containers[0].env.find((e: { name: string }) => e.name === 'AWS_SECRET_ACCESS_KEY');
    assert.deepEqual(env, { name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: 'app-secrets', key: 'aws-secret-access-key' } } });
  });

  test('the fix is a snippet with placeholders for the Secret name and key', async () => {
    const fake = new FakeCredentials(8);
    const text = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: busybox:1.36\n      env:\n        - value: ${fake.githubToken()}\n          name: GH_TOKEN\n`;
    const found = cred(await analyze('pod.yaml', text));
    assert.equal(found.length, 1);
    const fix = found[0].fixes[0];
    assert.equal(fix.snippet, true);
    assert.match(fix.edits[1].newText, /name: \$\{1:app-secrets\}/);
    assert.match(fix.edits[1].newText, /key: \$\{2:gh-token\}/);
    await roundTrip('pod.yaml', text, (f) => f[0]);
  });

  test('no YAML fix outside a block-style env entry', async () => {
    const fake = new FakeCredentials(9);
    const cases = [
      `env:\n  - {name: GH_TOKEN, value: ${fake.githubToken()}}\n`,
      `settings:\n  value: ${fake.githubToken()}\n`,
      `env:\n  - name: GH_TOKEN\n    value: >-\n      ${fake.githubToken()}\n`,
    ];
    for (const text of cases) {
      const found = cred(await analyze('values.yaml', text));
      assert.equal(found.length, 1, text);
      assert.deepEqual(found[0].fixes, [], text);
    }
  });
});
