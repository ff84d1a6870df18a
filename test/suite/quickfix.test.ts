// Quick fixes as the editor offers them: vscode.executeCodeActionProvider at a
// diagnostic, apply the action (its WorkspaceEdit or its command), then check
// the document text and that the finding is gone. Every fix offered on every
// example is exercised, then reverted so the tests stay independent.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { exampleFiles } from './expected';
import { activate, exists, fourfoldDiagnostics, openDoc, ruleIdOf, waitForDiagnostics, waitForRules } from './helpers';

const SUPPRESS = /suppress|ignore|disable|fourfold-ignore|nosec/i;

function sameDiagnostic(a: vscode.Diagnostic, b: vscode.Diagnostic): boolean {
  return ruleIdOf(a) === ruleIdOf(b) && a.range.isEqual(b.range) && a.message === b.message;
}

async function actionsFor(doc: vscode.TextDocument, d: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
  const all =
    (await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      doc.uri,
      d.range,
      vscode.CodeActionKind.QuickFix.value,
      100, // resolve lazily computed edits
    )) ?? [];
  return all.filter((a) => a.diagnostics?.some((x) => sameDiagnostic(x, d)));
}

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
  const fixes = (await actionsFor(doc, d)).filter((a) => !SUPPRESS.test(a.title));
  assert.ok(fixes.length > 0, `no quick fix offered for ${ruleId} in ${file}`);
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
    assert.ok(after.length > 0);
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
        const fixes = (await actionsFor(doc, current)).filter((a) => !SUPPRESS.test(a.title));
        for (const fix of fixes) {
          const idsBefore = new Set(fourfoldDiagnostics(doc.uri).map(ruleIdOf));
          const n = count(doc.uri, id);
          await apply(fix);
          await waitForDiagnostics(doc.uri, () => count(doc.uri, id) < n, `${file}: ${id} fixed by "${fix.title}"`);
          const added = fourfoldDiagnostics(doc.uri)
            .map(ruleIdOf)
            .filter((x) => !idsBefore.has(x));
          assert.deepEqual(added, [], `${file}: "${fix.title}" introduced new findings`);
          exercised++;
          await restore(doc, original);
          await waitForDiagnostics(doc.uri, () => count(doc.uri, id) === n, `${file}: ${id} back after revert`);
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
    const suppress = (await actionsFor(doc, d)).find((a) => SUPPRESS.test(a.title));
    assert.ok(suppress, 'no suppress action for container/latest-tag');
    const before = doc.getText();
    const n = count(doc.uri, 'container/latest-tag');
    await apply(suppress);
    await waitForDiagnostics(doc.uri, () => count(doc.uri, 'container/latest-tag') < n, 'the suppressed finding to go');
    assert.match(doc.getText(), /fourfold|hadolint|checkov/i, 'no suppression comment in the text');
    await restore(doc, before);
  });
});
