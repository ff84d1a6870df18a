// The 4C's tree model fed by the real built server (dist/server.js) through
// the custom protocol, as the extension feeds it: the workspace index, live
// updates on fourfold/findingsChanged, settings sent without a restart, and
// "copy as SARIF" through fourfold/exportSarif. Needs `npm run build`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LAYERS, type Layer } from '../../server/engine/types';
import {
  ExportSarifRequest,
  WorkspaceFindingsRequest,
  type WorkspaceFindingsResult,
} from '../../server/lsp/protocol';
import { readSettings } from '../../client/settings';
import { FindingsTreeModel, type FindingsSource } from '../../client/tree/model';
import { narrowSarif } from '../../client/tree/sarif';
import { engineWith } from '../helpers/engine';
import { LspTestClient, uriOf } from '../helpers/lspClient';
import { validateSarif } from '../helpers/sarifSchema';

const FILES: Record<string, string> = {
  'settings.env': 'AWS_ACCESS_KEY_ID=AKIAZ3MSJV4WLRNVQ7XK\nAWS_SECRET_ACCESS_KEY=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\n',
  'app.py': [
    'import os',
    'import sqlite3',
    'from flask import Flask, request',
    '',
    'app = Flask(__name__)',
    '',
    '@app.route("/user")',
    'def user():',
    '    name = request.args.get("name")',
    '    db = sqlite3.connect("app.db")',
    `    return str(db.execute("SELECT * FROM users WHERE name = '" + name + "'").fetchall())`,
    '',
    '@app.route("/ping")',
    'def ping():',
    '    host = request.args.get("host")',
    '    return os.popen("ping -c 1 " + host).read()',
    '',
  ].join('\n'),
  Dockerfile: 'FROM python:latest\nUSER root\nRUN pip install flask\nCMD ["python", "app.py"]\n',
  'k8s/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      securityContext:\n        privileged: true\n',
};

let dir: string;
let client: LspTestClient;
let model: FindingsTreeModel;

/** The extension's ServerFindingsSource, over the test client's connection. */
function sourceOver(c: LspTestClient): FindingsSource {
  return {
    fetch: () => c.connection.sendRequest<WorkspaceFindingsResult>(WorkspaceFindingsRequest),
    onDidChange(listener) {
      let live = true;
      const loop = () => {
        if (!live) return;
        // Re-armed every second so that, once disposed, no wait outlives the test by more than that.
        c.nextNotification('fourfold/findingsChanged', 1000).then(
          () => {
            if (!live) return;
            listener();
            loop();
          },
          () => loop(),
        );
      };
      loop();
      return { dispose: () => (live = false) };
    },
  };
}

