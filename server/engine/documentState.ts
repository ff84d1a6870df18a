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

/** The pieces of a document's last analysis, in order, with their text. */
export type KeptPieces<T> = ReadonlyArray<{ readonly text: string; readonly piece: T }>;

/**
 * The pieces the last analysis had for each of this analysis's piece texts
 * (undefined: a new text), each old piece handed out at most once. An edit
 * leaves the pieces before and after it in place, so those are matched by
 * position (a string comparison: a keystroke does not hash every piece of a
 * large file); only the changed middle goes through a lookup by text.
 */
export function matchPieces<T>(previous: KeptPieces<T> | undefined, texts: readonly string[]): Array<T | undefined> {
  const out = new Array<T | undefined>(texts.length).fill(undefined);
  if (!previous || previous.length === 0) return out;
  const n = texts.length;
  const m = previous.length;
  let front = 0;
  while (front < n && front < m && texts[front] === previous[front].text) {
    out[front] = previous[front].piece;
    front++;
  }
  let back = 0;
  while (back < n - front && back < m - front && texts[n - 1 - back] === previous[m - 1 - back].text) {
    out[n - 1 - back] = previous[m - 1 - back].piece;
    back++;
  }
  if (front + back < n && front + back < m) {
    const byText = new Map<string, T[]>();
    for (let k = m - back - 1; k >= front; k--) {
      const list = byText.get(previous[k].text);
      if (list) list.push(previous[k].piece);
      else byText.set(previous[k].text, [previous[k].piece]);
    }
    for (let i = front; i < n - back; i++) out[i] = byText.get(texts[i])?.pop();
  }
  return out;
}
