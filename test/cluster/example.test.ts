import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { k8sEngine } from './support';

/*
 * examples/cluster: the sample app's manifests show what the layer finds —
 * each file its headline findings, plus the namespace posture of 'orders'.
 */
const DIR = path.join(__dirname, '..', '..', 'examples', 'cluster');

const EXPECTED: Record<string, string[]> = {
  'deployment.yaml': [
    '9:cluster/service-account-token',
    '23:cluster/host-namespaces',
    '25:cluster/missing-security-context',
    '25:cluster/resources',
    '26:cluster/image-latest',
    '35:cluster/capabilities',
    '35:cluster/privilege-escalation',
    '35:cluster/read-only-root-fs',
    '35:cluster/run-as-non-root',
    '35:cluster/seccomp',
    '38:cluster/privileged',
    '48:cluster/host-path',
  ],
  'service.yaml': ['8:cloud/public-load-balancer'],
  'ingress.yaml': ['5:cloud/ingress-without-tls'],
  'secret.yaml': ['8:cluster/secret-in-manifest'],
};

describe('examples/cluster', () => {
  it('each manifest raises exactly the findings it was written to show; the namespace posture of orders is reported', async () => {
    const engine = await k8sEngine();
    const analyses = [];
    for (const name of fs.readdirSync(DIR).sort()) {
      const file = path.join(DIR, name);
      const a = engine.analyze({ path: file, text: fs.readFileSync(file, 'utf8') });
      assert.equal(a.info, undefined, name);
      assert.deepEqual(a.findings.map((f) => `${f.range.start.line + 1}:${f.ruleId}`).sort(), [...(EXPECTED[name] ?? [])].sort(), name);
      analyses.push(a);
    }
    assert.deepEqual(Object.keys(EXPECTED).sort(), fs.readdirSync(DIR).sort());
    const ws = [...engine.analyzeWorkspace(analyses)].flatMap(([p, b]) => b.findings.map((f) => `${path.basename(p)}:${f.range.start.line + 1}:${f.ruleId}`));
    assert.deepEqual(ws.sort(), [
      'deployment.yaml:9:cluster/namespace-limit-range',
      'deployment.yaml:9:cluster/namespace-network-policy',
      'deployment.yaml:9:cluster/namespace-resource-quota',
    ]);
  });
});
