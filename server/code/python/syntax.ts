import type { Language, Node, Tree, TreeCursor } from 'web-tree-sitter';
import { editSpan, type EditSpan } from '../../engine/editSpan';
import { dirtySpan, shiftOffsets, type ChangedRanges } from '../mirrorEdit';
import { withWalk, type CursorWalk } from '../cursorWalk';
import { nodeTypeInfo, nodeTypeTable, type NodeTypeTable } from '../nodeTypes';

/**
 * A plain-JavaScript mirror of the tree-sitter tree. Reading node properties
 * through web-tree-sitter crosses into WASM on every access; copying the tree
 * once with a cursor (about one parse worth of time) makes every later read a
 * property access, so the taint pass can revisit nodes cheaply.
 */
export interface PyNode {
  type: string;
  /** UTF-16 offsets into the file text (web-tree-sitter parses JS strings as UTF-16). */
  start: number;
  end: number;
  /** The field this node fills in its parent (`function`, `arguments`, `left`...). */
  field: string | null;
  named: boolean;
  children: PyNode[];
  parent: PyNode | null;
  /** Named children without comments, computed on first use. */
  namedCache?: PyNode[];
  /** The call's parts, computed on first use. */
  partsCache?: CallParts;
  /** No ERROR or MISSING node inside (for reuse across edits), computed on first use. */
  cleanCache?: boolean;
  /** The nodes of the `collectedFor` types in this subtree (pre-order), once it has been reused. */
  collectedCache?: PyNode[];
  collectedFor?: ReadonlySet<string>;
}

/**
 * A mirror node with every field present from the start: nodes that gained
 * caches one by one would each have their own shape, and the code that walks
 * all of them (moving offsets after an edit) would slow to a crawl.
 */
function pyNode(type: string, start: number, end: number, field: string | null, named: boolean, parent: PyNode | null): PyNode {
  return { type, start, end, field, named, children: [], parent, namedCache: undefined, partsCache: undefined, cleanCache: undefined, collectedCache: undefined, collectedFor: undefined };
}

/**
 * Node types whose extent is exactly their first to their last child (verified
 * against tree-sitter on the standard library); others (block, string_content,
 * format_specifier, ERROR...) can hold text that is not a child.
 */
const SPANS_CHILDREN = new Set([
  'call', 'attribute', 'argument_list', 'binary_operator', 'subscript', 'keyword_argument', 'assignment', 'expression_statement',
  'parenthesized_expression', 'comparison_operator', 'boolean_operator', 'pair', 'dictionary', 'list', 'tuple', 'set', 'return_statement',
  'augmented_assignment', 'not_operator', 'conditional_expression', 'interpolation', 'string', 'concatenated_string', 'dotted_name',
  'aliased_import', 'import_statement', 'import_from_statement', 'parameters', 'default_parameter', 'typed_parameter', 'typed_default_parameter',
  'type', 'await', 'unary_operator', 'list_comprehension', 'for_in_clause', 'if_clause', 'generator_expression', 'slice', 'expression_list',
  'pattern_list', 'list_splat', 'dictionary_splat', 'raise_statement', 'assert_statement',
]);

/**
 * Mirrors the node under the cursor and its descendants, leaving the cursor
 * on that node. Offsets are read for leaves only where a parent spans exactly
 * its first to its last child (SPANS_CHILDREN): each read is a WASM call.
 */
function mirrorSubtree(cursor: TreeCursor, language: Language, types: NodeTypeTable, top: PyNode | null, collect?: ReadonlySet<string>, collected?: Map<string, PyNode[]>): PyNode {
  return withWalk(cursor, (walk) => mirrorWalk(walk, language, types, top, collect, collected));
}

