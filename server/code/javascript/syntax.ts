import type { Language, Tree, TreeCursor } from 'web-tree-sitter';
import { withWalk, type CursorWalk } from '../cursorWalk';
import { nodeTypeInfo, nodeTypeTable, type NodeTypeTable } from '../nodeTypes';
import type { EditSpan } from '../../engine/editSpan';
import { dirtySpan, shiftOffsets, type ChangedRanges } from '../mirrorEdit';

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
      const language = tree.language;
      const types = nodeTypeTable(language);
      do mirrorInto(cursor, root, language, types);
      while (cursor.gotoNextSibling());
    }
    return noteErrors(root, tree);
  } finally {
    cursor.delete();
  }
}

/**
 * Copies the cursor's node (when kept: named nodes but comments, and
 * field-labelled tokens) and its descendants into `parent`, leaving the
 * cursor on that node. Every read of the cursor is a call into WASM: a node
 * costs its type id, field id, offsets and the move.
 */
function mirrorInto(cursor: TreeCursor, parent: Syn, language: Language, types: NodeTypeTable): void {
  withWalk(cursor, (walk) => mirrorWalk(walk, parent, language, types));
}

function mirrorWalk(walk: CursorWalk, parent: Syn, language: Language, types: NodeTypeTable): void {
  const fields = language.fields;
  const stack: Syn[] = [parent];
  for (;;) {
    const info = nodeTypeInfo(language, types, walk.typeId());
    let descended = false;
    if (!info.named || info.type !== 'comment') {
      const fieldId = walk.fieldId();
      if (info.named || fieldId !== 0) {
        const top = stack[stack.length - 1];
        const node: Syn = { type: info.type, start: walk.startIndex(), end: walk.endIndex(), field: fields[fieldId] ?? null, children: [], parent: top };
        top.children.push(node);
        if (info.named && !OPAQUE.has(info.type) && walk.gotoFirstChild()) {
          stack.push(node);
          descended = true;
        }
      }
    }
    if (descended) continue;
    // Back up to the next sibling, never past the node we started from.
    for (;;) {
      if (stack.length === 1) return;
      if (walk.gotoNextSibling()) break;
      walk.gotoParent();
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
  return noteErrors(changed ? mirrorAround(tree, previous, edit, changed) : mirrorByCursor(tree, previous, edit), tree);
}

/** The incremental mirror without changed ranges: top-level statements are compared by position and type. */
function mirrorByCursor(tree: Tree, previous: Syn, edit: EditSpan): Syn {
  const cursor = tree.walk();
  try {
    const root: Syn = { type: cursor.nodeType, start: cursor.startIndex, end: cursor.endIndex, field: null, children: [], parent: null };
    if (previous.type !== root.type) return mirror(tree);
    if (!cursor.gotoFirstChild()) return root;
    const oldByStart = new Map<number, Syn>();
    for (const c of previous.children) if (!oldByStart.has(c.start)) oldByStart.set(c.start, c);
    const language = tree.language;
    const types = nodeTypeTable(language);
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
        mirrorInto(cursor, root, language, types);
      }
    } while (cursor.gotoNextSibling());
    return root;
  } finally {
    cursor.delete();
  }
}

/** Whether the cursor's node is copied: named nodes but comments, and field-labelled tokens. */
function kept(cursor: TreeCursor): boolean {
  return cursor.nodeIsNamed ? cursor.nodeType !== 'comment' : cursor.currentFieldName !== null;
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
  const language = tree.language;
  const types = nodeTypeTable(language);
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
      mirrorInto(cursor, root, language, types);
    } finally {
      cursor.delete();
    }
  }
  return root;
}

