/*
 * The words of Python code for the prefilter, leaving out comments and the
 * text of plain string literals (docstrings, messages): the taint pass finds
 * sources and sinks by the names of imports, calls and attributes, never by
 * the contents of a string. f-strings are kept whole, since their
 * interpolations are code.
 *
 * It also follows the block structure (brackets, line continuations,
 * indentation) to tell where a word is: in a function the pass may treat as an
 * entry point, at module level, in a decorator. Whenever the layout is not
 * plain (an unterminated string, unbalanced brackets, indentation Python would
 * reject, which tree-sitter reads its own way), every word counts as being
 * everywhere: keeping words only costs speed.
 */

export interface PythonWords {
  /** Words of code: not in comments, not in plain string literals. */
  code: Set<string>;
  /** Names read as attributes (`x.name`, methods included); f-strings' words too. */
  attributes: Set<string>;
  /** Code the pass analyses as a public module-level function's (its nested functions and methods are analysed apart). */
  entry: Set<string>;
  /** Attributes in `entry`. */
  entryAttributes: Set<string>;
  /** Code outside functions and classes, imports and definitions left out: where a module-level alias would be assigned. */
  module: Set<string>;
  /** A module-level import binds a name of its own (`import x as y`). */
  importAlias: boolean;
  /** Words of decorator lines. */
  decorators: Set<string>;
  /** Words of `def` lines: parameters and their annotations (and one-line bodies). */
  signatures: Set<string>;
  /** The text of decorator lines, strings included. */
  decoratorText: string;
}

const IDENT_START = new Uint8Array(128);
const IDENT_PART = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  IDENT_START[c] = /[A-Za-z_]/.test(ch) ? 1 : 0;
  IDENT_PART[c] = /\w/.test(ch) ? 1 : 0;
}
const STRING_PREFIX = /^[rRbBuUfF]{1,2}$/;
const WORD = /[A-Za-z_][A-Za-z0-9_]*/g;
const PREFIX = /[rRbBuUfF]{1,2}$/;
const DEF = /(?:async\b[\s\\]*)?def\b/y;
const PRIVATE_NAME = /[\s\\]*_/y;
const CLASS = /class\b/y;
const IMPORT = /(?:import|from)\b/y;

/** An open function or class body: lines indented deeper than `level` are in it. */
interface Scope {
  level: number;
  function: boolean;
  publicModuleFunction: boolean;
}

