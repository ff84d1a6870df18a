import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyzeFile } from '../helpers/engine';
import { expectedFindings, findingKeys, fixtureFiles } from '../helpers/expectations';

/*
 * Every fixture under test/fixtures/container is analysed by the real engine
 * and must produce exactly the container findings its `expect:` labels name
 * (1-based line:rule keys), plus cloud/hardcoded-credential, which takes over
 * the credentials it recognises. missing-healthcheck is off by default, so it is
 * switched on for its own fixtures only.
 */

const files = fixtureFiles('container');

describe('container fixtures: exact findings', () => {
  it('has fixtures for every container rule', () => {
    const folders = new Set(files.map((f) => path.basename(path.dirname(f))));
    for (const rule of ['root-user', 'latest-tag', 'add-instead-of-copy', 'curl-pipe-shell', 'secret-in-env', 'sudo', 'apt-unpinned', 'expose-ssh', 'missing-healthcheck', 'malformed']) {
      assert.ok(folders.has(rule), `no fixtures for ${rule}`);
    }
    assert.ok(files.length >= 80, `only ${files.length} fixtures`);
  });

  for (const file of files) {
    const rel = path.relative(path.join(__dirname, '..', 'fixtures', 'container'), file);
    it(rel, async () => {
      const text = fs.readFileSync(file, 'utf8');
      const healthcheck = rel.startsWith('missing-healthcheck');
      const result = await analyzeFile(file, healthcheck ? { rules: { 'container/missing-healthcheck': { enabled: true } } } : {});
      assert.equal(result.kind, 'dockerfile');
      assert.deepEqual(result.notes.filter((n) => n.includes('container/')), [], 'a container rule threw');
      // cloud/hardcoded-credential too: secret-in-env leaves recognised credential formats to it.
      const actual = findingKeys(result.findings.filter((f) => f.layer === 'container' || f.ruleId === 'cloud/hardcoded-credential'));
      assert.deepEqual(actual, expectedFindings(text.replace(/^\uFEFF/, '')));
    });
  }
});
