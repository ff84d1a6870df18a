// The OCI reference validator, and that hostile input never reaches a process.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import {
  canonicalReference,
  InvalidTargetError,
  parseImageReference,
  scanTarget,
  type ImageReference,
} from '../../server/image';
import { makeStandIn, type StandIn } from './standIn';

const ok = (s: string): ImageReference => {
  const r = parseImageReference(s);
  assert.ok(r.ok, `${JSON.stringify(s)} should be valid: ${!r.ok ? r.reason : ''}`);
  return r.ref;
};
const bad = (s: unknown): string => {
  const r = parseImageReference(s);
  assert.equal(r.ok, false, `${JSON.stringify(s)} should be refused`);
  return (r as { reason: string }).reason;
};

const HEX64 = 'a'.repeat(64);

describe('valid references (distribution/reference grammar)', () => {
  it('names, tags, digests, registries, ports', () => {
    assert.deepEqual(ok('alpine'), { raw: 'alpine', domain: undefined, path: 'alpine', tag: undefined, digest: undefined });
    assert.deepEqual(ok('alpine:3.19'), { raw: 'alpine:3.19', domain: undefined, path: 'alpine', tag: '3.19', digest: undefined });
    assert.equal(ok('library/node:20-alpine').path, 'library/node');
    assert.equal(ok('ghcr.io/aquasecurity/trivy-test-images:spring4shell-jre11').domain, 'ghcr.io');
    assert.equal(ok('localhost:5000/my_app__x/a-b.c:v1.2.3').domain, 'localhost:5000');
    assert.equal(ok('localhost/foo').domain, 'localhost');
    assert.equal(ok(`alpine@sha256:${HEX64}`).digest, `sha256:${HEX64}`);
    const both = ok(`docker.io/keycloak/keycloak:21.0.2@sha256:${HEX64}`);
    assert.equal(both.tag, '21.0.2');
    assert.equal(both.path, 'keycloak/keycloak');
    assert.equal(ok('[::1]:5000/foo:bar').domain, '[::1]:5000');
    assert.equal(ok('Registry.Example.com/foo').domain, 'Registry.Example.com');
    assert.equal(ok('foo_bar:TAG_with.dots-1').tag, 'TAG_with.dots-1');
    ok(`${'a'.repeat(255)}:tag`);
  });
  it('canonical form', () => {
    assert.equal(canonicalReference(ok('alpine')), 'docker.io/library/alpine:latest');
    assert.equal(canonicalReference(ok('docker.io/library/alpine:latest')), 'docker.io/library/alpine:latest');
    assert.equal(canonicalReference(ok('index.docker.io/foo/bar:1')), 'docker.io/foo/bar:1');
    assert.equal(canonicalReference(ok(`ghcr.io/x/y@sha256:${HEX64}`)), `ghcr.io/x/y@sha256:${HEX64}`);
  });
});