export function pythonCodeWords(text: string): PythonWords {
  const code = new Set<string>();
  const attributes = new Set<string>();
  const entry = new Set<string>();
  const entryAttributes = new Set<string>();
  const signatures = new Set<string>();
  const module = new Set<string>();
  const decorators = new Set<string>();
  const decoratorLines: string[] = [];
  let importAlias = false;
  let unclear = false;
  let depth = 0;
  const indents = [0];
  const scopes: Scope[] = [];
  let expectIndent = false;
  // What the current logical line is.
  let inEntry = false;
  let inModule = false;
  let isImport = false;
  let isDef = false;
  /** The last significant character was a `.`: the next name is an attribute. */
  let afterDot = false;
  let decoratorStart = -1;
  let physicalLine = 0;
  let commentStart = -1;

  // A logical line starts at `pos` (outside brackets): find its block, as Python's tokenizer does.
  const startLine = (pos: number) => {
    let indent = 0;
    let i = pos;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 32) indent++;
      else if (c === 9) indent += 8;
      else if (c === 12) indent = 0;
      else break;
    }
    const c = text.charCodeAt(i);
    if (i >= text.length || c === 35 || c === 10 || c === 13) return; // blank or comment-only
    if (decoratorStart >= 0) decoratorLines.push(text.slice(decoratorStart, pos));
    decoratorStart = c === 64 /* @ */ ? i : -1;
    const top = indents[indents.length - 1];
    if (expectIndent) {
      if (indent > top) indents.push(indent);
      else unclear = true;
    } else if (indent > top) unclear = true;
    else {
      while (indent < indents[indents.length - 1]) indents.pop();
      if (indent !== indents[indents.length - 1]) unclear = true;
    }
    expectIndent = false;
    const level = indents.length;
    while (scopes.length && scopes[scopes.length - 1].level >= level) scopes.pop();
    DEF.lastIndex = i;
    isDef = DEF.test(text);
    PRIVATE_NAME.lastIndex = DEF.lastIndex;
    CLASS.lastIndex = i;
    const definition = isDef || CLASS.test(text);
    IMPORT.lastIndex = i;
    isImport = IMPORT.test(text);
    inModule = scopes.length === 0 && !definition;
    // Decorated functions count too: over-approximating is safe.
    if (definition) scopes.push({ level, function: isDef, publicModuleFunction: isDef && level === 1 && !PRIVATE_NAME.test(text) });
    // A definition's line belongs to it (a one-line body).
    inEntry = scopes.length > 0 && scopes[0].publicModuleFunction && !scopes.some((s, k) => k > 0 && s.function);
  };

  // A logical line ends at `pos`: does it open a block (a last significant `:`)?
  const endLine = (pos: number) => {
    let j = (commentStart >= 0 ? commentStart : pos) - 1;
    for (let c = text.charCodeAt(j); j >= physicalLine && (c === 32 || c === 9 || c === 12 || c === 13); c = text.charCodeAt(--j));
    if (j >= physicalLine) expectIndent = text.charCodeAt(j) === 58; /* : */
  };

  const add = (w: string, attribute: boolean) => {
    code.add(w);
    if (attribute) attributes.add(w);
    if (inEntry) {
      entry.add(w);
      if (attribute) entryAttributes.add(w);
    }
    if (isDef) signatures.add(w);
    if (inModule) {
      if (!isImport) module.add(w);
      else if (w === 'as') importAlias = true;
    }
    if (decoratorStart >= 0) decorators.add(w);
  };

  startLine(0);
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c < 128 && IDENT_START[c]) {
      let j = i + 1;
      for (let d = text.charCodeAt(j); d < 128 && IDENT_PART[d]; d = text.charCodeAt(++j));
      const q = text.charCodeAt(j);
      if ((q === 34 || q === 39) && j - i <= 2 && STRING_PREFIX.test(text.slice(i, j))) {
        // A prefixed string: r"...", f'...', rb"""...""".
        i = string(i, j, /[fF]/.test(text.slice(i, j)));
        afterDot = false;
        continue;
      }
      add(text.slice(i, j), afterDot);
      afterDot = false;
      i = j;
    } else if (c === 34 || c === 39) {
      i = string(i, i, false);
      afterDot = false;
    }
    else if (c === 35 /* # */) {
      commentStart = i;
      while (i < n && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
    } else if (c === 10 || c === 13) {
      const next = c === 13 && text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
      if (depth === 0) endLine(i);
      commentStart = -1;
      physicalLine = next;
      if (depth === 0) startLine(next);
      i = next;
    } else if (c === 92 /* \ */) {
      const d = text.charCodeAt(i + 1);
      if (d === 10 || d === 13) {
        // A line continuation: the logical line goes on.
        i += d === 13 && text.charCodeAt(i + 2) === 10 ? 3 : 2;
        commentStart = -1;
        physicalLine = i;
      } else i++;
    } else {
      if (c === 46 /* . */) afterDot = true;
      else if (c !== 32 && c !== 9 && c !== 12) afterDot = false;
      if (c === 40 || c === 91 || c === 123) depth++;
      else if (c === 41 || c === 93 || c === 125) {
        if (depth === 0) unclear = true;
        else depth--;
      }
      i++;
    }
  }
  if (depth !== 0) unclear = true;
  if (decoratorStart >= 0) decoratorLines.push(text.slice(decoratorStart));
  if (unclear) return { code, attributes, entry: code, entryAttributes: attributes, module: code, importAlias: true, decorators: code, signatures: code, decoratorText: text };
  return { code, attributes, entry, entryAttributes, module, importAlias, decorators, signatures, decoratorText: decoratorLines.join('\n') };

  /** Skips a string literal whose prefix starts at `start` and quote at `quote`; returns where to read on. */
  function string(start: number, quote: number, fmt: boolean): number {
    const q = text[quote];
    const delimiter = text.charCodeAt(quote + 1) === q.charCodeAt(0) && text.charCodeAt(quote + 2) === q.charCodeAt(0) ? q + q + q : q;
    const open = quote + delimiter.length;
    const end = stringEnd(text, open, delimiter, fmt);
    if (end === undefined) {
      // Unterminated: read on as code from after the quote.
      unclear = true;
      if (quote > start) add(text.slice(start, quote), false);
      return quote + 1;
    }
    // An f-string's words may be anything, attributes included.
    if (fmt) for (const w of text.slice(open, end).match(WORD) ?? []) add(w, true);
    return end;
  }
}

/** Offset just past the closing quote of a string whose body starts at `i`; undefined when it does not close. */
function stringEnd(text: string, i: number, quote: string, fmt: boolean): number | undefined {
  const q = quote.charCodeAt(0);
  const triple = quote.length === 3;
  let depth = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \ */) {
      i += 2;
      continue;
    }
    if (depth === 0) {
      if (c === q && (!triple || (text.charCodeAt(i + 1) === q && text.charCodeAt(i + 2) === q))) return i + quote.length;
      if (!triple && (c === 10 || c === 13)) return undefined;
      if (fmt && c === 123 /* { */) {
        if (text.charCodeAt(i + 1) === 123) i += 2;
        else {
          depth = 1;
          i++;
        }
        continue;
      }
      i++;
      continue;
    }
    // Inside an f-string's interpolation: braces nest, and quotes open nested strings.
    if (c === 123) depth++;
    else if (c === 125 /* } */) depth--;
    else if (c === 34 || c === 39) {
      const nestedTriple = text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c;
      const nestedQuote = nestedTriple ? text.slice(i, i + 3) : text[i];
      const prefix = PREFIX.exec(text.slice(Math.max(0, i - 2), i))?.[0] ?? '';
      const end = stringEnd(text, i + nestedQuote.length, nestedQuote, /[fF]/.test(prefix));
      if (end === undefined) return undefined;
      i = end;
      continue;
    }
    i++;
  }
  return undefined;
}
