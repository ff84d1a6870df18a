import type { Tree } from 'web-tree-sitter';

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
    const stack: Syn[] = [root];
    if (!cursor.gotoFirstChild()) return root;
    for (;;) {
      const named = cursor.nodeIsNamed;
      const field = cursor.currentFieldName;
      const type = cursor.nodeType;
      let descended = false;
      if (named ? type !== 'comment' : field !== null) {
        const parent = stack[stack.length - 1];
        const node: Syn = { type, start: cursor.startIndex, end: cursor.endIndex, field, children: [], parent };
        parent.children.push(node);
        if (named && !OPAQUE.has(type) && cursor.gotoFirstChild()) {
          stack.push(node);
          descended = true;
        }
      }
      if (descended) continue;
      while (!cursor.gotoNextSibling()) {
        if (stack.length === 1) return root;
        cursor.gotoParent();
        stack.pop();
      }
    }
  } finally {
    cursor.delete();
  }
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
