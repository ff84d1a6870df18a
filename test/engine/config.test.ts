import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { defaultConfig, discoverConfig, mergeConfig, parseConfig } from '../../server/engine/config';

test('a rule can be turned off, given a severity, or given options', () => {
  const problems: string[] = [];
  const c = parseConfig(
    ['rules:', '  container/root-user: off', '  code/xss: medium', '  cluster/resources: { severity: low, options: { requireLimits: false } }', 'exclude: ["vendor/**"]', 'review: true'].join('\n'),
    problems,
  );
  assert.deepEqual(problems, []);
  assert.deepEqual(c.rules['container/root-user'], { enabled: false });
  assert.deepEqual(c.rules['code/xss'], { enabled: true, severity: 'medium' });
  assert.deepEqual(c.rules['cluster/resources'], { severity: 'low', options: { requireLimits: false } });
  assert.deepEqual(c.exclude, ['vendor/**']);
  assert.equal(c.review, true);
});

test('typos become problems, not exceptions, and leave the defaults in place', () => {
  const problems: string[] = [];
  const c = parseConfig('rules:\n  code/xss: loud\nminSeverity: extreme\nunknownKey: 1\n', problems);
  assert.equal(problems.length, 3);
  assert.equal(c.minSeverity, 'info');
  assert.equal(c.rules['code/xss'], undefined);
});

test('malformed YAML yields a problem and the default configuration', () => {
  const problems: string[] = [];
  assert.deepEqual(parseConfig('rules: [unclosed', problems), defaultConfig());
  assert.match(problems[0], /not valid YAML/);
});

test('an alias bomb in the configuration is refused', () => {
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]'].join('\n');
  const problems: string[] = [];
  parseConfig(bomb, problems);
  assert.ok(problems.length > 0);
});

test('editor settings override the repository file field by field', () => {
  const base = parseConfig('rules:\n  code/xss: medium\nexclude: [a]\n');
  const merged = mergeConfig(base, { rules: { 'code/xss': { enabled: false } }, exclude: ['b'], minSeverity: 'high' });
  assert.deepEqual(merged.rules['code/xss'], { enabled: false, severity: 'medium' });
  assert.deepEqual(merged.exclude, ['a', 'b']);
  assert.equal(merged.minSeverity, 'high');
});

test('the nearest configuration file up to the repository root governs a folder', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ff-config-'));
  fs.mkdirSync(path.join(root, '.git'));
  fs.mkdirSync(path.join(root, 'svc', 'api'), { recursive: true });
  fs.writeFileSync(path.join(root, '.fourfold.yaml'), 'review: true\n');
  const found = discoverConfig(path.join(root, 'svc', 'api'));
  assert.equal(found.file, path.join(root, '.fourfold.yaml'));
  assert.equal(found.config.review, true);
  fs.rmSync(root, { recursive: true, force: true });
});
