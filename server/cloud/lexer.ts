/*
 * A small lexer for Python and JavaScript/TypeScript that finds string
 * literals and comments in one linear pass. The cloud layer needs only that
 * much syntax: is this credential a whole string literal in code (so the
 * quick fix may replace it with an environment read), and is this address in
 * a comment (documentation, not a request). It never throws and never
 * backtracks; unterminated constructs end at the end of the file (or line).
 */

export type LexLanguage = 'python' | 'js';

export interface StringSpan {
  /** Offset of the prefix (Python `r`, `b`, `f`...) or the opening quote. */
  start: number;
  /** Offset just past the closing quote. */
  end: number;
  contentStart: number;
  contentEnd: number;
  /** Python string prefix, lower-cased ('' when none). */
  prefix: string;
  /** The quote as written: ', ", `, ''' or """. */
  quote: string;
  /** JS template literal with `${...}` substitutions, or a Python f-string. */
  interpolated: boolean;
}

export interface CommentSpan {
  start: number;
  end: number;
}

export interface Lexed {
  strings: StringSpan[];
  comments: CommentSpan[];
}

const JS_REGEX_AFTER_WORD = new Set([
  'return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await',
]);

function isIdentChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || c > 127;
}

export function lex(text: string, language: LexLanguage): Lexed {
  return language === 'python' ? lexPython(text) : lexJs(text);
}

function lexPython(text: string): Lexed {
  const strings: StringSpan[] = [];
  const comments: CommentSpan[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 35 /* # */) {
      const nl = lineEndFrom(text, i);
      comments.push({ start: i, end: nl });
      i = nl;
      continue;
    }
    if (c === 34 || c === 39) {
      // A prefix is the identifier characters immediately before the quote, if they are a valid prefix.
      let p = i;
      while (p > 0 && p > i - 3 && /[rRbBuUfF]/.test(text[p - 1])) p--;
      if (p > 0 && isIdentChar(text.charCodeAt(p - 1))) p = i; // part of a longer identifier: no prefix
      const prefix = text.slice(p, i).toLowerCase();
      const span = scanPythonString(text, i, p, prefix);
      strings.push(span);
      i = span.end;
      continue;
    }
    i++;
  }
  return { strings, comments };
}

function scanPythonString(text: string, q: number, start: number, prefix: string): StringSpan {
  const n = text.length;
  const ch = text[q];
  const triple = text[q + 1] === ch && text[q + 2] === ch;
  const quote = triple ? ch + ch + ch : ch;
  const contentStart = q + quote.length;
  let i = contentStart;
  while (i < n) {
    const c = text[i];
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (!triple && (c === '\n' || c === '\r')) {
      // Unterminated single-line string: stop at the line end.
      return { start, end: i, contentStart, contentEnd: i, prefix, quote, interpolated: prefix.includes('f') };
    }
    if (c === ch && (!triple || (text[i + 1] === ch && text[i + 2] === ch))) {
      return { start, end: i + quote.length, contentStart, contentEnd: i, prefix, quote, interpolated: prefix.includes('f') };
    }
    i++;
  }
  return { start, end: n, contentStart, contentEnd: n, prefix, quote, interpolated: prefix.includes('f') };
}

