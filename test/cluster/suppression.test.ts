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

  it('the umbrella finding answers to the field checks it stands for, but one field annotation does not silence it', async () => {
    const text = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: p',
      '  annotations:',
      '    ignore-check.kube-linter.io/run-as-non-root: "image needs root"',
      'spec:',
      '  containers:',
      '    - name: app',
      '      image: registry.example.com/app:1.0.0',
      '',
    ].join('\n');
    const r = await analyzeText('/virtual/umbrella.yaml', text);
    const umbrella = r.findings.find((f) => f.ruleId === 'cluster/missing-security-context');
    assert.ok(umbrella, 'still reported');
    assert.ok(umbrella.aliases?.includes('kube-linter:run-as-non-root') && umbrella.aliases.includes('checkov:CKV_K8S_20'));
    const silenced = await analyzeText('/virtual/umbrella.yaml', text.replace('ignore-check.kube-linter.io/run-as-non-root: "image needs root"', 'checkov.io/skip1: CKV_K8S_30=legacy app'));
    assert.deepEqual(silenced.suppressed.map((f) => f.ruleId), ['cluster/missing-security-context']);
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
