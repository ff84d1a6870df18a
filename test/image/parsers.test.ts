// The Trivy and Grype parsers against every real report in shared/fixtures/scanners
// (counts cross-checked with SOURCES.md there).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { MalformedReportError, parseScanReport, summaryText, type ScanReport } from '../../server/image';
import { readScannerFixture, SCANNER_FIXTURES } from './fixtures';

const load = (name: string): ScanReport => parseScanReport(readScannerFixture(name));

function severities(r: ScanReport): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of r.vulnerabilities) out[v.severity] = (out[v.severity] ?? 0) + 1;
  return out;
}

describe('every fixture report parses', () => {
  const expected: Record<string, { scanner: string; vulns: number }> = {
    'trivy-alpine-3.9.json': { scanner: 'trivy', vulns: 6 },
    'trivy-ubuntu-18.04.json': { scanner: 'trivy', vulns: 5 },
    'trivy-ubi-7-rhel-python.json': { scanner: 'trivy', vulns: 2 },
    'trivy-spring4shell-debian-jar.json': { scanner: 'trivy', vulns: 1 },
    'trivy-sl-micro-5.4-no-vulns.json': { scanner: 'trivy', vulns: 0 },
    'trivy-npm-lockfile-with-packages.json': { scanner: 'trivy', vulns: 1 },
    'trivy-dockerfile-misconfig.json': { scanner: 'trivy', vulns: 0 },
    'trivy-repo-secrets.json': { scanner: 'trivy', vulns: 0 },
    'trivy-alpine-latest-docs-example.json': { scanner: 'trivy', vulns: 2 },
    'grype-alpine-java-ghsa.json': { scanner: 'grype', vulns: 2 },
    'grype-wolfi-apk-gem.json': { scanner: 'grype', vulns: 3 },
    'grype-rhel9-keycloak-rpm.json': { scanner: 'grype', vulns: 6 },
    'grype-presenter-image-current-schema.json': { scanner: 'grype', vulns: 2 },
    'grype-hello-world-no-matches.json': { scanner: 'grype', vulns: 0 },
  };
  it('covers every JSON file in the fixture folder', () => {
    const files = fs.readdirSync(SCANNER_FIXTURES).filter((f) => f.endsWith('.json')).sort();
    assert.deepEqual(files, Object.keys(expected).sort());
  });
  for (const [name, e] of Object.entries(expected)) {
    it(name, () => {
      const r = load(name);
      assert.equal(r.scanner, e.scanner);
      assert.equal(r.vulnerabilities.length, e.vulns);
      for (const v of r.vulnerabilities) {
        assert.ok(v.id && v.pkgName && v.installedVersion, `complete: ${JSON.stringify(v)}`);
        assert.ok(['critical', 'high', 'medium', 'low', 'info'].includes(v.severity));
      }
    });
  }
});

