// The process runner against a stand-in executable: timeout, cancel, non-zero
// exit, image not found, huge output, malformed JSON, not installed. No shell.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildScanArgs, detectScanner, runScanner, ScannerError, type ScannerErrorCode } from '../../server/image';
import { scannerFixture } from './fixtures';
import { makeStandIn, type StandIn } from './standIn';

let fake: StandIn;
before(() => {
  fake = makeStandIn('trivy');
});
after(() => fake.cleanup());

function env(mode: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, FAKE_MODE: mode, FAKE_LOG: fake.log, ...extra };
}

async function rejectsWith(p: Promise<unknown>, code: ScannerErrorCode): Promise<ScannerError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ScannerError, `ScannerError expected, got ${e}`);
    assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail(`expected a ${code} rejection`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('runScanner', () => {
  it('parses the report the scanner prints and streams stderr', async () => {
    const stderr: string[] = [];
    const run = await runScanner({
      kind: 'trivy',
      executable: fake.executable,
      args: buildScanArgs('trivy', { type: 'reference', ref: 'alpine:3.9' }),
      env: env('ok', { FAKE_REPORT: scannerFixture('trivy-alpine-3.9.json') }),
      onStderr: (c) => stderr.push(c),
    });
    assert.equal(run.report.vulnerabilities.length, 6);
    assert.equal(run.exitCode, 0);
    assert.match(stderr.join(''), /INFO scanning/);
    assert.deepEqual(fake.invocations().at(-1), ['image', '--format', 'json', '--quiet', 'alpine:3.9']);
  });

  it('passes arguments literally (no shell): $(…) and ; reach the process as text', async () => {
    const marker = path.join(fake.dir, 'pwned');
    const hostile = `$(touch ${marker}); touch ${marker}`;
    const run = await runScanner({ kind: 'trivy', executable: fake.executable, args: ['x', hostile], env: env('echo-args') });
    assert.equal(run.report.artifactName, hostile);
    assert.equal(fs.existsSync(marker), false);
  });

  it('times out and kills the process', async () => {
    const pidFile = path.join(fake.dir, 'timeout.pid');
    const err = await rejectsWith(
      runScanner({ kind: 'trivy', executable: fake.executable, args: ['image'], timeoutMs: 300, env: env('hang', { FAKE_PID: pidFile }) }),
      'timeout',
    );
    assert.match(err.message, /did not finish/);
    assert.equal(isAlive(Number(fs.readFileSync(pidFile, 'utf8'))), false);
  });

  it('cancel (AbortSignal) kills the process, even one ignoring SIGTERM', async () => {
    const pidFile = path.join(fake.dir, 'cancel.pid');
    const controller = new AbortController();
    const p = runScanner({
      kind: 'trivy',
      executable: fake.executable,
      args: ['image'],
      signal: controller.signal,
      env: env('ignore-term', { FAKE_PID: pidFile }),
      killGraceMs: 200,
      // abort once the scanner is demonstrably running
      onStderr: (c) => {
        if (c.includes('started')) controller.abort();
      },
    });
    await rejectsWith(p, 'cancelled');
    assert.equal(isAlive(Number(fs.readFileSync(pidFile, 'utf8'))), false);
  });

  it('an already aborted signal never starts the process', async () => {
    const before = fake.invocations().length;
    await rejectsWith(runScanner({ kind: 'trivy', executable: fake.executable, args: ['x'], signal: AbortSignal.abort(), env: env('ok') }), 'cancelled');
    assert.equal(fake.invocations().length, before);
  });

  it('non-zero exit: exit code and the last stderr lines', async () => {
    const err = await rejectsWith(runScanner({ kind: 'trivy', executable: fake.executable, args: ['image'], env: env('fail') }), 'failed');
    assert.equal(err.details.exitCode, 3);
    assert.equal(err.details.stderrTail?.length, 12);
    assert.equal(err.details.stderrTail?.at(-1), 'FATAL fatal error: database download failed');
    assert.match(err.message, /exit code 3/);
    assert.match(err.message, /database download failed/);
  });

  it('image not found is told apart from other failures', async () => {
    const err = await rejectsWith(runScanner({ kind: 'trivy', executable: fake.executable, args: ['image', 'nosuch:1'], env: env('not-found') }), 'image-not-found');
    assert.equal(err.details.exitCode, 1);
  });

  it('huge output is refused and the process stopped', async () => {
    const err = await rejectsWith(
      runScanner({ kind: 'trivy', executable: fake.executable, args: ['image'], maxStdoutBytes: 1024 * 1024, env: env('huge') }),
      'output-too-large',
    );
    assert.match(err.message, /more than 1048576 bytes/);
  });

  it('output that is not JSON', async () => {
    const err = await rejectsWith(runScanner({ kind: 'trivy', executable: fake.executable, args: ['image'], env: env('malformed') }), 'malformed-output');
    assert.match(err.message, /not the JSON report expected/);
  });

  it('scanner not installed (ENOENT)', async () => {
    const err = await rejectsWith(
      runScanner({ kind: 'grype', executable: path.join(fake.dir, 'no-such-grype'), args: ['alpine', '-o', 'json'] }),
      'not-installed',
    );
    assert.match(err.message, /grype is not installed/);
  });
});

describe('detectScanner', () => {
  it('finds the stand-in on PATH and names its kind', () => {
    const d = detectScanner({}, { PATH: fake.dir });
    assert.deepEqual(d, { ok: true, scanner: { kind: 'trivy', executable: fake.executable } });
  });
  it('explicit kind grype: trivy on PATH does not count', () => {
    const d = detectScanner({ kind: 'grype' }, { PATH: fake.dir });
    assert.equal(d.ok, false);
  });
  it('explicit path honoured, with kind from the setting', () => {
    const d = detectScanner({ path: fake.executable, kind: 'grype' }, { PATH: '' });
    assert.deepEqual(d, { ok: true, scanner: { kind: 'grype', executable: fake.executable } });
  });
  it('explicit path that does not exist', () => {
    const d = detectScanner({ path: path.join(fake.dir, 'nope', 'trivy') }, { PATH: fake.dir });
    assert.equal(d.ok, false);
  });
  it('nothing on PATH', () => {
    const d = detectScanner({}, { PATH: path.join(fake.dir, 'empty') });
    assert.deepEqual(d, { ok: false, reason: 'neither trivy nor grype was found on PATH' });
  });
});

describe('buildScanArgs', () => {
  it('trivy and grype command lines', () => {
    const abs = path.resolve('img.tar');
    assert.deepEqual(buildScanArgs('trivy', { type: 'archive', path: 'img.tar' }), ['image', '--format', 'json', '--quiet', '--input', abs]);
    assert.deepEqual(buildScanArgs('grype', { type: 'reference', ref: 'alpine:3.19' }), ['alpine:3.19', '-o', 'json']);
    assert.deepEqual(buildScanArgs('grype', { type: 'archive', path: '-o' }), [`docker-archive:${path.resolve('-o')}`, '-o', 'json']);
    assert.deepEqual(buildScanArgs('grype', { type: 'oci-dir', path: '/x/layout' }), ['oci-dir:/x/layout', '-o', 'json']);
    assert.deepEqual(buildScanArgs('trivy', { type: 'directory', path: '/ws' }), ['fs', '--scanners', 'vuln', '--format', 'json', '--quiet', '--list-all-pkgs', '/ws']);
    assert.deepEqual(buildScanArgs('grype', { type: 'directory', path: '/ws' }), ['dir:/ws', '-o', 'json']);
  });
  it('grype: an image named like a source scheme is fully qualified', () => {
    assert.deepEqual(buildScanArgs('grype', { type: 'reference', ref: 'docker:24-cli' }), ['docker.io/library/docker:24-cli', '-o', 'json']);
    assert.deepEqual(buildScanArgs('grype', { type: 'reference', ref: 'registry:2' }), ['docker.io/library/registry:2', '-o', 'json']);
  });
  it('an archive path starting with "-" becomes absolute, never an option', () => {
    const args = buildScanArgs('trivy', { type: 'archive', path: '--output=/etc/passwd' });
    assert.ok(args.every((a) => !a.startsWith('--output')));
  });
});
