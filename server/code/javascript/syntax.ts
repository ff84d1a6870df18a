import type { Tree, TreeCursor } from 'web-tree-sitter';
import { dirtySpan, shiftOffsets, type ChangedRanges, type EditSpan } from '../editSpan';

/**
 * A plain-JavaScript copy of the parts of the tree the taint pass reads.
 * Reading a web-tree-sitter node crosses into WASM on every property; one
 * cursor walk that copies named nodes (and field-labelled operators) lets the
 * analysis then run at JavaScript speed. Punctuation, comments, type
 * annotations' insides and string contents are not copied.
 */
export interface Syn {
  type: string;
  start: number;
  end: number;
  field: string | null;
  children: Syn[];
  parent: Syn | null;
}

/** Nodes whose insides the analysis never needs (text is sliced when wanted). */
const OPAQUE = new Set([
  'string', 'regex', 'number', 'comment', 'type_annotation', 'type_arguments', 'type_parameters', 'interface_declaration',
  'type_alias_declaration', 'jsx_text', 'html_comment', 'hash_bang_line', 'enum_declaration', 'abstract_method_signature',
  'method_signature', 'property_signature', 'index_signature', 'ambient_declaration', 'predefined_type', 'type_identifier',
  'generic_type', 'union_type', 'opt_type_annotation', 'asserts_annotation', 'type_predicate_annotation', 'omitting_type_annotation',
]);

export function mirror(tree: Tree): Syn {
  const cursor = tree.walk();
  try {
    const root: Syn = { type: cursor.nodeType, start: cursor.startIndex, end: cursor.endIndex, field: null, children: [], parent: null };
    if (cursor.gotoFirstChild()) {
      do mirrorInto(cursor, root);
      while (cursor.gotoNextSibling());
    }
    return root;
  } finally {
    cursor.delete();
  }
}

/** Whether the cursor's node is copied: named nodes but comments, and field-labelled tokens. */
function kept(cursor: TreeCursor): boolean {
  return cursor.nodeIsNamed ? cursor.nodeType !== 'comment' : cursor.currentFieldName !== null;
}

/** Copies the cursor's node (when kept) and its descendants into `parent`, leaving the cursor on that node. */
function mirrorInto(cursor: TreeCursor, parent: Syn): void {
  if (!kept(cursor)) return;
  const stack: Syn[] = [parent];
  for (;;) {
    const named = cursor.nodeIsNamed;
    const type = cursor.nodeType;
    let descended = false;
    if (named ? type !== 'comment' : cursor.currentFieldName !== null) {
      const top = stack[stack.length - 1];
      const node: Syn = { type, start: cursor.startIndex, end: cursor.endIndex, field: cursor.currentFieldName, children: [], parent: top };
      top.children.push(node);
      if (named && !OPAQUE.has(type) && cursor.gotoFirstChild()) {
        stack.push(node);
        descended = true;
      }
    }
    if (descended) continue;
    // Back up to the next sibling, never past the node we started from.
    for (;;) {
      if (stack.length === 1) return;
      if (cursor.gotoNextSibling()) break;
      cursor.gotoParent();
      stack.pop();
    }
  }
}

/**
 * The mirror of an edited document, reusing the previous mirror's top-level
 * statements that lie wholly before or after the edited span (same type and
 * extent, parsed without errors; those after are shifted), so an edit reads
 * only the statements it touches from WASM. The rest of the analysis sees
 * exactly the tree a full mirror would give.
 */
