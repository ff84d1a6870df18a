// "Copy as SARIF" narrows the server's real SARIF export to the findings of a tree node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { toSarif } from '../../server/report/sarif';
import type { Finding } from '../../server/engine/types';
import type { WireFinding } from '../../server/lsp/protocol';
import { narrowSarif, urisOf } from '../../client/tree/sarif';
import { validateSarif } from '../helpers/sarifSchema';
import { defaultConfig } from '../../server/engine/config';
import { Engine, initEngine } from '../../server/engine/engine';
import { rootUser } from '../../server/container/root-user';
import { latestTag } from '../../server/container/latest-tag';
import { privileged } from '../../server/cluster/privileged';

const ROOT = path.join(os.tmpdir(), 'fourfold-sarif-ws');

const DOCKERFILE = ['FROM python:latest', 'USER root', 'RUN pip install flask', 'CMD ["python", "app.py"]', ''].join('\n');
const MANIFEST = [
  'apiVersion: v1',
  'kind: Pod',
  'metadata:',
  '  name: web',
  'spec:',
  '  containers:',
  '    - name: web',
  '      image: nginx:1.27',
  '      securityContext:',
  '        privileged: true',
  '',
].join('\n');

function wire(f: Finding): WireFinding {
  return { ...f, uri: pathToFileURL(f.path).href, docsUri: pathToFileURL(path.join('/ext', f.docs)).href };
}

/** Real findings: the engine running three real rules (named, so this test does not depend on which rules are registered). */
async function realFindings(): Promise<WireFinding[]> {
  await initEngine();
  const engine = new Engine(defaultConfig(), [rootUser, latestTag, privileged]);
  const a = engine.analyze({ path: path.join(ROOT, 'Dockerfile'), text: DOCKERFILE });
  const b = engine.analyze({ path: path.join(ROOT, 'k8s', 'pod.yaml'), text: MANIFEST });
  return [...a.findings, ...b.findings].map(wire);
}

interface Log {
  runs: Array<{ results: Array<{ ruleId: string; ruleIndex?: number; partialFingerprints?: Record<string, string>; locations: Array<{ physicalLocation: { region: { startLine: number } } }> }>; tool: { driver: { rules: Array<{ id: string }> } } }>;
}

test('narrowing keeps exactly the chosen findings, and only the rules they use', async () => {
  const findings = await realFindings();
  assert.ok(findings.length >= 2, `the engine found ${findings.length} findings in the sample files`);
  const full = JSON.stringify(toSarif(findings, { root: ROOT }));
  const fullLog = JSON.parse(full) as Log;
  assert.equal(fullLog.runs[0].results.length, findings.length);

  for (const chosen of [[findings[0]], findings.filter((f) => f.layer === 'container'), findings]) {
    if (!chosen.length) continue;
    const log = JSON.parse(narrowSarif(full, chosen)) as Log;
    assert.deepEqual(validateSarif(log), []);
    const run = log.runs[0];
    assert.deepEqual(
      run.results.map((r) => r.partialFingerprints?.['fourfold/v1']).sort(),
      chosen.map((f) => f.fingerprint).sort(),
    );
    // Rules pruned to the ones used (of those the log describes), with ruleIndex pointing at the right one.
    const described = new Set(fullLog.runs[0].tool.driver.rules.map((r) => r.id));
    assert.ok(described.size > 0);
    const expectedRules = [...new Set(chosen.map((f) => f.ruleId))].filter((id) => described.has(id)).sort();
    assert.deepEqual(run.tool.driver.rules.map((r) => r.id).sort(), expectedRules);
    for (const r of run.results) {
      if (!described.has(r.ruleId)) continue;
      assert.ok(r.ruleIndex !== undefined, r.ruleId);
      assert.equal(run.tool.driver.rules[r.ruleIndex].id, r.ruleId);
    }
  }
});

test('without fingerprints, results are matched by rule, file and position', async () => {
  const findings = await realFindings();
  const log = JSON.parse(JSON.stringify(toSarif(findings, { root: ROOT }))) as Log;
  for (const r of log.runs[0].results) delete r.partialFingerprints;
  const target = findings[findings.length - 1];
  const narrowed = JSON.parse(narrowSarif(JSON.stringify(log), [target])) as Log;
  const results = narrowed.runs[0].results;
  const sameStart = findings.filter(
    (f) => f.ruleId === target.ruleId && f.path === target.path && f.range.start.line === target.range.start.line && f.range.start.character === target.range.start.character,
  );
  assert.equal(results.length, sameStart.length);
  assert.equal(results[0].ruleId, target.ruleId);
  assert.equal(results[0].locations[0].physicalLocation.region.startLine, target.range.start.line + 1);
  // A finding of another file with the same rule and line does not match.
  const elsewhere = { ...target, fingerprint: 'x', path: path.join(ROOT, 'other', 'file'), uri: pathToFileURL(path.join(ROOT, 'other', 'file')).href };
  assert.equal((JSON.parse(narrowSarif(JSON.stringify(log), [elsewhere])) as Log).runs[0].results.length, 0);
});

test('urisOf lists each file once', async () => {
  const findings = await realFindings();
  const uris = urisOf(findings);
  assert.equal(uris.length, new Set(findings.map((f) => f.path)).size);
});
