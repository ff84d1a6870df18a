import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyzeFile } from '../helpers/engine';

const fixture = path.join(__dirname, '..', 'fixtures', 'code', 'minified', 'vendor-bundle.min.js');
const bundle = fs.readFileSync(fixture, 'utf8');
const codeFindings = (a: { findings: Array<{ ruleId: string }> }) => a.findings.filter((f) => f.ruleId.startsWith('code/'));

test('a minified bundle is not analysed for injection flows, with a note saying so; its secrets still are', async () => {
  const a = await analyzeFile(fixture);
  assert.deepEqual(codeFindings(a), []);
  assert.ok((a.info ?? []).some((n) => /minified/.test(n)), JSON.stringify(a.info));
  assert.ok(a.findings.some((f) => f.ruleId === 'cloud/hardcoded-credential'), a.findings.map((f) => f.ruleId).join(', '));
});

test('the same code under a source name is analysed (the skip is about minification, not the code)', async () => {
  const a = await analyzeFile(path.join(path.dirname(fixture), 'vendor-bundle.js'), {}, bundle);
  assert.ok(codeFindings(a).some((f) => f.ruleId === 'code/command-injection'), a.findings.map((f) => f.ruleId).join(', '));
});

test('a generated file of long lines is recognised as minified whatever its name; source with a few long lines is not', async () => {
  const long = `${bundle.trim()}${';var d="'.padEnd(30_000, 'x')}";\n`;
  const generated = await analyzeFile('/work/generated/app.js', {}, long);
  assert.deepEqual(codeFindings(generated), []);
  // Ordinary source, one long data line among many short ones.
  const source = `${bundle.split(';').join(';\n')}\nconst table = "${'y'.repeat(25_000)}";\n${'// line\n'.repeat(200)}`;
  const analysed = await analyzeFile('/work/src/app.js', {}, source);
  assert.ok(codeFindings(analysed).length > 0, 'source with a long line is still analysed');
});
