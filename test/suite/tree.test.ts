// The 4C's tree as the view renders it (the extension's exported model) and
// the status-bar shield, against the CLI's independent count of the same
// workspace.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FourfoldApi } from '../../client/extension';
import type { FindingNode, LayerNode, TreeNode } from '../../client/tree/model';
import { cliFindings } from './expected';
import { activate, exists, waitForEvent, workspaceRoot, wsUri } from './helpers';

const LAYERS = ['code', 'container', 'cluster', 'cloud'] as const;
const LABELS = ['Code', 'Container', 'Cluster', 'Cloud'];

function cliCountsByLayer(): Record<string, number> {
  const counts: Record<string, number> = { code: 0, container: 0, cluster: 0, cloud: 0 };
  for (const list of cliFindings().values()) for (const f of list) counts[f.ruleId.split('/')[0]]++;
  return counts;
}

suite('4C tree view and status bar', () => {
  let api: FourfoldApi;

  suiteSetup(async () => {
    api = await activate<FourfoldApi>();
    assert.ok(api && api.treeModel, 'activate() returned no test API (treeModel)');
    await api.ready;
    await api.whenIndexed();
  });

  test('the roots are Code, Container, Cluster, Cloud with the CLI counts', () => {
    const roots = api.treeModel.getRoots().filter((n): n is LayerNode => n.kind === 'layer');
    assert.deepEqual(
      roots.map((r) => r.label),
      LABELS,
    );
    const want = cliCountsByLayer();
    const have = Object.fromEntries(roots.map((r) => [r.layer, r.count]));
    assert.deepEqual(have, want);
    for (const layer of LAYERS) {
      assert.ok(want[layer] > 0, `examples/ shows no ${layer} finding (the sample should cover all four layers)`);
    }
    const counts = api.treeModel.counts();
    assert.equal(counts.total, Object.values(want).reduce((a, b) => a + b, 0));
  });

  test('the status bar shield shows the total', () => {
    const total = api.treeModel.counts().total;
    assert.match(api.statusBarText(), new RegExp(`\\$\\(shield\\) ${total}\\b`));
  });

  test('every finding under a layer belongs to that layer and its file exists', () => {
    for (const root of api.treeModel.getRoots()) {
      if (root.kind !== 'layer') continue;
      const findings = api.treeModel.findingsOf(root);
      assert.equal(findings.length, root.count, `${root.label}: children vs count`);
      for (const f of findings) {
        assert.equal(f.layer, root.layer);
        assert.ok(fs.existsSync(f.path), `${f.ruleId}: ${f.path} does not exist`);
      }
    }
  });

  test('selecting a finding opens its file at its line', async () => {
    const leaf = firstLeaf(api, (n) => n.finding.ruleId === 'container/latest-tag') ?? firstLeaf(api, () => true);
    assert.ok(leaf, 'the tree has no finding nodes');
    await vscode.commands.executeCommand('fourfold.tree.openFinding', leaf);
    const editor = await waitForEvent(
      vscode.window.onDidChangeActiveTextEditor,
      () => {
        const e = vscode.window.activeTextEditor;
        return e && e.document.uri.fsPath === vscode.Uri.parse(leaf.finding.uri).fsPath ? e : undefined;
      },
      `an editor on ${leaf.finding.path}`,
    );
    assert.equal(editor.selection.start.line, leaf.finding.range.start.line);
    assert.equal(editor.selection.start.character, leaf.finding.range.start.character);
  });

  test('fixing and saving a file updates the tree and the shield', async () => {
    const file = 'container/Dockerfile';
    assert.ok(exists(file), `examples/${file} does not exist (not landed yet)`);
    const before = api.treeModel.counts();
    const original = fs.readFileSync(path.join(workspaceRoot(), file), 'utf8');
    // A Dockerfile with no Container findings at all, written the way a user saves.
    const clean = 'FROM python:3.12-slim@sha256:' + 'a'.repeat(64) + '\nUSER 10001\nCMD ["python", "-m", "http.server"]\n';
    const doc = await vscode.workspace.openTextDocument(wsUri(file));
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, doc.validateRange(new vscode.Range(0, 0, doc.lineCount, 0)), clean);
    assert.ok(await vscode.workspace.applyEdit(edit));
    await doc.save();
    const modelChanged = (cb: () => unknown) => api.treeModel.onDidChange(cb);
    const after = await waitForEvent(
      modelChanged as unknown as vscode.Event<unknown>,
      () => {
        const c = api.treeModel.counts();
        return c.byLayer.container.total < before.byLayer.container.total && !api.treeModel.scanning ? c : undefined;
      },
      'the Container count to drop',
    );
    assert.match(api.statusBarText(), new RegExp(`\\$\\(shield\\) ${after.total}\\b`));
    assert.equal(after.byLayer.code.total, before.byLayer.code.total, 'other layers changed');
    // Put the example back and wait for the tree to return to where it was.
    const back = new vscode.WorkspaceEdit();
    back.replace(doc.uri, doc.validateRange(new vscode.Range(0, 0, doc.lineCount, 0)), original);
    assert.ok(await vscode.workspace.applyEdit(back));
    await doc.save();
    await waitForEvent(
      modelChanged as unknown as vscode.Event<unknown>,
      () => api.treeModel.counts().total === before.total,
      'the tree to return to its first count',
    );
  });
});

function firstLeaf(api: FourfoldApi, pred: (n: FindingNode) => boolean): FindingNode | undefined {
  const stack: TreeNode[] = [...api.treeModel.getRoots()];
  while (stack.length) {
    const n = stack.shift()!;
    if (n.kind === 'finding' && pred(n)) return n;
    stack.push(...api.treeModel.getChildren(n));
  }
  return undefined;
}
