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
