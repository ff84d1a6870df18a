import * as fs from 'node:fs';
import * as path from 'node:path';

/*
 * Whether a file is test or fixture material: secret scanners and benchmarks
 * treat a private key in `test/certdata/` or an address in an SSRF test case
 * as test data, not a leak or a request.
 *
 * Only the part of the path inside the project counts: a checkout under
 * `/home/ci/tests/` is not a test fixture. The project root is the outermost
 * ancestor holding a repository or package marker (.git, package.json,
 * pyproject.toml, ...); without one, the whole path is judged. Marker lookups
 * are cached per folder for the life of the process.
 *
 * `examples/` and `demo/` do not count: example code is copied into real
 * projects, and real keys are committed there.
 */

const TEST_SEGMENTS = new Set([
  'test', 'tests', 'testdata', 'test-data', 'test_data', 'fixtures', 'fixture', '__tests__', '__fixtures__', '__mocks__', 'certdata',
]);
const TEST_FILE_NAMES = [
  /\.(?:test|spec)\.[^.]+$/i, // app.test.ts, api.spec.js
  /_(?:test|spec)\.[^.]+$/i, // server_test.go, user_spec.rb
  /^test_[^/]*\.py$/i, // pytest: test_views.py
  /^conftest\.py$/i,
];
const MARKERS = ['.git', 'package.json', 'pyproject.toml', 'setup.py', 'setup.cfg', 'go.mod', 'Cargo.toml', 'pom.xml', 'build.gradle', 'Gemfile', 'composer.json'];

const markerCache = new Map<string, boolean>();

function hasMarker(dir: string): boolean {
  let hit = markerCache.get(dir);
  if (hit === undefined) {
    hit = MARKERS.some((m) => {
      try {
        fs.statSync(path.join(dir, m));
        return true;
      } catch {
        return false;
      }
    });
    if (markerCache.size > 10_000) markerCache.clear();
    markerCache.set(dir, hit);
  }
  return hit;
}

/** The path below the outermost project root, or the whole path when there is none. */
function projectRelative(file: string): string {
  if (!path.isAbsolute(file)) return file;
  let root: string | undefined;
  let dir = path.dirname(file);
  for (let i = 0; i < 64; i++) {
    if (hasMarker(dir)) root = dir;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return root ? path.relative(root, file) : file;
}

export function isTestFixturePath(file: string): boolean {
  const base = path.basename(file);
  if (TEST_FILE_NAMES.some((re) => re.test(base))) return true;
  const segments = projectRelative(file).split(/[\\/]+/).slice(0, -1);
  return segments.some((s) => TEST_SEGMENTS.has(s.toLowerCase()));
}

/** TypeScript declaration files describe APIs; they never make a request. */
export function isDeclarationFile(file: string): boolean {
  return /\.d\.[cm]?ts$/i.test(file);
}

/** Minified bundles: a *.min.js name, or a JavaScript line longer than 5,000 characters (a build output duplicating its sources). */
export function isMinified(file: string, text: string, kind: string): boolean {
  if (/\.min\.[cm]?js$/i.test(file)) return true;
  if (kind !== 'javascript') return false;
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    if (end - start > 5000) return true;
    start = end + 1;
  }
  return false;
}
