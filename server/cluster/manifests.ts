import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseAllDocuments,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import type { FileContext } from '../engine/context';
import { DocumentStateCache, PieceReuse } from '../engine/documentState';
import type { Range } from '../engine/types';

/*
 * The Kubernetes manifest model every cluster rule reads. A file is parsed
 * once (through ctx.memo) with the `yaml` package's document API, so node
 * offsets are exact and fixes can edit the text around them without
 * re-serialising (comments, quoting and key order survive).
 *
 * Robustness: rules walk fixed paths (spec.template.spec.containers...), never
 * the whole tree, and aliases are resolved one step at a time, so an alias bomb
 * never expands. A document with more aliases than MAX_ALIASES, nesting deeper
 * than MAX_DEPTH or any parse error is skipped, with one note per file.
 */

export const MAX_ALIASES = 100;
export const MAX_DEPTH = 200;

type Parsed = Document.Parsed;

export interface K8sObject {
  apiVersion: string;
  kind: string;
  name?: string;
  /** metadata.namespace as written; undefined when unset. */
  namespace?: string;
  node: YAMLMap;
  /** Offsets of the text that stands for the object: metadata.name's value, else kind's value. */
  anchor: [number, number];
  /** metadata.annotations (string values only). */
  annotations: Record<string, string>;
  labels: Record<string, string>;
  /**
   * Fixes may edit the object's text: false when it is written in flow style
   * (JSON) or its document uses aliases (an edit to an anchored node would
   * change every object that aliases it).
   */
  editable: boolean;
}

export interface Manifests {
  objects: K8sObject[];
  /** Indentation habits of the file, so inserted blocks look like their neighbours. */
  style: YamlStyle;
}

export interface YamlStyle {
  /** Spaces per nesting level of maps. */
  step: number;
  /** Extra indentation of `- ` items under their key (0: indentless sequences). */
  seqIndent: number;
}

const EMPTY: Manifests = { objects: [], style: { step: 2, seqIndent: 2 } };

/** Notes the engine surfaces for the file (parse problems, skipped templates). */
export function addNote(ctx: FileContext, note: string): void {
  ctx.memo<string[]>('notes', () => []).push(note);
}

/** The file's Kubernetes objects, parsed once per analysis. */
export function manifestsOf(ctx: FileContext): Manifests {
  return ctx.memo('cluster:manifests', () => parseManifests(ctx));
}

