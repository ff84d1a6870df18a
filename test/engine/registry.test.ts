import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { ALL_RULES, ruleDocPath } from '../../server/engine/registry';
import { SEVERITIES } from '../../server/engine/types';
import { IMAGE_RULES } from '../../server/image/findings';

const ROOT = path.join(__dirname, '..', '..');
const metas = [...ALL_RULES.map((r) => r.meta), ...IMAGE_RULES];

test('every rule has a well-formed id, layer, severity, CWE and namespaced aliases', () => {
  const ids = new Set<string>();
  for (const m of metas) {
    assert.match(m.id, /^(code|container|cluster|cloud)\/[a-z0-9]+(-[a-z0-9]+)*$/, m.id);
    assert.equal(m.id.split('/')[0], m.layer, m.id);
    assert.ok(!ids.has(m.id), `duplicate id ${m.id}`);
    ids.add(m.id);
    assert.ok(SEVERITIES.includes(m.severity), m.id);
    assert.ok(m.title.length > 3 && m.description.length > 20, m.id);
    for (const c of m.cwe ?? []) assert.match(c, /^CWE-\d+$/, m.id);
    for (const a of m.aliases ?? []) assert.match(a, /^[a-z-]+:\S+$/, `${m.id}: ${a}`);
  }
});

test('every rule has its documentation page, which the diagnostics and SARIF link to', () => {
  for (const m of metas) {
    const doc = path.join(ROOT, ruleDocPath(m.id));
    assert.ok(fs.existsSync(doc), `missing ${ruleDocPath(m.id)}`);
    assert.match(fs.readFileSync(doc, 'utf8'), /^# /m, `${ruleDocPath(m.id)} has a title`);
  }
});
