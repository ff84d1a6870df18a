import type { Tree } from 'web-tree-sitter';

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

const typeTables = new WeakMap<object, Array<{ type: string; named: boolean } | undefined>>();

export function mirrorTree(tree: Tree, collect?: ReadonlySet<string>, collected?: Map<string, PyNode[]>): PyNode {
  const cursor = tree.walk();
  const language = tree.language;
  // Each cursor getter is a call into WASM: type names and named-ness are looked up per type id once.
  let types = typeTables.get(language);
  if (!types) typeTables.set(language, (types = []));
  const stack: PyNode[] = [];
  let root: PyNode | undefined;
  try {
    for (;;) {
      const parent = stack.length ? stack[stack.length - 1] : null;
      const typeId = cursor.nodeTypeId;
      let info = types[typeId];
      if (!info) info = types[typeId] = { type: language.types[typeId] || 'ERROR', named: language.nodeTypeIsNamed(typeId) };
      // Anonymous tokens only need their field inside binary operators (`operator`).
      const needsField = parent !== null && (info.named || parent.type === 'binary_operator');
      // Offsets are read for leaves only: a parent spans exactly its first to its last child.
      const node: PyNode = {
        type: info.type,
        start: 0,
        end: 0,
        field: needsField ? cursor.currentFieldName : null,
        named: info.named,
        children: [],
        parent,
      };
      if (parent) parent.children.push(node);
      else root = node;
      if (collect && collected && collect.has(node.type)) {
        const list = collected.get(node.type);
        if (list) list.push(node);
        else collected.set(node.type, [node]);
      }
      // The root spans trailing whitespace, and string_content has text between its escape children.
      const eager = parent === null || !SPANS_CHILDREN.has(info.type);
      if (eager) {
        node.start = cursor.startIndex;
        node.end = cursor.endIndex;
      }
      if (cursor.gotoFirstChild()) {
        stack.push(node);
        continue;
      }
      if (!eager) {
        node.start = cursor.startIndex;
        node.end = cursor.endIndex;
      }
      let done = false;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) {
          done = true;
          break;
        }
        const finished = stack.pop()!;
        if (finished.parent !== null && SPANS_CHILDREN.has(finished.type)) {
          finished.start = finished.children[0].start;
          finished.end = finished.children[finished.children.length - 1].end;
        }
      }
      if (done || stack.length === 0) break;
    }
  } finally {
    cursor.delete();
  }
  return root!;
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