function mirrorWalk(walk: CursorWalk, language: Language, types: NodeTypeTable, top: PyNode | null, collect?: ReadonlySet<string>, collected?: Map<string, PyNode[]>): PyNode {
  const fields = language.fields;
  const stack: PyNode[] = [];
  let first: PyNode | undefined;
  for (;;) {
    const parent = stack.length ? stack[stack.length - 1] : top;
    const info = nodeTypeInfo(language, types, walk.typeId());
    // Anonymous tokens only need their field inside binary operators (`operator`).
    const needsField = parent !== null && (info.named || parent.type === 'binary_operator');
    const node = pyNode(info.type, 0, 0, needsField ? fields[walk.fieldId()] ?? null : null, info.named, parent);
    if (parent) parent.children.push(node);
    first ??= node;
    if (collect && collected && collect.has(node.type)) push(collected, node.type, node);
    // The root spans trailing whitespace, and string_content has text between its escape children.
    const eager = parent === null || !SPANS_CHILDREN.has(info.type);
    if (eager) {
      node.start = walk.startIndex();
      node.end = walk.endIndex();
    }
    if (walk.gotoFirstChild()) {
      stack.push(node);
      continue;
    }
    if (!eager) {
      node.start = walk.startIndex();
      node.end = walk.endIndex();
    }
    if (stack.length === 0) return first;
    for (;;) {
      if (walk.gotoNextSibling()) break;
      walk.gotoParent();
      const finished = stack.pop()!;
      if (finished.parent !== null && SPANS_CHILDREN.has(finished.type)) {
        finished.start = finished.children[0].start;
        finished.end = finished.children[finished.children.length - 1].end;
      }
      if (stack.length === 0) return first;
    }
  }
}

export function mirrorTree(tree: Tree, collect?: ReadonlySet<string>, collected?: Map<string, PyNode[]>): PyNode {
  const cursor = tree.walk();
  try {
    return mirrorSubtree(cursor, tree.language, nodeTypeTable(tree.language), null, collect, collected);
  } finally {
    cursor.delete();
  }
}

/**
 * The mirror of an edited document, reusing the previous mirror's top-level
 * statements that lie wholly before or after the edited span (same type and
 * extent; those after are shifted): an edit re-reads only the statements it
 * touches from WASM.
 */
export function mirrorTreeIncremental(
  tree: Tree,
  text: string,
  previous: { text: string; root: PyNode },
  collect?: ReadonlySet<string>,
  collected?: Map<string, PyNode[]>,
  /** tree-sitter's changed ranges against the previous tree (incremental reparse), when known. */
  changed?: ChangedRanges,
): PyNode {
  const edit = editSpan(previous.text, text);
  const language = tree.language;
  const types = nodeTypeTable(language);
  if (changed) {
    // Outside the edit and the ranges whose structure changed, the tree is the old one:
    // siblings there are matched by position, without reading them from WASM.
    const { start, end } = dirtySpan(edit, changed);
    const rootNode = tree.rootNode;
    const root = pyNode(rootNode.type, rootNode.startIndex, rootNode.endIndex, null, true, null);
    if (collect && collected && collect.has(root.type)) collected.set(root.type, [root]);
    mirrorAround(rootNode, root, previous.root, { start, end, delta: edit.delta }, language, types, collect, collected);
    return root;
  }
  const cursor = tree.walk();
  try {
    const typeId = cursor.nodeTypeId;
    const root = pyNode(language.types[typeId] || 'ERROR', cursor.startIndex, cursor.endIndex, null, true, null);
    if (collect && collected && collect.has(root.type)) collected.set(root.type, [root]);
    if (cursor.gotoFirstChild()) {
      mirrorChildrenReusing(cursor, language, types, root, previous.root, edit, collect, collected);
      cursor.gotoParent();
    }
    return root;
  } finally {
    cursor.delete();
  }
}


/**
 * Mirrors the cursor's node and its following siblings into `parent`, reusing
 * the old parent's children that lie wholly outside the edit, and descending
 * into the one that contains it when it kept its type and start.
 */
