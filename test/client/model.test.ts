// The 4C's tree model (client/tree/model.ts) against a fake server index.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Layer, Severity } from '../../server/engine/types';
import type { WireFinding, WorkspaceFindingsResult } from '../../server/lsp/protocol';
import type { ImageScanNode, ImageScanResultsSource } from '../../client/tree/imageResults';
import {
  FindingsTreeModel,
  describeCounts,
  emptyCounts,
  type FindingsSource,
  type TreeNode,
} from '../../client/tree/model';
import { statusText } from '../../client/tree/status';

const ROOT = path.resolve('/work/ws');

let seq = 0;
function finding(
  ruleId: string,
  severity: Severity,
  rel: string,
  line: number,
  extra: Partial<WireFinding> = {},
): WireFinding {
  const layer = ruleId.split('/')[0] as Layer;
  const file = path.join(ROOT, rel);
  return {
    ruleId,
    layer,
    severity,
    title: extra.title ?? ruleId.split('/')[1].replace(/-/g, ' '),
    message: extra.message ?? `message ${++seq}`,
    range: { start: { line, character: 2 }, end: { line, character: 9 } },
    docs: `docs/rules/${ruleId}.md`,
    docsUri: pathToFileURL(`/ext/docs/rules/${ruleId}.md`).href,
    path: file,
    uri: pathToFileURL(file).href,
    fixes: [],
    fingerprint: extra.fingerprint ?? `${ruleId}|${rel}|${line}`,
    ...extra,
  };
}

function result(findings: WireFinding[], scanning = false): WorkspaceFindingsResult {
  return { findings, scanning, skipped: [], fileCount: new Set(findings.map((f) => f.path)).size };
}

