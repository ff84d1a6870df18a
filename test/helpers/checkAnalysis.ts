import assert from 'node:assert/strict';
import { LineIndex } from '../../server/engine/lineIndex';
import type { FileAnalysis } from '../../server/engine/types';

/** What every analysis must satisfy whatever the input: no rule threw, every range lies inside the document. */
export function checkAnalysis(a: FileAnalysis, text: string): void {
  assert.deepEqual(a.notes, [], `no rule may throw: ${a.notes.join('\n')}`);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = new LineIndex(body);
  for (const f of [...a.findings, ...a.suppressed]) {
    for (const p of [f.range.start, f.range.end]) {
      assert.ok(p.line >= 0 && p.line < lines.lineCount, `${f.ruleId}: line ${p.line} outside 0..${lines.lineCount - 1}`);
      assert.ok(p.character >= 0 && p.character <= lines.lineText(p.line).length, `${f.ruleId}: character ${p.character} outside line ${p.line}`);
    }
    assert.ok(f.range.start.line < f.range.end.line || (f.range.start.line === f.range.end.line && f.range.start.character <= f.range.end.character), `${f.ruleId}: inverted range`);
  }
}

