// `fourfold image` as a process: imported reports, a stand-in scanner, refusals.
// Runs server/cli/image.ts through a small entry (imageCliEntry.ts), and the
// built dist/cli.js when it exists (`npm test` builds first).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { scannerFixture } from './fixtures';
import { makeStandIn, type StandIn } from './standIn';

const REPO = path.join(__dirname, '../..');
const ENTRY = path.join(__dirname, 'imageCliEntry.ts');
const BUILT = path.join(REPO, 'dist/cli.js');
const DOCKERFILES = path.join(REPO, 'test/fixtures/image');

function run(args: string[], env: NodeJS.ProcessEnv = {}, built = false) {
  const argv = built ? [BUILT, 'image', ...args] : ['--import', 'tsx', ENTRY, 'image', ...args];
  const r = spawnSync(process.execPath, argv, { cwd: REPO, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let fake: StandIn;
before(() => {
  fake = makeStandIn('trivy');
});
after(() => fake.cleanup());

describe('fourfold image --report', () => {
  it('text: summary, vulnerabilities by severity, the Dockerfile line', () => {
    const r = run(['--report', scannerFixture('trivy-spring4shell-debian-jar.json'), '--dockerfile', path.join(DOCKERFILES, 'spring4shell.Dockerfile'), '--no-color']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], 'ghcr.io/aquasecurity/trivy-test-images:spring4shell-jre11 (trivy debian 11.3): 1 critical · 1 fixable');
    assert.match(r.stdout, /CRITICAL \(1\)\n {4}CVE-2022-22965 +org\.springframework:spring-beans@5\.3\.15 +→ 5\.3\.18/);
    assert.match(r.stdout, /spring4shell\.Dockerfile\n {2}5:1 +critical container\/layer-vulnerabilities +COPY adds 1 vulnerable package version/);
  });

  it('json: the Grype report in the common model', () => {
    const r = run(['--report', scannerFixture('grype-rhel9-keycloak-rpm.json'), '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.scanner, 'grype');
    assert.equal(out.summary, '6 low · 0 fixable');
    assert.equal(out.vulnerabilities.length, 6);
    assert.equal(out.image, 'docker.io/keycloak/keycloak:21.0.2@sha256:347a0d748d05a050dc64b92de2246d2240db6eb38afbc17c3c08d0acb0db1b50');
    assert.deepEqual(out.findings, []);
  });

  it('sarif: one rule per vulnerability id, results on the FROM lines', () => {
    const outFile = path.join(fake.dir, 'out.sarif');
    const r = run(['alpine:3.9', '--report', scannerFixture('trivy-alpine-3.9.json')]);
    assert.equal(r.code, 2, 'a reference and --report together are refused');
    const r2 = run(['--report', scannerFixture('trivy-alpine-3.9.json'), '--dockerfile', path.join(DOCKERFILES, 'ubuntu-1804.Dockerfile'), '--format', 'sarif', '--output', outFile]);
    assert.equal(r2.code, 0, r2.stderr);
    const log = JSON.parse(fs.readFileSync(outFile, 'utf8'));
    assert.equal(log.version, '2.1.0');
    const run0 = log.runs[0];
    assert.deepEqual(run0.tool.driver.rules.map((x: { id: string }) => x.id), ['CVE-2019-1549', 'CVE-2019-1551', 'CVE-2019-14697']);
    assert.equal(run0.results.length, 6);
    assert.deepEqual(
      run0.results.map((x: { level: string }) => x.level),
      ['warning', 'warning', 'warning', 'warning', 'error', 'error'],
    );
    // alpine 3.9's only layer is `ADD file:… in /`: with this Dockerfile it matches the ADD line.
    const loc = run0.results[0].locations[0].physicalLocation;
    assert.equal(loc.artifactLocation.uri, 'test/fixtures/image/ubuntu-1804.Dockerfile');
    assert.equal(loc.region.startLine, 2);
  });

  it('--fail-on: exit 1 at or above the level, 0 below', () => {
    assert.equal(run(['--report', scannerFixture('trivy-alpine-3.9.json'), '--fail-on', 'critical']).code, 1);
    assert.equal(run(['--report', scannerFixture('trivy-ubuntu-18.04.json'), '--fail-on', 'high']).code, 0);
    assert.equal(run(['--report', scannerFixture('trivy-ubuntu-18.04.json'), '--fail-on', 'bogus']).code, 2);
  });

  it('a dependency report puts findings on the lockfile and package.json, with the fix', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fourfold-deps-'));
    try {
      const lock = ['{', '  "name": "app",', '  "lockfileVersion": 3,', '  "requires": true,', '  "packages": {', '    "": {}', '  },', '  "x": {', '    "a": 1', '  },', '  "y": 2,', '    "node_modules/jquery": {', '      "version": "3.3.9"', '    }', '  }', '}'];
      fs.writeFileSync(path.join(root, 'package-lock.json'), lock.join('\n'));
      fs.writeFileSync(path.join(root, 'package.json'), '{\n  "name": "app",\n  "dependencies": {\n    "jquery": "^3.3.9"\n  }\n}\n');
      const r = run(['--report', scannerFixture('trivy-npm-lockfile-with-packages.json'), '--root', root, '--format', 'json']);
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.deepEqual(
        out.findings.map((f: { path: string; range: { start: { line: number } }; ruleId: string }) => [path.basename(f.path), f.range.start.line, f.ruleId]),
        [
          ['package-lock.json', 10, 'code/vulnerable-dependency'],
          ['package.json', 3, 'code/vulnerable-dependency'],
        ],
      );
      assert.equal(out.findings[1].fixes[0].title, 'Upgrade jquery to 3.4.0');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('a file that is not a report', () => {
    const r = run(['--report', path.join(DOCKERFILES, 'spring4shell.Dockerfile')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not JSON/);
  });
});

describe('fourfold image REF (runs the scanner)', () => {
  const env = (mode: string) => ({ FAKE_MODE: mode, FAKE_LOG: fake.log, FAKE_REPORT: scannerFixture('trivy-alpine-3.9.json') });

  it('runs the configured scanner with an argument array and prints its report', () => {
    const r = run(['alpine:3.9', '--scanner-path', fake.executable, '--no-color'], env('ok'));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^alpine:3\.9 \(trivy alpine 3\.9\.4 \(end-of-life\)\): 2 critical · 4 medium · 6 fixable/);
    assert.match(r.stderr, /INFO scanning/, 'scanner stderr is passed through');
    assert.deepEqual(fake.invocations().at(-1), ['image', '--format', 'json', '--quiet', 'alpine:3.9']);
  });

  it('scanner failure: exit 3 with the exit code and stderr tail', () => {
    const r = run(['alpine:3.9', '--scanner-path', fake.executable], env('fail'));
    assert.equal(r.code, 3);
    assert.match(r.stderr, /trivy failed with exit code 3:\n(?:log line \d+\n)+FATAL fatal error: database download failed/);
  });

  it('image not found', () => {
    const r = run(['nosuch:1', '--scanner-path', fake.executable], env('not-found'));
    assert.equal(r.code, 3);
    assert.match(r.stderr, /could not find the image/);
  });

  it('scanner not installed: names the install pages', () => {
    const r = run(['alpine:3.9'], { PATH: path.join(fake.dir, 'nothing-here') });
    assert.equal(r.code, 3);
    assert.match(r.stderr, /neither trivy nor grype was found on PATH/);
    assert.match(r.stderr, /https:\/\/trivy\.dev\/.*https:\/\/github\.com\/anchore\/grype/);
  });

  it('hostile references are refused before any process runs', () => {
    const before = fake.invocations().length;
    for (const ref of ['alpine; rm -rf /', '$(id)', '--output=/etc/passwd', 'a\nb', 'Alpine', 'x'.repeat(300)]) {
      const r = run([ref, '--scanner-path', fake.executable], env('echo-args'));
      assert.equal(r.code, 2, ref);
      assert.match(r.stderr, /not a valid image reference|give exactly one of/);
    }
    assert.equal(fake.invocations().length, before);
  });
});

describe('the built CLI (dist/cli.js)', { skip: fs.existsSync(BUILT) ? false : 'dist/cli.js not built (npm run build)' }, () => {
  it('fourfold image --report <fixture> --dockerfile', () => {
    const r = run(['--report', scannerFixture('trivy-spring4shell-debian-jar.json'), '--dockerfile', path.join(DOCKERFILES, 'spring4shell.Dockerfile'), '--format', 'json'], {}, true);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.summary, '1 critical · 1 fixable');
    assert.deepEqual(out.findings.map((f: { ruleId: string; range: { start: { line: number } } }) => [f.ruleId, f.range.start.line]), [['container/layer-vulnerabilities', 4]]);
  });
  it('refuses a hostile reference', () => {
    const r = run(['$(id)'], {}, true);
    assert.equal(r.code, 2);
  });
});
