// The extension side without VS Code: tree nodes from real reports, local image listings.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseScanReport } from '../../server/image';
import { parseDockerImageList, parsePodmanImageList } from '../../client/scanImage/localImages';
import { dependencyNodes, imageNodes } from '../../client/scanImage/nodes';
import { readScannerFixture } from './fixtures';

describe('tree nodes: Container → image → severity → vulnerability', () => {
  it('alpine 3.9: summary, severity groups, package@version → fixed', () => {
    const report = parseScanReport(readScannerFixture('trivy-alpine-3.9.json'));
    const [node] = imageNodes([{ key: 'ref:alpine:3.9', label: 'alpine:3.9', report, placements: new Map(), scannedAt: 0 }]);
    assert.equal(node.label, 'alpine:3.9');
    assert.equal(node.description, '2 critical · 4 medium · 6 fixable');
    assert.deepEqual(node.children!.map((c) => [c.label, c.description]), [
      ['Critical', '2'],
      ['Medium', '4'],
    ]);
    const musl = node.children![0].children![0];
    assert.equal(musl.label, 'CVE-2019-14697');
    assert.equal(musl.description, 'musl@1.1.20-r4 → 1.1.20-r5');
    assert.equal(musl.severity, 'critical');
    assert.deepEqual(musl.command, { command: 'vscode.open', title: 'Open advisory', arguments: ['https://avd.aquasec.com/nvd/cve-2019-14697'] });
    const ids = new Set<string>();
    const walk = (n: typeof node) => {
      assert.ok(!ids.has(n.id), `duplicate id ${n.id}`);
      ids.add(n.id);
      n.children?.forEach(walk);
    };
    walk(node);
    assert.equal(ids.size, 1 + 2 + 6);
  });
  it('a vulnerability placed on a Dockerfile line opens that line', () => {
    const report = parseScanReport(readScannerFixture('trivy-ubuntu-18.04.json'));
    const bash = report.vulnerabilities.find((v) => v.pkgName === 'bash')!;
    const range = { start: { line: 1, character: 0 }, end: { line: 1, character: 10 } };
    const [node] = imageNodes([{ key: 'k', label: 'u', report, placements: new Map([[bash, { path: '/w/Dockerfile', range }]]), scannedAt: 0 }]);
    const low = node.children!.find((c) => c.label === 'Low')!.children![0];
    assert.equal(low.description, 'bash@4.4.18-2ubuntu1.2 no fix (affected)');
    assert.deepEqual(low.location, { uri: 'file:///w/Dockerfile', range });
  });
  it('a clean image says so', () => {
    const report = parseScanReport(readScannerFixture('grype-hello-world-no-matches.json'));
    const [node] = imageNodes([{ key: 'k', label: 'hello', report, placements: new Map(), scannedAt: 0 }]);
    assert.equal(node.description, 'no known vulnerabilities');
    assert.equal(node.children![0].label, 'No known vulnerabilities');
  });
  it('dependencies group by lockfile', () => {
    const report = parseScanReport(readScannerFixture('trivy-npm-lockfile-with-packages.json'));
    const [deps] = dependencyNodes({ root: '/w', report, findings: [], scannedAt: 0 });
    assert.equal(deps.label, 'Dependencies');
    assert.equal(deps.children![0].label, 'package-lock.json');
    assert.equal(deps.children![0].children![0].children![0].description, 'jquery@3.3.9 → 3.4.0');
    assert.deepEqual(dependencyNodes(undefined), []);
  });
});

describe('local images', () => {
  it('docker image ls --format {{json .}}', () => {
    const out = [
      '{"Containers":"N/A","CreatedAt":"2024-01-01 00:00:00 +0000 UTC","CreatedSince":"2 months ago","Digest":"\\u003cnone\\u003e","ID":"05455a08881e","Repository":"alpine","SharedSize":"N/A","Size":"7.38MB","Tag":"3.19","UniqueSize":"N/A","VirtualSize":"7.38MB"}',
      '{"ID":"aaaa","Repository":"<none>","Tag":"<none>"}',
      '{"ID":"bbbb","Repository":"ghcr.io/org/app","Tag":"<none>"}',
      '{"ID":"cccc","Repository":"evil; rm -rf /","Tag":"x"}',
      'not json',
      '',
    ].join('\n');
    assert.deepEqual(parseDockerImageList(out), [
      { ref: 'alpine:3.19', id: '05455a08881e', engine: 'docker', size: '7.38MB', created: '2 months ago' },
      { ref: 'ghcr.io/org/app', id: 'bbbb', engine: 'docker', size: undefined, created: undefined },
    ]);
  });
  it('podman images --format json', () => {
    const out = JSON.stringify([
      { Id: 'abc', Names: ['quay.io/podman/hello:latest', 'localhost/hello:1'] },
      { Id: 'def', Names: null },
      { Id: 'ghi', Names: ['$(id)'] },
    ]);
    assert.deepEqual(parsePodmanImageList(out), [
      { ref: 'quay.io/podman/hello:latest', id: 'abc', engine: 'podman' },
      { ref: 'localhost/hello:1', id: 'abc', engine: 'podman' },
    ]);
    assert.deepEqual(parsePodmanImageList('garbage'), []);
  });
});