describe('Trivy', () => {
  it('alpine 3.9: 2 critical, 4 medium, all fixed, layer and OS', () => {
    const r = load('trivy-alpine-3.9.json');
    assert.deepEqual(severities(r), { critical: 2, medium: 4 });
    assert.equal(summaryText(r.vulnerabilities), '2 critical · 4 medium · 6 fixable');
    assert.deepEqual(r.os, { family: 'alpine', name: '3.9.4', eosl: true });
    assert.equal(r.artifactType, 'container_image');
    assert.equal(r.scannerVersion, 'dev');
    assert.equal(r.diffIds.length, 1);
    assert.equal(r.history?.length, 2);
    const musl = r.vulnerabilities.find((v) => v.pkgName === 'musl')!;
    assert.equal(musl.id, 'CVE-2019-14697');
    assert.equal(musl.severity, 'critical');
    assert.equal(musl.scannerSeverity, 'CRITICAL');
    assert.equal(musl.installedVersion, '1.1.20-r4');
    assert.equal(musl.fixedVersion, '1.1.20-r5');
    assert.equal(musl.status, 'fixed');
    assert.equal(musl.class, 'os');
    assert.equal(musl.pkgType, 'alpine');
    assert.equal(musl.primaryUrl, 'https://avd.aquasec.com/nvd/cve-2019-14697');
    assert.equal(musl.layerDiffId, r.diffIds[0]);
    assert.equal(musl.target, 'testdata/fixtures/images/alpine-39.tar.gz (alpine 3.9.4)');
    assert.equal(r.vulnerabilities.filter((v) => v.fixedVersion).length, 6);
    assert.equal(r.vulnerabilities.filter((v) => v.title).length, 6, 'musl has no Title: falls back to its description');
  });

  it('ubuntu 18.04: 4 medium, 1 low; bash is affected with no fix', () => {
    const r = load('trivy-ubuntu-18.04.json');
    assert.deepEqual(severities(r), { medium: 4, low: 1 });
    const bash = r.vulnerabilities.find((v) => v.pkgName === 'bash')!;
    assert.equal(bash.id, 'CVE-2019-18276');
    assert.equal(bash.fixedVersion, undefined);
    assert.deepEqual(bash.fixedVersions, []);
    assert.equal(bash.status, 'affected');
    assert.equal(summaryText(r.vulnerabilities), '4 medium · 1 low · 4 fixable');
    assert.ok(r.vulnerabilities.every((v) => v.layerDiffId === r.diffIds[0]));
    assert.equal(r.diffIds.length, 4);
    assert.equal(r.history?.filter((h) => !h.emptyLayer).length, 4);
  });

  it('ubi-7: an OS and a Python result; history without created_by', () => {
    const r = load('trivy-ubi-7-rhel-python.json');
    assert.deepEqual(severities(r), { high: 1, low: 1 });
    const st = r.vulnerabilities.find((v) => v.pkgName === 'setuptools')!;
    assert.equal(st.id, 'CVE-2022-40897');
    assert.equal(st.class, 'lang');
    assert.equal(st.pkgType, 'python-pkg');
    assert.equal(st.fixedVersion, '65.5.1');
    assert.ok(st.pkgPath);
    const bash = r.vulnerabilities.find((v) => v.pkgName === 'bash')!;
    assert.equal(bash.status, 'will_not_fix');
    assert.equal(bash.class, 'os');
    assert.ok(r.history?.every((h) => h.createdBy === undefined));
  });

  it('spring4shell: the jar vulnerability with its layer; no Vulnerabilities key on debian', () => {
    const r = load('trivy-spring4shell-debian-jar.json');
    assert.equal(r.vulnerabilities.length, 1);
    const v = r.vulnerabilities[0];
    assert.equal(v.id, 'CVE-2022-22965');
    assert.equal(v.severity, 'critical');
    assert.equal(v.pkgName, 'org.springframework:spring-beans');
    assert.equal(v.installedVersion, '5.3.15');
    assert.equal(v.fixedVersion, '5.3.18');
    assert.equal(v.target, 'Java');
    assert.equal(v.class, 'lang');
    assert.equal(v.pkgType, 'jar');
    assert.equal(v.pkgPath, 'usr/local/tomcat/webapps/helloworld.war/WEB-INF/lib/spring-beans-5.3.15.jar');
    assert.equal(v.layerDiffId, r.diffIds[8]);
    assert.equal(v.title, 'spring-framework: RCE via Data Binding on JDK 9+');
    assert.equal(v.purl, 'pkg:maven/org.springframework/spring-beans@5.3.15');
    assert.equal(r.diffIds.length, 9);
    assert.equal(r.history?.length, 25);
  });

  it('sl-micro: zero vulnerabilities', () => {
    const r = load('trivy-sl-micro-5.4-no-vulns.json');
    assert.equal(r.vulnerabilities.length, 0);
    assert.equal(summaryText(r.vulnerabilities), 'no known vulnerabilities');
    assert.equal(r.history?.[0].createdBy, 'KIWI 9.24.43');
  });

  it('npm lockfile: the vulnerable package carries its lockfile lines', () => {
    const r = load('trivy-npm-lockfile-with-packages.json');
    assert.equal(r.artifactType, 'repository');
    assert.equal(r.diffIds.length, 0);
    assert.equal(r.history, undefined);
    const v = r.vulnerabilities[0];
    assert.equal(v.id, 'CVE-2019-11358');
    assert.equal(v.severity, 'medium');
    assert.equal(v.pkgName, 'jquery');
    assert.equal(v.installedVersion, '3.3.9');
    assert.equal(v.fixedVersion, '3.4.0');
    assert.equal(v.target, 'package-lock.json');
    assert.equal(v.layerDiffId, undefined);
    assert.deepEqual(v.location, { path: 'package-lock.json', startLine: 11, endLine: 15 });
  });

  it('misconfiguration and secret reports', () => {
    const m = load('trivy-dockerfile-misconfig.json');
    assert.deepEqual(
      m.misconfigurations.map((x) => [x.id, x.severity, x.target, x.startLine]),
      [['DS-0002', 'high', 'Dockerfile', undefined]],
    );
    const s = load('trivy-repo-secrets.json');
    assert.deepEqual(
      s.secrets.map((x) => [x.ruleId, x.severity, x.target, x.startLine]),
      [
        ['aws-access-key-id', 'critical', 'deploy.sh', 3],
        ['mysecret', 'high', 'deploy.sh', 7],
      ],
    );
  });

  it('docs example (older schema): DiffID only, BuildKit history', () => {
    const r = load('trivy-alpine-latest-docs-example.json');
    assert.equal(r.scannerVersion, undefined);
    assert.deepEqual(severities(r), { low: 2 });
    assert.deepEqual(r.vulnerabilities.map((v) => [v.pkgName, v.fixedVersion]), [
      ['libcrypto3', '3.3.2-r1'],
      ['libssl3', '3.3.2-r1'],
    ]);
    assert.ok(r.vulnerabilities.every((v) => v.layerDiffId === r.diffIds[0]));
    assert.equal(r.history?.[0].createdBy, 'ADD alpine-minirootfs-3.20.3-aarch64.tar.gz / # buildkit');
  });
});

