// Layer attribution: history + diff_ids → Dockerfile instruction, on real reports.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  attributeLayers,
  imageFindings,
  normaliseCreatedBy,
  parseDockerfile,
  parseScanReport,
  type ScanReport,
} from '../../server/image';
import { readScannerFixture } from './fixtures';

const FIXTURES = path.join(__dirname, '../fixtures/image');
const report = (name: string): ScanReport => parseScanReport(readScannerFixture(name));
const dockerfile = (name: string) => {
  const p = path.join(FIXTURES, name);
  return { path: p, text: fs.readFileSync(p, 'utf8') };
};

describe('history ↔ diff_ids (Trivy consolidateCreatedBy)', () => {
  const expected: Array<[string, number, boolean]> = [
    ['trivy-ubuntu-18.04.json', 4, true],
    ['trivy-spring4shell-debian-jar.json', 9, true],
    ['trivy-alpine-3.9.json', 1, true],
    ['trivy-alpine-latest-docs-example.json', 1, true],
    ['grype-rhel9-keycloak-rpm.json', 4, true],
    ['grype-alpine-java-ghsa.json', 3, true],
    ['trivy-npm-lockfile-with-packages.json', 0, false],
    ['grype-presenter-image-current-schema.json', 3, false],
  ];
  for (const [name, layers, reliable] of expected) {
    it(`${name}: ${layers} layers, history ${reliable ? 'lines up' : 'absent'}`, () => {
      const r = report(name);
      const a = attributeLayers(r.history, r.diffIds);
      assert.equal(a.layers.length, layers);
      assert.equal(a.historyReliable, reliable);
      if (reliable) assert.ok(a.layers.every((l) => l.historyIndex !== undefined));
    });
  }
  it('ubuntu 18.04: 4 of 4 layers have their created_by', () => {
    const a = attributeLayers(report('trivy-ubuntu-18.04.json').history, report('trivy-ubuntu-18.04.json').diffIds);
    assert.deepEqual(a.layers.map((l) => l.historyIndex), [0, 1, 2, 3]);
    assert.match(a.layers[0].createdBy!, /ADD file:c477cb0e/);
    assert.match(a.layers[3].createdBy!, /mkdir -p \/run\/systemd/);
  });
  it('spring4shell: 9 of 9; layer 8 is the COPY into webapps', () => {
    const r = report('trivy-spring4shell-debian-jar.json');
    const a = attributeLayers(r.history, r.diffIds);
    assert.deepEqual(a.layers.map((l) => l.historyIndex), [0, 2, 4, 8, 11, 19, 20, 21, 24]);
    assert.match(a.layers[8].createdBy!, /COPY file:4a1136b5.* in \/usr\/local\/tomcat\/webapps\//);
  });
  it('ubi-7: no created_by anywhere, so nothing can be matched', () => {
    const r = report('trivy-ubi-7-rhel-python.json');
    const a = attributeLayers(r.history, r.diffIds, parseDockerfile('FROM ubi7\nRUN yum install -y python-setuptools\n'));
    assert.equal(a.historyReliable, true);
    assert.equal(a.builtFromDockerfile, false);
    assert.ok(a.layers.every((l) => l.origin === 'unknown'));
  });
});

describe('created_by forms', () => {
  it('legacy, BuildKit and non-Dockerfile', () => {
    assert.deepEqual(normaliseCreatedBy('/bin/sh -c #(nop) COPY file:4a11 in /usr/local/tomcat/webapps/ '), {
      keyword: 'COPY',
      args: '/usr/local/tomcat/webapps/',
      destinationOnly: true,
    });
    assert.deepEqual(normaliseCreatedBy('/bin/sh -c #(nop)  CMD ["bash"]'), { keyword: 'CMD', args: '["bash"]' });
    assert.deepEqual(normaliseCreatedBy('/bin/sh -c mkdir -p "$CATALINA_HOME"'), { keyword: 'RUN', args: 'mkdir -p "$CATALINA_HOME"' });
    assert.deepEqual(normaliseCreatedBy('|2 A=1 B=2 /bin/sh -c make all'), { keyword: 'RUN', args: 'make all' });
    assert.deepEqual(normaliseCreatedBy('RUN |1 V=3 /bin/sh -c make # buildkit'), { keyword: 'RUN', args: 'make' });
    assert.deepEqual(normaliseCreatedBy('COPY /opt/keycloak /opt/keycloak # buildkit'), { keyword: 'COPY', args: '/opt/keycloak /opt/keycloak' });
    assert.deepEqual(normaliseCreatedBy('EXPOSE map[8080/tcp:{}]'), { keyword: 'EXPOSE', args: 'map[8080/tcp:{}]' });
    assert.equal(normaliseCreatedBy('apko'), undefined);
    assert.equal(normaliseCreatedBy('KIWI 9.24.43'), undefined);
    assert.equal(normaliseCreatedBy(undefined), undefined);
  });
});

function summary(findings: ReturnType<typeof imageFindings>['findings']) {
  return findings.map((f) => [f.ruleId, f.range.start.line, f.severity, (f.data?.vulnerabilities as string[]).length]);
}

describe('vulnerabilities land on the Dockerfile line that added them', () => {
  it('spring4shell: the jar vulnerability → line of COPY helloworld.war (legacy builder)', () => {
    const df = dockerfile('spring4shell.Dockerfile');
    const r = report('trivy-spring4shell-debian-jar.json');
    const { findings, attribution } = imageFindings({ report: r, dockerfilePath: df.path, dockerfileText: df.text });
    assert.equal(attribution.builtFromDockerfile, true);
    assert.deepEqual(attribution.layers.map((l) => l.origin), ['base', 'base', 'base', 'base', 'base', 'base', 'base', 'base', 'instruction']);
    assert.equal(attribution.layers[8].instruction?.startLine, 4);
    assert.deepEqual(summary(findings), [['container/layer-vulnerabilities', 4, 'critical', 1]]);
    assert.match(findings[0].message, /^COPY adds 1 vulnerable package version/);
    assert.match(findings[0].message, /CVE-2022-22965 \(critical\) org\.springframework:spring-beans@5\.3\.15 → fixed in 5\.3\.18/);
    assert.deepEqual(findings[0].range, { start: { line: 4, character: 0 }, end: { line: 4, character: 46 } });
  });

  it('ubuntu 18.04 (FROM scratch): 4 of 4 layers matched, all vulnerabilities → the ADD line', () => {
    const df = dockerfile('ubuntu-1804.Dockerfile');
    const r = report('trivy-ubuntu-18.04.json');
    const { findings, attribution } = imageFindings({ report: r, dockerfilePath: df.path, dockerfileText: df.text });
    assert.deepEqual(attribution.layers.map((l) => [l.origin, l.instruction?.keyword, l.instruction?.startLine]), [
      ['instruction', 'ADD', 1],
      ['instruction', 'RUN', 5],
      ['instruction', 'RUN', 6],
      ['instruction', 'RUN', 30],
    ]);
    assert.deepEqual(summary(findings), [['container/layer-vulnerabilities', 1, 'medium', 5]]);
    assert.match(findings[0].message, /4 medium · 1 low · 4 fixable/);
  });

  it('BuildKit history (docs example) → the ADD line', () => {
    const df = dockerfile('alpine-buildkit.Dockerfile');
    const { findings } = imageFindings({ report: report('trivy-alpine-latest-docs-example.json'), dockerfilePath: df.path, dockerfileText: df.text });
    assert.deepEqual(summary(findings), [['container/layer-vulnerabilities', 1, 'low', 2]]);
  });

  it('Grype keycloak (decoded config, multi-stage, BuildKit): nss packages → COPY --from=ubi-micro-build', () => {
    const df = dockerfile('keycloak.Dockerfile');
    const { findings, attribution } = imageFindings({ report: report('grype-rhel9-keycloak-rpm.json'), dockerfilePath: df.path, dockerfileText: df.text });
    assert.deepEqual(attribution.layers.map((l) => [l.origin, l.instruction?.startLine]), [
      ['base', undefined],
      ['instruction', 12],
      ['instruction', 13],
      ['instruction', 15],
    ]);
    assert.deepEqual(summary(findings), [['container/layer-vulnerabilities', 12, 'low', 6]]);
  });

  it('Buildah history that flags the COPY as empty: nothing is blamed on CMD', () => {
    const df = parseDockerfile(dockerfile('podman-hello.Dockerfile').text);
    const r = report('grype-hello-world-no-matches.json');
    const a = attributeLayers(r.history, r.diffIds, df);
    assert.equal(a.layers[0].origin, 'unknown');
    assert.equal(a.builtFromDockerfile, false);
  });

  it('an edited Dockerfile that matches nothing attributes nothing', () => {
    const r = report('trivy-spring4shell-debian-jar.json');
    const { findings, attribution } = imageFindings({
      report: r,
      dockerfilePath: '/w/Dockerfile',
      dockerfileText: 'FROM tomcat:9\nCOPY other.war /srv/\n',
    });
    assert.equal(attribution.builtFromDockerfile, false);
    assert.deepEqual(findings, []);
  });

  it('--dockerfile given but no instruction matches: the vulnerabilities go on the final FROM', () => {
    const r = report('trivy-spring4shell-debian-jar.json');
    const { findings } = imageFindings({
      report: r,
      dockerfilePath: '/w/Dockerfile',
      dockerfileText: 'FROM maven AS build\nFROM tomcat:9\nCOPY other.war /srv/\n',
      builtFromDockerfile: true,
    });
    assert.deepEqual(summary(findings), [['container/base-image-vulnerabilities', 1, 'critical', 1]]);
  });
});

describe('a scanned base image → every FROM line using it', () => {
  it('alpine:3.9 on ARG-resolved and canonical FROMs, not on look-alikes', () => {
    const df = dockerfile('alpine-base.Dockerfile');
    const { findings } = imageFindings({ report: report('trivy-alpine-3.9.json'), dockerfilePath: df.path, dockerfileText: df.text, imageRef: 'alpine:3.9' });
    assert.deepEqual(summary(findings), [
      ['container/base-image-vulnerabilities', 2, 'critical', 6],
      ['container/base-image-vulnerabilities', 5, 'critical', 6],
    ]);
    const msg = findings[0].message;
    assert.match(msg, /^alpine:3\.9: 6 known vulnerabilities \(2 critical · 4 medium · 6 fixable\)\./);
    assert.match(msg, /alpine 3\.9\.4 is end-of-life/);
    assert.match(msg, /6 fixed by upgrading to a newer tag/);
    assert.match(msg.split('\n')[1], /^• CVE-2019-14697 \(critical\) musl@1\.1\.20-r4 → fixed in 1\.1\.20-r5/);
    // the range covers the image text as written (${BASE})
    assert.deepEqual(findings[0].range, { start: { line: 2, character: 5 }, end: { line: 2, character: 12 } });
    assert.deepEqual(findings[1].range, { start: { line: 5, character: 5 }, end: { line: 5, character: 33 } });
  });
  it('without a reference: the report names (RepoTags) are used', () => {
    const { findings } = imageFindings({
      report: report('trivy-spring4shell-debian-jar.json'),
      dockerfilePath: '/w/Dockerfile',
      dockerfileText: 'FROM ghcr.io/aquasecurity/trivy-test-images:spring4shell-jre11\nUSER 1000\n',
    });
    assert.deepEqual(summary(findings), [['container/base-image-vulnerabilities', 0, 'critical', 1]]);
  });
  it('Grype: a FROM pinned by digest matches the scanned repo digest', () => {
    const { findings } = imageFindings({
      report: report('grype-alpine-java-ghsa.json'),
      dockerfilePath: '/w/Dockerfile',
      dockerfileText: 'FROM anchore/test_images@sha256:10008791acbc5866de04108746a02a0c4029ce3a4400a9b3dad45d7f2245f9da\n',
    });
    assert.deepEqual(summary(findings), [['container/base-image-vulnerabilities', 0, 'medium', 2]]);
    assert.match(findings[0].message, /1 fixed by upgrading the application packages/);
  });
  it('a clean image gives no finding', () => {
    const { findings } = imageFindings({ report: report('trivy-sl-micro-5.4-no-vulns.json'), dockerfilePath: '/w/Dockerfile', dockerfileText: 'FROM x\n', imageRef: 'x' });
    assert.deepEqual(findings, []);
  });
  it('hostile Dockerfile text never throws', () => {
    const r = report('trivy-spring4shell-debian-jar.json');
    for (const text of ['', '\\', 'FROM', 'FROM ${', 'RUN <<EOF\n', 'FROM $A:${B:-x}\nCOPY \\\n', '\0\0\0', 'x'.repeat(100000), 'FROM a\n'.repeat(5000)]) {
      imageFindings({ report: r, dockerfilePath: '/w/Dockerfile', dockerfileText: text, imageRef: 'a' });
    }
  });
});
