// Quick fixes as the editor offers them: vscode.executeCodeActionProvider at a
// diagnostic, apply the action (its WorkspaceEdit or its command), then check
// the document text and that the finding is gone. Every fix offered on every
// example is exercised, then reverted so the tests stay independent.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { exampleFiles } from './expected';
import type { FourfoldApi } from '../../client/extension';
import { activate, exists, fourfoldDiagnostics, listFiles, openDoc, ruleIdOf, waitForDiagnostics, waitForEvent, waitForRules, wsUri } from './helpers';

/**
 * The actions VS Code offers at a diagnostic that belong to it. Actions
 * returned by vscode.executeCodeActionProvider carry no diagnostics, so they
 * are matched on the titles of the fixes the server's index holds for that
 * finding (the same fixes the tree's "Apply fix" uses).
 */
async function actionsFor(doc: vscode.TextDocument, d: vscode.Diagnostic): Promise<{ fixes: vscode.CodeAction[]; suppress?: vscode.CodeAction }> {
  const api = await activate<FourfoldApi>();
  const id = ruleIdOf(d);
  const finding = await waitForEvent(
    ((listener: () => unknown) => api.treeModel.onDidChange(listener)) as unknown as vscode.Event<unknown>,
    () =>
      api.treeModel.allFindings.find(
        (f) =>
          f.ruleId === id &&
          vscode.Uri.parse(f.uri).fsPath === doc.uri.fsPath &&
          f.range.start.line === d.range.start.line &&
          f.range.start.character === d.range.start.character,
      ),
    `${id} at line ${d.range.start.line + 1} in the index`,
  );
  const all =
    (await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      doc.uri,
      d.range,
      vscode.CodeActionKind.QuickFix.value,
      100, // resolve lazily computed edits
    )) ?? [];
  lastOffered = all.map((a) => a.title);
  const titles = new Set(finding.fixes.map((f) => f.title));
  return {
    fixes: all.filter((a) => titles.has(a.title)),
    suppress: finding.suppressFix ? all.find((a) => a.title === finding.suppressFix!.title) : undefined,
  };
}

/** What the last request offered at all, for failure messages. */
let lastOffered: string[] = [];

async function apply(action: vscode.CodeAction): Promise<void> {
  if (action.edit) assert.ok(await vscode.workspace.applyEdit(action.edit), `applyEdit refused "${action.title}"`);
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  assert.ok(action.edit || action.command, `"${action.title}" has neither an edit nor a command`);
}

async function restore(doc: vscode.TextDocument, text: string): Promise<void> {
  if (doc.getText() === text) return;
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, doc.validateRange(new vscode.Range(0, 0, doc.lineCount, 0)), text);
  assert.ok(await vscode.workspace.applyEdit(edit));
  assert.equal(doc.getText(), text);
}

function count(uri: vscode.Uri, id: string): number {
  return fourfoldDiagnostics(uri).filter((d) => ruleIdOf(d) === id).length;
}

/** Fix the first `ruleId` diagnostic of `file` with its preferred fix; returns the text before and after. */
async function fixOne(file: string, ruleId: string): Promise<{ doc: vscode.TextDocument; before: string; after: string }> {
  assert.ok(exists(file), `examples/${file} does not exist (not landed yet)`);
  const doc = await openDoc(file);
  const ds = await waitForRules(doc.uri, [ruleId]);
  const d = ds.find((x) => ruleIdOf(x) === ruleId)!;
  const { fixes } = await actionsFor(doc, d);
  assert.ok(fixes.length > 0, `no quick fix offered for ${ruleId} in ${file} (offered there: ${JSON.stringify(lastOffered)})`);
  const fix = fixes.find((a) => a.isPreferred) ?? fixes[0];
  const n = count(doc.uri, ruleId);
  const before = doc.getText();
  await apply(fix);
  assert.notEqual(doc.getText(), before, `"${fix.title}" did not change the document`);
  await waitForDiagnostics(doc.uri, () => count(doc.uri, ruleId) < n, `${ruleId} to be fixed by "${fix.title}"`);
  return { doc, before, after: doc.getText() };
}