function mirrorChildrenReusing(
  cursor: TreeCursor,
  language: Language,
  types: NodeTypeTable,
  parent: PyNode,
  oldParent: PyNode,
  edit: EditSpan,
  collect?: ReadonlySet<string>,
  collected?: Map<string, PyNode[]>,
): void {
  const oldByStart = new Map<number, PyNode>();
  for (const c of oldParent.children) if (!oldByStart.has(c.start)) oldByStart.set(c.start, c);
  do {
    const s = cursor.startIndex;
    const e = cursor.endIndex;
    const id = cursor.nodeTypeId;
    const type = types[id]?.type ?? (language.types[id] || 'ERROR');
    let reused: PyNode | undefined;
    const outside = e <= edit.start || s >= edit.newEnd;
    // Error recovery depends on context: only nodes that parse cleanly on both sides are reused.
    if (outside && !cursor.currentNode.hasError) {
      if (e <= edit.start) {
        const old = oldByStart.get(s);
        if (old && old.end === e && old.type === type && isClean(old)) reused = old;
      } else if (s - edit.delta >= edit.oldEnd) {
        const old = oldByStart.get(s - edit.delta);
        if (old && old.end === e - edit.delta && old.type === type && isClean(old)) {
          if (edit.delta !== 0) shiftOffsets(old, edit.delta);
          reused = old;
        }
      }
    }
    if (reused) {
      reused.parent = parent;
      parent.children.push(reused);
      if (collect && collected) collectFrom(reused, collect, collected);
      continue;
    }
    const old = !outside && s < edit.start ? oldByStart.get(s) : undefined;
    const info = types[id];
    if (old && old.type === type && old.children.length > 0 && info && SPANS_CHILDREN_OR_BLOCK.has(type)) {
      // The node holding the edit: a new node, with its children reused where possible.
      const node = pyNode(type, s, e, cursor.currentFieldName, info.named, parent);
      parent.children.push(node);
      if (collect && collected && collect.has(type)) push(collected, type, node);
      if (cursor.gotoFirstChild()) {
        mirrorChildrenReusing(cursor, language, types, node, old, edit, collect, collected);
        cursor.gotoParent();
      }
      continue;
    }
    mirrorSubtree(cursor, language, types, parent, collect, collected);
  } while (cursor.gotoNextSibling());
}

interface DirtySpan {
  /** The edit and tree-sitter's changed ranges, in new offsets. */
  start: number;
  end: number;
  delta: number;
}

/**
 * Fills `parent` (the mirror of `node`) with children: those wholly before
 * or after the dirty span are the old mirror's (moved when after); the rest
 * are read from the tree, descending into a container that kept its type.
 */
function mirrorAround(
  node: Node,
  parent: PyNode,
  old: PyNode,
  dirty: DirtySpan,
  language: Language,
  types: NodeTypeTable,
  collect?: ReadonlySet<string>,
  collected?: Map<string, PyNode[]>,
): void {
  const kids = node.children;
  const oldKids = old.children;
  let i = 0;
  // Before: the next sibling starts before the span, so this one ends before it.
  while (i + 1 < kids.length && i < oldKids.length && kids[i + 1].startIndex < dirty.start && oldKids[i].start === kids[i].startIndex) {
    adopt(oldKids[i], parent, collect, collected);
    i++;
  }
  let j = kids.length - 1;
  let k = oldKids.length - 1;
  while (j >= i && k >= i && kids[j].startIndex > dirty.end && oldKids[k].start + dirty.delta === kids[j].startIndex) {
    j--;
    k--;
  }
  for (let m = i; m <= j; m++) {
    const kid = kids[m];
    const typeId = kid.typeId;
    const info = nodeTypeInfo(language, types, typeId);
    const fieldName = info.named || parent.type === 'binary_operator' ? node.fieldNameForChild(m) : null;
    const counterpart = m <= k ? oldKids[m] : undefined;
    if (counterpart && counterpart.start === kid.startIndex && counterpart.type === info.type && counterpart.children.length > 0 && SPANS_CHILDREN_OR_BLOCK.has(info.type)) {
      const mirrored = pyNode(info.type, kid.startIndex, kid.endIndex, fieldName, info.named, parent);
      parent.children.push(mirrored);
      if (collect && collected && collect.has(info.type)) push(collected, info.type, mirrored);
      mirrorAround(kid, mirrored, counterpart, dirty, language, types, collect, collected);
      continue;
    }
    const cursor = kid.walk();
    try {
      const mirrored = mirrorSubtree(cursor, language, types, parent, collect, collected);
      mirrored.field = fieldName;
    } finally {
      cursor.delete();
    }
  }
  for (let t = k + 1; t < oldKids.length; t++) {
    const kept = oldKids[t];
    if (dirty.delta !== 0) shiftOffsets(kept, dirty.delta);
    adopt(kept, parent, collect, collected);
  }
}

function adopt(kept: PyNode, parent: PyNode, collect?: ReadonlySet<string>, collected?: Map<string, PyNode[]>): void {
  kept.parent = parent;
  parent.children.push(kept);
  if (collect && collected) collectFrom(kept, collect, collected);
}

function push(collected: Map<string, PyNode[]>, type: string, node: PyNode): void {
  const list = collected.get(type);
  if (list) list.push(node);
  else collected.set(type, [node]);
}