const TEMPLATE_LINE = /^\s*(?:-\s+)*(?:[^\s#:][^#:]*:\s+)?\{\{/m;

function parseManifests(ctx: FileContext): Manifests {
  if (ctx.kind !== 'yaml' && ctx.kind !== 'json') return EMPTY;
  const text = ctx.text;
  // Cheap gate: most YAML/JSON files (CI configs, package.json) are not manifests.
  if (!text.includes('apiVersion') || !text.includes('kind')) return EMPTY;

  if (ctx.kind === 'json' && !jsonMayBeManifest(text)) return EMPTY;

  const hasTemplate = text.includes('{{');
  const inTemplatesDir = /(^|[\\/])templates[\\/]/.test(ctx.path);
  if (hasTemplate && (inTemplatesDir || TEMPLATE_LINE.test(text))) {
    addNote(ctx, `cluster: ${ctx.path} is a Helm/Go template ({{ … }}); skipped. Render it (helm template) and analyse the output.`);
    return EMPTY;
  }

  const flowDepth = maxFlowDepth(text);
  if (flowDepth > MAX_DEPTH) {
    addNote(ctx, `cluster: ${ctx.path} nests flow collections ${flowDepth} levels deep (limit ${MAX_DEPTH}); skipped.`);
    return EMPTY;
  }

  const { docs, error } = yamlDocumentsOf(ctx);
  if (error !== undefined) {
    addNote(ctx, `cluster: ${ctx.path} could not be parsed as YAML (${firstLine(error)}); skipped.`);
    return EMPTY;
  }

  const objects: K8sObject[] = [];
  const problems: string[] = [];
  let styleFrom: YAMLMap | undefined;
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      const err = doc.errors[0];
      const line = ctx.lines.positionAt(err.pos[0]).line + 1;
      problems.push(`line ${line}: ${hasTemplate ? 'template syntax or ' : ''}${firstLine(err)}`);
      continue;
    }
    const shape = measured(doc);
    if (shape.aliases > MAX_ALIASES) {
      problems.push(`a document uses ${shape.aliases} aliases (more than ${MAX_ALIASES}: alias bomb?)`);
      continue;
    }
    if (shape.depth > MAX_DEPTH) {
      problems.push(`a document nests deeper than ${MAX_DEPTH} levels`);
      continue;
    }
    for (const a of shape.aliasNodes) {
      const target = (a as unknown as { resolve(d: Parsed): Node | undefined }).resolve(doc);
      if (target) aliasTargets.set(a, target);
    }
    const root = doc.contents;
    if (!isMap(root)) continue;
    const top = toObject(root);
    if (!top) continue;
    const readOnly = shape.aliases > 0;
    if (readOnly) top.editable = false;
    styleFrom ??= root;
    if (top.kind === 'List' || /^[A-Z]\w*List$/.test(top.kind)) {
      const items = get(root, 'items');
      if (isSeq(items)) {
        for (const item of items.items) {
          const m = resolve(item as Node);
          if (isMap(m)) {
            const o = toObject(m);
            if (o && readOnly) o.editable = false;
            if (o) objects.push(o);
          }
        }
      }
      continue;
    }
    objects.push(top);
  }
  if (problems.length > 0 && looksLikeManifest(text)) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    const which = docs.length > 1 ? `${problems.length} of ${docs.length} YAML documents` : 'the YAML document';
    const rest = problems.length < docs.length ? ' The other documents were analysed.' : '';
    addNote(ctx, `cluster: skipped ${which} in ${ctx.path}: ${problems[0]}${more}.${rest}`);
  }
  return { objects, style: styleFrom ? detectStyle(styleFrom, text) : EMPTY.style };
}

/** The file's YAML documents, parsed once per analysis for every layer that reads them (see parseDocuments). */
export function yamlDocumentsOf(ctx: FileContext): { docs: Parsed[]; error?: unknown } {
  return ctx.memo('yaml:documents', () => {
    try {
      return { docs: parseDocuments(ctx.text, ctx.documentKey) };
    } catch (error) {
      return { docs: [], error };
    }
  });
}

const PARSE_OPTIONS = { uniqueKeys: true, prettyErrors: false, strict: true } as const;

/** The parsed YAML documents of an open editor document, by the text of their piece (see splitDocuments). */
const documentPieces = new DocumentStateCache<Map<string, ParsedPiece[]>>();

interface ParsedPiece {
  docs: Parsed[];
  /** Offset in the file the docs' ranges currently refer to. */
  at: number;
}

/**
 * Every YAML document of the file, with offsets into the whole text. The text
 * is split at document start markers and each piece parsed on its own, which
 * is what a whole-file parse does too (a `---` line at column 0 always ends
 * the document before it, even inside a block scalar; only an unclosed quote
 * across it parses differently, and that document is an error either way,
 * the same in the editor and the CLI); for an open
 * document the pieces an edit did not touch are reused, shifted, so a
 * keystroke re-parses one document instead of the file.
 */
export function parseDocuments(text: string, documentKey?: string): Parsed[] {
  const pieces = splitDocuments(text);
  if (!pieces) {
    const parsed = parseAllDocuments(text, PARSE_OPTIONS);
    return Array.isArray(parsed) ? (parsed as Parsed[]) : [];
  }
  const reuse = new PieceReuse(documentKey ? documentPieces.get(documentKey) : undefined);
  const docs: Parsed[] = [];
  for (const { start, end } of pieces) {
    const pieceText = text.slice(start, end);
    let piece = reuse.take(pieceText);
    if (piece) {
      if (piece.at !== start) for (const d of piece.docs) shiftDocument(d, start - piece.at);
      piece.at = start;
    } else {
      const parsed = parseAllDocuments(pieceText, PARSE_OPTIONS);
      piece = { docs: Array.isArray(parsed) ? (parsed as Parsed[]) : [], at: start };
      if (start !== 0) for (const d of piece.docs) shiftDocument(d, start);
    }
    docs.push(...piece.docs);
    reuse.keep(pieceText, piece);
  }
  if (documentKey) documentPieces.set(documentKey, reuse.kept);
  return docs;
}

