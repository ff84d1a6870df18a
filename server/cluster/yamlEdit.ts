import type { FileContext } from '../engine/context';
import type { TextEdit } from '../engine/types';
import { column, isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap, type YAMLSeq, type YamlStyle } from './manifests';

/*
 * Text edits on YAML that keep everything around them: new keys are written
 * in the file's own indentation, existing text (comments, quoting, key order)
 * is never re-serialised. Every helper returns undefined when the shape is
 * one it cannot edit safely; the rule then offers no fix rather than a bad one.
 */

export type YamlValue = string | number | boolean | YamlValue[] | { [key: string]: YamlValue };

/** Block YAML lines for `key: value` at `indent` spaces. */
export function renderBlock(key: string, value: YamlValue, indent: number, style: YamlStyle): string[] {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    const itemPad = ' '.repeat(indent + style.seqIndent);
    return [`${pad}${key}:`, ...value.map((v) => `${itemPad}- ${scalar(v)}`)];
  }
  if (typeof value === 'object') {
    const lines = [`${pad}${key}:`];
    for (const [k, v] of Object.entries(value)) lines.push(...renderBlock(k, v, indent + style.step, style));
    return lines;
  }
  return [`${pad}${key}: ${scalar(value)}`];
}

function scalar(v: YamlValue): string {
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** The file's line break, looked up once per analysis (LineIndex.eol scans the text). */
function eolOf(ctx: FileContext): string {
  return ctx.memo('cluster:eol', () => ctx.lines.eol);
}

function lineStartOf(ctx: FileContext, offset: number): number {
  return ctx.lines.lineStarts[ctx.lines.positionAt(offset).line];
}

function onlySpacesBefore(ctx: FileContext, offset: number): boolean {
  return /^[ ]*$/.test(ctx.text.slice(lineStartOf(ctx, offset), offset));
}

/** Nothing but whitespace or a comment after `offset` on its line. */
function restOfLineClear(ctx: FileContext, offset: number): boolean {
  const line = ctx.lines.positionAt(offset).line;
  return /^\s*(#.*)?$/.test(ctx.text.slice(offset, ctx.lines.lineEnd(line)));
}

function edit(ctx: FileContext, start: number, end: number, newText: string): TextEdit {
  return { range: ctx.lines.range(start, end), newText };
}

/** Inserts `key: value` as new lines right after a pair whose value is a one-line scalar. */
export function insertAfterPair(
  ctx: FileContext,
  pair: Pair<Node, Node>,
  key: string,
  value: YamlValue,
  style: YamlStyle,
): TextEdit | undefined {
  return insertAfterPairMany(ctx, pair, { [key]: value }, style);
}

function insertAfterPairMany(
  ctx: FileContext,
  pair: Pair<Node, Node>,
  entries: { [key: string]: YamlValue },
  style: YamlStyle,
): TextEdit | undefined {
  const k = pair.key?.range;
  const v = pair.value;
  if (!k || !isScalar(v) || !v.range) return undefined;
  const keyLine = ctx.lines.positionAt(k[0]).line;
  const valueLine = ctx.lines.positionAt(v.range[1]).line;
  if (keyLine !== valueLine || !restOfLineClear(ctx, v.range[1])) return undefined;
  const indent = column(ctx.text, k[0]);
  const at = ctx.lines.lineEnd(valueLine);
  const eol = eolOf(ctx);
  const lines = Object.entries(entries).flatMap(([key, value]) => renderBlock(key, value, indent, style));
  return edit(ctx, at, at, eol + lines.join(eol));
}

/** Adds `key: value` to an existing map: as the first key of a block map, or inside a flow map. */
export function insertIntoMap(
  ctx: FileContext,
  map: YAMLMap,
  entries: { [key: string]: YamlValue },
  style: YamlStyle,
): TextEdit | undefined {
  const keys = Object.keys(entries);
  if (keys.length === 0) return undefined;
  if (map.flow) {
    const start = map.range?.[0];
    if (start === undefined || ctx.text[start] !== '{') return undefined;
    const entry = keys.map((k) => `${JSON.stringify(k)}: ${JSON.stringify(entries[k])}`).join(', ');
    return edit(ctx, start + 1, start + 1, map.items.length > 0 ? ` ${entry},` : entry);
  }
  const first = map.items[0] as Pair<Node, Node> | undefined;
  const k = first?.key?.range;
  if (!first || !k) return undefined;
  if (onlySpacesBefore(ctx, k[0])) {
    const indent = column(ctx.text, k[0]);
    const lineStart = aboveLeadingComments(ctx, lineStartOf(ctx, k[0]), indent);
    const lines = keys.flatMap((key) => renderBlock(key, entries[key], indent, style));
    return edit(ctx, lineStart, lineStart, lines.join(eolOf(ctx)) + eolOf(ctx));
  }
  // `- first: x` shares its line with the item dash: add after it instead.
  return insertAfterPairMany(ctx, first, entries, style);
}

/**
 * Moves an insertion point above the comment lines that sit directly on top
 * of a key (at its indentation or deeper): they belong to that key, and a
 * `fourfold-ignore` comment must stay right above the line it silences.
 */
function aboveLeadingComments(ctx: FileContext, lineStart: number, indent: number): number {
  let line = ctx.lines.positionAt(lineStart).line;
  while (line > 0) {
    const prev = ctx.lines.lineText(line - 1);
    const m = /^( *)#/.exec(prev);
    if (!m || m[1].length < indent) break;
    line--;
  }
  return ctx.lines.lineStarts[line];
}

/** Replaces a `key:` / `key: {}` / `key: null` pair by `key:` with a block value, same column. */
export function replacePairValue(
  ctx: FileContext,
  pair: Pair<Node, Node>,
  value: YamlValue,
  style: YamlStyle,
): TextEdit | undefined {
  const k = pair.key?.range;
  if (!k || !isScalar(pair.key)) return undefined;
  if (!onlySpacesBefore(ctx, k[0])) return undefined;
  const v = pair.value;
  let end = k[1];
  if (v?.range) {
    const emptyish = (isMap(v) && v.items.length === 0) || (isScalar(v) && v.value == null) || (isSeq(v) && v.items.length === 0);
    if (!emptyish) return undefined;
    end = Math.max(end, v.range[1]);
  } else {
    // `key:` then the `:` itself, on the key's line (never a colon further down the file).
    const colon = ctx.text.indexOf(':', k[1]);
    if (colon < 0 || colon >= ctx.lines.lineEnd(ctx.lines.positionAt(k[1]).line)) return undefined;
    end = colon + 1;
  }
  if (!restOfLineClear(ctx, end)) return undefined;
  const keyText = ctx.text.slice(k[0], k[1]);
  const lines = renderBlock(keyText, value, column(ctx.text, k[0]), style);
  return edit(ctx, k[0], end, lines.join(eolOf(ctx)).slice(column(ctx.text, k[0])));
}

/** Replaces a scalar's text. */
export function replaceScalar(ctx: FileContext, node: Node | null | undefined, newText: string): TextEdit | undefined {
  if (!isScalar(node) || !node.range) return undefined;
  return edit(ctx, node.range[0], node.range[1], newText);
}

/** Deletes the lines of a `key: scalar` pair that stands on its own line(s). */
export function deletePairLines(ctx: FileContext, pair: Pair<Node, Node>): TextEdit | undefined {
  const k = pair.key?.range;
  const v = pair.value;
  if (!k || !onlySpacesBefore(ctx, k[0])) return undefined;
  const end = v?.range ? v.range[1] : k[1];
  if (!restOfLineClear(ctx, end)) return undefined;
  const start = lineStartOf(ctx, k[0]);
  const lastLine = ctx.lines.positionAt(end).line;
  const next = lastLine + 1 < ctx.lines.lineCount ? ctx.lines.lineStarts[lastLine + 1] : ctx.lines.lineEnd(lastLine);
  return edit(ctx, start, next, '');
}

/** Adds a scalar item to a sequence (first position of a block sequence, or inside a flow one). */
export function insertSeqItem(ctx: FileContext, seq: YAMLSeq, item: string): TextEdit | undefined {
  if (seq.flow) {
    const start = seq.range?.[0];
    if (start === undefined || ctx.text[start] !== '[') return undefined;
    const quoted = ctx.kind === "json" || !/^[A-Za-z0-9_./-]+$/.test(item) ? JSON.stringify(item) : item;
    return edit(ctx, start + 1, start + 1, seq.items.length > 0 ? `${quoted}, ` : quoted);
  }
  const first = seq.items[0] as Node | undefined;
  if (!first?.range) return undefined;
  // The dash precedes the first item on its line.
  const lineStart = lineStartOf(ctx, first.range[0]);
  const prefix = ctx.text.slice(lineStart, first.range[0]);
  const m = /^( *)- +$/.exec(prefix);
  if (!m) return undefined;
  // The indent rebuilt, not sliced from the text: a reused finding's fix must not hold on to the whole text.
  return edit(ctx, lineStart, lineStart, `${' '.repeat(m[1].length)}- ${item}${eolOf(ctx)}`);
}

/** Deletes one scalar item of a block sequence that has its own line. */
export function deleteSeqItem(ctx: FileContext, seq: YAMLSeq, index: number): TextEdit | undefined {
  if (seq.flow) return undefined;
  const node = seq.items[index] as Node | undefined;
  if (!isScalar(node) || !node.range) return undefined;
  const lineStart = lineStartOf(ctx, node.range[0]);
  if (!/^ *- +$/.test(ctx.text.slice(lineStart, node.range[0]))) return undefined;
  if (!restOfLineClear(ctx, node.range[1])) return undefined;
  const line = ctx.lines.positionAt(node.range[1]).line;
  const next = line + 1 < ctx.lines.lineCount ? ctx.lines.lineStarts[line + 1] : ctx.lines.lineEnd(line);
  return edit(ctx, lineStart, next, '');
}
