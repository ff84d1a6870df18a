// Hostile inputs: each must finish with a clear outcome (findings, a note, or
// a skip) in bounded time, never a crash or a hang. Bounds are generous and
// relative to input size, so a loaded machine does not make them flaky.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { defaultConfig, mergeConfig } from '../../server/engine/config';
import { Engine, initEngine } from '../../server/engine/engine';
import { checkAnalysis } from '../helpers/checkAnalysis';

let engine: Engine;
before(async () => {
  await initEngine();
  // Hostile inputs are larger than the default cap on purpose: analyse them.
  engine = new Engine(mergeConfig(defaultConfig(), { maxFileSize: 64 * 1024 * 1024 }));
});

function analyze(name: string, text: string) {
  const started = Date.now();
  const a = engine.analyze({ path: `/hostile/${name}`, text });
  return { a, ms: Date.now() - started };
}

test('billion-laughs YAML aliases are refused with a message, not expanded', () => {
  const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
  const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n${levels.map((l) => '  ' + l).join('\n')}\n`;
  const { a, ms } = analyze('bomb.yaml', text);
  checkAnalysis(a, text);
  assert.ok(ms < 5000, `alias bomb took ${ms} ms`);
});

test('100,000 YAML documents in one file finish', () => {
  const text = 'a: 1\n---\n'.repeat(100_000);
  const { a, ms } = analyze('many.yaml', text);
  checkAnalysis(a, text);
  assert.ok(ms < 30_000, `took ${ms} ms`);
});

test('deep nesting: 50,000 brackets in code and YAML', () => {
  for (const [name, text] of [
    ['deep.py', 'x = ' + '['.repeat(50_000) + ']'.repeat(50_000) + '\n'],
    ['deep.ts', 'const x = ' + '('.repeat(50_000) + '1' + ')'.repeat(50_000) + ';\n'],
    ['deep.yaml', 'apiVersion: v1\nkind: Pod\nspec: ' + '['.repeat(20_000) + ']'.repeat(20_000) + '\n'],
    ['deep.json', '{"apiVersion":"v1","kind":"Pod","spec":' + '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000) + '}'],
  ] as const) {
    const { a } = analyze(name, text);
    checkAnalysis(a, text);
  }
});

test('a 10 MB single line in every kind finishes in time linear in its size', () => {
  const line = 'A'.repeat(10 * 1024 * 1024);
  for (const name of ['long.py', 'long.js', 'Dockerfile', 'long.yaml', '.env']) {
    const small = analyze(name, 'A'.repeat(1024 * 1024));
    const big = analyze(name, line);
    checkAnalysis(big.a, line);
    // Ten times the input may cost at most ~40 times the time (+ slack for tiny timings): no quadratic blow-up.
    assert.ok(big.ms < 40 * small.ms + 2000, `${name}: 1 MB ${small.ms} ms, 10 MB ${big.ms} ms`);
  }
});

test('invalid UTF-8, NUL bytes and mixed line endings', () => {
  const invalid = Buffer.from([0x66, 0x72, 0x6f, 0x6d, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0x0a]).toString('utf8');
  for (const name of ['a.py', 'Dockerfile', 'a.yaml', 'a.ts']) {
    const mixed = `FROM alpine\r\nRUN x\rUSER root\n${invalid}\n`;
    checkAnalysis(analyze(name, mixed).a, mixed);
  }
  const nul = analyze('a.py', 'import os\0\nos.system(input())');
  assert.equal(nul.a.skipped, 'binary content');
});

test('Helm templates are skipped with one message instead of nonsense findings', () => {
  const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Values.name }}\nspec:\n  template:\n    spec:\n      containers:\n{{- range .Values.containers }}\n        - name: {{ .name }}\n{{- end }}\n';
  const { a } = analyze('templates/deployment.yaml', text);
  checkAnalysis(a, text);
  assert.equal(a.findings.length, 0, a.findings.map((f) => f.ruleId).join(', '));
  assert.ok((a.info ?? []).length >= 1, 'a clear message says why the file was skipped');
});