describe('Grype', () => {
  it('alpine java GHSA: 2 medium, fixed and unknown fix states, layer IDs, decoded history', () => {
    const r = load('grype-alpine-java-ghsa.json');
    assert.deepEqual(severities(r), { medium: 2 });
    const [ghsa, cve] = r.vulnerabilities;
    assert.equal(ghsa.id, 'GHSA-cfh5-3ghh-wfjx');
    assert.equal(ghsa.scannerSeverity, 'Medium');
    assert.equal(ghsa.pkgName, 'httpclient');
    assert.equal(ghsa.installedVersion, '4.1.1');
    assert.equal(ghsa.fixedVersion, '4.3.5');
    assert.equal(ghsa.status, 'fixed');
    assert.equal(ghsa.pkgType, 'java-archive');
    assert.equal(ghsa.class, 'lang');
    assert.equal(ghsa.target, '/TwilioNotifier.hpi');
    assert.equal(ghsa.primaryUrl, 'https://github.com/advisories/GHSA-cfh5-3ghh-wfjx');
    assert.equal(ghsa.title, 'Moderate severity vulnerability that affects org.apache.httpcomponents:httpclient');
    assert.equal(ghsa.layerDiffId, r.diffIds[1]);
    assert.equal(cve.id, 'CVE-2014-3577');
    assert.equal(cve.fixedVersion, undefined);
    assert.equal(cve.status, 'unknown');
    assert.equal(r.artifactType, 'image');
    assert.equal(r.scannerVersion, '0.65.1');
    assert.deepEqual(r.os, { family: 'alpine', name: '3.14.2', eosl: false });
    assert.equal(r.history?.length, 4);
    assert.equal(r.diffIds.length, 3);
    assert.equal(summaryText(r.vulnerabilities), '2 medium · 1 fixable');
  });

  it('wolfi: apk and gem matches', () => {
    const r = load('grype-wolfi-apk-gem.json');
    assert.deepEqual(severities(r), { high: 3 });
    assert.deepEqual(
      r.vulnerabilities.map((v) => [v.id, v.pkgName, v.pkgType, v.class, v.fixedVersion ?? null, v.status]),
      [
        ['CVE-2023-28755', 'ruby-3.0', 'apk', 'os', '3.0.6-r0', 'fixed'],
        ['CVE-2023-28755', 'uri', 'gem', 'lang', null, 'unknown'],
        ['GHSA-hv5j-3h9f-99c2', 'uri', 'gem', 'lang', '0.10.2', 'fixed'],
      ],
    );
    assert.ok(r.vulnerabilities.every((v) => v.layerDiffId === r.diffIds[0]));
  });

  it('keycloak: 6 low, wont-fix with no versions', () => {
    const r = load('grype-rhel9-keycloak-rpm.json');
    assert.deepEqual(severities(r), { low: 6 });
    assert.ok(r.vulnerabilities.every((v) => v.id === 'CVE-2020-12413' && v.status === 'wont-fix' && !v.fixedVersion));
    assert.deepEqual(r.vulnerabilities.map((v) => v.pkgName), ['nspr', 'nss', 'nss-softokn', 'nss-softokn-freebl', 'nss-sysinit', 'nss-util']);
    assert.ok(r.vulnerabilities.every((v) => v.layerDiffId === r.diffIds[1] && v.target === '/var/lib/rpm/rpmdb.sqlite'));
    assert.equal(r.history?.length, 24);
    assert.equal(r.os?.family, 'redhat');
    assert.equal(summaryText(r.vulnerabilities), '6 low · 0 fixable');
  });

  it('current schema (synthetic): suggestedVersion wins, no layerID, empty fix state', () => {
    const r = load('grype-presenter-image-current-schema.json');
    assert.deepEqual(severities(r), { low: 1, critical: 1 });
    const low = r.vulnerabilities.find((v) => v.id === 'CVE-1999-0001')!;
    assert.deepEqual(low.fixedVersions, ['1.2.1', '2.1.3', '3.4.0']);
    assert.equal(low.fixedVersion, '1.2.1');
    assert.equal(low.layerDiffId, undefined);
    const crit = r.vulnerabilities.find((v) => v.id === 'CVE-1999-0002')!;
    assert.equal(crit.status, '');
    assert.equal(crit.fixedVersion, undefined);
    assert.equal(crit.pkgType, 'deb');
    assert.equal(crit.class, 'os');
    assert.equal(r.history, undefined);
  });

  it('hello-world: zero matches, null idLike', () => {
    const r = load('grype-hello-world-no-matches.json');
    assert.equal(r.vulnerabilities.length, 0);
    assert.equal(r.os, undefined);
    assert.equal(r.history?.length, 5);
    assert.equal(r.diffIds.length, 1);
  });
});

