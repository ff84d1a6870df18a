import * as fs from 'node:fs';
import * as path from 'node:path';
import { Edit, Language, Parser, type Tree } from 'web-tree-sitter';
import { grammarsDir } from '../engine/assets';
import { bindWasmCursor } from './cursorWalk';
import type { FileContext } from '../engine/context';
import { DocumentStateCache } from '../engine/documentState';
import type { FileKind } from '../engine/types';
import { editSpan } from '../engine/editSpan';

export type CodeKind = 'python' | 'javascript' | 'typescript' | 'tsx';

const GRAMMAR_FILES: Record<CodeKind, string> = {
  python: 'tree-sitter-python.wasm',
  javascript: 'tree-sitter-javascript.wasm',
  typescript: 'tree-sitter-typescript.wasm',
  tsx: 'tree-sitter-tsx.wasm',
};

/** Loaded grammars; null once loading one failed. */
const languages: Partial<Record<CodeKind, Language | null>> = {};
const parsers: Partial<Record<CodeKind, Parser>> = {};
let runtimeLoaded = false;
let loadError: string | undefined;
let loadErrorReported = false;
/** The object Parser.init was given, which web-tree-sitter's WASM module is built on (see cursorWalk.ts). */
let wasmModule: object | undefined;

/**
 * Loads the WASM runtime once per process (or worker). Grammars are loaded on
 * first use of their kind (see languageOf): compiling the TypeScript and TSX
 * ones takes most of a worker's start-up, and many workspaces have no such file.
 */
export async function initCodeParsers(): Promise<void> {
  try {
    const dir = grammarsDir();
    const options = { locateFile: (name: string) => path.join(dir, name) };
    await Parser.init(options);
    runtimeLoaded = true;
    wasmModule = options;
    bindWasmCursor(wasmModule);
  } catch (e) {
    // The other layers keep working; code files get a note instead of findings.
    loadError = `tree-sitter grammars failed to load: ${(e as Error).message}`;
  }
}

/** Tests compare the mirrors built by direct WASM walks with those built through the public cursor API. */
export function setDirectWalks(on: boolean): boolean {
  return wasmModule !== undefined && bindWasmCursor(wasmModule, on);
}

export function isCodeKind(kind: FileKind): kind is CodeKind {
  return kind === 'python' || kind === 'javascript' || kind === 'typescript' || kind === 'tsx';
}

/** The WebAssembly global (its types come with the DOM library, which the server does not use). */
const wasm = (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => object } }).WebAssembly;

/** The grammar of a kind, loaded (synchronously) on first use; undefined when it cannot be. */
export function languageOf(kind: CodeKind): Language | undefined {
  if (!runtimeLoaded) return undefined;
  let lang = languages[kind];
  if (lang === undefined) {
    try {
      const bytes = fs.readFileSync(path.join(grammarsDir(), GRAMMAR_FILES[kind]));
      lang = Language.loadSync(new wasm.Module(bytes) as Parameters<typeof Language.loadSync>[0]);
    } catch (e) {
      loadError ??= `tree-sitter grammars failed to load: ${(e as Error).message}`;
      lang = null;
    }
    languages[kind] = lang;
  }
  return lang ?? undefined;
}

function parserFor(kind: CodeKind): Parser | undefined {
  const lang = languageOf(kind);
  if (!lang) return undefined;
  let p = parsers[kind];
  if (!p) {
    p = new Parser();
    p.setLanguage(lang);
    parsers[kind] = p;
  }
  return p;
}

/**
 * The previous tree of each open editor document, for incremental reparsing
 * (tree.edit + old tree): about 45x faster than a full TypeScript parse.
 * Trees live in WASM memory: released when replaced, evicted or closed.
 */
const documentTrees = new DocumentStateCache<{ kind: CodeKind; text: string; tree: Tree }>(32, (entry) => entry.tree.delete());

function pointAt(text: string, index: number): { row: number; column: number } {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: index - lineStart };
}

/** What changed between a document's previous tree and the one reparsed from it (tree-sitter's changed ranges). */
export interface TreeChanges {
  oldText: string;
  ranges: ReadonlyArray<{ startIndex: number; endIndex: number }>;
}

const treeChanges = new WeakMap<Tree, TreeChanges>();

/** The changes of an incrementally reparsed tree against the previous version of `oldText`, if it was reparsed from it. */
export function changesSince(tree: Tree, oldText: string): TreeChanges['ranges'] | undefined {
  const changes = treeChanges.get(tree);
  return changes && changes.oldText === oldText ? changes.ranges : undefined;
}

/** Parses `text` reusing `oldTree` (the tree of `oldText`), recording the changed ranges (see changesSince). */
export function reparse(parser: Parser, oldText: string, oldTree: Tree, text: string): Tree | null {
  const { start, oldEnd, newEnd } = editSpan(oldText, text);
  const edited = oldTree.copy();
  edited.edit(new Edit({
    startIndex: start,
    oldEndIndex: oldEnd,
    newEndIndex: newEnd,
    startPosition: pointAt(oldText, start),
    oldEndPosition: pointAt(oldText, oldEnd),
    newEndPosition: pointAt(text, newEnd),
  }));
  const tree = parser.parse(text, edited);
  if (tree) treeChanges.set(tree, { oldText, ranges: edited.getChangedRanges(tree).map((r) => ({ startIndex: r.startIndex, endIndex: r.endIndex })) });
  edited.delete();
  return tree;
}

/**
 * A fresh tree of a piece of a file (one edited statement), in the grammar of
 * `kind`; the caller deletes it.
 */
export function parseSnippet(kind: CodeKind, snippet: string): Tree | undefined {
  return parserFor(kind)?.parse(snippet) ?? undefined;
}

/**
 * The file's syntax tree, parsed once per analysis and shared by every code
 * rule. Error nodes are kept: analysis continues around them.
 */
export function codeTree(ctx: FileContext): Tree | undefined {
  return ctx.memo('code:tree', () => {
    if (!isCodeKind(ctx.kind)) return undefined;
    const kind = ctx.kind;
    const parser = parserFor(kind);
    if (!parser) {
      // Once per process: the output channel should not repeat it for every file.
      if (!loadErrorReported) ctx.addNote(loadError ?? `no grammar for ${kind}`);
      loadErrorReported = true;
      return undefined;
    }
    const key = ctx.documentKey;
    const cached = key ? documentTrees.get(key) : undefined;
    let tree: Tree | null;
    if (cached && cached.kind === kind) {
      tree = cached.text === ctx.text ? cached.tree.copy() : reparse(parser, cached.text, cached.tree, ctx.text);
    } else {
      tree = parser.parse(ctx.text);
    }
    if (!tree) return undefined;
    if (key) documentTrees.set(key, { kind, text: ctx.text, tree: tree.copy() });
    const result = tree;
    ctx.onDispose(() => result.delete());
    return result;
  });
}
