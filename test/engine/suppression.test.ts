import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineIndex } from '../../server/engine/lineIndex';
import { findSuppression, parseSuppressions, suppressionFix } from '../../server/engine/suppression';
import type { Finding, RuleMeta } from '../../server/engine/types';

function finding(ruleId: string, line: number, layer: Finding['layer'] = 'code'): Finding {
  return {
    ruleId,
    layer,
    severity: 'high',
    title: 't',
    docs: '',
    path: '/x',
    fixes: [],
    fingerprint: 'f',
    message: 'm',
    range: { start: { line, character: 0 }, end: { line, character: 5 } },
  };
}
const meta = (id: string, aliases: string[] = []): RuleMeta => ({ id, layer: id.split('/')[0] as RuleMeta['layer'], title: '', description: '', severity: 'high', aliases, fileKinds: [] });

test('fourfold-ignore on the line itself silences that rule only', () => {
  const s = parseSuppressions(new LineIndex('x = 1\ncursor.execute(q)  # fourfold-ignore code/sql-injection: input is a constant\n'), 'python');
  assert.equal(s.length, 1);
  assert.equal(s[0].reason, 'input is a constant');
  assert.ok(findSuppression(finding('code/sql-injection', 1), meta('code/sql-injection'), s, true));
  assert.equal(findSuppression(finding('code/xss', 1), meta('code/xss'), s, true), undefined);
});

test('a comment line above silences the next line of code, across other comments', () => {
  const text = '// fourfold-ignore code/xss, code/ssrf: reviewed\n// another comment\nel.innerHTML = x;\n';
  const s = parseSuppressions(new LineIndex(text), 'javascript');
  assert.equal(s[0].line, 2);
  assert.ok(findSuppression(finding('code/ssrf', 2), meta('code/ssrf'), s, true));
});

test('hadolint ignore maps through the rule aliases; global ignore covers the file', () => {
  const text = '# hadolint ignore=DL3002\nUSER root\n# hadolint global ignore=DL3007\nFROM a\n';
  const s = parseSuppressions(new LineIndex(text), 'dockerfile');
  assert.ok(findSuppression(finding('container/root-user', 1, 'container'), meta('container/root-user', ['hadolint:DL3002']), s, true));
  assert.ok(findSuppression(finding('container/latest-tag', 9, 'container'), meta('container/latest-tag', ['hadolint:DL3007']), s, true));
  assert.equal(findSuppression(finding('container/latest-tag', 1, 'container'), meta('container/latest-tag', ['hadolint:DL3006']), s, true), undefined);
});

test('bare nosec silences code findings on its line but not other layers', () => {
  const s = parseSuppressions(new LineIndex('os.system(cmd)  # nosec\n'), 'python');
  assert.ok(findSuppression(finding('code/command-injection', 0), meta('code/command-injection'), s, true));
  assert.equal(findSuppression(finding('cloud/hardcoded-credential', 0, 'cloud'), meta('cloud/hardcoded-credential'), s, true), undefined);
});

test('nosec with bandit ids, checkov skip and trivy ignore map to aliases', () => {
  const py = parseSuppressions(new LineIndex('cur.execute(q)  # nosec B608\n'), 'python');
  assert.ok(findSuppression(finding('code/sql-injection', 0), meta('code/sql-injection', ['bandit:B608']), py, true));
  const df = parseSuppressions(new LineIndex('# checkov:skip=CKV_DOCKER_3: build image\nFROM a\n#trivy:ignore:DS002\nUSER root\n'), 'dockerfile');
  assert.ok(findSuppression(finding('container/root-user', 3, 'container'), meta('container/root-user', ['trivy:DS002']), df, true));
  assert.ok(findSuppression(finding('container/x', 40, 'container'), meta('container/x', ['checkov:CKV_DOCKER_3']), df, true));
});

test('foreign suppressions can be switched off; ours still work', () => {
  const s = parseSuppressions(new LineIndex('a()  # nosec\nb()  # fourfold-ignore code/xss\n'), 'python');
  assert.equal(findSuppression(finding('code/xss', 0), meta('code/xss'), s, false), undefined);
  assert.ok(findSuppression(finding('code/xss', 1), meta('code/xss'), s, false));
});

test('the suppression fix inserts an indented comment line in the file syntax and line ending', () => {
  const lines = new LineIndex('def f():\r\n    os.system(x)\r\n');
  const fix = suppressionFix({ ...finding('code/command-injection', 1), path: '/a.py' }, lines, 'python')!;
  assert.equal(fix.edits[0].newText, '    # fourfold-ignore code/command-injection: reviewed, not exploitable\r\n');
  const after = parseSuppressions(new LineIndex(fix.edits[0].newText + lines.lineText(1)), 'python');
  assert.equal(after[0].line, 1);
  assert.equal(suppressionFix({ ...finding('cloud/x', 0, 'cloud'), path: '/a.json' }, lines, 'json'), undefined);
});
