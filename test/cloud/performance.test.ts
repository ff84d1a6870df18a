import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { hardcodedCredential } from '../../server/cloud/hardcodedCredential';
import { metadataEndpoint } from '../../server/cloud/metadataEndpoint';
import { MAX_MATCHES_PER_FILE } from '../../server/cloud/secrets/detectors';
import { FileContext } from '../../server/engine/context';
import type { FileKind } from '../../server/engine/types';
import { analyzeFile } from '../helpers/engine';
import { FakeCredentials } from './fakeCredentials';

/*
 * The cloud rules read every file of a workspace, so they must be linear in
 * the file size whatever the content. Timing is judged by scale, not by a
 * wall-clock limit: four times the input may take at most ~ten times as long
 * (linear is ~4x; a quadratic pattern would be ~16x and beyond).
 */

const fake = new FakeCredentials(2718);

/** Units that each provoke a detector's slow path: prefixes without bodies, bodies without context, markers without ends. */
const UNITS = [
  `${fake.awsAccessKeyId()} ${fake.awsSecretAccessKey()} `,
  'aws_secret_access_key=',
  'secret_key aws ',
  '-----BEGIN RSA PRIVATE KEY-----',
  `${fake.githubTokenBadChecksum()} `,
  'ghp_',
  'xoxb-12345678-',
  `AccountKey=${fake.base64(60)};`,
  `&sig=${fake.base64(44)}`,
  'sv=2020-01-01&',
  'https://hooks.slack.com/services/',
  'github_pat_',
  'glpat-',
  '169.254.169.254',
  '"a\\"b',
  '`${',
  "'''",
  '/*',
  '/[',
  '#',
  `${fake.base64(120)}`,
];

function hostile(size: number, units = UNITS): string {
  const parts: string[] = [];
  let n = 0;
  for (let i = 0; n < size; i++) {
    const u = units[i % units.length];
    parts.push(u);
    n += u.length;
  }
  return parts.join('').slice(0, size);
}

function run(kind: FileKind, name: string, text: string): number {
  const ctx = new FileContext(`/tmp/${name}`, text, kind);
  const start = process.hrtime.bigint();
  hardcodedCredential.check(ctx);
  metadataEndpoint.check(ctx);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

describe('cloud rules scale linearly', () => {
  for (const [kind, name] of [
    ['text', 'blob.txt'],
    ['python', 'blob.py'],
    ['typescript', 'blob.ts'],
    ['yaml', 'blob.yaml'],
  ] as Array<[FileKind, string]>) {
    test(`${kind}: a hostile single-line file, 1 MB vs 4 MB`, () => {
      const small = hostile(1 << 20);
      const large = hostile(4 << 20);
      run(kind, name, small); // warm up the JIT
      const t1 = Math.max(run(kind, name, small), 5);
      const t4 = run(kind, name, large);
      assert.ok(t4 < t1 * 10, `1 MB: ${t1.toFixed(0)} ms, 4 MB: ${t4.toFixed(0)} ms`);
    });
  }

  test('a 5 MB single-line file of near-misses completes, and a token at its very end is found', () => {
    const key = fake.githubToken();
    // Every unit but the first (a valid AWS pair) is a near-miss that must not be reported.
    const text = `${hostile(5 << 20, UNITS.slice(1))} ${key} `;
    const ctx = new FileContext('/tmp/bundle.min.js', text, 'javascript');
    const found = hardcodedCredential.check(ctx);
    assert.equal(found.length, 1);
    assert.equal(found[0].range.end.character, text.length - 1);
  });

  test('findings per file are capped, so a dump of keys cannot flood the editor', () => {
    const dump = Array.from({ length: 1500 }, () => `${fake.awsAccessKeyId()}\n`).join('');
    const found = hardcodedCredential.check(new FileContext('/tmp/keys.txt', dump, 'text'));
    assert.equal(found.length, MAX_MATCHES_PER_FILE);
  });
});

describe('a 5 MB lock file', () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ff-lock5-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** package-lock.json-shaped: thousands of sha512 integrity strings (base64 look-alikes of keys). */
  function lockFile(bytes: number): string {
    const lines = ['{', '  "name": "big",', '  "lockfileVersion": 3,', '  "packages": {'];
    let n = 0;
    for (let i = 0; n < bytes; i++) {
      const line = `    "node_modules/pkg-${i}": { "version": "1.${i % 97}.0", "resolved": "https://registry.npmjs.org/pkg-${i}/-/pkg-${i}-1.0.0.tgz", "integrity": "sha512-${fake.base64(86)}==" },`;
      lines.push(line);
      n += line.length + 1;
    }
    lines.push(`    "node_modules/z": { "resolved": "https://r.example.com/z?k=${fake.awsAccessKeyId()}" }`, '  }', '}', '');
    return lines.join('\n');
  }

  test('is skipped by name before it is read, through the engine', async () => {
    const text = lockFile(5 << 20);
    assert.ok(text.length >= 5 << 20);
    const lock = path.join(dir, 'package-lock.json');
    const other = path.join(dir, 'dependencies.json');
    fs.writeFileSync(lock, text);
    fs.writeFileSync(other, text);
    // The engine's size limit would skip both; lift it so the rule's own skip is what is measured.
    const config = { maxFileSize: 16 << 20, layers: { code: false, container: false, cluster: false } };
    const asLock = await analyzeFile(lock, config, text);
    const asOther = await analyzeFile(other, config, text);
    assert.equal(asLock.skipped, undefined);
    assert.deepEqual(asLock.findings.filter((f) => f.layer === 'cloud'), []);
    // The same bytes under another name are read (and the planted key id is found), so the skip is by name.
    assert.equal(asOther.findings.filter((f) => f.ruleId === 'cloud/hardcoded-credential').length, 1);

    const ctxLock = () => new FileContext(lock, text, 'json');
    const ctxOther = () => new FileContext(other, text, 'json');
    const time = (make: () => FileContext) => {
      const ctx = make();
      const s = process.hrtime.bigint();
      hardcodedCredential.check(ctx);
      metadataEndpoint.check(ctx);
      return Number(process.hrtime.bigint() - s) / 1e6;
    };
    time(ctxOther);
    const skip = time(ctxLock);
    const scan = time(ctxOther);
    assert.ok(skip * 20 < scan, `skipping took ${skip.toFixed(2)} ms, scanning ${scan.toFixed(1)} ms`);
  });
});
