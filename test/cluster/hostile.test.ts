import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { checkAnalysis } from '../helpers/checkAnalysis';
import { FIXTURES, analyzeText } from './support';

/*
 * Hostile and malformed input: never a throw, never a hang (each case has a
 * time budget far above its real cost), and one clear informational message
 * for what was skipped.
 */
const HEAD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n';
const POD_SPEC = 'spec:\n  containers:\n    - name: app\n      image: registry.example.com/app:1.0.0\n';

async function run(name: string, text: string, budgetMs = 3000) {
  const started = performance.now();
  const result = await analyzeText(`/work/hostile/${name}.yaml`, text);
  const elapsed = performance.now() - started;
  assert.ok(elapsed < budgetMs, `${name}: ${elapsed.toFixed(0)} ms`);
  checkAnalysis(result, text);
  return result;
}

function billionLaughs(levels: number): string {
  const lines = ['  l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < levels; i++) lines.push(`  l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(',')}]`);
  return `${HEAD}  annotations:\n    note: bomb\nbomb:\n${lines.join('\n')}\n${POD_SPEC}`;
}

describe('hostile YAML', () => {
  it('a billion-laughs document under the alias limit is analysed without expanding', async () => {
    const r = await run('laughs', billionLaughs(10)); // 9^10 nodes if expanded
    assert.ok(r.findings.some((f) => f.ruleId === 'cluster/missing-security-context'));
    assert.equal(r.info, undefined);
  });

  it('a document with more aliases than the limit is skipped with one note', async () => {
    const text = `${HEAD}x: &x [1]\ny: [${Array(500).fill('*x').join(',')}]\n${POD_SPEC}`;
    const r = await run('aliases', text);
    assert.deepEqual(r.findings, []);
    assert.equal(r.info?.length, 1);
    assert.match(r.info![0], /500 aliases .*alias bomb/);
  });

  it('deep flow nesting is refused before parsing', async () => {
    const r = await run('deep-flow', `${HEAD}spec: ${'['.repeat(50000)}${']'.repeat(50000)}\n`, 1000);
    assert.deepEqual(r.findings, []);
    assert.match(r.info![0], /50000 levels deep/);
  });

  it('deep block nesting is skipped with a note', async () => {
    const nested = Array.from({ length: 400 }, (_, i) => `${' '.repeat(i)}k:`).join('\n');
    const r = await run('deep-block', `${HEAD}${nested}\n`);
    assert.deepEqual(r.findings, []);
    assert.match(r.info![0], /deeper than 200 levels/);
  });

  it('a huge scalar is analysed in linear time', async () => {
    const text = `${HEAD}spec:\n  containers:\n    - name: app\n      image: "${'a'.repeat(900_000)}:latest"\n`;
    const r = await run('huge-scalar', text);
    assert.ok(r.findings.some((f) => f.ruleId === 'cluster/image-latest'));
  });

  it('many documents are analysed in linear time', async () => {
    const doc = `---\n${HEAD}${POD_SPEC}`;
    const r = await run('many-docs', doc.repeat(1500), 10000);
    assert.equal(r.findings.filter((f) => f.ruleId === 'cluster/missing-security-context').length, 1500);
  });

  it('tabs as indentation: one note, no findings', async () => {
    const file = path.join(FIXTURES, 'parsing', 'tabs.yaml');
    const r = await run('tabs', fs.readFileSync(file, 'utf8'));
    assert.deepEqual(r.findings, []);
    assert.equal(r.info?.length, 1);
    assert.match(r.info![0], /Tabs are not allowed/);
  });

  it('duplicate keys: that document is skipped (the API server rejects it), the next one is analysed', async () => {
    const file = path.join(FIXTURES, 'parsing', 'duplicate-keys.yaml');
    const r = await analyzeText(file, fs.readFileSync(file, 'utf8'));
    assert.deepEqual(
      r.findings.filter((f) => f.ruleId === 'cluster/privileged').map((f) => f.range.start.line + 1),
      [23],
    );
    assert.equal(r.info?.length, 1);
    assert.match(r.info![0], /skipped 1 of 2 YAML documents.*line 11: Map keys must be unique/);
  });

  it('a Helm template is skipped with one note', async () => {
    const file = path.join(FIXTURES, 'parsing', 'chart', 'templates', 'deployment.yaml');
    const r = await analyzeText(file, fs.readFileSync(file, 'utf8'));
    assert.deepEqual(r.findings, []);
    assert.equal(r.info?.length, 1);
    assert.match(r.info![0], /Helm\/Go template/);
  });

  it('a template outside templates/ with unquoted {{ }} is recognised too', async () => {
    const r = await run('tpl', `{{- if .Values.enabled }}\n${HEAD}${POD_SPEC}{{- end }}\n`);
    assert.deepEqual(r.findings, []);
    assert.match(r.info![0], /Helm\/Go template/);
  });

  it('YAML that is not Kubernetes gives no finding and no note', async () => {
    const file = path.join(FIXTURES, 'parsing', 'not-kubernetes.yaml');
    const r = await analyzeText(file, fs.readFileSync(file, 'utf8'));
    assert.deepEqual(r.findings, []);
    assert.equal(r.info, undefined);
  });

  it('broken shapes (null items, numbers, wrong types) never throw', async () => {
    const shapes = [
      `${HEAD}spec:\n  containers:\n    -\n    - ~\n    - 5\n    - name: x\n      image: [a]\n`,
      `${HEAD}spec:\n  containers: {}\n  volumes: 3\n  securityContext: []\n`,
      `${HEAD}spec: 42\n`,
      'apiVersion: [1]\nkind: {a: b}\n',
      '- apiVersion: v1\n  kind: Pod\n',
      'apiVersion: v1\nkind: List\nitems: 3\n',
      `${HEAD}spec:\n  containers:\n    - name: app\n      image: x:1\n      securityContext:\n        capabilities: {add: 5, drop: {a: 1}}\n        seccompProfile: 7\n      resources: {limits: [1], requests: ~}\n      ports: [{hostPort: abc}, 5]\n`,
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nrules: [~, 5, {verbs: "*", resources: [~]}]\n',
      'apiVersion: v1\nkind: Service\nspec: {type: LoadBalancer, loadBalancerSourceRanges: 5}\n',
      'apiVersion: networking.k8s.io/v1\nkind: Ingress\nspec: {tls: 5, rules: [~, {host: [1]}]}\n',
      'apiVersion: v1\nkind: Secret\nstringData: [a]\ndata: ~\n',
      `${HEAD}\u0000\u0001\uFFFD: \uFFFD\n`,
      `\uFEFF${HEAD}${POD_SPEC}`,
    ];
    for (const [i, text] of shapes.entries()) await run(`shape-${i}`, text);
  });

  it('non-UTF-8 bytes decoded with replacement characters are analysed, NUL content is skipped as binary', async () => {
    const latin1 = Buffer.concat([Buffer.from(`${HEAD}  annotations:\n    owner: "`), Buffer.from([0xe9, 0xff, 0xfe]), Buffer.from(`"\n${POD_SPEC}`)]);
    const r = await run('latin1', latin1.toString('utf8'));
    assert.ok(r.findings.some((f) => f.ruleId === 'cluster/missing-security-context'));
    const nul = await analyzeText('/work/hostile/nul.yaml', `${HEAD}\0${POD_SPEC}`);
    assert.equal(nul.findings.length, 0);
    assert.match(nul.skipped ?? '', /binary/);
  });
});
