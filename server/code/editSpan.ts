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

/** A mirrored syntax node: what moving it after an edit touches. */
interface Positioned {
  start: number;
  end: number;
  children: Positioned[];
}

/** Moves a reused mirror subtree by the edit's delta (the text after the edit moved). */
export function shiftOffsets(node: Positioned, delta: number): void {
  shiftFrom(node, delta, 0);
}

/** Recursive (four times faster than an explicit stack), with a stack below hostile nesting depths. */
function shiftFrom(node: Positioned, delta: number, depth: number): void {
  node.start += delta;
  node.end += delta;
  const children = node.children;
  if (depth < MAX_RECURSION) {
    for (let i = 0; i < children.length; i++) shiftFrom(children[i], delta, depth + 1);
    return;
  }
  const stack = children.slice();
  while (stack.length) {
    const n = stack.pop()!;
    n.start += delta;
    n.end += delta;
    for (let i = 0; i < n.children.length; i++) stack.push(n.children[i]);
  }
}

const MAX_RECURSION = 200;

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

/** Ranges of the new text whose syntax changed (tree-sitter's changed ranges). */
export type ChangedRanges = ReadonlyArray<{ startIndex: number; endIndex: number }>;

/**
 * The span of the new text an incremental mirror must read again: the edit
 * and the ranges whose structure changed. Outside it the tree is the old one.
 */
export function dirtySpan(edit: EditSpan, changed: ChangedRanges): { start: number; end: number } {
  let start = edit.start;
  let end = edit.newEnd;
  for (const r of changed) {
    start = Math.min(start, r.startIndex);
    end = Math.max(end, r.endIndex);
  }
  return { start, end };
}
