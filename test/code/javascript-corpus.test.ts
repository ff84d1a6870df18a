import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyzeFile } from '../helpers/engine';
import { expectedFindings, findingKeys, fixtureFiles } from '../helpers/expectations';

const JS_EXTENSIONS = /\.(js|mjs|cjs|jsx|ts|mts|cts|tsx)$/;
const files = fixtureFiles('code').filter((f) => JS_EXTENSIONS.test(f));

test('the JavaScript/TypeScript corpus has fixtures for every category', () => {
  const categories = new Set(files.map((f) => path.basename(path.dirname(f))));
  for (const c of ['sql', 'nosql', 'command', 'code', 'template', 'xss', 'path', 'ssrf', 'deserialization']) assert.ok(categories.has(c), c);
});

for (const file of files) {
  test(`code fixture ${path.relative(path.join(__dirname, '..', 'fixtures', 'code'), file)}`, async () => {
    const text = fs.readFileSync(file, 'utf8');
    const result = await analyzeFile(file, {}, text);
    const code = result.findings.filter((f) => f.layer === 'code');
    assert.deepEqual(result.notes, []);
    assert.deepEqual(findingKeys(code), expectedFindings(text));
  });
}