const DOCUMENT_START = /^---(?=[ \t\r\n]|$)/gm;

/**
 * Offsets of the pieces between document start markers (each piece starts
 * at its `---` line; a `...` end marker stays inside its piece), or undefined when the file has directives (`%YAML`,
 * `%TAG` apply to the document after them) or fewer than two pieces.
 */
export function splitDocuments(text: string): Array<{ start: number; end: number }> | undefined {
  if (/^%/m.test(text)) return undefined;
  const starts: number[] = [0];
  DOCUMENT_START.lastIndex = 0;
  for (let m = DOCUMENT_START.exec(text); m; m = DOCUMENT_START.exec(text)) if (m.index > 0) starts.push(m.index);
  if (starts.length < 2) return undefined;
  return starts.map((start, i) => ({ start, end: i + 1 < starts.length ? starts[i + 1] : text.length }));
}

/** Moves every offset the document holds (node ranges, error positions) by delta. */
function shiftDocument(doc: Parsed, delta: number): void {
  const moveRange = (r: [number, number, number] | null | undefined) => {
    if (!r) return;
    r[0] += delta;
    r[1] += delta;
    r[2] += delta;
  };
  moveRange(doc.range);
  for (const e of [...doc.errors, ...doc.warnings]) {
    e.pos[0] += delta;
    e.pos[1] += delta;
  }
  const stack: unknown[] = [doc.contents];
  while (stack.length) {
    const n = stack.pop() as Node | null;
    if (n == null) continue;
    if (isPair(n)) {
      stack.push(n.key, n.value);
      continue;
    }
    moveRange((n as { range?: [number, number, number] | null }).range);
    if (isMap(n) || isSeq(n)) for (const item of (n as YAMLMap | YAMLSeq).items) stack.push(item);
  }
}

/**
 * Deepest nesting of [ and { outside quotes, in one linear pass: the parser
 * recurses per level, so pathological nesting is refused before parsing.
 */
function maxFlowDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let quote = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote) {
      if (c === quote) quote = 0;
      else if (c === 92 /* \\ */ && quote === 34) i++;
      else if (c === 10) quote = 0; // an unclosed quote does not swallow the file
      continue;
    }
    if (c === 34 /* " */ || c === 39 /* ' */) quote = c;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > max) max = depth;
    } else if ((c === 93 /* ] */ || c === 125) /* } */ && depth > 0) depth--;
  }
  return max;
}

/**
 * JSON files are often large and rarely manifests (lock files, schemas that
 * mention apiVersion): the native parser answers in milliseconds whether the
 * root is an object (or List) with apiVersion and kind before the slower
 * position-keeping parse runs. Text it cannot parse (JSONC) gets the benefit
 * of the doubt.
 */
function jsonMayBeManifest(text: string): boolean {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return true;
  }
  const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  return isObject(root) && typeof root.apiVersion === 'string' && typeof root.kind === 'string';
}

