/*
 * Building blocks of the code prefilter (see prefilter.ts): what the text of a
 * file must contain for a taint pass to recognise a source or a sink in it.
 * Every test over-approximates: a file that passes may still have no flow,
 * but a file that fails cannot have one. Words come from the whole text, but
 * for what a pass never reads (Python comments and plain strings, see
 * python/codeWords.ts).
 */

/** The identifier-like words of a file, and its text for the few substring tests. */
export class FileWords {
  private readonly matched = new Map<RegExp, boolean>();
  private quotedRuns?: Set<string>;

  constructor(
    readonly text: string,
    readonly words: ReadonlySet<string>,
  ) {}

  /** Some word matches (memoised: several needs share a pattern). */
  someWord(re: RegExp): boolean {
    let hit = this.matched.get(re);
    if (hit === undefined) {
      hit = false;
      for (const w of this.words)
        if (re.test(w)) {
          hit = true;
          break;
        }
      this.matched.set(re, hit);
    }
    return hit;
  }

  /**
   * A string literal is `s` (`'fs'`, `"node:fs"`): what an import or require of
   * module `s` contains. Read after every quote, not from paired quotes, so an
   * apostrophe in a comment cannot hide a string.
   */
  opensString(s: string): boolean {
    if (!QUOTED_RUN_CHARS.test(s)) return this.text.includes(`'${s}`) || this.text.includes(`"${s}`);
    if (!this.quotedRuns) {
      this.quotedRuns = new Set();
      for (const m of this.text.matchAll(QUOTED_RUN)) this.quotedRuns.add(m[1]);
    }
    return this.quotedRuns.has(s);
  }

  /** A string literal is `m` or starts with `m.` (`'lodash.template'` for module lodash). */
  opensModule(m: string): boolean {
    if (this.opensString(m)) return true;
    for (const run of this.quotedRuns ?? []) if (run.startsWith(`${m}.`)) return true;
    return !QUOTED_RUN_CHARS.test(m) && (this.text.includes(`'${m}.`) || this.text.includes(`"${m}.`));
  }
}

/** After each quote (and an optional `node:`), the run of characters module specifiers are made of. */
const QUOTED_RUN = /['"](?:node:)?([@\w./-]+)/g;
const QUOTED_RUN_CHARS = /^[@\w./-]+$/;

/** A condition the file must meet for some source or sink to be recognised in it. */
export type Need = (f: FileWords) => boolean;

export const always: Need = () => true;

export function word(w: string): Need {
  return (f) => f.words.has(w);
}

export function anyWord(ws: Iterable<string>): Need {
  const list = [...new Set(ws)];
  return (f) => list.some((w) => f.words.has(w));
}

export function allWords(ws: Iterable<string>): Need {
  const list = [...new Set(ws)].filter(Boolean);
  return (f) => list.every((w) => f.words.has(w));
}

/** Some word of the file matches (for the passes' name heuristics, which test one identifier). */
export function wordMatching(re: RegExp): Need {
  return (f) => f.someWord(re);
}

export function textIncludes(s: string): Need {
  return (f) => f.text.includes(s);
}

export function textMatching(re: RegExp): Need {
  return (f) => re.test(f.text);
}

export function all(...needs: Need[]): Need {
  return (f) => needs.every((n) => n(f));
}

export function any(...needs: Need[]): Need {
  if (needs.length === 1) return needs[0];
  return (f) => needs.some((n) => n(f));
}

/**
 * The spellings that resolve to a canonical name when the pass folds module
 * aliases (`cPickle.loads` is `pickle.loads`): the name itself, each alias
 * whose target is a prefix of it with the rest appended, and each alias whose
 * target extends it (for names used as prefixes, like a constructor's module).
 */
export function aliasSpellings(name: string, aliases: Readonly<Record<string, string>>, sep = '.'): string[] {
  const out = new Set([name]);
  const queue = [name];
  const entries = Object.entries(aliases);
  while (queue.length) {
    // Not expected with the models' aliases: rather than miss a spelling, need nothing.
    if (out.size > 500) return [''];
    const n = queue.pop()!;
    for (const [raw, target] of entries) {
      let spelling: string | undefined;
      if (n === target || n.startsWith(target + sep)) spelling = raw + n.slice(target.length);
      else if (target.startsWith(n + sep)) spelling = raw;
      if (spelling !== undefined && !out.has(spelling)) {
        out.add(spelling);
        queue.push(spelling);
      }
    }
  }
  return [...out];
}

/**
 * The dotted names a name-matching regex of the models starts with:
 * `/^requests\.(Session|session)/` → requests, `/^(a|b\.c)\.connect/` → a, b.c.
 * undefined when the start is not a plain literal (the caller then assumes a match).
 */
export function leadingNames(re: RegExp): string[] | undefined {
  const src = re.source;
  if (!src.startsWith('^')) return undefined;
  const group = /^\^\(((?:\w|\\\.|\|)+)\)/.exec(src);
  const literal = group ? undefined : /^\^((?:\w|\\\.)+)/.exec(src);
  const body = group?.[1] ?? literal?.[1];
  if (!body) return undefined;
  const names = body.split('|').map((n) => n.replace(/\\\./g, '.').replace(/\.$/, ''));
  return names.every((n) => /^\w+(\.\w+)*$/.test(n)) ? names : undefined;
}
