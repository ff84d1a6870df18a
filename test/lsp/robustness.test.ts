// Protocol robustness through the real client: floods, stale requests,
// unknown documents, folder changes and file-watcher storms. The server keeps
// answering and publishes only results of the latest text.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import type { HeapStats } from '../../server/lsp/protocol';
import { LspTestClient, uriOf } from '../helpers/lspClient';

const ROOT_DOCKERFILE = 'FROM node:20.11-alpine\nCMD ["node", "server.js"]\n';
const SAFE_DOCKERFILE = 'FROM node:20.11-alpine\nUSER node\nCMD ["node", "server.js"]\n';
const hasRoot = (d: Diagnostic[]) => d.some((x) => x.code === 'container/root-user');

function rssMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

describe('language server robustness', () => {
  let ws: string;
  let client: LspTestClient;
  before(async () => {
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'ff-robust-'));
    client = await LspTestClient.start({ workspaceFolders: [ws] });
  });
  after(async () => {
    await client.stop();
    fs.rmSync(ws, { recursive: true, force: true });
  });

  test('1,000 rapid edits: the final publish is for the last version and matches its text', async () => {
    const uri = uriOf(path.join(ws, 'flood.Dockerfile'));
    await client.open(uri, 'dockerfile', SAFE_DOCKERFILE);
    let last = 0;
    const sends = [];
    for (let i = 0; i < 1000; i++) sends.push(client.change(uri, i % 3 === 0 ? ROOT_DOCKERFILE : SAFE_DOCKERFILE).then((v) => (last = Math.max(last, v))));
    await Promise.all(sends);
    // i = 999 → 999 % 3 === 0: the last text runs as root.
    const final = await client.waitForDiagnostics(uri, (_d, p) => p.version === last, 30_000);
    assert.ok(hasRoot(final));
    const stale = [...client.latest.values()].filter((p) => p.uri === uri && p.version !== undefined && p.version > last);
    assert.equal(stale.length, 0);
  });

  test('requests for unknown or closed documents answer empty, not an error', async () => {
    const unknown = uriOf(path.join(ws, 'never-opened.py'));
    const actions = await client.codeActions(unknown, { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: 'x', source: 'Fourfold', code: 'code/xss', data: { fingerprint: 'nope' } },
    ]);
    assert.deepEqual(actions, []);
    await client.close(unknown);
    const r = await client.request<{ findings: unknown[] }>('fourfold/workspaceFindings');
    assert.ok(Array.isArray(r.findings));
  });

  test('code actions for a diagnostic of an older version offer nothing stale', async () => {
    const uri = uriOf(path.join(ws, 'stale.Dockerfile'));
    await client.open(uri, 'dockerfile', ROOT_DOCKERFILE);
    const diags = await client.waitForVersion(uri, hasRoot);
    const old = diags.find((d) => d.code === 'container/root-user')!;
    await client.change(uri, '# a new first line\n' + ROOT_DOCKERFILE);
    const actions = await client.codeActions(uri, old.range, [old]);
    // Either nothing (the finding moved) or actions whose edits target the current version.
    for (const a of actions) {
      for (const c of a.edit?.documentChanges ?? []) if ('textDocument' in c && c.textDocument.uri === uri) assert.equal(c.textDocument.version, 2);
    }
  });

  test('a document closed right after opening leaves no diagnostics behind (outside the workspace)', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'ff-closed-'));
    const uri = uriOf(path.join(outside, 'Dockerfile'));
    await client.open(uri, 'dockerfile', ROOT_DOCKERFILE);
    await client.close(uri);
    // Another round trip through the same ordered channel, then the state must be empty.
    await client.request('fourfold/workspaceFindings');
    await client.waitForDiagnostics(uri, (d) => d.length === 0);
    const r = await client.request<{ findings: Array<{ uri: string }> }>('fourfold/workspaceFindings');
    assert.ok(!r.findings.some((f) => f.uri === uri));
  });

  test('workspace folders added and removed are scanned and forgotten', async () => {
    const extra = fs.mkdtempSync(path.join(os.tmpdir(), 'ff-extra-'));
    fs.writeFileSync(path.join(extra, 'Dockerfile'), ROOT_DOCKERFILE);
    const uri = uriOf(path.join(extra, 'Dockerfile'));
    await client.notify('workspace/didChangeWorkspaceFolders', { event: { added: [{ uri: uriOf(extra), name: 'extra' }], removed: [] } });
    await client.waitForDiagnostics(uri, hasRoot);
    await client.notify('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [{ uri: uriOf(extra), name: 'extra' }] } });
    await client.waitForDiagnostics(uri, (d) => d.length === 0);
    fs.rmSync(extra, { recursive: true, force: true });
  });

  test('a storm of 1,000 created files is indexed while requests keep being answered', async () => {
    const before = rssMb(client.process.pid!);
    const dir = path.join(ws, 'storm');
    const changes = [];
    for (let i = 0; i < 1000; i++) {
      const f = path.join(dir, `svc${i}`, 'Dockerfile');
      fs.mkdirSync(path.dirname(f), { recursive: true });
      fs.writeFileSync(f, ROOT_DOCKERFILE);
      changes.push({ uri: uriOf(f), type: 1 });
    }
    await client.notify('workspace/didChangeWatchedFiles', { changes });
    const latencies: number[] = [];
    const lastUri = changes[changes.length - 1].uri;
    let done = false;
    const waiting = client.waitForDiagnostics(lastUri, hasRoot, 120_000).then(() => (done = true));
    while (!done) {
      const t = Date.now();
      await client.request('fourfold/rules');
      latencies.push(Date.now() - t);
      await Promise.race([waiting, new Promise((r) => setTimeout(r, 20))]);
    }
    const r = await client.request<{ findings: Array<{ uri: string }> }>('fourfold/workspaceFindings');
    assert.ok(r.findings.filter((f) => f.uri.includes('/storm/')).length >= 1000);
    // Deleting the folder drops its files.
    fs.rmSync(dir, { recursive: true, force: true });
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(dir), type: 3 }] });
    await client.waitForDiagnostics(lastUri, (d) => d.length === 0, 60_000);
    const afterRss = rssMb(client.process.pid!);
    assert.ok(afterRss < before + 200, `RSS ${before.toFixed(0)} → ${afterRss.toFixed(0)} MB`);
    assert.ok(Math.max(...latencies) < 5000, `slowest request during the storm: ${Math.max(...latencies)} ms`);
  });
});

