import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { FIXTURES, analyzeText } from './support';

describe('cluster suppressions', () => {
  it('kube-linter, Checkov and Fourfold annotations on the object suppress the matching rules only', async () => {
    const file = path.join(FIXTURES, 'suppression', 'annotations.yaml');
    const r = await analyzeText(file, fs.readFileSync(file, 'utf8'));
    const reported = r.findings.map((f) => `${f.range.start.line + 1}:${f.ruleId}`);
    const suppressed = r.suppressed.map((f) => `${f.range.start.line + 1}:${f.ruleId}:${f.suppressedBy}`);
    // hostPID is not covered by CKV_K8S_19 (hostNetwork): still reported.
    assert.deepEqual(reported, ['18:cluster/host-namespaces']);
    assert.deepEqual(suppressed.sort(), [
      "17:cluster/host-namespaces:annotation checkov.io/skip1: CKV_K8S_19=reads node network statistics",
      "28:cluster/privileged:annotation ignore-check.kube-linter.io/privileged-container: needs the host's devices",
      '34:cluster/host-path:annotation ignore-check.fourfold.dev/host-path: read-only /proc',
    ]);
  });

  it('annotations are honoured even with foreignSuppressions off: they are part of the object, not comments', async () => {
    // Annotations are part of the manifest the cluster sees (kube-linter honours them in CI too),
    // so they are honoured regardless of foreignSuppressions, which is about comments.
    const file = path.join(FIXTURES, 'suppression', 'annotations.yaml');
    const r = await analyzeText(file, fs.readFileSync(file, 'utf8'), { foreignSuppressions: false });
    assert.equal(r.suppressed.length, 3);
  });

  it('a fourfold-ignore comment above the key silences that finding, with its reason', async () => {
    const file = path.join(FIXTURES, 'suppression', 'comments.yaml');
    const r = await analyzeText(file, fs.readFileSync(file, 'utf8'));
    assert.deepEqual(
      r.findings.map((f) => `${f.range.start.line + 1}:${f.ruleId}`),
      ['25:cluster/privileged'],
    );
    assert.deepEqual(
      r.suppressed.map((f) => `${f.range.start.line + 1}:${f.ruleId}:${f.suppressedBy}`),
      ['14:cluster/privileged:comment: short-lived debug pod, deleted after use'],
    );
  });
});