/** Containers worth descending into on an edit (statements and their blocks). */
const SPANS_CHILDREN_OR_BLOCK = new Set(['block', 'class_definition', 'function_definition', 'decorated_definition', 'if_statement', 'for_statement', 'while_statement', 'try_statement', 'with_statement', 'elif_clause', 'else_clause', 'except_clause', 'finally_clause', 'match_statement', 'case_clause']);

/** No ERROR node and no zero-width (MISSING) token inside. */
function isClean(node: PyNode): boolean {
  if (node.cleanCache !== undefined) return node.cleanCache;
  const clean = computeClean(node);
  node.cleanCache = clean;
  return clean;
}

function computeClean(node: PyNode): boolean {
  const stack = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'ERROR' || (n.children.length === 0 && n.start === n.end)) return false;
    for (const c of n.children) stack.push(c);
  }
  return true;
}


function collectFrom(node: PyNode, collect: ReadonlySet<string>, collected: Map<string, PyNode[]>): void {
  // A reused subtree never changes (only moves): what it holds is found once.
  if (node.collectedFor !== collect) {
    const found: PyNode[] = [];
    const stack = [node];
    while (stack.length) {
      const n = stack.pop()!;
      if (collect.has(n.type)) found.push(n);
      for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
    }
    node.collectedFor = collect;
    node.collectedCache = found;
  }
  for (const n of node.collectedCache!) push(collected, n.type, n);
}

export function field(node: PyNode, name: string): PyNode | undefined {
  for (const c of node.children) if (c.field === name) return c;
  return undefined;
}

export function fields(node: PyNode, name: string): PyNode[] {
  return node.children.filter((c) => c.field === name);
}

export function namedChildren(node: PyNode): PyNode[] {
  return (node.namedCache ??= node.children.filter((c) => c.named && c.type !== 'comment'));
}

/** The first named child of a type. */
export function childOfType(node: PyNode, type: string): PyNode | undefined {
  for (const c of node.children) if (c.type === type) return c;
  return undefined;
}

export function hasChildToken(node: PyNode, token: string): boolean {
  return node.children.some((c) => !c.named && c.type === token);
}

/** Strips parentheses: `((x))` → `x`. */
export function unparen(node: PyNode): PyNode {
  let n = node;
  while (n.type === 'parenthesized_expression') {
    const inner = namedChildren(n)[0];
    if (!inner) break;
    n = inner;
  }
  return n;
}

export interface CallParts {
  callee: PyNode;
  positional: PyNode[];
  keywords: Map<string, PyNode>;
  /** `*args` / `**kwargs` present: the call's shape is unknown. */
  splat: boolean;
  argList?: PyNode;
}

export function callParts(call: PyNode, text: string): CallParts {
  return (call.partsCache ??= computeCallParts(call, text));
}

function computeCallParts(call: PyNode, text: string): CallParts {
  const callee = field(call, 'function')!;
  const argList = field(call, 'arguments');
  const positional: PyNode[] = [];
  const keywords = new Map<string, PyNode>();
  let splat = false;
  if (argList) {
    if (argList.type === 'generator_expression') positional.push(argList);
    else
      for (const a of namedChildren(argList)) {
        if (a.type === 'keyword_argument') {
          const name = field(a, 'name');
          const value = field(a, 'value');
          if (name && value) keywords.set(text.slice(name.start, name.end), value);
        } else if (a.type === 'list_splat' || a.type === 'dictionary_splat') splat = true;
        else positional.push(a);
      }
  }
  return { callee, positional, keywords, splat, argList };
}

/** A string literal's value, when it has no interpolation (f-strings with `{}` are not constant). */
export function stringValue(node: PyNode, text: string): string | undefined {
  const n = unparen(node);
  if (n.type === 'concatenated_string') {
    let out = '';
    for (const part of namedChildren(n)) {
      const v = stringValue(part, text);
      if (v === undefined) return undefined;
      out += v;
    }
    return out;
  }
  if (n.type !== 'string') return undefined;
  let out = '';
  for (const c of n.children) {
    if (c.type === 'interpolation') return undefined;
    if (c.type === 'string_content') out += text.slice(c.start, c.end);
  }
  return out;
}

/** The string's prefix letters (`f`, `rb`, ...), lower-cased. */
export function stringPrefix(node: PyNode, text: string): string {
  const startTok = node.children.find((c) => c.type === 'string_start');
  if (!startTok) return '';
  const s = text.slice(startTok.start, startTok.end);
  return s.replace(/['"]+$/, '').toLowerCase();
}