const HOSTILE: Array<[string, RegExp]> = [
  ['alpine; rm -rf /', /whitespace|";"/],
  ['alpine;rm', /";"/],
  ['$(id)', /"\$"/],
  ['`id`', /"`"/],
  ['alpine && curl evil', /whitespace/],
  ['alpine|sh', /"\|"/],
  ['alpine\nrm -rf /', /line break/],
  ['alpine\r\n', /line break/],
  ['alpine\0', /"/],
  ['--output=/etc/passwd', /"="/],
  ['-o', /starts with "-"/],
  ['--help', /starts with "-"/],
  ['-alpine:latest', /starts with "-"/],
  ['Alpine', /lower-case/],
  ['library/Ubuntu:20.04', /lower-case/],
  [`${'a'.repeat(256)}`, /longer than 255/],
  [`${'a/'.repeat(200)}b`, /longer than/],
  ['a'.repeat(10_000), /longer than 512/],
  ['', /empty/],
  ['alpine:', /malformed tag/],
  [`alpine:${'t'.repeat(129)}`, /malformed tag/],
  ['alpine:-tag', /malformed tag/],
  ['alpine@sha256:abc', /malformed digest|64 hex/],
  [`alpine@sha256:${'a'.repeat(63)}`, /64 hex/],
  ['alpine@', /malformed digest/],
  ['../../etc/passwd', /malformed registry host/],
  ['foo//bar', /empty path component/],
  ['foo/', /empty path component/],
  ['foo..bar', /malformed repository name/],
  ['_foo', /malformed repository name/],
  ['foo-', /malformed repository name/],
  ['example.com:abc/foo', /port/],
  ['-example.com/foo', /starts with "-"/],
  ['http://example.com/foo', /malformed|port/],
  ['alpine latest', /whitespace/],
  ['ålpine', /"å"/],
  ['alpine\u200b', /"/],
  ['alpine:3.19 --output=/tmp/x', /whitespace/],
  ['"alpine"', /"""/],
  ["'alpine'", /"'"/],
  ['alpine>/tmp/x', /">"/],
  ['~/foo', /"~"/],
];

describe('hostile references are refused with a reason', () => {
  for (const [input, reason] of HOSTILE) {
    it(JSON.stringify(input.length > 60 ? `${input.slice(0, 60)}…` : input), () => {
      assert.match(bad(input), reason);
    });
  }
  it('non-strings', () => {
    bad(undefined);
    bad(null);
    bad(42);
    bad({ toString: () => 'alpine' });
  });
  it('nothing with shell syntax, whitespace or a leading dash is ever accepted (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        const r = parseImageReference(s);
        if (r.ok) {
          assert.ok(!/[\s;$`|&<>()'"\\*?!{}~#]/.test(s), s);
          assert.ok(!s.startsWith('-'));
        }
      }),
      { numRuns: 2000 },
    );
  });
  it('stays linear on adversarial input', () => {
    const start = Date.now();
    for (let i = 0; i < 200; i++) parseImageReference(`${'a-'.repeat(120)}!`);
    parseImageReference(`a${'_-.'.repeat(80)}`);
    assert.ok(Date.now() - start < 2000, `${Date.now() - start} ms`);
  });
});

describe('none reaches a process', () => {
  let fake: StandIn;
  before(() => {
    fake = makeStandIn('trivy');
  });
  after(() => fake.cleanup());

  for (const [input] of HOSTILE) {
    it(`scanTarget refuses ${JSON.stringify(input.slice(0, 40))}`, async () => {
      await assert.rejects(
        scanTarget({
          scanner: { kind: 'trivy', executable: fake.executable },
          target: { type: 'reference', ref: input },
          env: { ...process.env, FAKE_MODE: 'echo-args', FAKE_LOG: fake.log },
        }),
        InvalidTargetError,
      );
      await scanTarget({
        scanner: { kind: 'grype', executable: fake.executable },
        target: { type: 'reference', ref: input },
        env: { ...process.env, FAKE_MODE: 'echo-args', FAKE_LOG: fake.log },
      }).then(
        () => assert.fail('must not run'),
        (e) => assert.ok(e instanceof InvalidTargetError),
      );
    });
  }
  it('archives and OCI folders that do not exist are refused too', async () => {
    for (const target of [
      { type: 'archive' as const, path: '/nonexistent/--output=x.tar' },
      { type: 'oci-dir' as const, path: fake.dir },
      { type: 'archive' as const, path: fake.dir },
      { type: 'archive' as const, path: 'a\nb' },
    ]) {
      await assert.rejects(
        scanTarget({ scanner: { kind: 'trivy', executable: fake.executable }, target, env: { ...process.env, FAKE_LOG: fake.log } }),
        InvalidTargetError,
      );
    }
  });
  it('the stand-in was never invoked, and a valid reference does invoke it', async () => {
    assert.deepEqual(fake.invocations(), []);
    const run = await scanTarget({
      scanner: { kind: 'trivy', executable: fake.executable },
      target: { type: 'reference', ref: 'alpine:3.19' },
      env: { ...process.env, FAKE_MODE: 'echo-args', FAKE_LOG: fake.log },
    });
    assert.equal(run.report.artifactName, 'alpine:3.19');
    assert.deepEqual(fake.invocations(), [['image', '--format', 'json', '--quiet', 'alpine:3.19']]);
  });
});
