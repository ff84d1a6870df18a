// Dependency scan results on manifest/lockfile lines, and the version-bump fix:
// after the edit the manifest still parses, names the fixed version, and nothing else changed.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { Finding, TextEdit } from '../../server/engine/types';
import { LineIndex } from '../../server/engine/lineIndex';
import {
  dependencyFindings,
  findPackageJsonDeclaration,
  findRequirementDeclaration,
  parseScanReport,
  type ScanReport,
} from '../../server/image';
import { readScannerFixture } from './fixtures';

const ROOT = '/ws';

function apply(text: string, edits: TextEdit[]): string {
  const idx = new LineIndex(text);
  let out = text;
  for (const e of [...edits].sort((a, b) => idx.offsetAt(b.range.start) - idx.offsetAt(a.range.start))) {
    out = out.slice(0, idx.offsetAt(e.range.start)) + e.newText + out.slice(idx.offsetAt(e.range.end));
  }
  return out;
}

function findingsFor(report: ScanReport, files: Record<string, string>): Finding[] {
  return dependencyFindings({ report, rootDir: ROOT, readFile: (p) => files[p] });
}

/** A synthetic Trivy fs report in the real schema, for manifests no fixture covers. */
function trivyFs(target: string, type: string, vulns: Array<[string, string, string, string | undefined, string]>): ScanReport {
  return parseScanReport(
    JSON.stringify({
      SchemaVersion: 2,
      ArtifactName: '.',
      ArtifactType: 'filesystem',
      Results: [
        {
          Target: target,
          Class: 'lang-pkgs',
          Type: type,
          Vulnerabilities: vulns.map(([id, pkg, ver, fixed, sev]) => ({ VulnerabilityID: id, PkgName: pkg, InstalledVersion: ver, FixedVersion: fixed, Severity: sev })),
        },
      ],
    }),
  );
}

const PACKAGE_JSON = `{
  "name": "app",
  "version": "3.3.9",
  "scripts": {
    "jquery": "echo not a dependency"
  },
  "dependencies": {
    "express": "4.17.1",
    "jquery": "^3.3.9"
  },
  "devDependencies": {
    "nested": { "jquery": "1.0.0" }
  }
}
`;

describe('npm: the real Trivy report with lockfile line ranges', () => {
  const report = parseScanReport(readScannerFixture('trivy-npm-lockfile-with-packages.json'));
  const lock = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n');

  it('lockfile lines 11–15 and the package.json declaration, with the bump fix', () => {
    const files = { [path.join(ROOT, 'package-lock.json')]: lock, [path.join(ROOT, 'package.json')]: PACKAGE_JSON };
    const f = findingsFor(report, files);
    assert.deepEqual(
      f.map((x) => [path.basename(x.path), x.range.start.line, x.range.end.line, x.severity, x.fixes.length]),
      [
        ['package-lock.json', 10, 14, 'medium', 0],
        ['package.json', 8, 8, 'medium', 1],
      ],
    );
    assert.match(f[0].message, /^jquery@3\.3\.9 has 1 known vulnerability \(1 medium · 1 fixable\)\. Upgrade to 3\.4\.0 to fix all of them\./);
    const fix = f[1].fixes[0];
    assert.equal(fix.title, 'Upgrade jquery to 3.4.0');
    const after = apply(PACKAGE_JSON, fix.edits);
    assert.equal(after, PACKAGE_JSON.replace('"jquery": "^3.3.9"', '"jquery": "^3.4.0"'));
    const parsed = JSON.parse(after);
    assert.equal(parsed.dependencies.jquery, '^3.4.0');
    assert.equal(parsed.scripts.jquery, 'echo not a dependency');
    // after the bump the package is no longer declared at a vulnerable version
    assert.equal(findPackageJsonDeclaration(after, 'jquery')?.lineText.includes('3.4.0'), true);
  });

  it('no package.json: only the lockfile line; no files at all: nothing', () => {
    assert.equal(findingsFor(report, { [path.join(ROOT, 'package-lock.json')]: lock }).length, 1);
    assert.equal(findingsFor(report, {}).length, 0);
  });

  it('a package.json that only mentions the name outside dependencies gets nothing', () => {
    const manifest = '{\n  "name": "jquery",\n  "scripts": { "jquery": "x" },\n  "dependencies": {\n    "lodash": "4.17.21"\n  }\n}\n';
    const f = findingsFor(report, { [path.join(ROOT, 'package.json')]: manifest });
    assert.deepEqual(f, []);
  });

  it('a non-version spec (git URL, tag) gets the diagnostic but no fix', () => {
    const manifest = '{\n  "dependencies": {\n    "jquery": "github:jquery/jquery#3.3.9"\n  }\n}\n';
    const f = findingsFor(report, { [path.join(ROOT, 'package.json')]: manifest });
    assert.equal(f.length, 1);
    assert.equal(f[0].fixes.length, 0);
  });
});