function looksLikeManifest(text: string): boolean {
  return /(^|[\s{,"'])apiVersion["']?\s*:/m.test(text) && /(^|[\s{,"'])kind["']?\s*:/m.test(text);
}

function firstLine(e: unknown): string {
  const m = (e as Error)?.message ?? String(e);
  return m.split('\n')[0].slice(0, 200);
}

/** measure() of a document, once per parsed document (documents an edit did not touch are reused). */
const shapes = new WeakMap<Parsed, ReturnType<typeof measure>>();
function measured(doc: Parsed): ReturnType<typeof measure> {
  let shape = shapes.get(doc);
  if (!shape) shapes.set(doc, (shape = measure(doc.contents)));
  return shape;
}

/** Alias count and depth, iteratively (no recursion: deep nesting cannot overflow the stack). */
function measure(root: unknown): { aliases: number; aliasNodes: Node[]; depth: number } {
  let aliases = 0;
  const aliasNodes: Node[] = [];
  let depth = 0;
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [n, d] = stack.pop()!;
    if (d > depth) depth = d;
    if (d > MAX_DEPTH) break;
    if (isAlias(n)) {
      aliases++;
      if (aliasNodes.length <= MAX_ALIASES) aliasNodes.push(n as Node);
    }
    else if (isMap(n) || isSeq(n)) {
      for (const item of (n as YAMLMap | YAMLSeq).items) {
        if (isPair(item)) {
          if (item.key != null) stack.push([item.key, d + 1]);
          if (item.value != null) stack.push([item.value, d + 1]);
        } else stack.push([item, d + 1]);
      }
    }
  }
  return { aliases, aliasNodes, depth };
}

function toObject(map: YAMLMap): K8sObject | undefined {
  const apiVersion = str(get(map, 'apiVersion'));
  const kind = str(get(map, 'kind'));
  if (!apiVersion || !kind) return undefined;
  const metadata = mapAt(map, 'metadata');
  const nameNode = metadata ? get(metadata, 'name') : undefined;
  const kindNode = get(map, 'kind')!;
  const anchorNode = isScalar(nameNode) && nameNode.range ? nameNode : kindNode;
  const r = anchorNode.range!;
  return {
    apiVersion,
    kind,
    name: str(nameNode),
    namespace: metadata ? str(get(metadata, 'namespace')) : undefined,
    node: map,
    anchor: [r[0], r[1]],
    annotations: stringMap(metadata ? mapAt(metadata, 'annotations') : undefined),
    labels: stringMap(metadata ? mapAt(metadata, 'labels') : undefined),
    editable: !map.flow,
  };
}

export function stringMap(map: YAMLMap | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!map) return out;
  for (const p of map.items) {
    const k = str(p.key as Node);
    const v = resolve(p.value as Node);
    if (k === undefined || !isScalar(v) || v.value == null) continue;
    out[k] = String(v.value);
  }
  return out;
}

function detectStyle(root: YAMLMap, text: string): YamlStyle {
  let step: number | undefined;
  let seqIndent: number | undefined;
  // Breadth-first over a bounded number of block nodes: the first nested map and sequence tell the habit.
  const queue: YAMLMap[] = [root];
  for (let i = 0; i < queue.length && i < 500 && (step === undefined || seqIndent === undefined); i++) {
    const map = queue[i];
    if (map.flow) continue;
    for (const p of map.items) {
      const k = p.key as Node | null;
      const v = p.value as Node | null;
      if (!k?.range || !v?.range) continue;
      if (isMap(v) && !v.flow && v.items.length > 0) {
        const child = v.items[0].key as Node | null;
        if (child?.range && step === undefined) step = column(text, child.range[0]) - column(text, k.range[0]);
        queue.push(v);
      } else if (isSeq(v) && !v.flow && v.items.length > 0) {
        if (seqIndent === undefined) seqIndent = Math.max(0, column(text, v.range[0]) - column(text, k.range[0]));
        for (const it of v.items) if (isMap(it)) queue.push(it);
      }
    }
  }
  return { step: step && step > 0 && step <= 8 ? step : 2, seqIndent: seqIndent ?? 2 };
}

/** Column of an offset in the text (0-based). */
export function column(text: string, offset: number): number {
  const nl = text.lastIndexOf('\n', offset - 1);
  return offset - (nl + 1);
}

// ---- node access -------------------------------------------------------------

/** Follows an alias one step (never expands a tree). */
export function resolve(n: unknown): Node | undefined {
  if (n == null) return undefined;
  if (isAlias(n)) return aliasTargets.get(n as Node);
  return n as Node;
}

