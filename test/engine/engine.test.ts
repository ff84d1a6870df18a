import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultConfig, mergeConfig } from '../../server/engine/config';
import { Engine } from '../../server/engine/engine';
import type { FileRule, WorkspaceRule } from '../../server/engine/types';

// Rules written for these tests exercise the engine's own duties (isolation,
// configuration, filtering); the real rules are tested in their layer suites.
const everyLineWithTodo: FileRule = {
  meta: { id: 'code/todo', layer: 'code', title: 'TODO', description: 'd', severity: 'medium', fileKinds: ['python'] },
  check: (ctx) => {
    const out = [];
    for (let l = 0; l < ctx.lines.lineCount; l++) {
      const i = ctx.lines.lineText(l).indexOf('TODO');
      if (i >= 0) out.push({ range: { start: { line: l, character: i }, end: { line: l, character: i + 4 } }, message: 'todo', confidence: l === 0 ? ('review' as const) : ('high' as const) });
    }
    return out;
  },
};
const throwing: FileRule = {
  meta: { id: 'code/broken', layer: 'code', title: 'x', description: 'd', severity: 'high', fileKinds: ['python'] },
  check: () => {
    throw new Error('boom');
  },
};
const countFiles: WorkspaceRule<number> = {
  meta: { id: 'cluster/count', layer: 'cluster', title: 'x', description: 'd', severity: 'low', fileKinds: ['python'] },
  collect: (ctx) => ctx.lines.lineCount,
  check: (files) => files.filter((f) => f.data > 2).map((f) => ({ path: f.path, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: `${f.data} lines` })),
};

test('a rule that throws is reported as a note and the other rules still report', () => {
  const engine = new Engine(defaultConfig(), [throwing, everyLineWithTodo]);
  const a = engine.analyze({ path: '/a.py', text: 'x\n# TODO\n' });
  assert.equal(a.findings.length, 1);
  assert.match(a.notes[0], /code\/broken failed on \/a.py: Error: boom/);
});

test('review findings appear only when review is on', () => {
  const text = 'TODO first\nTODO second\n';
  assert.equal(new Engine(defaultConfig(), [everyLineWithTodo]).analyze({ path: '/a.py', text }).findings.length, 1);
  assert.equal(new Engine(mergeConfig(defaultConfig(), { review: true }), [everyLineWithTodo]).analyze({ path: '/a.py', text }).findings.length, 2);
});

test('configuration disables rules and layers, overrides severity, filters by minimum severity', () => {
  const text = 'x\nTODO\n';
  const off = new Engine(mergeConfig(defaultConfig(), { rules: { 'code/todo': { enabled: false } } }), [everyLineWithTodo]);
  assert.equal(off.analyze({ path: '/a.py', text }).findings.length, 0);
  const layerOff = new Engine(mergeConfig(defaultConfig(), { layers: { code: false } }), [everyLineWithTodo]);
  assert.equal(layerOff.analyze({ path: '/a.py', text }).findings.length, 0);
  const louder = new Engine(mergeConfig(defaultConfig(), { rules: { 'code/todo': { severity: 'critical' } } }), [everyLineWithTodo]);
  assert.equal(louder.analyze({ path: '/a.py', text }).findings[0].severity, 'critical');
  const onlyHigh = new Engine(mergeConfig(defaultConfig(), { minSeverity: 'high' }), [everyLineWithTodo]);
  assert.equal(onlyHigh.analyze({ path: '/a.py', text }).findings.length, 0);
});

test('binary and oversized files are skipped with a reason, never analysed', () => {
  const engine = new Engine(mergeConfig(defaultConfig(), { maxFileSize: 100 }), [everyLineWithTodo]);
  assert.equal(engine.analyze({ path: '/a.py', text: 'x\nTODO\0' }).skipped, 'binary content');
  assert.match(engine.analyze({ path: '/a.py', text: 'TODO\n'.repeat(50) }).skipped!, /larger than/);
  assert.match(engine.analyze({ path: '/a.png', text: 'TODO' }).skipped!, /not a file kind/);
});

test('a BOM does not shift positions and CRLF lines are handled', () => {
  const engine = new Engine(defaultConfig(), [everyLineWithTodo]);
  const a = engine.analyze({ path: '/a.py', text: '\uFEFFx\r\n  TODO\r\n' });
  assert.deepEqual(a.findings[0].range.start, { line: 1, character: 2 });
});

test('suppressed findings are kept apart with their reason; fingerprints survive line shifts', () => {
  const engine = new Engine(defaultConfig(), [everyLineWithTodo]);
  const a = engine.analyze({ path: '/a.py', text: 'x\nTODO  # fourfold-ignore code/todo: tracked in JIRA-1\nTODO\n' });
  assert.equal(a.findings.length, 1);
  assert.equal(a.suppressed[0].suppressedBy, 'comment: tracked in JIRA-1');
  const b = engine.analyze({ path: '/a.py', text: 'x\n\n\nTODO\n' });
  assert.equal(a.findings[0].fingerprint, b.findings[0].fingerprint);
});

test('workspace rules judge the data collected from every file', () => {
  const engine = new Engine(defaultConfig(), [countFiles]);
  const a = engine.analyze({ path: '/a.py', text: '1\n2\n3\n' });
  const b = engine.analyze({ path: '/b.py', text: '1\n' });
  const ws = engine.analyzeWorkspace([a, b]);
  assert.deepEqual([...ws.keys()], ['/a.py']);
  assert.equal(ws.get('/a.py')!.findings[0].message, '4 lines');
});