suite('quick fixes', () => {
  suiteSetup(async () => {
    await activate();
  });

  test('container/latest-tag: pinning the tag edits only the FROM line, and saves to disk', async () => {
    const { doc, before, after } = await fixOne('container/Dockerfile', 'container/latest-tag');
    const a = before.split('\n');
    const b = after.split('\n');
    assert.equal(b.length, a.length, 'the fix added or removed lines');
    const changed = a.map((l, i) => (l === b[i] ? -1 : i)).filter((i) => i >= 0);
    assert.equal(changed.length, 1, `expected one changed line, got ${changed.length}`);
    assert.match(a[changed[0]], /^\s*FROM\s/i);
    assert.doesNotMatch(b[changed[0]], /:latest\b/);
    assert.ok(await doc.save(), 'save failed');
    assert.equal(fs.readFileSync(doc.uri.fsPath, 'utf8'), after, 'the file on disk is not the fixed text');
    await restore(doc, before);
    await doc.save();
  });

  test('container/root-user: the fix adds a non-root USER', async () => {
    const { doc, before, after } = await fixOne('container/Dockerfile', 'container/root-user');
    assert.match(after, /^\s*USER\s+(?!root\b|0\b)\S+/im);
    await restore(doc, before);
  });

  test('code/sql-injection: the fix parameterises the query', async () => {
    const { doc, before, after } = await fixOne('code/app.py', 'code/sql-injection');
    const added = after.split('\n').filter((l) => !before.split('\n').includes(l));
    assert.ok(added.length > 0, 'no line changed');
    // The query now carries placeholders and the values travel as parameters.
    assert.ok(
      added.some((l) => /(\?|%s|:\w+|\$\d)/.test(l) && /execute\w*\(.*,/.test(l)),
      `not a parameterised call: ${added.join(' | ')}`,
    );
    await restore(doc, before);
  });

  test('every fix offered on examples/ removes its finding and adds no new kind of finding', async () => {
    let exercised = 0;
    for (const file of exampleFiles()) {
      const doc = await openDoc(file);
      // The file's own findings (the diagnostics test already waited for the server).
      let ds: vscode.Diagnostic[];
      try {
        ds = await waitForDiagnostics(doc.uri, (x) => x.length > 0, 'any finding', 20_000);
      } catch {
        continue; // a clean file: nothing to fix
      }
      const original = doc.getText();
      const seen = new Set<string>();
      for (const d of ds) {
        const id = ruleIdOf(d)!;
        if (seen.has(id)) continue; // one occurrence per rule and file keeps the run short
        seen.add(id);
        const current = fourfoldDiagnostics(doc.uri).find((x) => ruleIdOf(x) === id);
        if (!current) continue;
        const { fixes } = await actionsFor(doc, current);
        for (const fix of fixes) {
          const idsBefore = new Set(fourfoldDiagnostics(doc.uri).map(ruleIdOf));
          const n = count(doc.uri, id);
          const filesBefore = new Set(listFiles());
          await apply(fix);
          await waitForDiagnostics(doc.uri, () => count(doc.uri, id) < n, `${file}: ${id} fixed by "${fix.title}"`);
          const added = fourfoldDiagnostics(doc.uri)
            .map(ruleIdOf)
            .filter((x) => !idsBefore.has(x));
          assert.deepEqual(added, [], `${file}: "${fix.title}" introduced new findings`);
          exercised++;
          await restore(doc, original);
          // Fixes may create files (a NetworkPolicy next to a workload): remove them too.
          const created = listFiles().filter((f) => !filesBefore.has(f));
          if (created.length) {
            // Undo the way the editor would: a workspace edit, which also closes the
            // documents VS Code opened for the created files (the server trusts open buffers).
            const undo = new vscode.WorkspaceEdit();
            for (const f of created) undo.deleteFile(wsUri(f), { ignoreIfNotExists: true });
            assert.ok(await vscode.workspace.applyEdit(undo), `could not delete ${created.join(', ')}`);
          }
          await waitForDiagnostics(
            doc.uri,
            () => count(doc.uri, id) === n,
            `${file}: ${id} back after reverting "${fix.title}"${created.length ? ` and deleting ${created.join(', ')}` : ''}` +
              ` (open documents: ${vscode.workspace.textDocuments.map((d) => vscode.workspace.asRelativePath(d.uri)).join(', ')})`,
          );
        }
      }
      await restore(doc, original);
      if (doc.isDirty) await doc.save();
    }
    assert.ok(exercised >= 3, `only ${exercised} fixes were offered across examples/`);
  });

  test('a suppression action is offered and silences the finding', async () => {
    const file = 'container/Dockerfile';
    assert.ok(exists(file), `examples/${file} does not exist (not landed yet)`);
    const doc = await openDoc(file);
    const ds = await waitForRules(doc.uri, ['container/latest-tag']);
    const d = ds.find((x) => ruleIdOf(x) === 'container/latest-tag')!;
    const { suppress } = await actionsFor(doc, d);
    assert.ok(suppress, 'no suppress action for container/latest-tag');
    const before = doc.getText();
    const n = count(doc.uri, 'container/latest-tag');
    await apply(suppress);
    await waitForDiagnostics(doc.uri, () => count(doc.uri, 'container/latest-tag') < n, 'the suppressed finding to go');
    assert.match(doc.getText(), /fourfold|hadolint|checkov/i, 'no suppression comment in the text');
    assert.equal(doc.getText().split('\n').length, before.split('\n').length + 1, 'the suppression should add one comment line');
    await restore(doc, before);
  });
});