export function mirrorIncremental(tree: Tree, previous: Syn, edit: EditSpan, changed?: ChangedRanges): Syn {
  if (changed) return mirrorAround(tree, previous, edit, changed);
  const cursor = tree.walk();
  try {
    const root: Syn = { type: cursor.nodeType, start: cursor.startIndex, end: cursor.endIndex, field: null, children: [], parent: null };
    if (previous.type !== root.type) return mirror(tree);
    if (!cursor.gotoFirstChild()) return root;
    const oldByStart = new Map<number, Syn>();
    for (const c of previous.children) if (!oldByStart.has(c.start)) oldByStart.set(c.start, c);
    do {
      if (!kept(cursor)) continue;
      const s = cursor.startIndex;
      const e = cursor.endIndex;
      let reused: Syn | undefined;
      const before = e <= edit.start;
      const after = s >= edit.newEnd && s - edit.delta >= edit.oldEnd;
      // Error recovery depends on context: only nodes that parse cleanly on both sides are reused.
      if ((before || after) && !cursor.currentNode.hasError) {
        const shift = before ? 0 : edit.delta;
        const old = oldByStart.get(s - shift);
        if (old && old.end === e - shift && old.type === cursor.nodeType && old.field === cursor.currentFieldName && isClean(old)) {
          if (shift !== 0) shiftOffsets(old, shift);
          reused = old;
        }
      }
      if (reused) {
        reused.parent = root;
        root.children.push(reused);
      } else {
        mirrorInto(cursor, root);
      }
    } while (cursor.gotoNextSibling());
    return root;
  } finally {
    cursor.delete();
  }
}

/**
 * With tree-sitter's changed ranges known (incremental reparse), statements
 * outside them and the edit are the old ones: they are matched by position
 * without reading them from WASM, and only the statements in between are.
 */
function mirrorAround(tree: Tree, previous: Syn, edit: EditSpan, changed: ChangedRanges): Syn {
  const { start: dirtyStart, end: dirtyEnd } = dirtySpan(edit, changed);
  const top = tree.rootNode;
  const root: Syn = { type: top.type, start: top.startIndex, end: top.endIndex, field: null, children: [], parent: null };
  if (previous.type !== root.type) return mirror(tree);
  const oldByStart = new Map<number, Syn>();
  for (const c of previous.children) if (!oldByStart.has(c.start)) oldByStart.set(c.start, c);
  const kids = top.children;
  for (let i = 0; i < kids.length; i++) {
    const kid = kids[i];
    // Wholly before the span (the next sibling starts before it), or wholly after it.
    const before = i + 1 < kids.length && kids[i + 1].startIndex < dirtyStart;
    if (before || kid.startIndex > dirtyEnd) {
      // No old node at that position: the statement is not mirrored (a comment).
      const old = oldByStart.get(before ? kid.startIndex : kid.startIndex - edit.delta);
      if (old) {
        if (!before && edit.delta !== 0) shiftOffsets(old, edit.delta);
        old.parent = root;
        root.children.push(old);
      }
      continue;
    }
    const cursor = kid.walk();
    try {
      mirrorInto(cursor, root);
    } finally {
      cursor.delete();
    }
  }
  return root;
}

const cleanCache = new WeakMap<Syn, boolean>();

/** No ERROR node and no zero-width (MISSING) token inside. */
function isClean(node: Syn): boolean {
  let clean = cleanCache.get(node);
  if (clean === undefined) {
    clean = true;
    const stack = [node];
    while (stack.length && clean) {
      const n = stack.pop()!;
      if (n.type === 'ERROR' || (n.children.length === 0 && n.start === n.end)) clean = false;
      else for (const c of n.children) stack.push(c);
    }
    cleanCache.set(node, clean);
  }
  return clean;
}


export function field(node: Syn, name: string): Syn | undefined {
  for (const c of node.children) if (c.field === name) return c;
  return undefined;
}

/** Named children that are not field-labelled operators. */
export function namedChildren(node: Syn): Syn[] {
  return node.children.filter((c) => !isOperator(c));
}

export function isOperator(node: Syn): boolean {
  // Anonymous tokens are only kept when a field labels them (operator, kind).
  return node.field === 'operator' || node.field === 'kind' || (node.field !== null && !/^[a-z_]+$/.test(node.type));
}
