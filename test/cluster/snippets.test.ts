import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import type { WorkspaceFileFacts } from '../../server/engine/engine';
import { k8sEngine } from './support';

/*
 * The Kubernetes snippets are what they claim: expanded with their defaults
 * they parse, the hardened Deployment has no cluster finding at all, and the
 * three namespace objects together clear the namespace posture findings.
 */
const SNIPPETS = path.join(__dirname, '..', '..', 'snippets', 'kubernetes.json');
const snippets = JSON.parse(fs.readFileSync(SNIPPETS, 'utf8')) as Record<string, { prefix: string[]; description: string; body: string[] }>;

function expand(body: string[]): string {
  return body
    .join('\n')
    .replace(/(?<!\\)\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/(?<!\\)\$\d+/g, '')
    .replace(/\\([$}\\])/g, '$1');
}

describe('snippets/kubernetes.json', () => {
  it('has the hardened Deployment, default-deny NetworkPolicy, ResourceQuota and LimitRange', () => {
    const kinds = Object.values(snippets).map((s) => /^kind: (\w+)$/m.exec(expand(s.body))?.[1]).sort();
    assert.deepEqual(kinds, ['Deployment', 'LimitRange', 'NetworkPolicy', 'ResourceQuota']);
    for (const [name, s] of Object.entries(snippets)) assert.ok(s.prefix.length && s.description, name);
  });

  it('each expands to valid YAML; the Deployment has no finding; together they satisfy namespace posture', async () => {
    const engine = await k8sEngine();
    const facts: WorkspaceFileFacts[] = [];
    for (const [name, s] of Object.entries(snippets)) {
      const text = expand(s.body);
      assert.doesNotMatch(text, /\$\{\d|\$\d/, `${name}: unexpanded placeholder`);
      const docs = parseAllDocuments(text);
      for (const d of Array.isArray(docs) ? docs : []) assert.deepEqual(d.errors, [], name);
      const file = `/virtual/${name.replace(/\W+/g, '-')}.yaml`;
      const r = engine.analyze({ path: file, text });
      assert.deepEqual(r.findings.map((f) => `${f.range.start.line + 1}:${f.ruleId}: ${f.message}`), [], name);
      assert.equal(r.info, undefined);
      facts.push(r);
    }
    const ws = [...engine.analyzeWorkspace(facts).values()].flatMap((b) => b.findings);
    assert.deepEqual(ws.map((f) => f.ruleId), []);
    // Without the policy objects the Deployment alone is reported on all three.
    const alone = [...engine.analyzeWorkspace(facts.filter((f) => /Deployment/.test(f.path))).values()].flatMap((b) => b.findings);
    assert.deepEqual(alone.map((f) => f.ruleId).sort(), ['cluster/namespace-limit-range', 'cluster/namespace-network-policy', 'cluster/namespace-resource-quota']);
  });
});
