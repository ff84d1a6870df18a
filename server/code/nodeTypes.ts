import type { Language } from 'web-tree-sitter';

/** A grammar's node type: its name and whether it is named (not punctuation). */
export interface NodeTypeInfo {
  type: string;
  named: boolean;
}

export type NodeTypeTable = Array<NodeTypeInfo | undefined>;

const tables = new WeakMap<Language, NodeTypeTable>();

/**
 * Each grammar's node types by id, filled on first sight. A mirror reads a
 * node's type id (one WASM call) and looks up name and named-ness here, where
 * `nodeType` and `nodeIsNamed` would be a call each.
 */
export function nodeTypeTable(language: Language): NodeTypeTable {
  let table = tables.get(language);
  if (!table) tables.set(language, (table = []));
  return table;
}

export function nodeTypeInfo(language: Language, table: NodeTypeTable, typeId: number): NodeTypeInfo {
  return (table[typeId] ??= { type: language.types[typeId] || 'ERROR', named: language.nodeTypeIsNamed(typeId) });
}
