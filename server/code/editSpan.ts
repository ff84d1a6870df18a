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
  let start = 0;
  const minLen = Math.min(oldText.length, text.length);
  while (start < minLen && oldText.charCodeAt(start) === text.charCodeAt(start)) start++;
  let oldEnd = oldText.length;
  let newEnd = text.length;
  while (oldEnd > start && newEnd > start && oldText.charCodeAt(oldEnd - 1) === text.charCodeAt(newEnd - 1)) {
    oldEnd--;
    newEnd--;
  }
  return { start, oldEnd, newEnd, delta: newEnd - oldEnd };
}

/** A mirrored syntax node: what moving it after an edit touches. */
interface Positioned {
  start: number;
  end: number;
  children: Positioned[];
}

/** Moves a reused mirror subtree by the edit's delta (the text after the edit moved). */
export function shiftOffsets(node: Positioned, delta: number): void {
  const stack = [node];
  while (stack.length) {
    const n = stack.pop()!;
    n.start += delta;
    n.end += delta;
    for (const c of n.children) stack.push(c);
  }
}