/** Resolves when the model satisfies the predicate (checked on every change). */
function until(predicate: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  if (predicate()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out waiting for ${what}; counts ${JSON.stringify(model.counts().byLayer)}`));
    }, timeoutMs);
    const sub = model.onDidChange(() => {
      if (predicate()) {
        clearTimeout(timer);
        sub.dispose();
        resolve();
      }
    });
  });
}

/** What the engine alone says about the files (per-file and workspace rules), per layer: the tree must agree. */
async function engineCounts(overrides: Record<string, string> = {}): Promise<Record<Layer, number>> {
  const counts = { code: 0, container: 0, cluster: 0, cloud: 0 };
  const engine = await engineWith();
  const analyses = Object.entries(FILES).map(([rel, text]) =>
    engine.analyze({ path: path.join(dir, rel), text: overrides[rel] ?? text }),
  );
  for (const a of analyses) for (const f of a.findings) counts[f.layer]++;
  for (const { findings } of engine.analyzeWorkspace(analyses).values()) for (const f of findings) counts[f.layer]++;
  return counts;
}

function treeCounts(): Record<Layer, number> {
  const byLayer = model.counts().byLayer;
  return Object.fromEntries(LAYERS.map((l) => [l, byLayer[l].total])) as Record<Layer, number>;
}

before(async () => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fourfold-client-tree-')));
  for (const [rel, text] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  client = await LspTestClient.start({ workspaceFolders: [dir] });
  model = new FindingsTreeModel(sourceOver(client), { roots: () => [dir] });
  void model.refresh();
  await until(() => model.loaded && !model.scanning, 'the initial workspace scan');
});

after(async () => {
  model?.dispose();
  await client?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('the tree shows the whole workspace, with the engine\'s counts per layer', async () => {
  const want = await engineCounts();
  assert.ok(want.cloud > 0 && want.container > 0, `the sample files should have Container and Cloud findings: ${JSON.stringify(want)}`);
  assert.deepEqual(treeCounts(), want);
  assert.equal(model.fileCount >= Object.keys(FILES).length, true);
  const roots = model.getRoots();
  assert.deepEqual(roots.map((r) => r.kind === 'layer' && r.label), ['Code', 'Container', 'Cluster', 'Cloud']);
  // Every finding sits in exactly one leaf, under its own layer.
  for (const root of roots) {
    if (root.kind !== 'layer') continue;
    const leaves = model.getChildren(root).flatMap((g) => model.getChildren(g));
    assert.equal(leaves.length, root.count, root.label);
    for (const leaf of leaves) assert.equal(leaf.kind === 'finding' && leaf.finding.layer, root.layer);
  }
});

test('copy as SARIF of a layer gives a valid log with exactly its findings', async () => {
  const cloud = model.getRoots().find((r) => r.kind === 'layer' && r.layer === 'cloud')!;
  const findings = model.findingsOf(cloud);
  assert.ok(findings.length > 0);
  const { sarif } = await client.connection.sendRequest<{ sarif: string }>(ExportSarifRequest, { uris: [...new Set(findings.map((f) => f.uri))] });
  const narrowed = JSON.parse(narrowSarif(sarif, findings));
  assert.deepEqual(validateSarif(narrowed), []);
  assert.equal(narrowed.runs[0].results.length, findings.length);
  assert.ok(narrowed.runs[0].results.every((r: { ruleId: string }) => r.ruleId.startsWith('cloud/')));
});

test('live update: editing a file changes its layer\'s count, and only that', async () => {
  const before = treeCounts();
  const uri = uriOf(path.join(dir, 'settings.env'));
  await client.open(uri, 'dotenv', FILES['settings.env']);
  const clean = 'AWS_REGION=eu-west-1\nLOG_LEVEL=info\n';
  await client.change(uri, clean);
  const want = await engineCounts({ 'settings.env': clean });
  assert.ok(want.cloud < before.cloud);
  await until(() => treeCounts().cloud === want.cloud, 'the Cloud count to drop');
  assert.deepEqual(treeCounts(), want);
  assert.equal(treeCounts().code, before.code);
  // And back.
  await client.change(uri, FILES['settings.env']);
  await until(() => treeCounts().cloud === before.cloud, 'the Cloud count to come back');
  await client.close(uri);
});

test('settings reach the server without a restart: switching a layer off empties its node', async () => {
  const before = treeCounts();
  assert.ok(before.container > 0);
  const settings = readSettings(<T,>(key: string) => (key === 'enable' ? ({ container: false } as T) : undefined));
  await client.notify('workspace/didChangeConfiguration', { settings: { fourfold: settings } });
  await until(() => treeCounts().container === 0 && !model.scanning, 'the Container count to drop to 0');
  assert.equal(treeCounts().cloud, before.cloud);
  assert.equal(model.getRoots().find((r) => r.kind === 'layer' && r.layer === 'container')?.kind === 'layer' && model.getChildren(model.getRoots()[1]).length, 0);
  await client.notify('workspace/didChangeConfiguration', { settings: { fourfold: readSettings(() => undefined) } });
  await until(() => treeCounts().container === before.container && !model.scanning, 'the Container count to come back');
});