function lexJs(text: string): Lexed {
  const strings: StringSpan[] = [];
  const comments: CommentSpan[] = [];
  const n = text.length;
  // Brace depth per open template substitution, so `}` knows when it closes `${`.
  const templateStack: number[] = [];
  let braceDepth = 0;
  // The last significant character and word, to tell a regex literal from a division.
  let lastSig = -1;
  let lastWord = '';
  let i = 0;
  const templateStarts: Array<{ start: number; contentStart: number }> = [];

  const scanTemplateBody = (from: number, start: number, contentStart: number, interpolatedSoFar: boolean): number => {
    let k = from;
    while (k < n) {
      const c = text.charCodeAt(k);
      if (c === 92 /* \ */) {
        k += 2;
        continue;
      }
      if (c === 96 /* ` */) {
        // Templates with substitutions are not recorded: their inner strings
        // would overlap them, and they are never a whole literal to replace.
        if (!interpolatedSoFar) strings.push({ start, end: k + 1, contentStart, contentEnd: k, prefix: '', quote: '`', interpolated: false });
        return k + 1;
      }
      if (c === 36 /* $ */ && text.charCodeAt(k + 1) === 123 /* { */) {
        templateStarts.push({ start, contentStart });
        templateStack.push(braceDepth);
        braceDepth++;
        return k + 2;
      }
      k++;
    }
    if (!interpolatedSoFar) strings.push({ start, end: n, contentStart, contentEnd: n, prefix: '', quote: '`', interpolated: false });
    return n;
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 47 /* / */) {
      const next = text.charCodeAt(i + 1);
      if (next === 47) {
        const nl = lineEndFrom(text, i);
        comments.push({ start: i, end: nl });
        i = nl;
        continue;
      }
      if (next === 42 /* * */) {
        const close = text.indexOf('*/', i + 2);
        const end = close < 0 ? n : close + 2;
        comments.push({ start: i, end });
        i = end;
        continue;
      }
      if (regexAllowed(text, lastSig, lastWord)) {
        i = skipRegex(text, i);
        lastSig = 47;
        lastWord = '';
        continue;
      }
      lastSig = c;
      lastWord = '';
      i++;
      continue;
    }
    if (c === 34 || c === 39) {
      const end = scanJsQuoted(text, i);
      const closed = end > i + 1 && text.charCodeAt(end - 1) === c && end - 1 > i;
      strings.push({
        start: i,
        end,
        contentStart: i + 1,
        contentEnd: closed ? end - 1 : end,
        prefix: '',
        quote: text[i],
        interpolated: false,
      });
      i = end;
      lastSig = c;
      lastWord = '';
      continue;
    }
    if (c === 96 /* ` */) {
      i = scanTemplateBody(i + 1, i, i + 1, false);
      lastSig = 96;
      lastWord = '';
      continue;
    }
    if (c === 123 /* { */) {
      braceDepth++;
    } else if (c === 125 /* } */) {
      braceDepth--;
      if (templateStack.length && braceDepth === templateStack[templateStack.length - 1]) {
        templateStack.pop();
        const t = templateStarts.pop()!;
        // Back inside the template: the literal spans to its closing backtick.
        i = scanTemplateBody(i + 1, t.start, t.contentStart, true);
        lastSig = 96;
        lastWord = '';
        continue;
      }
    }
    if (isIdentChar(c)) {
      const s = i;
      while (i < n && isIdentChar(text.charCodeAt(i))) i++;
      lastWord = text.slice(s, i);
      lastSig = text.charCodeAt(i - 1);
      continue;
    }
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) {
      lastSig = c;
      lastWord = '';
    }
    i++;
  }
  strings.sort((a, b) => a.start - b.start);
  return { strings, comments };
}

function scanJsQuoted(text: string, q: number): number {
  const n = text.length;
  const quote = text.charCodeAt(q);
  let i = q + 1;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 92) {
      i += 2;
      continue;
    }
    if (c === quote) return i + 1;
    if (c === 10 || c === 13) return i;
    i++;
  }
  return n;
}

function regexAllowed(text: string, lastSig: number, lastWord: string): boolean {
  if (lastSig === -1) return true;
  if (lastWord) return JS_REGEX_AFTER_WORD.has(lastWord);
  // After a value (identifier, number, closing bracket, string) a slash divides.
  return !(lastSig === 41 || lastSig === 93 || lastSig === 125 || lastSig === 34 || lastSig === 39 || lastSig === 96);
}

function skipRegex(text: string, s: number): number {
  const n = text.length;
  let i = s + 1;
  let inClass = false;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return i; // not a regex after all; resume on the next line
    if (c === 92) {
      i += 2;
      continue;
    }
    if (c === 91) inClass = true;
    else if (c === 93) inClass = false;
    else if (c === 47 && !inClass) {
      i++;
      while (i < n && isIdentChar(text.charCodeAt(i))) i++;
      return i;
    }
    i++;
  }
  return n;
}

function lineEndFrom(text: string, i: number): number {
  const n = text.length;
  let k = i;
  while (k < n) {
    const c = text.charCodeAt(k);
    if (c === 10 || c === 13) return k;
    k++;
  }
  return n;
}

/** The span (string or comment) containing offset, by binary search over sorted spans. */
export function spanAt<T extends { start: number; end: number }>(spans: readonly T[], offset: number): T | undefined {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = spans[mid];
    if (offset < s.start) hi = mid - 1;
    else if (offset >= s.end) lo = mid + 1;
    else return s;
  }
  return undefined;
}
