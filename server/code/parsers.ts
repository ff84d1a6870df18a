import * as path from 'node:path';
import { Edit, Language, Parser, type Tree } from 'web-tree-sitter';
import { grammarsDir } from '../engine/assets';
import type { FileContext } from '../engine/context';
import { DocumentStateCache } from '../engine/documentState';
import type { FileKind } from '../engine/types';
import { editSpan } from './editSpan';

export type CodeKind = 'python' | 'javascript' | 'typescript' | 'tsx';

const GRAMMAR_FILES: Record<CodeKind, string> = {
  python: 'tree-sitter-python.wasm',
  javascript: 'tree-sitter-javascript.wasm',
  typescript: 'tree-sitter-typescript.wasm',
  tsx: 'tree-sitter-tsx.wasm',
};

let languages: Partial<Record<CodeKind, Language>> = {};
const parsers: Partial<Record<CodeKind, Parser>> = {};
let loadError: string | undefined;
let loadErrorReported = false;

/** Loads the WASM runtime and the grammars once per process (or worker). */
export async function initCodeParsers(): Promise<void> {
  try {
    const dir = grammarsDir();
    await Parser.init({ locateFile: (name: string) => path.join(dir, name) });
    const loaded: Partial<Record<CodeKind, Language>> = {};
    for (const [kind, file] of Object.entries(GRAMMAR_FILES) as Array<[CodeKind, string]>) {
      loaded[kind] = await Language.load(path.join(dir, file));
    }
    languages = loaded;
  } catch (e) {
    // The other layers keep working; code files get a note instead of findings.
    loadError = `tree-sitter grammars failed to load: ${(e as Error).message}`;
  }
}

export function isCodeKind(kind: FileKind): kind is CodeKind {
  return kind === 'python' || kind === 'javascript' || kind === 'typescript' || kind === 'tsx';
}

export function languageOf(kind: CodeKind): Language | undefined {
  return languages[kind];
}

function parserFor(kind: CodeKind): Parser | undefined {
  const lang = languages[kind];
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

function reparse(parser: Parser, oldText: string, oldTree: Tree, text: string): Tree | null {
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
  edited.delete();
  return tree;
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
      if (!loadErrorReported) ctx.memo<string[]>('notes', () => []).push(loadError ?? `no grammar for ${kind}`);
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
