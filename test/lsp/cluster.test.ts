import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { CreateFile, Diagnostic, TextDocumentEdit } from 'vscode-languageserver-protocol';
import { LspTestClient, uriOf } from '../helpers/lspClient';

/*
 * The cluster layer through the built language server and a real JSON-RPC
 * client: diagnostics on the offending key, a quick fix that removes them,
 * and namespace posture across workspace files, fixed by creating a file.
 */

const has = (rule: string) => (d: Diagnostic[]) => d.some((x) => x.code === rule);
const lacks = (rule: string) => (d: Diagnostic[]) => !d.some((x) => x.code === rule);

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
  namespace: shop
spec:
  selector:
    matchLabels: {app: shop}
  template:
    metadata:
      labels: {app: shop}
    spec:
      containers:
        - name: shop # the storefront
          image: registry.example.com/shop:1.0.0
        - name: proxy
          image: registry.example.com/proxy:1.0.0
          securityContext:
            privileged: true
            runAsNonRoot: true
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: {drop: [ALL]}
            seccompProfile: {type: RuntimeDefault}
`;

describe('cluster rules through the language server', () => {
  let ws: string;
  let client: LspTestClient;
  let file: string;

  before(async () => {
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'ff-lsp-cluster-'));
    file = path.join(ws, 'k8s', 'deployment.yaml');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, DEPLOYMENT);
    client = await LspTestClient.start({ workspaceFolders: [ws] });
  });
  after(async () => {
    await client.stop();
    fs.rmSync(ws, { recursive: true, force: true });
  });

  test('privileged: reported on the key, removed by the preferred quick fix, comments kept', async () => {
    const uri = uriOf(file);
    await client.open(uri, 'yaml', DEPLOYMENT);
    const diags = await client.waitForVersion(uri, has('cluster/privileged'));
    const d = diags.find((x) => x.code === 'cluster/privileged')!;
    assert.equal(d.range.start.line, 18);
    assert.equal(d.source, 'Fourfold');
    const missing = diags.find((x) => x.code === 'cluster/missing-security-context')!;
    assert.equal(missing.range.start.line, 13, 'on the container name');
    const actions = await client.codeActions(uri, d.range, [d]);
    const fix = actions.find((a) => a.isPreferred && a.edit);
    assert.ok(fix, actions.map((a) => a.title).join(' | '));
    const fixed = await client.applyWorkspaceEdit(fix.edit!, uri);
    assert.equal(fixed, DEPLOYMENT.replace('            privileged: true\n', ''));
    await client.waitForVersion(uri, lacks('cluster/privileged'));
  });

  test('missing securityContext: the quick fix inserts the restricted profile and the finding goes', async () => {
    const uri = uriOf(file);
    const diags = await client.waitForDiagnostics(uri, has('cluster/missing-security-context'));
    const d = diags.find((x) => x.code === 'cluster/missing-security-context')!;
    const actions = await client.codeActions(uri, d.range, [d]);
    const fix = actions.find((a) => a.isPreferred && a.edit)!;
    const fixed = await client.applyWorkspaceEdit(fix.edit!, uri);
    assert.match(fixed, /- name: shop # the storefront\n {10}securityContext:\n {12}runAsNonRoot: true\n/);
    await client.waitForVersion(uri, (ds) => lacks('cluster/missing-security-context')(ds) && lacks('cluster/privilege-escalation')(ds));
  });

  test('a Helm template and a document with tabs get one informational diagnostic each, no findings', async () => {
    const helm = uriOf(path.join(ws, 'chart', 'templates', 'deployment.yaml'));
    await client.open(helm, 'yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "x.fullname" . }}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: nginx\n');
    const helmDiags = await client.waitForVersion(helm);
    assert.deepEqual(helmDiags.map((d) => d.code), ['fourfold/skipped']);
    assert.match(helmDiags[0].message, /Helm\/Go template/);
    const tabs = uriOf(path.join(ws, 'k8s', 'tabs.yaml'));
    await client.open(tabs, 'yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\nspec:\n\tcontainers: []\n');
    const tabDiags = await client.waitForVersion(tabs);
    assert.deepEqual(tabDiags.map((d) => d.code), ['fourfold/skipped']);
    assert.match(tabDiags[0].message, /line 6: Tabs are not allowed/);
  });

  test('namespace posture: a workspace finding whose fix creates a NetworkPolicy file; once it exists the finding is gone', async () => {
    const uri = uriOf(file);
    const diags = await client.waitForDiagnostics(uri, has('cluster/namespace-network-policy'));
    const d = diags.find((x) => x.code === 'cluster/namespace-network-policy')!;
    const actions = await client.codeActions(uri, d.range, [d]);
    const fix = actions.find((a) => a.edit?.documentChanges?.some((c) => 'kind' in c && c.kind === 'create'));
    assert.ok(fix, actions.map((a) => a.title).join(' | '));
    const changes = fix.edit!.documentChanges!;
    const create = changes.find((c): c is CreateFile => 'kind' in c && c.kind === 'create')!;
    const content = changes.find((c): c is TextDocumentEdit => 'textDocument' in c && c.textDocument.uri === create.uri)!;
    const created = fileURLToPath(create.uri);
    assert.equal(path.dirname(created), path.dirname(file));
    // What the editor does with the workspace edit: write the file, then the watcher reports it.
    fs.writeFileSync(created, (content.edits[0] as { newText: string }).newText);
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: create.uri, type: 1 }] });
    await client.waitForDiagnostics(uri, lacks('cluster/namespace-network-policy'));
  });
});
