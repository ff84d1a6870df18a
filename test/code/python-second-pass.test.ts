import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { test } from 'node:test';
import { setCodePrefilter } from '../../server/code/prefilter';
import { setFirstPassReplay } from '../../server/code/python/taint';
import { engineWith } from '../helpers/engine';
import { fixtureFiles } from '../helpers/expectations';

/** Everything a finding shows, so that a replayed second pass must match an analysed one exactly. */
function shown(findings: readonly { ruleId: string; range: unknown; message: string; related?: unknown; fixes?: unknown; confidence?: string; severity: string }[]): string {
  return JSON.stringify(findings.map((f) => [f.ruleId, f.range, f.message, f.related, f.fixes, f.confidence, f.severity]));
}

test('replaying second passes from first passes finds exactly what analysing every function twice finds, on every Python fixture, review findings on and off', async () => {
  const files = fixtureFiles('code').filter((f) => f.endsWith('.py'));
  assert.ok(files.length > 30, `${files.length} fixtures`);
  setCodePrefilter(false);
  try {
    for (const review of [false, true]) {
      const engine = await engineWith({ review });
      for (const file of files) {
        const text = fs.readFileSync(file, 'utf8');
        setFirstPassReplay(false);
        const analysed = shown(engine.analyze({ path: file, text }).findings);
        setFirstPassReplay(true);
        const replayed = shown(engine.analyze({ path: file, text }).findings);
        assert.equal(replayed, analysed, `${file} (review ${review})`);
      }
    }
  } finally {
    setFirstPassReplay(true);
    setCodePrefilter(true);
  }
});

// Each of these fixtures needs one of the checks before a replay (a summary applied, a class
// field read, the closure): with that check removed, its finding is lost.
for (const [fixture, check] of [
  ['command/helper-defined-after-caller.py', 'the helper’s summary changed after the first pass applied it'],
  ['command/field-stored-by-later-method.py', 'the field was stored after the first pass read it'],
  ['command/module-value-from-helper.py', 'the module-level code ran again, giving the function a new closure'],
]) {
  test(`a function is analysed again when ${check} (${fixture})`, async () => {
    const file = fixtureFiles('code').find((f) => f.endsWith(fixture));
    assert.ok(file);
    const result = (await engineWith()).analyze({ path: file, text: fs.readFileSync(file, 'utf8') });
    assert.equal(result.findings.filter((f) => f.ruleId === 'code/command-injection').length, 1);
  });
}
