import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspTestClient, uriOf } from '../helpers/lspClient';

const ROOT_DOCKERFILE = 'FROM node:20.11-alpine\nWORKDIR /app\nCOPY . .\nCMD ["node", "server.js"]\n';
const has = (rule: string) => (d: Diagnostic[]) => d.some((x) => x.code === rule);
const lacks = (rule: string) => (d: Diagnostic[]) => !d.some((x) => x.code === rule);

describe('language server over stdio', () => {
  let ws: string;
  let client: LspTestClient;

  before(async () => {
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'ff-lsp-'));
    fs.mkdirSync(path.join(ws, 'api'));
    fs.writeFileSync(path.join(ws, 'api', 'Dockerfile'), ROOT_DOCKERFILE);
    client = await LspTestClient.start({ workspaceFolders: [ws] });
  });
  after(async () => {
    await client.stop();
    fs.rmSync(ws, { recursive: true, force: true });
  });

  test('the initial workspace scan reports files that are not open', async () => {
    const uri = uriOf(path.join(ws, 'api', 'Dockerfile'));
    const diags = await client.waitForDiagnostics(uri, has('container/root-user'));
    const d = diags.find((x) => x.code === 'container/root-user')!;
    assert.equal(d.source, 'Fourfold');
    assert.match(d.codeDescription!.href, /^file:\/\/.*\/docs\/rules\/container\/root-user\.md$/);
    assert.ok(fs.existsSync(new URL(d.codeDescription!.href)), 'the rule doc the diagnostic links to exists');
    const result = await client.request<{ findings: Array<{ ruleId: string; uri: string; docsUri: string }>; scanning: boolean }>('fourfold/workspaceFindings');
    assert.ok(result.findings.some((f) => f.uri === uri && f.ruleId === 'container/root-user'));
  });

  test('open, change, fix: diagnostics follow the buffer, not the disk', async () => {
    const uri = uriOf(path.join(ws, 'web.Dockerfile'));
    await client.open(uri, 'dockerfile', ROOT_DOCKERFILE);
    const diags = await client.waitForVersion(uri, has('container/root-user'));
    const root = diags.find((d) => d.code === 'container/root-user')!;

    const actions = await client.codeActions(uri, root.range, [root]);
    const titles = actions.map((a) => a.title);
    assert.ok(titles.some((t) => /suppress/i.test(t)), `a suppress action among ${titles}`);
    const fix = actions.find((a) => a.isPreferred) ?? actions[0];
    assert.ok(fix.edit, 'the quick fix carries an edit');
    const fixed = await client.applyWorkspaceEdit(fix.edit!, uri);
    assert.notEqual(fixed, ROOT_DOCKERFILE);
    await client.waitForVersion(uri, lacks('container/root-user'));

    // Back to the vulnerable text: the finding returns.
    await client.change(uri, ROOT_DOCKERFILE);
    await client.waitForVersion(uri, has('container/root-user'));
  });

  test('the suppress action silences the finding with a comment', async () => {
    const uri = uriOf(path.join(ws, 'suppress.Dockerfile'));
    await client.open(uri, 'dockerfile', ROOT_DOCKERFILE);
    const diags = await client.waitForVersion(uri, has('container/root-user'));
    const root = diags.find((d) => d.code === 'container/root-user')!;
    const suppress = (await client.codeActions(uri, root.range, [root])).find((a) => /suppress/i.test(a.title))!;
    const text = await client.applyWorkspaceEdit(suppress.edit!, uri);
    assert.match(text, /# fourfold-ignore container\/root-user: /);
    await client.waitForVersion(uri, lacks('container/root-user'));
  });

  test('rapid edits publish only results of the latest version', async () => {
    const uri = uriOf(path.join(ws, 'rapid.Dockerfile'));
    await client.open(uri, 'dockerfile', ROOT_DOCKERFILE);
    await client.waitForVersion(uri, has('container/root-user'));
    let last = 0;
    for (let i = 0; i < 50; i++) last = await client.change(uri, i % 2 ? ROOT_DOCKERFILE : ROOT_DOCKERFILE.replace('CMD', 'USER node\nCMD'));
    // Version 51 (i = 49) is the vulnerable text.
    const final = await client.waitForDiagnostics(uri, (_d, p) => p.version === last);
    assert.ok(has('container/root-user')(final));
  });

  test('a file outside the workspace loses its diagnostics when closed', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'ff-outside-'));
    const uri = uriOf(path.join(outside, 'Dockerfile'));
    await client.open(uri, 'dockerfile', ROOT_DOCKERFILE);
    await client.waitForVersion(uri, has('container/root-user'));
    await client.close(uri);
    await client.waitForDiagnostics(uri, (d) => d.length === 0);
  });

  test('files created on disk are picked up from file events', async () => {
    const file = path.join(ws, 'worker', 'Dockerfile');
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, ROOT_DOCKERFILE);
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(file), type: 1 }] });
    await client.waitForDiagnostics(uriOf(file), has('container/root-user'));
    fs.rmSync(file);
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(file), type: 3 }] });
    await client.waitForDiagnostics(uriOf(file), (d) => d.length === 0);
  });

  test('binary or oversized buffers get one informational message and the server keeps answering', async () => {
    const uri = uriOf(path.join(ws, 'weird.py'));
    await client.open(uri, 'python', 'x = 1\0\0\0');
    const diags = await client.waitForVersion(uri, (d) => d.some((x) => x.code === 'fourfold/skipped'));
    assert.match(diags[0].message, /binary content/);
    const rules = await client.request<{ rules: unknown[] }>('fourfold/rules');
    assert.ok(rules.rules.length > 0);
  });

  test('SARIF export of the workspace is a SARIF 2.1.0 log', async () => {
    const { sarif } = await client.request<{ sarif: string }>('fourfold/exportSarif', {});
    const log = JSON.parse(sarif);
    assert.equal(log.version, '2.1.0');
    assert.ok(log.runs[0].results.some((r: { ruleId: string }) => r.ruleId === 'container/root-user'));
  });
});
