import type { TreeCursor } from 'web-tree-sitter';

/*
 * A tree walk for the mirrors (python/syntax.ts, javascript/syntax.ts), which
 * copy every node of a parsed file. web-tree-sitter keeps a cursor's state in
 * JavaScript and copies it into WASM memory (four generic setValue calls) and
 * back (four getValue calls) around every cursor call: over half of a
 * mirror's time. The WASM functions themselves read and write that state in
 * one shared transfer buffer, so a walk that makes no other tree-sitter call
 * can leave the state there: it is copied in once when the walk starts and
 * back once when it ends. The WASM exports are reached through the module
 * object web-tree-sitter builds from Parser.init's options; when they are not
 * where this version (0.27) puts them, walks use the public TreeCursor API.
 */

export interface CursorWalk {
  typeId(): number;
  /** 0 when the node fills no field. */
  fieldId(): number;
  startIndex(): number;
  endIndex(): number;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
  /** Ends the walk: the TreeCursor is where the walk left it, and its own API works again. */
  end(): void;
}

type Export = (tree: number) => number;

interface WasmCursorExports {
  HEAP32: Int32Array;
  _ts_init(): number;
  _ts_tree_cursor_current_node_type_id_wasm: Export;
  _ts_tree_cursor_current_field_id_wasm: Export;
  _ts_tree_cursor_start_index_wasm: Export;
  _ts_tree_cursor_end_index_wasm: Export;
  _ts_tree_cursor_goto_first_child_wasm: Export;
  _ts_tree_cursor_goto_next_sibling_wasm: Export;
  _ts_tree_cursor_goto_parent_wasm: Export;
}

const EXPORTS = [
  '_ts_init',
  '_ts_tree_cursor_current_node_type_id_wasm',
  '_ts_tree_cursor_current_field_id_wasm',
  '_ts_tree_cursor_start_index_wasm',
  '_ts_tree_cursor_end_index_wasm',
  '_ts_tree_cursor_goto_first_child_wasm',
  '_ts_tree_cursor_goto_next_sibling_wasm',
  '_ts_tree_cursor_goto_parent_wasm',
] as const;

/** The cursor's internal handle (four words) and its tree's, as web-tree-sitter 0.27 keeps them. */
type CursorInternals = TreeCursor & { 0: number; 1: number; 2: number; 3: number; tree: { 0: number } };

let wasm: { exports: WasmCursorExports; transfer: number } | undefined;

/**
 * Takes the module object web-tree-sitter built from Parser.init's options
 * (emscripten fills the options object itself). Returns whether direct walks
 * are on; Parser.init must have run with that object.
 */
export function bindWasmCursor(moduleObject: object, enabled = true): boolean {
  wasm = undefined;
  const m = moduleObject as Partial<WasmCursorExports>;
  if (!enabled || !(m.HEAP32 instanceof Int32Array) || !EXPORTS.every((name) => typeof m[name] === 'function')) return false;
  // ts_init only returns the buffer's address (and writes the ABI versions into it).
  wasm = { exports: m as WasmCursorExports, transfer: m._ts_init!() };
  return true;
}

export function directWalksEnabled(): boolean {
  return wasm !== undefined;
}

/** Runs `body` on a walk started at the cursor's node, and ends the walk (see startWalk). */
export function withWalk<T>(cursor: TreeCursor, body: (walk: CursorWalk) => T): T {
  const walk = startWalk(cursor);
  try {
    return body(walk);
  } finally {
    walk.end();
  }
}

/** Starts a walk at the cursor's node. No other tree-sitter call may happen until `end()`. */
export function startWalk(cursor: TreeCursor): CursorWalk {
  const c = cursor as CursorInternals;
  if (wasm && typeof c[0] === 'number' && typeof c.tree?.[0] === 'number') return new DirectWalk(c, wasm.exports, wasm.transfer);
  return new PublicWalk(cursor);
}

class DirectWalk implements CursorWalk {
  private readonly tree: number;
  private readonly typeIdOf: Export;
  private readonly fieldIdOf: Export;
  private readonly startOf: Export;
  private readonly endOf: Export;
  private readonly firstChild: Export;
  private readonly nextSibling: Export;
  private readonly parent: Export;

  constructor(private readonly cursor: CursorInternals, private readonly exports: WasmCursorExports, private readonly transfer: number) {
    this.tree = cursor.tree[0];
    this.typeIdOf = exports._ts_tree_cursor_current_node_type_id_wasm;
    this.fieldIdOf = exports._ts_tree_cursor_current_field_id_wasm;
    this.startOf = exports._ts_tree_cursor_start_index_wasm;
    this.endOf = exports._ts_tree_cursor_end_index_wasm;
    this.firstChild = exports._ts_tree_cursor_goto_first_child_wasm;
    this.nextSibling = exports._ts_tree_cursor_goto_next_sibling_wasm;
    this.parent = exports._ts_tree_cursor_goto_parent_wasm;
    // The heap view is read anew each time: WASM memory may have grown (a new buffer) since.
    const heap = exports.HEAP32;
    const at = transfer >> 2;
    heap[at] = cursor[0];
    heap[at + 1] = cursor[1];
    heap[at + 2] = cursor[2];
    heap[at + 3] = cursor[3];
  }

  typeId(): number {
    return this.typeIdOf(this.tree);
  }
  fieldId(): number {
    return this.fieldIdOf(this.tree);
  }
  startIndex(): number {
    return this.startOf(this.tree);
  }
  endIndex(): number {
    return this.endOf(this.tree);
  }
  gotoFirstChild(): boolean {
    return this.firstChild(this.tree) === 1;
  }
  gotoNextSibling(): boolean {
    return this.nextSibling(this.tree) === 1;
  }
  gotoParent(): boolean {
    return this.parent(this.tree) === 1;
  }
  end(): void {
    const heap = this.exports.HEAP32;
    const at = this.transfer >> 2;
    this.cursor[0] = heap[at];
    this.cursor[1] = heap[at + 1];
    this.cursor[2] = heap[at + 2];
    this.cursor[3] = heap[at + 3];
  }
}

class PublicWalk implements CursorWalk {
  constructor(private readonly cursor: TreeCursor) {}
  typeId(): number {
    return this.cursor.nodeTypeId;
  }
  fieldId(): number {
    return this.cursor.currentFieldId;
  }
  startIndex(): number {
    return this.cursor.startIndex;
  }
  endIndex(): number {
    return this.cursor.endIndex;
  }
  gotoFirstChild(): boolean {
    return this.cursor.gotoFirstChild();
  }
  gotoNextSibling(): boolean {
    return this.cursor.gotoNextSibling();
  }
  gotoParent(): boolean {
    return this.cursor.gotoParent();
  }
  end(): void {}
}
