import { LineIndex } from '../../server/engine/lineIndex';
import type { Fix, TextEdit } from '../../server/engine/types';

/** Applies a fix's edits to text the way an editor does (all ranges refer to the original text). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = new LineIndex(text);
  const spans = edits
    .map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), text: e.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  let lastStart = Infinity;
  for (const s of spans) {
    if (s.end > lastStart) throw new Error('overlapping edits');
    out = out.slice(0, s.start) + s.text + out.slice(s.end);
    lastStart = s.start;
  }
  return out;
}

/** Snippet placeholders (${1:tag}, $0) resolved to their default text, as a user accepting them gets. */
export function resolveSnippet(text: string): string {
  return text.replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\{\d+\}|\$\d+/g, '');
}

export function applyFix(text: string, fix: Fix): string {
  const edits = fix.snippet ? fix.edits.map((e) => ({ ...e, newText: resolveSnippet(e.newText) })) : fix.edits;
  return applyEdits(text, edits);
}
