// The language server's findings as the editor shows them: open each
// examples/ file, wait for its diagnostics, and check the rule ids the
// example was written to show, the diagnostic's shape (source, severity, doc
// link), and that the editor agrees with the CLI on the same files.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FourfoldApi } from '../../client/extension';
import {
  activate,
  exists,
  fourfoldDiagnostics,
  openDoc,
  ruleIdOf,
  waitForDiagnostics,
  waitForRules,
  workspaceRoot,
  wsUri,
} from './helpers';
import { EXPECTED, exampleFiles, cliFindings } from './expected';

suite('diagnostics in the editor', () => {
  suiteSetup(async () => {
    await activate();
  });

  test('examples/ has the files the scenario is built on', () => {
    const missing = Object.keys(EXPECTED).filter((f) => !exists(f));
    assert.deepEqual(missing, [], `examples/ lacks ${missing.join(', ')}`);
  });

  for (const [file, ids] of Object.entries(EXPECTED)) {
    test(`${file}: ${ids.join(', ')}`, async () => {
      assert.ok(exists(file), `examples/${file} does not exist (not landed yet)`);
      const doc = await openDoc(file);
      const ds = await waitForRules(doc.uri, ids);
      for (const d of ds) {
        const id = ruleIdOf(d);
        assert.ok(id, `diagnostic without a rule id: ${d.message}`);
        assert.equal(d.source, 'Fourfold', `source of ${id}`);
        assert.ok(d.message.length > 10, `message of ${id} is too short: ${d.message}`);
        // The code links to the rule's documentation.
        const code = d.code as { value: string; target: vscode.Uri } | string;
        assert.equal(typeof code, 'object', `${id}: code should carry a doc link ({ value, target })`);
        if (typeof code === 'object') {
          assert.match(code.target.toString(), new RegExp(`${id!.replace('/', '.')}(\\.md)?`), `${id}: doc link ${code.target}`);
        }
        assert.ok(d.range.start.line < doc.lineCount, `${id}: range outside the document`);
      }
    });
  }

  test('editing a file updates its diagnostics live (no save)', async () => {
    const file = 'container/Dockerfile';
    assert.ok(exists(file), `examples/${file} does not exist (not landed yet)`);
    const doc = await openDoc(file);
    await waitForRules(doc.uri, ['container/latest-tag']);
    const original = doc.getText();
    const edit = new vscode.WorkspaceEdit();
    // A Dockerfile with nothing to report under the latest-tag rule.
    edit.replace(doc.uri, fullRange(doc), 'FROM python:3.12-slim@sha256:' + 'a'.repeat(64) + '\nUSER 10001\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitForDiagnostics(doc.uri, (ds) => !ds.some((d) => ruleIdOf(d) === 'container/latest-tag'), 'latest-tag to disappear');
    const back = new vscode.WorkspaceEdit();
    back.replace(doc.uri, fullRange(doc), original);
    assert.ok(await vscode.workspace.applyEdit(back));
    await waitForRules(doc.uri, ['container/latest-tag']);
    await doc.save();
  });

  test('the workspace index (tree) and the CLI agree on examples/', async () => {
    const api = await activate<FourfoldApi>();
    await api.ready;
    await api.whenIndexed();
    const root = workspaceRoot();
    const rel = (p: string) => path.relative(root, p).split(path.sep).join('/');
    const cli = cliFindings();
    const want = [...cli].flatMap(([file, fs]) => fs.map((f) => `${file}:${f.line} ${f.ruleId}`)).sort();
    assert.ok(want.length > 0, '`fourfold scan` found nothing in examples/');
    const have = api.treeModel.allFindings.map((f) => `${rel(f.path)}:${f.range.start.line + 1} ${f.ruleId}`).sort();
    assert.deepEqual(have, want);
  });

  test('the editor and the CLI agree on every example file', async () => {
    const files = exampleFiles();
    assert.ok(files.length > 0, 'no example files');
    const cli = cliFindings();
    const key = (id: string | undefined, line: number) => `${id}@${line}`;
    for (const file of files) {
      const want = (cli.get(file) ?? []).map((f) => key(f.ruleId, f.line)).sort();
      const doc = await openDoc(file);
      const have = () => fourfoldDiagnostics(doc.uri).map((d) => key(ruleIdOf(d), d.range.start.line + 1)).sort();
      // Resolves as soon as the editor shows exactly the CLI's set; on a
      // mismatch the bounded wait ends and the assertion shows the difference.
      await waitForDiagnostics(doc.uri, () => JSON.stringify(have()) === JSON.stringify(want), 'the CLI findings', 30_000).catch(
        () => undefined,
      );
      assert.deepEqual(have(), want, `${file}: editor diagnostics vs \`fourfold scan\``);
    }
  });
});

function fullRange(doc: vscode.TextDocument): vscode.Range {
  return doc.validateRange(new vscode.Range(0, 0, doc.lineCount, 0));
}

export { wsUri };