describe('requirements.txt', () => {
  const REQS = '# pinned\nDjango==3.2.0  # web\nrequests>=2.19.0\nflask\nPyYAML==5.3.1 ; python_version >= "3.6"\nurllib3>=1.0,<2\n';
  const report = trivyFs('requirements.txt', 'pip', [
    ['CVE-2021-33203', 'django', '3.2.0', '3.2.4, 2.2.24', 'MEDIUM'],
    ['CVE-2021-31542', 'django', '3.2.0', '3.2.1', 'HIGH'],
    ['CVE-2023-32681', 'requests', '2.19.0', '2.31.0', 'MEDIUM'],
    ['CVE-2020-14343', 'pyyaml', '5.3.1', '5.4', 'CRITICAL'],
    ['CVE-2023-43804', 'urllib3', '1.26.0', '1.26.17', 'HIGH'],
    ['CVE-2023-30861', 'flask', '2.2.0', undefined, 'HIGH'],
  ]);
  const files = { [path.join(ROOT, 'requirements.txt')]: REQS };

  it('one finding per declared package, the highest first-fixed version, PEP 503 names', () => {
    const f = findingsFor(report, files);
    assert.deepEqual(
      f.map((x) => [x.range.start.line, x.severity, x.fixes.map((y) => y.title)]),
      [
        [1, 'high', ['Upgrade django to 3.2.4']],
        [2, 'medium', ['Upgrade requests to 2.31.0']],
        [3, 'high', []],
        [4, 'critical', ['Upgrade pyyaml to 5.4']],
        [5, 'high', []],
      ],
    );
  });

  it('every fix changes only the version text', () => {
    for (const finding of findingsFor(report, files)) {
      for (const fix of finding.fixes) {
        const after = apply(REQS, fix.edits);
        const before = REQS.split('\n');
        const changed = after.split('\n').map((l, i) => (l === before[i] ? -1 : i)).filter((i) => i >= 0);
        assert.deepEqual(changed, [finding.range.start.line]);
        assert.equal(after.split('\n')[finding.range.start.line].replace(/[\d.]+/g, '#'), before[finding.range.start.line].replace(/[\d.]+/g, '#'));
      }
    }
    assert.equal(findRequirementDeclaration(REQS, 'Django')?.operator, '==');
    assert.equal(findRequirementDeclaration(REQS, 'py-yaml'), undefined);
    assert.equal(findRequirementDeclaration(REQS, 'pyyaml')?.line, 4);
  });
});

describe('Grype dir: reports', () => {
  it('paths are rooted at the scanned folder', () => {
    const report = parseScanReport(
      JSON.stringify({
        matches: [
          {
            vulnerability: { id: 'GHSA-x', severity: 'High', fix: { versions: ['4.17.21'], state: 'fixed' } },
            artifact: { name: 'lodash', version: '4.17.20', type: 'npm', locations: [{ path: '/web/package-lock.json' }] },
          },
        ],
        source: { type: 'directory', target: '/ws' },
      }),
    );
    const lock = '{\n  "packages": {\n    "node_modules/lodash": {\n      "version": "4.17.20"\n    }\n  }\n}\n';
    const pkg = '{\n  "dependencies": {\n    "lodash": "~4.17.20"\n  }\n}\n';
    const f = findingsFor(report, { [path.join(ROOT, 'web/package-lock.json')]: lock, [path.join(ROOT, 'web/package.json')]: pkg });
    assert.deepEqual(
      f.map((x) => [path.relative(ROOT, x.path), x.range.start.line, x.fixes[0]?.title]),
      [
        ['web/package-lock.json', 2, undefined],
        ['web/package.json', 2, 'Upgrade lodash to 4.17.21'],
      ],
    );
    assert.equal(JSON.parse(apply(pkg, f[1].fixes[0].edits)).dependencies.lodash, '~4.17.21');
  });
});
