import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { Engine, WorkspaceFileFacts } from '../../server/engine/engine';
import type { Finding } from '../../server/engine/types';
import { expectedFindings, fixtureFiles } from '../helpers/expectations';
import { FIXTURES, k8sEngine } from './support';

/*
 * Namespace posture over a fixture workspace: the per-file pass collects, the
 * workspace pass judges. Expected findings are labelled in the files with
 * `expect:` like any fixture, as "relative-path:line:rule".
 */
const ROOT = path.join(FIXTURES, 'posture', 'workspace');
const POSTURE = ['cluster/namespace-resource-quota', 'cluster/namespace-limit-range', 'cluster/namespace-network-policy'];

function loadWorkspace(): Map<string, string> {
  const files = new Map<string, string>();
  for (const f of fixtureFiles(path.join('cluster', 'posture', 'workspace'))) files.set(f, fs.readFileSync(f, 'utf8'));
  return files;
}

function judge(engine: Engine, files: Map<string, string>): Finding[] {
  const facts: WorkspaceFileFacts[] = [...files].map(([p, text]) => engine.analyze({ path: p, text }));
  const out: Finding[] = [];
  for (const bucket of engine.analyzeWorkspace(facts).values()) out.push(...bucket.findings);
  return out;
}

const key = (f: Finding) => `${path.relative(ROOT, f.path)}:${f.range.start.line + 1}:${f.ruleId}`;

describe('namespace posture', () => {
  it('reports each namespace lacking a quota, a limit range or a selecting network policy, where the issue says', async () => {
    const engine = await k8sEngine();
    const files = loadWorkspace();
    const expected = [...files].flatMap(([p, text]) =>
      expectedFindings(text).map((k) => `${path.relative(ROOT, p)}:${k}`),
    );
    const actual = judge(engine, files).filter((f) => POSTURE.includes(f.ruleId)).map(key);
    assert.deepEqual(actual.sort(), expected.sort());
  });

  it('each quick fix creates a manifest next to the finding, after which that finding is gone everywhere', async () => {
    const engine = await k8sEngine();
    const files = loadWorkspace();
    const before = judge(engine, files).filter((f) => POSTURE.includes(f.ruleId));
    assert.ok(before.length >= 5);
    for (const finding of before) {
      const fix = finding.fixes[0];
      assert.ok(fix, `${key(finding)} has a fix`);
      assert.deepEqual(fix.edits, []);
      assert.equal(fix.createFiles?.length, 1);
      const created = fix.createFiles![0];
      assert.ok(path.isAbsolute(created.path));
      assert.equal(path.dirname(created.path), path.dirname(finding.path));
      assert.ok(!files.has(created.path) && !fs.existsSync(created.path), 'a new file, never an existing one');
      const withFix = new Map(files).set(created.path, created.content);
      // The created file is itself clean of parse problems.
      assert.equal(engine.analyze({ path: created.path, text: created.content }).info, undefined);
      const after = judge(engine, withFix).filter((f) => POSTURE.includes(f.ruleId)).map(key);
      const remaining = before.map(key).filter((k) => k !== key(finding));
      assert.deepEqual(after.sort(), remaining.sort(), `after "${fix.title}" for ${key(finding)}`);
    }
  });

  it('the defaultNamespace option moves namespace-less workloads', async () => {
    const engine = await k8sEngine({
      rules: Object.fromEntries(POSTURE.map((id) => [id, { options: { defaultNamespace: 'shop' } }])),
    });
    const findings = judge(engine, loadWorkspace()).filter((f) => POSTURE.includes(f.ruleId));
    // toolbox now counts as 'shop', which has a quota: no quota finding for it, and shop's findings sit on the Namespace.
    assert.deepEqual(findings.filter((f) => f.ruleId === 'cluster/namespace-resource-quota').map((f) => f.data?.namespace), ['payments']);
    assert.ok(findings.every((f) => !f.path.endsWith('debug-pod.yaml')));
  });

  it('a fourfold-ignore comment above the Namespace silences a workspace finding there', async () => {
    const engine = await k8sEngine();
    const files = loadWorkspace();
    const nsFile = path.join(ROOT, 'shop', 'namespace.yaml');
    files.set(nsFile, files.get(nsFile)!.replace('  name: shop', '  # fourfold-ignore cluster/namespace-limit-range: quota is enough here\n  name: shop'));
    const facts = [...files].map(([p, text]) => engine.analyze({ path: p, text }));
    const bucket = engine.analyzeWorkspace(facts).get(nsFile)!;
    assert.deepEqual(bucket.findings.map((f) => f.ruleId), ['cluster/namespace-network-policy']);
    assert.deepEqual(bucket.suppressed.map((f) => f.ruleId), ['cluster/namespace-limit-range']);
  });
});
