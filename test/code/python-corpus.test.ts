import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyzeFile } from '../helpers/engine';
import { expectedFindings, findingKeys, fixtureFiles } from '../helpers/expectations';

const files = fixtureFiles('code').filter((f) => f.endsWith('.py'));

test('the Python corpus has vulnerable and safe fixtures for every category', () => {
  for (const c of ['sql', 'nosql', 'command', 'code', 'template', 'xss', 'path', 'ssrf', 'deserialization']) {
    const texts = files.filter((f) => path.basename(path.dirname(f)) === c).map((f) => fs.readFileSync(f, 'utf8'));
    assert.ok(texts.some((t) => /expect: code\//.test(t)), `${c}: a vulnerable case`);
    assert.ok(texts.some((t) => /expect: none/.test(t)), `${c}: a safe look-alike`);
  }
});

for (const file of files) {
  test(`python fixture ${path.relative(path.join(__dirname, '..', 'fixtures', 'code'), file)}`, async () => {
    const text = fs.readFileSync(file, 'utf8');
    const result = await analyzeFile(file, {}, text);
    const code = result.findings.filter((f) => f.layer === 'code');
    assert.deepEqual(result.notes, []);
    assert.deepEqual(findingKeys(code), expectedFindings(text));
  });
}
