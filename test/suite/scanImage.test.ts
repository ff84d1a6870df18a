// Scan Image in the real editor (issue 8): the commands are registered, the
// quick pick's workspace base images come from the examples' Dockerfiles
// (ARG-resolved), and hostile or scanner-less runs settle with a clear answer.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activate } from './helpers';

interface Outcome {
  ok: boolean;
  error?: string;
  message?: string;
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

  test('with no scanner installed the answer names Trivy, Grype and how to install them', async () => {
    const r = await vscode.commands.executeCommand<Outcome>('fourfold.scanImage', 'alpine:3.19');
    assert.equal(r?.ok, false);
    assert.equal(r?.error, 'not-installed', JSON.stringify(r));
    assert.match(r!.message!, /Trivy.*https:\/\/.*Grype.*https:\/\//);
  });
});
