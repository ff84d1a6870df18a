import { isMap, isPair, isScalar, isSeq, visit, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { yamlDocumentsOf } from '../cluster/manifests';
import type { FileContext } from '../engine/context';
import type { Fix, TextEdit } from '../engine/types';
import { lex, spanAt, type Lexed, type StringSpan } from './lexer';
import type { SecretMatch } from './secrets/detectors';
import { assignedName, toEnvName } from './secrets/text';

/*
 * Quick fixes for hard-coded credentials: the literal becomes a read from the
 * environment (Python, JavaScript/TypeScript), or a Kubernetes env `value:`
 * becomes `valueFrom: secretKeyRef`. Each fix is offered only where the edit
 * provably keeps the file valid: the credential is the whole literal, in an
 * expression position; the YAML scalar is a block-style env entry.
 */

export function lexedOf(ctx: FileContext): Lexed | undefined {
  if (ctx.kind === 'python') return ctx.memo('cloud:lex', () => lex(ctx.text, 'python'));
  if (ctx.kind === 'javascript' || ctx.kind === 'typescript' || ctx.kind === 'tsx') {
    return ctx.memo('cloud:lex', () => lex(ctx.text, 'js'));
  }
  return undefined;
}

/** Names too generic to become an environment variable of their own. */
const GENERIC_NAMES = new Set(['VALUE', 'KEY', 'TOKEN', 'SECRET', 'PASSWORD', 'DEFAULT', 'DATA', 'X', 'S', 'VAL', 'CONFIG', 'CREDENTIALS', 'AUTH']);

function envNameFor(ctx: FileContext, match: SecretMatch, literalStart: number): string {
  // The SDKs read the standard names; keep them for AWS whatever the variable is called.
  if (match.format === 'aws-access-key-id' || match.format === 'aws-secret-access-key') return match.envVar;
  const pos = ctx.lines.positionAt(literalStart);
  const before = ctx.text.slice(Math.max(ctx.lines.lineStarts[pos.line], literalStart - 200), literalStart);
  const name = assignedName(before);
  const env = name ? toEnvName(name) : '';
  // `SLACK_BOT_TOKEN = "…"` / `webhookUrl: "…"` name the variable; a bare `slack` or `conn` does not say enough.
  if (env.length >= 6 && env.includes('_') && !GENERIC_NAMES.has(env) && /^[A-Z][A-Z0-9_]*$/.test(env)) return env;
  return match.envVar;
}

function prevNonSpace(text: string, i: number): number {
  let k = i - 1;
  while (k >= 0 && (text[k] === ' ' || text[k] === '\t')) k--;
  return k;
}
function nextNonSpace(text: string, i: number): number {
  let k = i;
  while (k < text.length && (text[k] === ' ' || text[k] === '\t')) k++;
  return k;
}

/** The string literal that is exactly this credential, in a position where an expression may stand. */
function wholeLiteral(ctx: FileContext, match: SecretMatch): StringSpan | undefined {
  const lexed = lexedOf(ctx);
  if (!lexed) return undefined;
  const span = spanAt(lexed.strings, match.start);
  if (!span || span.contentStart !== match.start || span.contentEnd !== match.end || span.interpolated) return undefined;
  const text = ctx.text;
  const after = text[nextNonSpace(text, span.end)] ?? '';
  const beforeAt = prevNonSpace(text, span.start);
  const before = beforeAt >= 0 ? text[beforeAt] : '';
  // A mapping key (`{"AKIA…": 1}`) or one part of an implicit concatenation is not an expression on its own.
  if (after === ':' || after === '"' || after === "'" || after === '`') return undefined;
  if (before === '"' || before === "'" || before === '`') return undefined;
  if (ctx.kind === 'python') {
    if (span.prefix.includes('b') || span.prefix.includes('f')) return undefined;
  } else {
    // Tagged templates, module specifiers, and type positions are not plain expressions.
    if (span.quote === '`' && /[\w$)\]]/.test(before)) return undefined;
    const wordBefore = /([A-Za-z_$][\w$]*)\s*\(?\s*$/.exec(text.slice(Math.max(0, span.start - 40), span.start))?.[1];
    if (wordBefore === 'from' || wordBefore === 'import' || wordBefore === 'require' || wordBefore === 'type') return undefined;
  }
  return span;
}

/** `<a key="…">` in JSX: the replacement needs braces. */
function isJsxAttribute(ctx: FileContext, span: StringSpan): boolean {
  if (!(ctx.kind === 'tsx' || /\.jsx$/i.test(ctx.path))) return false;
  const text = ctx.text;
  if (text[span.start - 1] !== '=' || !/[\w-]/.test(text[span.start - 2] ?? '')) return false;
  const window = text.slice(Math.max(0, span.start - 500), span.start);
  const lt = window.lastIndexOf('<');
  const gt = window.lastIndexOf('>');
  return lt > gt && /^<[A-Za-z]/.test(window.slice(lt));
}

export function environmentFix(ctx: FileContext, match: SecretMatch): Fix | undefined {
  const span = wholeLiteral(ctx, match);
  if (!span) return undefined;
  const env = envNameFor(ctx, match, span.start);
  const range = ctx.lines.range(span.start, span.end);
  if (ctx.kind === 'python') {
    const edits: TextEdit[] = [{ range, newText: `os.environ["${env}"]` }];
    const importEdit = pythonImportOs(ctx);
    if (importEdit) edits.unshift(importEdit);
    return { title: `Read ${env} from the environment (os.environ)`, edits, isPreferred: true };
  }
  const read = `process.env.${env}`;
  return {
    title: `Read ${env} from the environment (process.env)`,
    edits: [{ range, newText: isJsxAttribute(ctx, span) ? `{${read}}` : read }],
    isPreferred: true,
  };
}