describe('leak check: fourfold/heapStats (server under --expose-gc)', () => {
  let ws: string;
  before(() => {
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'ff-heap-'));
  });
  after(() => fs.rmSync(ws, { recursive: true, force: true }));

  test('the request exists only when the server can collect garbage on demand', async () => {
    const plain = await LspTestClient.start({ workspaceFolders: [ws] });
    try {
      await assert.rejects(plain.request('fourfold/heapStats'));
    } finally {
      await plain.stop();
    }
  });

  test('edits that keep a manifest invalid retain nothing after a forced GC', async () => {
    const client = await LspTestClient.start({ workspaceFolders: [ws], nodeArgs: ['--expose-gc'] });
    try {
      const uri = uriOf(path.join(ws, 'deploy.yaml'));
      const doc = (i: number) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: registry.example.com/app:${i}\n---\n`;
      const text = Array.from({ length: 80 }, (_, i) => doc(i)).join('');
      await client.open(uri, 'yaml', text);
      await client.waitForVersion(uri, () => true, 60_000);
      const heap = async () => (await client.request<HeapStats>('fourfold/heapStats')).heapUsed / 2 ** 20;
      const lines = text.split('\n').length;
      const samples: number[] = [];
      for (let i = 0; i < 300; i++) {
        // A stray indent or a comment at a line start: most documents end up with parse errors.
        const at = { line: (i * 37) % (lines - 2), character: 0 };
        const v = await client.edit(uri, { start: at, end: at }, i % 2 ? ' ' : '# x');
        await client.waitForDiagnostics(uri, (_d, p) => p.version === v);
        if (i % 100 === 99) samples.push(await heap());
      }
      const stats = await client.request<HeapStats>('fourfold/heapStats');
      assert.ok(stats.rss >= stats.heapUsed && stats.external > 0);
      // Parse errors once held their stack frames, and through them every earlier analysis: +~0.1 MB per edit here.
      assert.ok(samples[2] - samples[0] < 3, `JS heap after GC: ${samples.map((s) => s.toFixed(1)).join(', ')} MB`);
    } finally {
      await client.stop();
    }
  });
});
