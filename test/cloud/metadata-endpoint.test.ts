import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FileAnalysis } from '../../server/engine/types';
import { analyzeFile } from '../helpers/engine';
import { expectedFindings, findingKeys, fixtureFiles } from '../helpers/expectations';

const RULE = 'cloud/metadata-endpoint';
const meta = (a: FileAnalysis) => a.findings.filter((f) => f.ruleId === RULE);

/*
 * Fixtures are analysed at a project path made of their place in the fixture
 * folder (tests/ssrf.test.js is a test file, examples/… is not): the fixture
 * tree itself lives under test/, which would make every file a test file.
 */
const FIXTURE_ROOT = path.join(__dirname, '..', 'fixtures', 'cloud', 'metadata-endpoint');
const PROJECT = path.join(path.parse(process.cwd()).root, 'nonexistent-fourfold-project');

describe('cloud/metadata-endpoint fixtures', () => {
  const files = fixtureFiles('cloud/metadata-endpoint');
  test('fixtures cover code, manifests, Dockerfiles and scripts', () => assert.ok(files.length >= 5));
  for (const file of files) {
    const rel = path.relative(FIXTURE_ROOT, file);
    test(rel, async () => {
      const text = fs.readFileSync(file, 'utf8');
      const analysis = await analyzeFile(path.join(PROJECT, rel), {}, text);
      assert.deepEqual(findingKeys(meta(analysis)), expectedFindings(text));
    });
  }
});

describe('cloud/metadata-endpoint', () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ff-imds-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const analyze = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return analyzeFile(file, {}, text);
  };

  test('is informational, names the provider, and has no fix', async () => {
    const found = meta(await analyze('probe.py', 'import urllib.request\nurllib.request.urlopen("http://metadata.google.internal/computeMetadata/v1/")\n'));
    assert.equal(found.length, 1);
    assert.equal(found[0].severity, 'info');
    assert.match(found[0].message, /GCP metadata server/);
    assert.deepEqual(found[0].fixes, []);
    assert.deepEqual(found[0].range, { start: { line: 1, character: 31 }, end: { line: 1, character: 55 } });
  });

  test('documentation is not a request: Markdown and comments are skipped', async () => {
    assert.deepEqual(meta(await analyze('README.md', 'Call `curl http://169.254.169.254/latest/meta-data/`.\n')), []);
    assert.deepEqual(meta(await analyze('notes.ts', '/**\n * Never call 169.254.169.254 from user input.\n */\nexport const x = 1;\n')), []);
    assert.deepEqual(meta(await analyze('setup.sh', '# curl 169.254.169.254\necho done\n')), []);
  });

  test('one finding per line, and only whole addresses', async () => {
    const text = 'A="http://169.254.169.254/a http://169.254.169.254/b"\nB="169.254.169.2541"\nC="2169.254.169.254"\nD="x.metadata.google.internal"\n';
    assert.deepEqual(findingKeys(meta(await analyze('env.sh', text))), [`1:${RULE}`]);
  });

  test('guards are not requests: membership tests and comparisons', async () => {
    const text = 'def safe(url):\n    if "169.254.169.254" in url:\n        raise ValueError(url)\n    return "metadata.google.internal" not in url\n';
    assert.deepEqual(meta(await analyze('guard.py', text)), []);
  });

  test('off when minSeverity is above info', async () => {
    const file = path.join(dir, 'p.py');
    const text = 'requests.get("http://169.254.169.254/latest/meta-data/")\n';
    fs.writeFileSync(file, text);
    assert.deepEqual(meta(await analyzeFile(file, { minSeverity: 'low' }, text)), []);
  });

  test('test files, declarations and minified bundles are skipped; the project prefix above the root does not count', async () => {
    const line = 'requests.get("http://169.254.169.254/latest/meta-data/")\n';
    for (const name of ['tests/probe.py', 'testdata/probe.py', 'fixtures/probe.py', 'pkg/__tests__/probe.js', 'probe_test.py', 'test_probe.py', 'probe.spec.ts', 'probe.test.js', 'types/imds.d.ts', 'imds.min.js']) {
      assert.deepEqual(meta(await analyzeFile(path.join(PROJECT, name), {}, line)), [], name);
    }
    for (const name of ['src/probe.py', 'examples/probe.py', 'latest/probe.py', 'contest/probe.py', 'testing_utils.py']) {
      assert.equal(meta(await analyzeFile(path.join(PROJECT, name), {}, line)).length, 1, name);
    }
    // A checkout below a folder named tests/: only the part inside the project (here marked by .git) is judged.
    const checkout = path.join(dir, 'tests', 'project');
    fs.mkdirSync(path.join(checkout, '.git'), { recursive: true });
    fs.mkdirSync(path.join(checkout, 'src'));
    assert.equal(meta(await analyzeFile(path.join(checkout, 'src', 'probe.py'), {}, line)).length, 1);
    assert.deepEqual(meta(await analyzeFile(path.join(checkout, 'tests', 'probe.py'), {}, line)), []);
  });

  test('a JavaScript file is minified only with a line over 5,000 characters', async () => {
    const call = 'fetch("http://169.254.169.254/latest/meta-data/");';
    assert.equal(meta(await analyzeFile(path.join(PROJECT, 'src', 'a.js'), {}, `var x="${'a'.repeat(4900)}";\n${call}\n`)).length, 1);
    assert.deepEqual(meta(await analyzeFile(path.join(PROJECT, 'src', 'a.js'), {}, `var x="${'a'.repeat(5100)}";\n${call}\n`)), []);
  });
});
