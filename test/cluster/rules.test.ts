import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { expectedFindings, findingKeys, fixtureFiles } from '../helpers/expectations';
import { FIXTURES, KUBERNETES_RULES, analyzeText } from './support';

/*
 * Every labelled fixture: the findings of the rules it is about (its folder's
 * rule plus every rule a label names) must be exactly the labelled ones.
 */
const RULE_OF_FOLDER: Record<string, string> = {
  'public-load-balancer': 'cloud/public-load-balancer',
  'ingress-without-tls': 'cloud/ingress-without-tls',
};

describe('cluster fixtures', () => {
  for (const file of fixtureFiles('cluster').filter((f) => /\.ya?ml$/.test(f))) {
    const rel = path.relative(FIXTURES, file);
    const folder = rel.split(path.sep)[0];
    if (folder === 'posture' || folder === 'parsing') continue;
    it(rel, async () => {
      const text = fs.readFileSync(file, 'utf8');
      const expected = expectedFindings(text);
      const folderRule = RULE_OF_FOLDER[folder] ?? `cluster/${folder}`;
      const relevant = new Set([folderRule, ...expected.map((k) => k.slice(k.indexOf(':') + 1))]);
      if (folder === 'inheritance') {
        // Inheritance cases are about the whole securityContext family.
        for (const id of ['missing-security-context', 'run-as-non-root', 'privilege-escalation', 'privileged', 'read-only-root-fs', 'capabilities', 'seccomp']) {
          relevant.add(`cluster/${id}`);
        }
      }
      const result = await analyzeText(file, text);
      assert.deepEqual(result.notes, [], 'no parse notes');
      const actual = findingKeys(result.findings.filter((f) => relevant.has(f.ruleId)));
      assert.deepEqual(actual, expected);
    });
  }

  it('every rule has a doc page with the sections users look for', () => {
    for (const rule of KUBERNETES_RULES) {
      const doc = path.join(__dirname, '..', '..', 'docs', 'rules', `${rule.meta.id}.md`);
      assert.ok(fs.existsSync(doc), doc);
      const text = fs.readFileSync(doc, 'utf8');
      assert.ok(text.startsWith(`# ${rule.meta.id} — `), doc);
      for (const section of ['## What it finds', '## Why an attacker cares', '## Examples', '## How to fix', '## How to suppress', '## Corresponds to']) {
        assert.ok(text.includes(section), `${doc}: ${section}`);
      }
      for (const alias of rule.meta.aliases ?? []) {
        const id = alias.slice(alias.indexOf(':') + 1);
        assert.ok(text.includes(id), `${doc} mentions ${alias}`);
      }
    }
  });

  it('a JSON manifest is analysed like YAML, with exact positions', async () => {
    const file = path.join(FIXTURES, 'inheritance', 'manifest.json');
    const result = await analyzeText(file, fs.readFileSync(file, 'utf8'));
    const keys = findingKeys(result.findings);
    assert.deepEqual(keys, ['11:cluster/privileged', '4:cluster/service-account-token', '6:cluster/host-namespaces', '9:cluster/resources']);
    const priv = result.findings.find((f) => f.ruleId === 'cluster/privileged')!;
    const line = fs.readFileSync(file, 'utf8').split('\n')[10];
    assert.equal(line.slice(priv.range.start.character, priv.range.end.character), '"privileged": true');
  });
});