/** Anchored node of each alias, resolved once per document at parse time. */
const aliasTargets = new WeakMap<Node, Node>();

export function getPair(map: YAMLMap | undefined, key: string, depth = 0): Pair<Node, Node> | undefined {
  if (!map) return undefined;
  let merges: Node[] | undefined;
  for (const p of map.items) {
    const k = p.key as Node | null;
    if (!isScalar(k)) continue;
    if (String(k.value) === key) return p as Pair<Node, Node>;
    if (k.value === '<<' && k.type === 'PLAIN') (merges ??= []).push(p.value as Node);
  }
  // YAML 1.1 merge keys (`<<: *defaults`), which Kubernetes' decoder honours:
  // explicit keys win, then the merged maps in order. Bounded depth.
  if (!merges || depth >= 4) return undefined;
  for (const m of merges) {
    const v = resolve(m);
    const sources = isMap(v) ? [v] : isSeq(v) ? v.items.map((i) => resolve(i)) : [];
    for (const s of sources) {
      if (!isMap(s)) continue;
      const found = getPair(s, key, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

export function get(map: YAMLMap | undefined, key: string): Node | undefined {
  return resolve(getPair(map, key)?.value);
}

export function mapAt(map: YAMLMap | undefined, ...keys: string[]): YAMLMap | undefined {
  let cur: Node | undefined = map;
  for (const k of keys) {
    if (!isMap(cur)) return undefined;
    cur = get(cur, k);
  }
  return isMap(cur) ? cur : undefined;
}

export function seqAt(map: YAMLMap | undefined, key: string): YAMLSeq | undefined {
  const v = get(map, key);
  return isSeq(v) ? v : undefined;
}

export function str(n: unknown): string | undefined {
  const r = resolve(n);
  if (!isScalar(r) || r.value == null) return undefined;
  return typeof r.value === 'string' || typeof r.value === 'number' || typeof r.value === 'boolean'
    ? String(r.value)
    : undefined;
}

const YAML11_TRUE = /^(?:y|Y|yes|Yes|YES|on|On|ON|true|True|TRUE)$/;
const YAML11_FALSE = /^(?:n|N|no|No|NO|off|Off|OFF|false|False|FALSE)$/;

/**
 * A boolean as Kubernetes reads it: its YAML decoder follows YAML 1.1, where a
 * plain `yes`/`on` is true. Quoted strings are strings (the API rejects them).
 */
export function bool(n: unknown): boolean | undefined {
  const r = resolve(n);
  if (!isScalar(r)) return undefined;
  if (typeof r.value === 'boolean') return r.value;
  if (typeof r.value === 'string' && (r.type === 'PLAIN' || r.type === undefined)) {
    if (YAML11_TRUE.test(r.value)) return true;
    if (YAML11_FALSE.test(r.value)) return false;
  }
  return undefined;
}

export function num(n: unknown): number | undefined {
  const r = resolve(n);
  if (!isScalar(r)) return undefined;
  if (typeof r.value === 'number') return r.value;
  if (typeof r.value === 'string' && /^\d+$/.test(r.value) && r.type === 'PLAIN') return Number(r.value);
  return undefined;
}

/** Offsets [start, end) of a node's value (without trailing comments). */
export function span(n: Node | null | undefined): [number, number] | undefined {
  if (!n?.range) return undefined;
  return [n.range[0], n.range[1]];
}

/** Offsets of `key: value` (value end when it is a scalar, else the key). */
export function pairSpan(p: Pair<Node, Node>): [number, number] {
  const k = p.key.range!;
  const v = p.value;
  if (isScalar(v) && v.range) return [k[0], v.range[1]];
  if (isAlias(v) && v.range) return [k[0], v.range[1]];
  return [k[0], k[1]];
}

export function rangeOf(ctx: FileContext, s: [number, number]): Range {
  return ctx.lines.range(s[0], s[1]);
}

export { isMap, isSeq, isScalar, isPair, isAlias };
export type { Node, Pair, YAMLMap, YAMLSeq };
