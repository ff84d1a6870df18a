/**
 * State a layer keeps between analyses of one open editor document (the
 * previous syntax tree, mirror or parsed pieces), so an edit re-does only the
 * part it touched. Keyed by the document key (the LSP URI); bounded, so
 * closed or forgotten documents never pin memory for long, and cleared for a
 * document when the editor closes it (`forgetDocumentState`).
 */
export class DocumentStateCache<T> {
  private readonly entries = new Map<string, T>();

  constructor(
    private readonly max = 32,
    private readonly release: (value: T) => void = () => {},
  ) {
    caches.push(this as DocumentStateCache<unknown>);
  }

  get(key: string): T | undefined {
    return this.entries.get(key);
  }

  /** Stores the document's latest state, replacing (and releasing) the previous one. */
  set(key: string, value: T): void {
    const previous = this.entries.get(key);
    if (previous !== undefined && previous !== value) this.release(previous);
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.max) this.delete(this.entries.keys().next().value as string);
  }

  delete(key: string): void {
    const value = this.entries.get(key);
    if (value === undefined) return;
    this.entries.delete(key);
    this.release(value);
  }

  get size(): number {
    return this.entries.size;
  }
}

const caches: Array<DocumentStateCache<unknown>> = [];

/** Drops every layer's state for a document (the server calls this on didClose). */
export function forgetDocumentState(documentKey: string): void {
  for (const c of caches) c.delete(documentKey);
}

/**
 * The parsed pieces of one document (YAML documents, Dockerfile pieces) by
 * their text, across two analyses: `take` hands back a piece whose text the
 * last analysis also had, `keep` records this analysis's pieces for the next.
 * Identical pieces are kept once each, so a repeated piece is never shared.
 */
export class PieceReuse<T> {
  readonly kept = new Map<string, T[]>();

  constructor(private readonly previous: Map<string, T[]> | undefined) {}

  take(text: string): T | undefined {
    return this.previous?.get(text)?.pop();
  }

  keep(text: string, piece: T): void {
    const list = this.kept.get(text);
    if (list) list.push(piece);
    else this.kept.set(text, [piece]);
  }
}
