// Scan Image in the real editor (issue 8): the commands are registered, the
// quick pick's workspace base images come from the examples' Dockerfiles
// (ARG-resolved), and hostile or scanner-less runs settle with a clear answer.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activate, extensionRoot, waitForEvent, workspaceRoot } from './helpers';

interface Outcome {
  ok: boolean;
  error?: string;
  message?: string;
  summary?: string;
  cached?: boolean;
  diagnostics?: Array<{ path: string; line: number; ruleId: string }>;
}

/** A stand-in `trivy`: records its arguments and prints a real Trivy report. */
function standInScanner(report: string): { exe: string; log: string; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fourfold-suite-trivy-'));
  const exe = path.join(dir, 'trivy');
  const log = path.join(dir, 'args.log');
  fs.writeFileSync(
    exe,
    `#!${process.execPath}\nconst fs = require('fs');\nfs.appendFileSync(${JSON.stringify(log)}, JSON.stringify(process.argv.slice(2)) + '\\n');\nprocess.stderr.write('INFO stand-in scanning\\n');\nprocess.stdout.write(fs.readFileSync(${JSON.stringify(report)}));\n`,
  );
  fs.chmodSync(exe, 0o755);
  return { exe, log, dir };
}

suite('scan image', () => {
  suiteSetup(async () => {
    await activate();
  });

  test('the scan commands are registered', async () => {
    const all = await vscode.commands.getCommands(true);
    for (const id of ['fourfold.scanImage', 'fourfold.rescanImage', 'fourfold.scanDependencies']) {
      assert.ok(all.includes(id), `${id} is not registered`);
    }
  });

  test('the quick pick offers the base images of the workspace Dockerfiles', async () => {
    const bases = await vscode.commands.executeCommand<Array<{ ref: string; files: string[] }>>('fourfold.scanImage.workspaceBaseImages');
    const refs = bases.map((b) => b.ref);
    assert.ok(refs.includes('node:latest'), `base images offered: ${refs.join(', ')}`);
    assert.ok(bases.find((b) => b.ref === 'node:latest')!.files.some((f) => /container[\\/]Dockerfile$/.test(f)));
  });

  test('a hostile reference is refused before anything runs', async () => {
    const r = await vscode.commands.executeCommand<Outcome>('fourfold.scanImage', 'alpine; rm -rf /');
    assert.equal(r?.ok, false);
    assert.equal(r?.error, 'invalid-target', JSON.stringify(r));
    assert.match(r!.message!, /not a valid image reference/);
  });

  test('a scan (stand-in trivy) puts the jar vulnerability on the COPY line that added it', async () => {
    const report = path.resolve(extensionRoot(), '..', 'shared', 'fixtures', 'scanners', 'trivy-spring4shell-debian-jar.json');
    assert.ok(fs.existsSync(report), report);
    const fake = standInScanner(report);
    const dockerfile = path.join(workspaceRoot(), 'spring', 'Dockerfile');
    fs.mkdirSync(path.dirname(dockerfile), { recursive: true });
    fs.writeFileSync(dockerfile, 'ARG TOMCAT_TAG=8.5.77-jdk11-openjdk\nFROM tomcat:${TOMCAT_TAG}\nCOPY helloworld.war /usr/local/tomcat/webapps/\n');
    const config = vscode.workspace.getConfiguration('fourfold');
    await config.update('scanner.path', fake.exe, vscode.ConfigurationTarget.Global);
    try {
      const ref = 'ghcr.io/aquasecurity/trivy-test-images:spring4shell-jre11';
      const r = await vscode.commands.executeCommand<Outcome>('fourfold.scanImage', { ref });
      assert.equal(r?.ok, true, JSON.stringify(r));
      assert.equal(r!.summary, '1 critical · 1 fixable');
      assert.deepEqual(fs.readFileSync(fake.log, 'utf8').trim().split('\n').map((l) => JSON.parse(l)), [['image', '--format', 'json', '--quiet', ref]]);
      const diags = vscode.languages.getDiagnostics(vscode.Uri.file(dockerfile)).filter((d) => d.source === 'Fourfold image scan');
      assert.deepEqual(
        diags.map((d) => [d.range.start.line, d.code, d.severity]),
        [[2, 'container/layer-vulnerabilities', vscode.DiagnosticSeverity.Error]],
      );
      assert.match(diags[0].message, /CVE-2022-22965/);
      // cached for the session; rescan runs the scanner again
      const again = await vscode.commands.executeCommand<Outcome>('fourfold.scanImage', { ref });
      assert.equal(again?.cached, true);
      const rescan = await vscode.commands.executeCommand<Outcome>('fourfold.rescanImage', { ref });
      assert.equal(rescan?.ok, true);
      assert.equal(rescan?.cached, false);
      assert.equal(fs.readFileSync(fake.log, 'utf8').trim().split('\n').length, 2);
    } finally {
      await config.update('scanner.path', undefined, vscode.ConfigurationTarget.Global);
      fs.rmSync(fake.dir, { recursive: true, force: true });
      fs.rmSync(path.dirname(dockerfile), { recursive: true, force: true });
    }
  });

  test('a CodeLens "Scan image" sits above each FROM naming an image', async () => {
    const uri = vscode.Uri.file(path.join(workspaceRoot(), 'container', 'Dockerfile'));
    await vscode.workspace.openTextDocument(uri);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    const scan = lenses.filter((l) => l.command?.command === 'fourfold.scanImage');
    assert.ok(scan.length >= 1, `lenses: ${lenses.map((l) => l.command?.title).join(', ')}`);
    const doc = await vscode.workspace.openTextDocument(uri);
    for (const l of scan) assert.match(doc.lineAt(l.range.start.line).text, /^\s*FROM\s/i);
    assert.equal((scan[0].command!.arguments![0] as { ref: string }).ref, 'node:latest');
  });

  test('Scan Dependencies: diagnostics on the lockfile and package.json, and the version-bump quick fix', async () => {
    const report = path.resolve(extensionRoot(), '..', 'shared', 'fixtures', 'scanners', 'trivy-npm-lockfile-with-packages.json');
    const fake = standInScanner(report);
    const root = workspaceRoot();
    const lockPath = path.join(root, 'package-lock.json');
    const pkgPath = path.join(root, 'package.json');
    const pkgText = '{\n  "name": "orders",\n  "dependencies": {\n    "express": "4.19.2",\n    "jquery": "^3.3.9"\n  }\n}\n';
    fs.writeFileSync(lockPath, Array.from({ length: 20 }, (_, i) => (i === 10 ? '    "node_modules/jquery": {' : `    "line${i}": 1,`)).join('\n'));
    fs.writeFileSync(pkgPath, pkgText);
    const config = vscode.workspace.getConfiguration('fourfold');
    await config.update('scanner.path', fake.exe, vscode.ConfigurationTarget.Global);
    try {
      const r = await vscode.commands.executeCommand<{ ok: boolean; summary?: string }>('fourfold.scanDependencies');
      assert.equal(r?.ok, true, JSON.stringify(r));
      assert.deepEqual(JSON.parse(fs.readFileSync(fake.log, 'utf8').trim()), ['fs', '--scanners', 'vuln', '--format', 'json', '--quiet', '--list-all-pkgs', root]);
      const lockDiags = vscode.languages.getDiagnostics(vscode.Uri.file(lockPath)).filter((d) => d.source === 'Fourfold dependency scan');
      assert.deepEqual(lockDiags.map((d) => [d.range.start.line, d.range.end.line]), [[10, 14]]);
      const uri = vscode.Uri.file(pkgPath);
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc);
      const diags = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Fourfold dependency scan');
      assert.deepEqual(diags.map((d) => d.range.start.line), [4]);
      // A code-action request is cancelled when the model changes under it (the
      // editor settling the freshly opened file); ask again, a bounded number of times.
      const step = async <T>(name: string, f: () => Thenable<T> | Promise<T>): Promise<T> => {
        for (let attempt = 1; ; attempt++) {
          try {
            return await f();
          } catch (err) {
            if (attempt < 5 && /Canceled/i.test(String((err as Error)?.message ?? err))) continue;
            throw new Error(`${name}: ${(err as Error)?.message ?? err}`);
          }
        }
      };
      const actions = await step('code actions', () =>
        vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diags[0].range, vscode.CodeActionKind.QuickFix.value, 100),
      );
      const bump = actions.find((a) => a.title === 'Upgrade jquery to 3.4.0');
      assert.ok(bump?.edit, `actions: ${actions.map((a) => a.title).join(', ')}; scan: ${JSON.stringify(r)}`);
      assert.ok(await step('apply', () => vscode.workspace.applyEdit(bump.edit!)));
      assert.equal(doc.getText(), pkgText.replace('^3.3.9', '^3.4.0'));
      assert.equal(JSON.parse(doc.getText()).dependencies.jquery, '^3.4.0');
      await step('save', () => doc.save());
      // the finding is gone once the manifest changed (and no stale fix is offered)
      const gone = () => vscode.languages.getDiagnostics(uri).every((d) => d.source !== 'Fourfold dependency scan');
      if (!gone()) await waitForEvent(vscode.languages.onDidChangeDiagnostics as vscode.Event<unknown>, () => (gone() ? true : undefined), 'dependency diagnostics cleared', 10_000);
      const after = await step('code actions after the fix', () =>
        vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diags[0].range, vscode.CodeActionKind.QuickFix.value, 100),
      );
      assert.equal(after.filter((a) => /^Upgrade jquery/.test(a.title)).length, 0);
    } finally {
      await config.update('scanner.path', undefined, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(fake.dir, { recursive: true, force: true });
      fs.rmSync(lockPath, { force: true });
      fs.rmSync(pkgPath, { force: true });
    }
  });

  test('with no scanner installed the answer names Trivy, Grype and how to install them', async () => {
    const r = await vscode.commands.executeCommand<Outcome>('fourfold.scanImage', 'alpine:3.19');
    assert.equal(r?.ok, false);
    assert.equal(r?.error, 'not-installed', JSON.stringify(r));
    assert.match(r!.message!, /Trivy.*https:\/\/.*Grype.*https:\/\//);
  });
});
