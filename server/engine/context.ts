import { LineIndex } from './lineIndex';
import type { FileKind } from './types';

/**
 * What a rule sees of one file. Parsing is shared: a layer parses through
 * `memo`, so every rule of that layer reuses the same tree or AST.
 */
export class FileContext {
  private readonly cache = new Map<string, unknown>();
  private readonly disposers: Array<() => void> = [];
  private lineIndex?: LineIndex;

  constructor(
    /** Absolute path (or the document's path for unsaved buffers). */
    readonly path: string,
    readonly text: string,
    readonly kind: FileKind,
    /**
     * Identity of the document across edits (the LSP document URI), so a
     * layer can keep per-document state such as the previous syntax tree for
     * incremental reparsing. undefined for one-shot analyses (CLI).
     */
    readonly documentKey?: string,
    /** Options of enabled rules, keyed by rule id, from the configuration. */
    readonly ruleOptions: Readonly<Record<string, Record<string, unknown>>> = {},
    /**
     * Whether another rule runs on this file (enabled, and reads this kind), so a
     * rule can leave a case to a more specific one. Unknown: assume it runs.
     */
    private readonly ruleRuns: (ruleId: string) => boolean = () => true,
    /** For a piece view (see `scoped`): the whole file's context and the piece's offsets. */
    piece?: { file: FileContext; start: number; end: number },
  ) {
    this.file = piece?.file ?? this;
    this.scope = piece ? { start: piece.start, end: piece.end } : undefined;
  }

  /** The whole file's context: this one, or the one a piece view was made from. */
  readonly file: FileContext;
  /**
   * Offsets [start, end) of the piece this context stands for (a YAML document
   * of a manifest), undefined for the whole file. Models that know pieces (the
   * manifest model) show a piece view only what lies in it; everything else
   * (text, lines, path) is the whole file's.
   */
  readonly scope?: { start: number; end: number };

  /** A view of one piece of the file, sharing the file's text, lines and parse (through `file`). */
  scoped(start: number, end: number): FileContext {
    const file = this.file;
    const view = new FileContext(file.path, file.text, file.kind, file.documentKey, file.ruleOptions, file.ruleRuns, { file, start, end });
    view.review = file.review;
    return view;
  }

  /**
   * Whether review findings (sinks not traced to a source) are reported in this
   * analysis: the code layer's prefilter skips fewer files when they are. Unknown: assume so.
   */
  review = true;

  get lines(): LineIndex {
    if (this.file !== this) return this.file.lines;
    return (this.lineIndex ??= new LineIndex(this.text));
  }

  /** Computes a value once per analysis of this file (a parse, a taint pass). */
  memo<T>(key: string, compute: () => T): T {
    if (this.cache.has(key)) return this.cache.get(key) as T;
    const value = compute();
    this.cache.set(key, value);
    return value;
  }

  /**
   * Tells the user something about this file's analysis (a part skipped, and
   * why): the editor shows it on the file, the CLI lists it.
   */
  addNote(note: string): void {
    this.notes.push(note);
  }

  /** The notes added so far (see addNote). */
  get notes(): string[] {
    return this.file.memo<string[]>('notes', () => []);
  }

  /** Releases what a layer allocated for this analysis (tree-sitter trees live in WASM memory). */
  onDispose(fn: () => void): void {
    if (this.file !== this) this.file.onDispose(fn);
    else this.disposers.push(fn);
  }

  dispose(): void {
    for (const fn of this.disposers.splice(0)) {
      try {
        fn();
      } catch {
        // Disposal must never fail an analysis.
      }
    }
  }

  optionsOf(ruleId: string): Record<string, unknown> {
    return this.ruleOptions[ruleId] ?? {};
  }

  /** True when the rule runs on this file in this analysis (see `ruleRuns`). */
  runsRule(ruleId: string): boolean {
    return this.ruleRuns(ruleId);
  }
}