/** A server index whose answers the test hands out one by one. */
class FakeIndex implements FindingsSource {
  private listeners = new Set<() => unknown>();
  fetches = 0;
  private pending: Array<(r: WorkspaceFindingsResult | Error) => void> = [];
  private fetchWaiters: Array<() => void> = [];
  fetch(): Promise<WorkspaceFindingsResult> {
    this.fetches++;
    for (const w of this.fetchWaiters.splice(0)) w();
    return new Promise((resolve, reject) => {
      this.pending.push((r) => (r instanceof Error ? reject(r) : resolve(r)));
    });
  }
  onDidChange(listener: () => unknown) {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
  notify() {
    for (const l of this.listeners) l();
  }
  /** Resolves when a fetch is outstanding. */
  async fetchStarted(): Promise<void> {
    if (this.pending.length) return;
    await new Promise<void>((r) => this.fetchWaiters.push(r));
  }
  answer(r: WorkspaceFindingsResult | Error) {
    const next = this.pending.shift();
    assert.ok(next, 'no fetch is waiting for an answer');
    next(r);
  }
}

function changed(model: FindingsTreeModel): Promise<void> {
  return new Promise((resolve) => {
    const sub = model.onDidChange(() => {
      sub.dispose();
      resolve();
    });
  });
}

function walk(model: FindingsTreeModel, nodes = model.getRoots(), out: TreeNode[] = []): TreeNode[] {
  for (const n of nodes) {
    out.push(n);
    walk(model, model.getChildren(n), out);
  }
  return out;
}

const SAMPLE = () => [
  finding('code/sql-injection', 'high', 'app/db.py', 11),
  finding('code/sql-injection', 'high', 'app/api.py', 4),
  finding('code/command-injection', 'critical', 'app/api.py', 20),
  finding('container/root-user', 'high', 'Dockerfile', 0),
  finding('container/unpinned-base-image', 'medium', 'Dockerfile', 0),
  finding('container/unpinned-base-image', 'medium', 'worker/Dockerfile', 2),
  finding('cluster/privileged', 'high', 'k8s/deploy.yaml', 17),
  finding('cluster/missing-resources', 'medium', 'k8s/deploy.yaml', 15),
  finding('cluster/missing-resources', 'low', 'k8s/job.yaml', 8),
];

function model(findings = SAMPLE(), opts: ConstructorParameters<typeof FindingsTreeModel>[1] = {}) {
  const m = new FindingsTreeModel(undefined, { roots: () => [ROOT], ...opts });
  m.update(result(findings));
  return m;
}

test('four layer nodes in 4C order with counts and a severity summary', () => {
  const m = model();
  const roots = m.getRoots();
  assert.deepEqual(
    roots.map((r) => (r.kind === 'layer' ? [r.label, r.count, r.description] : r.kind)),
    [
      ['Code', 3, '1 critical · 2 high'],
      ['Container', 3, '1 high · 2 medium'],
      ['Cluster', 3, '1 high · 1 medium · 1 low'],
      ['Cloud', 0, 'no findings'],
    ],
  );
  const counts = m.counts();
  assert.equal(counts.total, 9);
  assert.deepEqual(counts.bySeverity, { critical: 1, high: 4, medium: 3, low: 1, info: 0 });
  assert.equal(counts.byLayer.cloud.total, 0);
});

test('nothing found: no roots, so the view shows its welcome content', () => {
  const m = model([]);
  assert.deepEqual(m.getRoots(), []);
  assert.equal(m.counts().total, 0);
  assert.equal(m.loaded, true);
  assert.equal(new FindingsTreeModel().loaded, false);
});

test('grouped by rule: most severe rule first, then by count; findings by file and line', () => {
  const m = model();
  const [code, container] = m.getRoots();
  const rules = m.getChildren(code);
  assert.deepEqual(
    rules.map((r) => (r.kind === 'rule' ? [r.ruleId, r.count, r.severity, r.description] : r.kind)),
    [
      ['code/command-injection', 1, 'critical', '1'],
      ['code/sql-injection', 2, 'high', '2'],
    ],
  );
  const sql = m.getChildren(rules[1]);
  assert.deepEqual(
    sql.map((n) => n.kind === 'finding' && n.label),
    ['app/api.py:5', 'app/db.py:12'],
  );
  assert.equal(sql[0].kind === 'finding' && sql[0].description, sql[0].kind === 'finding' ? sql[0].finding.message : '');
  const containerRules = m.getChildren(container).map((r) => r.kind === 'rule' && r.ruleId);
  assert.deepEqual(containerRules, ['container/root-user', 'container/unpinned-base-image']);
});

test('grouped by file: files sorted by folder, findings labelled by rule with the line', () => {
  const m = model(SAMPLE(), { groupBy: 'file' });
  const [code, container, cluster] = m.getRoots();
  assert.deepEqual(
    m.getChildren(code).map((n) => n.kind === 'file' && [n.label, n.dir, n.count, n.description]),
    [
      ['api.py', 'app', 2, '2 · app'],
      ['db.py', 'app', 1, '1 · app'],
    ],
  );
  assert.deepEqual(
    m.getChildren(container).map((n) => n.kind === 'file' && [n.label, n.description]),
    [
      ['Dockerfile', '2'],
      ['Dockerfile', '1 · worker'],
    ],
  );
  const deploy = m.getChildren(cluster)[0];
  assert.deepEqual(
    m.getChildren(deploy).map((n) => n.kind === 'finding' && [n.label, n.description.split(' · ')[0]]),
    [
      ['missing resources', 'Ln 16'],
      ['privileged', 'Ln 18'],
    ],
  );
});

test('switching the grouping notifies and regroups the same findings', () => {
  const m = model();
  let notified = 0;
  m.onDidChange(() => notified++);
  m.setGroupBy('file');
  m.setGroupBy('file'); // no change, no notification
  assert.equal(notified, 1);
  const findingsUnder = (mm: FindingsTreeModel) =>
    walk(mm)
      .filter((n) => n.kind === 'finding')
      .map((n) => (n.kind === 'finding' ? n.finding.fingerprint : ''))
      .sort();
  const byFile = findingsUnder(m);
  m.setGroupBy('rule');
  assert.deepEqual(findingsUnder(m), byFile);
  assert.equal(byFile.length, 9);
});

test('the minimum-severity filter hides findings and updates every count', () => {
  const m = model();
  m.setMinSeverity('high');
  const roots = m.getRoots();
  assert.deepEqual(
    roots.map((r) => r.kind === 'layer' && [r.label, r.count, r.description]),
    [
      ['Code', 3, '1 critical · 2 high'],
      ['Container', 1, '1 high'],
      ['Cluster', 1, '1 high'],
      ['Cloud', 0, 'no findings'],
    ],
  );
  assert.equal(m.counts().total, 5);
  assert.equal(walk(m).filter((n) => n.kind === 'finding').length, 5);
  m.setMinSeverity('critical');
  assert.equal(m.counts().total, 1);
  // An unknown severity is ignored rather than hiding everything.
  m.setMinSeverity('severe' as Severity);
  assert.equal(m.minSeverity, 'critical');
  // Everything filtered away: the welcome view, not four empty nodes.
  m.update(result([finding('cloud/metadata-endpoint', 'info', 'app/meta.py', 3)]));
  assert.deepEqual(m.getRoots(), []);
  m.setMinSeverity('info');
  assert.equal(m.getRoots().length, 4);
});

test('ids are unique, stable when lines shift, and parents match children', () => {
  const m = model();
  const ids = walk(m).map((n) => n.id);
  assert.equal(new Set(ids).size, ids.length);
  // Lines above the findings were inserted: same fingerprints, new lines.
  const shifted = SAMPLE().map((f, i) => ({
    ...f,
    fingerprint: SAMPLE()[i].fingerprint,
    range: { start: { line: f.range.start.line + 3, character: 2 }, end: { line: f.range.start.line + 3, character: 9 } },
  }));
  // SAMPLE() numbers messages afresh; ids must not depend on messages or lines.
  const m2 = model(shifted);
  assert.deepEqual(walk(m2).map((n) => n.id), ids);
  for (const n of walk(m)) {
    const parent = m.getParent(n);
    if (n.kind === 'layer') assert.equal(parent, undefined);
    else assert.ok(parent && m.getChildren(parent).some((c) => c.id === n.id), `parent of ${n.id}`);
    assert.equal(m.getNode(n.id)?.id, n.id);
  }
});

test('two findings with the same fingerprint get distinct ids', () => {
  const a = finding('cloud/hardcoded-credential', 'high', 'conf/.env', 1, { fingerprint: 'same' });
  const b = finding('cloud/hardcoded-credential', 'high', 'conf/.env', 5, { fingerprint: 'same' });
  const m = model([a, b]);
  const leaves = walk(m).filter((n) => n.kind === 'finding');
  assert.equal(leaves.length, 2);
  assert.notEqual(leaves[0].id, leaves[1].id);
});

test('findingsOf gives the findings under any node', () => {
  const m = model();
  const [code, container] = m.getRoots();
  assert.equal(m.findingsOf(code).length, 3);
  const rule = m.getChildren(container)[1];
  assert.deepEqual(
    m.findingsOf(rule).map((f) => f.ruleId),
    ['container/unpinned-base-image', 'container/unpinned-base-image'],
  );
  const leaf = m.getChildren(rule)[0];
  assert.equal(m.findingsOf(leaf).length, 1);
  assert.equal(m.findNode((f) => f.path.endsWith('worker/Dockerfile'))?.kind, 'finding');
});

test('findings outside every workspace folder keep their absolute path', () => {
  const outside = { ...finding('code/sql-injection', 'high', 'x.py', 0), path: '/elsewhere/x.py', uri: 'file:///elsewhere/x.py' };
  const m = model([outside]);
  const leaf = walk(m).find((n) => n.kind === 'finding');
  assert.equal(leaf?.kind === 'finding' && leaf.label, '/elsewhere/x.py:1');
});

test('live update: a change notification refetches and the tree follows', async () => {
  const index = new FakeIndex();
  const m = new FindingsTreeModel(index, { roots: () => [ROOT] });
  assert.equal(m.scanning, true);
  index.notify();
  await index.fetchStarted();
  const first = changed(m);
  index.answer(result([finding('container/root-user', 'high', 'Dockerfile', 0)], true));
  await first;
  assert.equal(m.counts().byLayer.container.total, 1);
  assert.equal(m.scanning, true);

  index.notify();
  await index.fetchStarted();
  const second = changed(m);
  index.answer(result(SAMPLE()));
  await second;
  assert.equal(m.counts().total, 9);
  assert.equal(m.scanning, false);
  assert.equal(index.fetches, 2);
});

test('a burst of notifications costs at most two fetches and the newest answer wins', async () => {
  const index = new FakeIndex();
  const m = new FindingsTreeModel(index, { roots: () => [ROOT] });
  const done = m.refresh();
  await index.fetchStarted();
  for (let i = 0; i < 10; i++) index.notify();
  // The first answer is already stale: the index changed while it travelled.
  index.answer(result([finding('code/sql-injection', 'high', 'old.py', 0)]));
  await index.fetchStarted();
  index.answer(result([finding('cloud/public-load-balancer', 'high', 'svc.yaml', 3), finding('cloud/ingress-without-tls', 'medium', 'ing.yaml', 1)]));
  await done;
  assert.equal(index.fetches, 2);
  assert.deepEqual(
    m.allFindings.map((f) => f.ruleId),
    ['cloud/public-load-balancer', 'cloud/ingress-without-tls'],
  );
  assert.equal(m.counts().byLayer.code.total, 0);
});

test('a failed fetch keeps the last index and records the error; the next one clears it', async () => {
  const index = new FakeIndex();
  const m = new FindingsTreeModel(index);
  let p = m.refresh();
  await index.fetchStarted();
  index.answer(result(SAMPLE()));
  await p;
  p = m.refresh();
  await index.fetchStarted();
  index.answer(new Error('server restarting'));
  await p;
  assert.equal(m.lastError?.message, 'server restarting');
  assert.equal(m.counts().total, 9);
  p = m.refresh();
  await index.fetchStarted();
  index.answer(result([]));
  await p;
  assert.equal(m.lastError, undefined);
  assert.deepEqual(m.getRoots(), []);
});

test('dispose stops listening to the source', async () => {
  const index = new FakeIndex();
  const m = new FindingsTreeModel(index);
  m.dispose();
  index.notify();
  assert.equal(index.fetches, 0);
});

class FakeImages implements ImageScanResultsSource {
  private listeners = new Set<() => unknown>();
  nodes: ImageScanNode[] = [];
  deps: ImageScanNode[] = [];
  broken = false;
  onDidChange(l: () => unknown) {
    this.listeners.add(l);
    return { dispose: () => this.listeners.delete(l) };
  }
  results() {
    if (this.broken) throw new Error('boom');
    return this.nodes;
  }
  dependencyResults() {
    return this.deps;
  }
  set(nodes: ImageScanNode[]) {
    this.nodes = nodes;
    this.fire();
  }
  fire() {
    for (const l of this.listeners) l();
  }
}

test('image scan results appear under Container after the rule groups, dependencies under Code', () => {
  const m = model();
  const images = new FakeImages();
  m.setImageResults(images);
  const [, container] = m.getRoots();
  assert.equal(m.getChildren(container).length, 2);
  let notified = 0;
  m.onDidChange(() => notified++);
  images.set([
    {
      id: 'image:sha256:abc',
      label: 'python:3.12-slim',
      description: '2 critical · 7 high · 31 fixable',
      children: [
        { id: 'image:sha256:abc/critical', label: 'Critical', severity: 'critical', children: [{ id: 'image:sha256:abc/critical/CVE-2024-1', label: 'CVE-2024-1', description: 'openssl@3.0.1 → 3.0.7' }] },
      ],
    },
  ]);
  assert.equal(notified, 1);
  const kids = m.getChildren(m.getRoots()[1]);
  assert.deepEqual(kids.map((k) => k.kind), ['rule', 'rule', 'external']);
  const image = kids[2];
  assert.equal(image.id, 'I:image:sha256:abc');
  const sev = m.getChildren(image);
  assert.deepEqual(sev.map((s) => s.id), ['I:image:sha256:abc/critical']);
  assert.deepEqual(m.getChildren(sev[0]).map((s) => s.kind === 'external' && s.node.label), ['CVE-2024-1']);
  // Image results do not change the finding counts.
  assert.equal(m.counts().byLayer.container.total, 3);
  // With no findings at all, image results alone still show the four layers.
  m.update(result([]));
  assert.equal(m.getRoots().length, 4);
  images.deps = [{ id: 'deps', label: 'Dependencies', description: '3 high' }];
  images.fire();
  assert.deepEqual(m.getChildren(m.getRoots()[0]).map((k) => k.id), ['D:deps']);
  // A scanner that throws only hides its own nodes.
  images.broken = true;
  images.fire();
  assert.deepEqual(m.getChildren(m.getRoots()[1]), []);
  m.setImageResults(undefined);
  images.broken = false;
  assert.deepEqual(m.getRoots(), []);
});

test('describeCounts lists non-zero severities, most severe first', () => {
  assert.equal(describeCounts({ ...emptyCounts(), medium: 5, high: 3 }), '3 high · 5 medium');
  assert.equal(describeCounts(emptyCounts()), 'no findings');
});

test('malformed index answers do not break the model', () => {
  const m = new FindingsTreeModel();
  m.update({ findings: null, scanning: 'yes', skipped: undefined, fileCount: 'x' } as unknown as WorkspaceFindingsResult);
  assert.deepEqual(m.getRoots(), []);
  assert.equal(m.scanning, true);
  assert.equal(m.fileCount, 0);
  // A finding of an unknown layer is not shown (it has no node to live under).
  m.update(result([{ ...finding('code/sql-injection', 'high', 'a.py', 0), layer: 'firmware' as Layer }]));
  assert.deepEqual(m.getRoots(), []);
});

test('the status-bar shield counts what the view shows, and follows its filter', () => {
  const m = model();
  assert.deepEqual(
    (({ text, label, count }) => ({ text, label, count }))(statusText(m)),
    { text: '$(shield) 9', label: 'Fourfold: 9 security findings', count: 9 },
  );
  assert.match(statusText(m).tooltip, /Code: 3\nContainer: 3\nCluster: 3\nCloud: 0\n1 critical · 4 high · 3 medium · 1 low/);
  m.setMinSeverity('critical');
  assert.equal(statusText(m).text, '$(shield) 1');
  assert.equal(statusText(m).label, 'Fourfold: 1 security finding');
  // While a rescan runs the count stays and a spinner shows.
  m.update(result(SAMPLE(), true));
  assert.equal(statusText(m).text, '$(shield) 1 $(sync~spin)');
});
