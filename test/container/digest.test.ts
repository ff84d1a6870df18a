import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { digestPinFix, pickDigest, resolveLocalDigest } from '../../server/container/digest';
import { applyFix } from '../helpers/applyFix';
import { analyzeFile } from '../helpers/engine';

/*
 * "Pin to digest": a stand-in `docker` executable on PATH records the argument
 * vector it receives, so the test checks the real execFile call (argument
 * array, `--` before the image, no shell) without a container engine.
 */

const DIGEST = `sha256:${'4f'.repeat(32)}`;
let dir: string;
let savedPath: string | undefined;

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fourfold-digest-'));
  const script = `#!/bin/sh
printf '%s\\n' "$@" > "${dir}/argv"
if [ "$1 $2 $3 $4 $5" = "image inspect --format {{json .RepoDigests}} --" ]; then
  case "$6" in
    node:latest) echo '["other/node@sha256:${'0'.repeat(64)}","node@${DIGEST}"]'; exit 0 ;;
    built-here) echo '[]'; exit 0 ;;
  esac
fi
echo "Error: No such image: $6" >&2
exit 1
`;
  for (const engine of ['docker', 'podman']) {
    fs.writeFileSync(path.join(dir, engine), script, { mode: 0o755 });
  }
  savedPath = process.env.PATH;
  process.env.PATH = `${dir}${path.delimiter}${savedPath ?? ''}`;
});
after(() => {
  process.env.PATH = savedPath;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('resolveLocalDigest', () => {
  it('returns the digest the engine recorded for the image repository', async () => {
    assert.equal(await resolveLocalDigest('node:latest', { engine: 'docker' }), DIGEST);
    assert.deepEqual(fs.readFileSync(path.join(dir, 'argv'), 'utf8').trim().split('\n'), ['image', 'inspect', '--format', '{{json .RepoDigests}}', '--', 'node:latest']);
  });
  it('works with podman too', async () => {
    assert.equal(await resolveLocalDigest('node:latest', { engine: 'podman' }), DIGEST);
  });
  it('undefined when the image is not pulled or has no repo digest', async () => {
    assert.equal(await resolveLocalDigest('python:latest', { engine: 'docker' }), undefined);
    assert.equal(await resolveLocalDigest('built-here', { engine: 'docker' }), undefined);
  });
  it('never hands option-like or shell-like strings to the engine', async () => {
    fs.rmSync(path.join(dir, 'argv'), { force: true });
    for (const hostile of ['--help', '-v', 'node;rm -rf /', '$(id)', 'node latest', '']) {
      assert.equal(await resolveLocalDigest(hostile, { engine: 'docker' }), undefined);
    }
    assert.equal(fs.existsSync(path.join(dir, 'argv')), false, 'the engine was invoked');
  });
  it('undefined when the engine is not installed', async () => {
    const saved = process.env.PATH;
    process.env.PATH = path.join(dir, 'nowhere');
    try {
      assert.equal(await resolveLocalDigest('node:latest', { engine: 'docker' }), undefined);
    } finally {
      process.env.PATH = saved;
    }
  });
});

describe('pickDigest', () => {
  it('matches docker.io/library/node and node as the same repository', () => {
    assert.equal(pickDigest(`["docker.io/library/node@${DIGEST}"]`, 'node:latest'), DIGEST);
    assert.equal(pickDigest(`["ghcr.io/x/node@${DIGEST}"]`, 'node'), undefined);
    assert.equal(pickDigest('not json', 'node'), undefined);
  });
});

describe('digestPinFix on a latest-tag finding', () => {
  it('replaces the image with repository@digest; the finding is gone', async () => {
    const text = 'FROM node:latest AS app\nUSER node\n';
    const r = await analyzeFile('/virtual/Dockerfile', {}, text);
    const finding = r.findings.find((f) => f.ruleId === 'container/latest-tag')!;
    const digest = await resolveLocalDigest(String(finding.data?.image), { engine: 'docker' });
    const fix = digestPinFix(finding, digest!);
    assert.ok(fix);
    const fixed = applyFix(text, fix);
    assert.equal(fixed, `FROM node@${DIGEST} AS app\nUSER node\n`);
    const again = await analyzeFile('/virtual/Dockerfile', {}, fixed);
    assert.equal(again.findings.filter((f) => f.ruleId === 'container/latest-tag').length, 0);
  });
  it('no digest fix when the FROM value comes from variables', async () => {
    const r = await analyzeFile('/virtual/Dockerfile', {}, 'ARG T=latest\nFROM node:$T\nUSER node\n');
    const finding = r.findings.find((f) => f.ruleId === 'container/latest-tag')!;
    assert.equal(digestPinFix(finding, DIGEST), undefined);
  });
});
