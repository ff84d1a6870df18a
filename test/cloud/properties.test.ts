import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { hardcodedCredential } from '../../server/cloud/hardcodedCredential';
import { metadataEndpoint } from '../../server/cloud/metadataEndpoint';
import { githubChecksumValid } from '../../server/cloud/secrets/text';
import { FileContext } from '../../server/engine/context';
import { ALL_KINDS } from '../../server/engine/fileKinds';
import type { FileKind } from '../../server/engine/types';
import { FakeCredentials } from './fakeCredentials';

/** Fragments that steer random text into every detector's partial-match paths. */
const FRAGMENTS = [
  'AKIA', 'ASIA', 'aws_secret_access_key', '=', ': ', '"', "'", '`', '${', '}', '\n', '\r\n', ' ', '#', '//', '/*', '*/',
  '-----BEGIN RSA PRIVATE KEY-----', '-----END RSA PRIVATE KEY-----', '\\n', 'ghp_', 'github_pat_', 'glpat-', 'xoxb-',
  '1234567890', '-', 'https://hooks.slack.com/services/', 'AccountName=a;', 'AccountKey=', 'sv=2022-11-02&', '&sig=', 'se=2030&',
  '"type": "service_account"', '"private_key": "', '169.254.169.254', 'metadata.google.internal', 'env:', '- name: X', 'value:',
  'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3', 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdo', 'EXAMPLE', 'os.environ',
];
const KIND_NAMES: Record<FileKind, string> = {
  python: 'a.py', javascript: 'a.js', typescript: 'a.ts', tsx: 'a.tsx', dockerfile: 'Dockerfile', yaml: 'a.yaml', json: 'a.json', text: 'a.env',
};

const hostileText = fc.oneof(
  fc.string({ maxLength: 400 }),
  fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 12 })), { maxLength: 80 }).map((a) => a.join('')),
);

describe('cloud rules on arbitrary text', () => {
  test('never throw, and every range lies inside the file', () => {
    fc.assert(
      fc.property(hostileText, fc.constantFrom(...ALL_KINDS), (text, kind) => {
        const ctx = new FileContext(`/w/${KIND_NAMES[kind]}`, text, kind);
        for (const rule of [hardcodedCredential, metadataEndpoint]) {
          for (const f of rule.check(ctx)) {
            const start = ctx.lines.offsetAt(f.range.start);
            const end = ctx.lines.offsetAt(f.range.end);
            assert.ok(start <= end && end <= text.length);
            for (const fix of f.fixes ?? []) for (const e of fix.edits) assert.ok(ctx.lines.offsetAt(e.range.end) <= text.length);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  test('a valid GitHub token is found wherever it stands between delimiters, and never shown whole', () => {
    const fake = new FakeCredentials(77);
    const tokens = Array.from({ length: 20 }, () => fake.githubToken());
    fc.assert(
      fc.property(
        fc.constantFrom(...tokens),
        fc.string({ maxLength: 40 }).map((s) => s.replace(/[A-Za-z0-9_]+$/, '')),
        fc.constantFrom(' ', '"', "'", '\n', '=', ':', '(', ','),
        fc.constantFrom(' ', '"', "'", '\n', ')', ',', ';'),
        fc.string({ maxLength: 40 }),
        (token, before, open, close, afterText) => {
          const text = `${before}${open}${token}${close}${afterText}`;
          const ctx = new FileContext('/w/a.txt', text, 'text');
          const found = hardcodedCredential.check(ctx).filter((f) => f.data?.format === 'github-token');
          const at = before.length + open.length;
          assert.ok(found.some((f) => ctx.lines.offsetAt(f.range.start) === at), text);
          for (const f of found) assert.ok(!f.message.includes(token));
        },
      ),
      { numRuns: 300 },
    );
  });

  test('the checksum rejects almost every random 36-character body', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9]{36}$/), (body) => {
        // A random body passes with probability 62^-6; finding one here would mean the check is broken.
        assert.equal(githubChecksumValid(body), false);
      }),
      { numRuns: 500 },
    );
  });
});