/**
 * The mirror of a document whose edit lies strictly inside one top-level
 * statement, without reparsing the file: tree-sitter's incremental reparse of
 * JS/TS still visits every top-level statement (about 5 ms at 5,000 lines),
 * while the statement alone parses in microseconds. The statement's text is
 * parsed on its own and spliced in; the statements after it are moved.
 *
 * Only when the result is certainly what the whole file would parse to
 * (undefined otherwise, and nothing is changed): the old file parsed without
 * errors, the statement before ends the statement context (`;` or a
 * statement's closing block), and the edited statement parses alone cleanly
 * as one statement that ends the same way. Then the statement starts in the
 * same parser state as in the file, and no token after it can extend it.
 */
export function mirrorEditedStatement(previous: Syn, oldText: string, text: string, edit: EditSpan, parse: (snippet: string) => Tree | undefined): Syn | undefined {
  const kids = previous.children;
  const index = statementAround(kids, edit);
  if (index < 0) return undefined;
  const old = kids[index];
  if (!errorFree.has(previous)) return undefined;
  if (index > 0 && !endsStatementContext(kids[index - 1], oldText)) return undefined;
  const snippet = text.slice(old.start, old.end + edit.delta);
  const tree = parse(snippet);
  if (!tree) return undefined;
  let statement: Syn | undefined;
  try {
    const top = tree.rootNode;
    if (top.hasError || top.childCount !== 1) return undefined;
    const only = top.firstChild!;
    if (only.startIndex !== 0 || only.endIndex !== snippet.length) return undefined;
    const parsed = mirror(tree);
    statement = parsed.children.length === 1 ? parsed.children[0] : undefined;
  } finally {
    tree.delete();
  }
  if (!statement || !endsStatementContext(statement, snippet)) return undefined;
  shiftOffsets(statement, old.start);
  const root: Syn = { type: previous.type, start: previous.start, end: previous.end + edit.delta, field: null, children: [], parent: null };
  for (let i = 0; i < kids.length; i++) {
    const kid = i === index ? statement : kids[i];
    if (i > index && edit.delta !== 0) shiftOffsets(kid, edit.delta);
    kid.parent = root;
    root.children.push(kid);
  }
  errorFree.add(root);
  return root;
}

/**
 * Mirror roots of trees without ERROR or MISSING nodes anywhere (the mirror
 * drops punctuation, so a missing `)` is only visible in the tree).
 */
const errorFree = new WeakSet<Syn>();

/** Records whether the tree a mirror root was made from parsed cleanly. */
function noteErrors(root: Syn, tree: Tree): Syn {
  if (!tree.rootNode.hasError) errorFree.add(root);
  return root;
}

/** The index of the top-level statement the edit lies strictly inside (its first and last characters kept), or -1. */
function statementAround(kids: Syn[], edit: EditSpan): number {
  let lo = 0;
  let hi = kids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const kid = kids[mid];
    if (kid.end <= edit.start) lo = mid + 1;
    else if (kid.start >= edit.start) hi = mid - 1;
    else return edit.oldEnd < kid.end ? mid : -1;
  }
  return -1;
}

/** Blocks that close a statement: nothing after their `}` can continue it. */
const CLOSING_BLOCKS = new Set(['statement_block', 'class_body', 'switch_body', 'enum_body', 'interface_body', 'object_type']);

/**
 * Whether no following token can continue this top-level statement: its last
 * character is its `;`, or its last child chain runs through statements and
 * declarations only (not expressions: `x = {}` then `(f)` is a call) down to
 * a closing block.
 */
function endsStatementContext(node: Syn, text: string): boolean {
  const last = text.charCodeAt(node.end - 1);
  if (last === SEMICOLON) return true;
  if (last !== CLOSE_BRACE) return false;
  let n: Syn | undefined = node;
  while (n) {
    if (CLOSING_BLOCKS.has(n.type)) return true;
    if (!STATEMENT_LIKE.test(n.type)) return false;
    const child: Syn | undefined = n.children[n.children.length - 1];
    n = child && child.end === n.end ? child : undefined;
  }
  return false;
}

const SEMICOLON = 59;
const CLOSE_BRACE = 125;
const STATEMENT_LIKE = /(?:_statement|_declaration|_clause)$|^(?:module|internal_module)$/;

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
