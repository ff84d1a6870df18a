import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { validateSarif } from '../helpers/sarifSchema';

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const EXAMPLES = path.join(ROOT, 'examples');

function fourfold(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tempWorkspace(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ff-cli-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

const ROOT_DOCKERFILE = 'FROM node:20.11-alpine\nWORKDIR /app\nCOPY . .\nCMD ["node", "server.js"]\n';

test('scanning the bundled examples reports findings of all four layers', () => {
  const r = fourfold(['scan', EXAMPLES, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  const layers = new Set(report.findings.map((f: { layer: string }) => f.layer));
  assert.deepEqual([...layers].sort(), ['cloud', 'cluster', 'code', 'container']);
});

test('SARIF output is valid SARIF 2.1.0 with rules, help URIs, CWE tags and fixes', () => {
  const r = fourfold(['scan', EXAMPLES, '--format', 'sarif']);
  assert.equal(r.code, 0, r.stderr);
  const log = JSON.parse(r.stdout);
  assert.deepEqual(validateSarif(log), []);
  const run = log.runs[0];
  assert.ok(run.results.length > 0);
  for (const rule of run.tool.driver.rules) assert.match(rule.helpUri, /docs\/rules\/.+\.md$/);
  assert.ok(run.tool.driver.rules.some((r: { properties: { tags: string[] } }) => r.properties.tags.some((t) => t.startsWith('external/cwe/cwe-'))));
  assert.ok(run.results.some((res: { fixes?: unknown[] }) => res.fixes && res.fixes.length > 0));
  for (const res of run.results) assert.equal(run.tool.driver.rules[res.ruleIndex].id, res.ruleId);
});

test('--fail-on exits 1 when a finding is at or above the level, 0 otherwise', () => {
  const ws = tempWorkspace({ Dockerfile: ROOT_DOCKERFILE });
  assert.equal(fourfold(['scan', ws, '--fail-on', 'warning']).code, 1);
  assert.equal(fourfold(['scan', ws, '--fail-on', 'critical']).code, 0);
  assert.equal(fourfold(['scan', ws]).code, 0);
  const clean = tempWorkspace({ 'README.txt': 'nothing to see\n' });
  assert.equal(fourfold(['scan', clean, '--fail-on', 'note']).code, 0);
});

test('usage errors exit 2 with a message', () => {
  const bad = fourfold(['scan', '--fail-on', 'loud', '.']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--fail-on/);
  assert.equal(fourfold(['scan', '/no/such/folder']).code, 2);
  assert.equal(fourfold(['scan', '--format', 'xml', '.']).code, 2);
  assert.equal(fourfold(['frobnicate']).code, 2);
});

test('the configuration file and .gitignore decide what is scanned, as in the editor', () => {
  const ws = tempWorkspace({
    'Dockerfile': ROOT_DOCKERFILE,
    'vendor/Dockerfile': ROOT_DOCKERFILE,
    'build/Dockerfile': ROOT_DOCKERFILE,
    '.gitignore': 'build/\n',
    '.fourfold.yaml': 'exclude:\n  - vendor/**\n',
  });
  const r = fourfold(['scan', ws, '--format', 'json']);
  const files = new Set(JSON.parse(r.stdout).findings.map((f: { path: string }) => path.relative(ws, f.path)));
  assert.deepEqual([...files], ['Dockerfile']);
  fs.writeFileSync(path.join(ws, '.fourfold.yaml'), 'rules:\n  container/root-user: off\n');
  const off = JSON.parse(fourfold(['scan', path.join(ws, 'Dockerfile'), '--format', 'json']).stdout);
  assert.ok(!off.findings.some((f: { ruleId: string }) => f.ruleId === 'container/root-user'));
});

test('inline suppressions are honoured and reported as suppressed in SARIF', () => {
  const ws = tempWorkspace({ Dockerfile: '# fourfold-ignore container/root-user: build-only image\nFROM node:20.11-alpine\nCMD ["node"]\n' });
  const r = fourfold(['scan', ws, '--format', 'sarif']);
  const results = JSON.parse(r.stdout).runs[0].results;
  const root = results.filter((x: { ruleId: string }) => x.ruleId === 'container/root-user');
  assert.equal(root.length, 1);
  assert.equal(root[0].suppressions[0].kind, 'inSource');
  assert.match(root[0].suppressions[0].justification, /build-only image/);
});

test('binary, oversized and undecodable files are skipped with a message, not a crash', () => {
  const ws = tempWorkspace({ 'Dockerfile': ROOT_DOCKERFILE, 'blob.py': 'x = 1\0\0\0', 'big.py': '# ' + 'x'.repeat(2 * 1024 * 1024) });
  const r = fourfold(['scan', ws, '--format', 'json']);
  assert.equal(r.code, 0);
  assert.match(r.stderr, /skipped .*big\.py: larger than/);
  const report = JSON.parse(r.stdout);
  assert.ok(report.skipped.some((s: { path: string; reason: string }) => s.path.endsWith('blob.py') && s.reason === 'binary content'));
});

test('text output groups findings by file and ends with a summary', () => {
  const ws = tempWorkspace({ Dockerfile: ROOT_DOCKERFILE });
  const r = fourfold(['scan', ws, '--no-color'], ws);
  assert.match(r.stdout, /^Dockerfile\n/);
  assert.match(r.stdout, /container\/root-user/);
  assert.match(r.stdout, /\d+ findings? \(.*\) in 1 file; 1 files analysed\.\n$/);
});

test('a scan shared between this thread and a worker reports what a one-thread scan reports', () => {
  // The labelled code fixtures and the container ones: enough files for threads, all four layers' kinds.
  const fixtures = path.join(ROOT, 'test', 'fixtures');
  const r1 = fourfold(['scan', fixtures, '--threads', '1', '--format', 'json', '--no-gitignore']);
  const r2 = fourfold(['scan', fixtures, '--threads', '2', '--format', 'json', '--no-gitignore']);
  assert.equal(r1.code, r2.code, r2.stderr);
  const keys = (out: string) =>
    (JSON.parse(out).findings as Array<{ path: string; ruleId: string; fingerprint: string; range: { start: { line: number } } }>)
      .map((f) => `${f.path}:${f.range.start.line}:${f.ruleId}:${f.fingerprint}`)
      .sort();
  const one = keys(r1.stdout);
  assert.ok(one.length > 200, `${one.length} findings`);
  assert.deepEqual(keys(r2.stdout), one);
});

test('scan workers that die (here: a 2 MiB heap cap) are reported and their files are analysed anyway', () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 80; i++) files[`svc${i}/Dockerfile`] = ROOT_DOCKERFILE;
  const ws = tempWorkspace(files);
  const r = fourfold(['scan', ws, '--threads', '2', '--worker-memory-mb', '2', '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /scan worker (died|failed)/);
  const findings = JSON.parse(r.stdout).findings.filter((f: { ruleId: string }) => f.ruleId === 'container/root-user');
  assert.equal(findings.length, 80);
});

test('grammars that fail to load are reported once, and the other layers still report', () => {
  const ws = tempWorkspace({ 'Dockerfile': ROOT_DOCKERFILE, 'app.py': 'import os\nos.system(input())\n', 'b.py': 'x = 1\n' });
  const r = spawnSync(process.execPath, [CLI, 'scan', ws, '--format', 'json'], {
    encoding: 'utf8',
    env: { ...process.env, FOURFOLD_GRAMMARS_DIR: path.join(ws, 'no-grammars-here') },
  });
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.ok(report.findings.some((f: { ruleId: string }) => f.ruleId === 'container/root-user'));
  const messages = [...report.info.map((i: { message: string }) => i.message), ...report.notes];
  assert.equal(messages.filter((m: string) => /grammars failed to load/.test(m)).length, 1, JSON.stringify(messages));
});
