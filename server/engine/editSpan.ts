/** The changed span between two versions of a text, in both versions' offsets. */
export interface EditSpan {
  /** First offset that differs (same in both texts). */
  start: number;
  /** End of the changed span in the old text. */
  oldEnd: number;
  /** End of the changed span in the new text. */
  newEnd: number;
  /** newEnd - oldEnd: how far the text after the edit moved. */
  delta: number;
}

/**
 * The edit as the span between the common prefix and the common suffix: what
 * tree-sitter's `tree.edit` and the incremental mirrors need. Linear, once per edit.
 */
export function editSpan(oldText: string, text: string): EditSpan {
  // One keystroke asks for the same span several times (reparse, mirror, taint reuse).
  if (lastSpan && lastSpan.oldText === oldText && lastSpan.text === text) return lastSpan.span;
  const span = computeEditSpan(oldText, text);
  lastSpan = { oldText, text, span };
  return span;
}

let lastSpan: { oldText: string; text: string; span: EditSpan } | undefined;

function computeEditSpan(oldText: string, text: string): EditSpan {
  const minLen = Math.min(oldText.length, text.length);
  // Whole chunks first (native comparisons), then characters: a keystroke in a large file is cheap.
  let start = 0;
  while (start + CHUNK <= minLen && oldText.slice(start, start + CHUNK) === text.slice(start, start + CHUNK)) start += CHUNK;
  while (start < minLen && oldText.charCodeAt(start) === text.charCodeAt(start)) start++;
  let oldEnd = oldText.length;
  let newEnd = text.length;
  while (oldEnd - CHUNK >= start && newEnd - CHUNK >= start && oldText.slice(oldEnd - CHUNK, oldEnd) === text.slice(newEnd - CHUNK, newEnd)) {
    oldEnd -= CHUNK;
    newEnd -= CHUNK;
  }
  while (oldEnd > start && newEnd > start && oldText.charCodeAt(oldEnd - 1) === text.charCodeAt(newEnd - 1)) {
    oldEnd--;
    newEnd--;
  }
  return { start, oldEnd, newEnd, delta: newEnd - oldEnd };
}

const CHUNK = 1024;

/**
 * Where an offset of the old text lies in the new one, for positions kept
 * from the previous analysis: before the edit it stays, after it it moves;
 * inside the changed span it has no counterpart (undefined). `end`: the
 * offset closes a range, so one touching the start of an insertion stays.
 */
export function mapOffset(offset: number, edit: EditSpan, end = false): number | undefined {
  if (end ? offset <= edit.start : offset < edit.start) return offset;
  if (offset >= edit.oldEnd) return offset + edit.delta;
  return undefined;
}
