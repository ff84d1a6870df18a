/**
 * Snippet text → plain text, for fixes marked `snippet: true` when the edit
 * cannot run as a snippet (the file is not in the active editor, or the API
 * lacks SnippetTextEdit). TextMate snippet syntax: `$1`, `${1}`, `${1:default}`
 * (nested), `${1|a,b|}` (first choice), `$name`/`${name:default}` variables
 * (default or empty), `\$`, `\}`, `\\` escapes. Linear in the text length.
 * No 'vscode' import: unit-tested under Node.
 */
export function resolveSnippet(text: string): string {
  let i = 0;
  const n = text.length;

  // Parses until an unescaped `}` when inPlaceholder, else to the end.
  function parse(inPlaceholder: boolean): string {
    let out = '';
    while (i < n) {
      const c = text[i];
      if (c === '\\' && i + 1 < n && '$}\\,|'.includes(text[i + 1])) {
        out += text[i + 1];
        i += 2;
      } else if (c === '}' && inPlaceholder) {
        i++;
        return out;
      } else if (c === '$') {
        out += dollar();
      } else {
        out += c;
        i++;
      }
    }
    return out;
  }

  function dollar(): string {
    // at '$'
    const m = /^\$(\d+|[A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(i, i + 64));
    if (m) {
      i += m[0].length;
      return '';
    }
    if (text[i + 1] !== '{') {
      i++;
      return '$';
    }
    const head = /^\$\{(\d+|[A-Za-z_][A-Za-z0-9_]*)([:|}/])?/.exec(text.slice(i, i + 70));
    if (!head || !head[2]) {
      i++;
      return '$';
    }
    i += head[0].length;
    switch (head[2]) {
      case '}':
        return '';
      case ':':
        return parse(true);
      case '|': {
        // ${1|a,b,c|}: first choice
        let first = '';
        let done = false;
        while (i < n) {
          const c = text[i];
          if (c === '\\' && i + 1 < n) {
            if (!done) first += text[i + 1];
            i += 2;
          } else if (c === ',') {
            done = true;
            i++;
          } else if (c === '|' && text[i + 1] === '}') {
            i += 2;
            return first;
          } else {
            if (!done) first += c;
            i++;
          }
        }
        return first;
      }
      default: {
        // '/': a variable transform ${name/regex/format/opts}: skip to the closing brace
        let depth = 1;
        while (i < n && depth > 0) {
          if (text[i] === '\\') i++;
          else if (text[i] === '{') depth++;
          else if (text[i] === '}') depth--;
          i++;
        }
        return '';
      }
    }
  }

  return parse(false);
}