const IMPORTS_OS = /^import[ \t]+(?:[\w.]+(?:[ \t]+as[ \t]+\w+)?[ \t]*,[ \t]*)*os(?![\w.])(?![ \t]+as\b)/m;

/** `import os` at the top of the module (after the shebang, comments, docstring and __future__ imports), unless present. */
function pythonImportOs(ctx: FileContext): TextEdit | undefined {
  return ctx.memo('cloud:importOs', () => computePythonImportOs(ctx));
}

function computePythonImportOs(ctx: FileContext): TextEdit | undefined {
  const text = ctx.text;
  if (IMPORTS_OS.test(text)) return undefined;
  const lines = ctx.lines;
  const lexed = lexedOf(ctx)!;
  // The import goes right after the module header: shebang, comments, docstring, __future__ imports.
  let line = 0;
  let insertAt = 0;
  let docstringSeen = false;
  while (line < lines.lineCount) {
    const t = lines.lineText(line);
    const trimmed = t.trim();
    if (trimmed === '') {
      line++;
      continue;
    }
    if (trimmed.startsWith('#')) {
      insertAt = ++line;
      continue;
    }
    const offset = lines.lineStarts[line] + (t.length - t.trimStart().length);
    const doc = spanAt(lexed.strings, offset);
    if (!docstringSeen && doc && doc.start === offset) {
      docstringSeen = true;
      insertAt = line = lines.positionAt(doc.end).line + 1;
      continue;
    }
    if (/^from[ \t]+__future__[ \t]+import\b/.test(trimmed) && !trimmed.includes('(')) {
      insertAt = ++line;
      continue;
    }
    break;
  }
  const eol = lines.eol;
  if (insertAt >= lines.lineCount) {
    // Nothing but comments and a docstring: append after them.
    const end = text.length;
    const at = lines.positionAt(end);
    const needsBreak = end > 0 && !/[\r\n]$/.test(text);
    return { range: { start: at, end: at }, newText: `${needsBreak ? eol : ''}import os${eol}` };
  }
  const at = { line: insertAt, character: 0 };
  return { range: { start: at, end: at }, newText: `import os${eol}` };
}

// ---------------------------------------------------------------- Kubernetes env → secretKeyRef

function keyIs(pair: unknown, name: string): boolean {
  return isPair(pair) && isScalar(pair.key) && pair.key.value === name;
}

interface EnvValue {
  pair: Pair<Scalar, Scalar>;
  map: YAMLMap;
  start: number;
  end: number;
}

/** Every `value:` scalar of a block-style Kubernetes env entry in the file, by offset (computed once). */
function envValuesOf(ctx: FileContext): EnvValue[] {
  return ctx.memo('cloud:envValues', () => {
    const out: EnvValue[] = [];
    for (const doc of yamlDocumentsOf(ctx).docs) {
      if (doc.errors?.length) continue;
      visit(doc, {
        Pair(_, pair, path) {
          if (!keyIs(pair, 'value') || !isScalar(pair.value) || !pair.value.range) return undefined;
          const map = path[path.length - 1];
          const seq = path[path.length - 2];
          const envPair = path[path.length - 3];
          if (!isMap(map) || map.flow || !isSeq(seq) || !keyIs(envPair, 'env')) return undefined;
          out.push({ pair: pair as Pair<Scalar, Scalar>, map, start: pair.value.range[0], end: pair.value.range[1] });
          return undefined;
        },
      });
    }
    return out.sort((a, b) => a.start - b.start);
  });
}

/**
 * A Kubernetes container env entry (`- name: X` / `value: <credential>`)
 * becomes `valueFrom: secretKeyRef` with placeholders for the Secret's name
 * and key; a trailing comment stays on the `valueFrom:` line.
 */
export function secretKeyRefFix(ctx: FileContext, match: SecretMatch): Fix | undefined {
  if (ctx.kind !== 'yaml') return undefined;
  const text = ctx.text;
  const values = envValuesOf(ctx);
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid].end < match.end) lo = mid + 1;
    else hi = mid;
  }
  const found = values[lo] && values[lo].start <= match.start && values[lo].end >= match.end ? values[lo] : undefined;
  if (!found) return undefined;
  const { pair, map } = found;
  const value = pair.value!;
  if (String(value.value) !== text.slice(match.start, match.end)) return undefined;
  if (map.items.some((p) => keyIs(p, 'valueFrom'))) return undefined;
  const nameItem = map.items.find((p) => keyIs(p, 'name'));
  const envName = nameItem && isScalar(nameItem.value) ? String(nameItem.value.value) : match.envVar;
  const keyStart = pair.key!.range![0];
  const valueEnd = value.range![1];
  if (/[\r\n]/.test(text.slice(keyStart, valueEnd))) return undefined; // multi-line scalars: leave to the user
  const lines = ctx.lines;
  const keyPos = lines.positionAt(keyStart);
  const indent = ' '.repeat(keyPos.character);
  const eol = lines.eol;
  const lineEnd = lines.positionAt(lines.lineEnd(keyPos.line));
  const secretKey = envName.toLowerCase().replace(/[^a-z0-9.]+/g, '-').replace(/^-+|-+$/g, '') || 'credential';
  return {
    title: `Read ${envName} from a Kubernetes Secret (valueFrom.secretKeyRef)`,
    snippet: true,
    isPreferred: true,
    edits: [
      { range: lines.range(keyStart, valueEnd), newText: 'valueFrom:' },
      {
        range: { start: lineEnd, end: lineEnd },
        newText:
          `${eol}${indent}  secretKeyRef:` +
          `${eol}${indent}    name: \${1:app-secrets}` +
          `${eol}${indent}    key: \${2:${secretKey}}`,
      },
    ],
  };
}
