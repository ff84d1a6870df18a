import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspTestClient, uriOf } from '../helpers/lspClient';

/*
 * Every container rule through the built language server (dist/server.js)
 * and a real JSON-RPC client: the diagnostic appears for an open buffer, and
 * where the rule has a quick fix, applying the code action's edit makes the
 * diagnostic go away. missing-healthcheck is switched on through settings.
 */

const has = (rule: string) => (d: Diagnostic[]) => d.some((x) => x.code === rule);
const lacks = (rule: string) => (d: Diagnostic[]) => !d.some((x) => x.code === rule);

const CASES: Array<{ rule: string; text: string; line: number; fixable: boolean }> = [
  { rule: 'container/root-user', text: 'FROM python:3.12-slim\nCOPY . /app\nCMD ["python", "/app/main.py"]\n', line: 0, fixable: true },
  { rule: 'container/latest-tag', text: 'FROM localhost:5000/team/api\nUSER 1000\n', line: 0, fixable: true },
  { rule: 'container/add-instead-of-copy', text: 'FROM alpine:3.20\nADD src/ /app/src/\nUSER 1000\n', line: 1, fixable: true },
  { rule: 'container/curl-pipe-shell', text: 'FROM debian:bookworm-slim\nRUN curl -fsSL https://get.example.com | sh\nUSER 1000\n', line: 1, fixable: false },
  { rule: 'container/secret-in-env', text: 'FROM alpine:3.20\nENV DB_PASSWORD=hunter2hunter2\nUSER 1000\n', line: 1, fixable: false },
  { rule: 'container/sudo', text: 'FROM ubuntu:24.04\nUSER 1000\nRUN sudo mkdir /srv/x\n', line: 2, fixable: false },
  { rule: 'container/apt-unpinned', text: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\nUSER 1000\n', line: 1, fixable: false },
  { rule: 'container/expose-ssh', text: 'FROM alpine:3.20\nUSER 1000\nEXPOSE 8080 22\n', line: 2, fixable: false },
  { rule: 'container/missing-healthcheck', text: 'FROM alpine:3.20\nUSER 1000\n', line: 0, fixable: false },
];

describe('container rules through the language server', () => {
  let ws: string;
  let client: LspTestClient;

  before(async () => {
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'ff-lsp-container-'));
    client = await LspTestClient.start({ workspaceFolders: [ws], settings: { rules: { 'container/missing-healthcheck': 'on' } } });
  });
  after(async () => {
    await client.stop();
    fs.rmSync(ws, { recursive: true, force: true });
  });

  for (const c of CASES) {
    test(`${c.rule}: reported${c.fixable ? ', and its quick fix removes it' : ''}`, async () => {
      const uri = uriOf(path.join(ws, `${c.rule.split('/')[1]}.Dockerfile`));
      await client.open(uri, 'dockerfile', c.text);
      const diags = await client.waitForVersion(uri, has(c.rule));
      const d = diags.find((x) => x.code === c.rule)!;
      assert.equal(d.range.start.line, c.line);
      assert.equal(d.source, 'Fourfold');
      if (c.rule === 'container/secret-in-env') assert.doesNotMatch(d.message, /hunter2/, 'the secret value leaks into the message');
      if (!c.fixable) return;
      const actions = await client.codeActions(uri, d.range, [d]);
      const fix = actions.find((a) => a.isPreferred && a.edit);
      assert.ok(fix, `a preferred quick fix among: ${actions.map((a) => a.title).join(' | ')}`);
      const fixed = await client.applyWorkspaceEdit(fix.edit!, uri);
      assert.notEqual(fixed, c.text);
      await client.waitForVersion(uri, lacks(c.rule));
    });
  }

  test('a well-formed AWS secret key in ENV is one diagnostic (cloud), a plain password stays secret-in-env', async () => {
    const uri = uriOf(path.join(ws, 'aws.Dockerfile'));
    // Fake credentials, generated for tests.
    const text = 'FROM python:3.12-slim\nENV AWS_ACCESS_KEY_ID=AKIACVBNGUGB7ZIQC5WQ\nENV AWS_SECRET_ACCESS_KEY=hq+R4nZlu8/N+YL2CUGZA2s/+XT+EXyu4NkBfMme\nENV DB_PASSWORD=hunter2hunter2\nUSER 1000\n';
    await client.open(uri, 'dockerfile', text);
    const diags = await client.waitForVersion(uri, (d) => d.some((x) => x.code === 'cloud/hardcoded-credential' && x.range.start.line === 2));
    assert.deepEqual(diags.filter((x) => x.range.start.line === 2).map((x) => x.code), ['cloud/hardcoded-credential']);
    assert.deepEqual(diags.filter((x) => x.range.start.line === 3).map((x) => x.code), ['container/secret-in-env']);
  });

  test('root-user: an image that ships gosu is quiet until an explicit USER root (an Error) is added', async () => {
    const uri = uriOf(path.join(ws, 'gosu.Dockerfile'));
    const text =
      'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends gosu=1.14-1+b10\nCOPY docker-entrypoint.sh /usr/local/bin/\nENTRYPOINT ["docker-entrypoint.sh"]\n';
    await client.open(uri, 'dockerfile', text);
    // The buffer is analysed (latest-tag etc. are quiet too, so wait on this version's publication).
    const first = await client.waitForVersion(uri);
    assert.deepEqual(first.filter((x) => x.code === 'container/root-user'), []);
    await client.change(uri, text.replace('ENTRYPOINT', 'USER root\nENTRYPOINT'));
    const after = await client.waitForVersion(uri, has('container/root-user'));
    const d = after.find((x) => x.code === 'container/root-user')!;
    assert.equal(d.range.start.line, 3);
    assert.equal(d.severity, 1, 'explicit USER root is high severity (Error)');
  });

  test('a Containerfile is recognised by name (no language id)', async () => {
    const uri = uriOf(path.join(ws, 'Containerfile'));
    await client.open(uri, 'plaintext', 'FROM node:latest\nUSER node\n');
    await client.waitForVersion(uri, has('container/latest-tag'));
  });

  test('a file VS Code marks as dockerfile is analysed whatever its name', async () => {
    const uri = uriOf(path.join(ws, 'build', 'image.def'));
    await client.open(uri, 'dockerfile', 'FROM node\nUSER node\n');
    await client.waitForVersion(uri, has('container/latest-tag'));
  });
});