describe('malformed reports', () => {
  for (const [name, text] of [
    ['empty', ''],
    ['not JSON', 'FATAL error: unable to initialize'],
    ['an array', '[]'],
    ['unknown object', '{"foo": 1}'],
    ['Results not an array', '{"SchemaVersion": 2, "Results": {}}'],
  ] as const) {
    it(`refuses ${name}`, () => {
      assert.throws(() => parseScanReport(text), MalformedReportError);
    });
  }
  it('skips entries with wrong types instead of throwing', () => {
    const r = parseScanReport(
      JSON.stringify({ SchemaVersion: 2, Results: [null, 3, { Vulnerabilities: [null, { VulnerabilityID: 7 }, { VulnerabilityID: 'CVE-1', PkgName: 'x', Severity: 42 }] }] }),
    );
    assert.equal(r.vulnerabilities.length, 1);
    assert.equal(r.vulnerabilities[0].severity, 'info');
    const g = parseScanReport(JSON.stringify({ matches: [null, { vulnerability: {}, artifact: {} }, { vulnerability: { id: 'X', fix: 'no' }, artifact: { name: 'p', locations: 'x' } }], source: { target: 'dir' } }));
    assert.equal(g.vulnerabilities.length, 1);
    assert.equal(g.artifactName, 'dir');
  });
});

describe('robustness', () => {
  it('any JSON value either parses or is refused as malformed (property)', async () => {
    const fc = (await import('fast-check')).default;
    const field = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constant(null));
    const trivyish = fc.record({
      SchemaVersion: field,
      Metadata: fc.oneof(field, fc.record({ DiffIDs: field, ImageConfig: fc.oneof(field, fc.record({ history: field, rootfs: field })), OS: field })),
      Results: fc.oneof(field, fc.array(fc.oneof(field, fc.record({ Target: field, Class: field, Packages: field, Vulnerabilities: fc.oneof(field, fc.array(fc.oneof(field, fc.record({ VulnerabilityID: field, PkgName: field, Severity: field, FixedVersion: field, Layer: field, PkgID: field })))) })))),
    });
    const grypeish = fc.record({
      matches: fc.oneof(field, fc.array(fc.oneof(field, fc.record({ vulnerability: fc.oneof(field, fc.record({ id: field, severity: field, fix: field, urls: field })), artifact: fc.oneof(field, fc.record({ name: field, version: field, type: field, locations: field })), matchDetails: field })))),
      source: fc.oneof(field, fc.record({ type: field, target: fc.oneof(field, fc.record({ config: fc.oneof(field, fc.base64String()), layers: field, tags: field })) })),
      distro: field,
    });
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue({ maxDepth: 4 }), trivyish, grypeish), (doc) => {
        try {
          const r = parseScanReport(JSON.stringify(doc) ?? '');
          for (const v of r.vulnerabilities) assert.equal(typeof v.id, 'string');
        } catch (e) {
          assert.ok(e instanceof MalformedReportError, String(e));
        }
      }),
      { numRuns: 3000 },
    );
  });
  it('a large report parses in well under a second per MB', () => {
    const base = JSON.parse(readScannerFixture('trivy-alpine-3.9.json'));
    const vulns = base.Results[0].Vulnerabilities;
    base.Results[0].Vulnerabilities = Array.from({ length: 20_000 }, (_, i) => ({ ...vulns[i % vulns.length], VulnerabilityID: `CVE-2099-${i}` }));
    const text = JSON.stringify(base);
    const start = Date.now();
    const r = parseScanReport(text);
    assert.equal(r.vulnerabilities.length, 20_000);
    assert.ok(Date.now() - start < 3000 * Math.max(1, text.length / 50e6), `${Date.now() - start} ms for ${(text.length / 1e6).toFixed(1)} MB`);
  });
});
