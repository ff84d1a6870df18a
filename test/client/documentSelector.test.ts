// The editor analyses the same files the workspace scan indexes: every file
// name the engine reads is matched by the client's document selector
// (whatever language VS Code gives it), and the selector's patterns match
// only files the engine reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PATTERNS } from '../../client/documentSelector';
import { fileKindOf } from '../../server/engine/fileKinds';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const minimatch = require('minimatch') as (p: string, pattern: string, options?: { dot?: boolean; nocase?: boolean }) => boolean;

const ROOT = path.resolve(__dirname, '..', '..');

function selected(file: string): boolean {
  // VS Code's globs match dot files too.
  return PATTERNS.some((p) => minimatch(file, p, { dot: true }));
}

/** Every extension and special name listed in server/engine/fileKinds.ts. */
function engineNames(): string[] {
  const source = fs.readFileSync(path.join(ROOT, 'server/engine/fileKinds.ts'), 'utf8');
  const byExtension = source.slice(source.indexOf('BY_EXTENSION'), source.indexOf('BY_NAME'));
  const byName = source.slice(source.indexOf('BY_NAME'), source.indexOf('BY_LANGUAGE_ID'));
  const exts = [...byExtension.matchAll(/'(\.[\w.-]+)':/g)].map((m) => `src/app/file${m[1]}`);
  const names = [...byName.matchAll(/^\s+'?([.\w-]+)'?: '/gm)].map((m) => `conf/${m[1]}`);
  assert.ok(exts.length > 20 && names.length >= 3, `parsed ${exts.length} extensions and ${names.length} names`);
  return [...exts, ...names];
}

test('every file name the engine reads is selected for live analysis', () => {
  const files = [
    ...engineNames(),
    'Dockerfile',
    'api/Dockerfile',
    'api/Containerfile',
    'build/app.Dockerfile',
    'build/Dockerfile.prod',
    'deploy/.env.production',
  ];
  for (const file of files) {
    assert.ok(fileKindOf('/ws/' + file) !== undefined, `the engine does not read ${file}`);
    assert.ok(selected('/ws/' + file), `${file} is read by the workspace scan but not analysed when opened`);
  }
});

test('the selector does not pick files the engine ignores', () => {
  for (const file of ['image.png', 'archive.tar.gz', 'lib/native.so', 'notes.docx', 'Makefile', 'package-lock.jsonl']) {
    assert.equal(fileKindOf('/ws/' + file), undefined, file);
    assert.equal(selected('/ws/' + file), false, file);
  }
});
