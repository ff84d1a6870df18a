import * as YAML from 'yaml';
import type { Document, Node, Pair, YAMLMap, YAMLSeq } from 'yaml';
import type { FileContext } from '../engine/context';
import { DocumentStateCache, matchPieces, type KeptPieces } from '../engine/documentState';
import type { PieceScheme, Range } from '../engine/types';

// Bound once: in the bundle every use of a named import of a CommonJS package
// goes through a property getter, and these run for every node of every edit.
const { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments } = YAML;

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
  /**
   * The objects of the file, or of the piece for a piece view (see
   * FileContext.scoped). A rule that looks across documents reads
   * `manifestsOf(ctx.file)` and declares it (PieceWise.fileInputs).
   */
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

/** The file's Kubernetes objects, parsed once per analysis (for a piece view: the objects in the piece). */
export function manifestsOf(ctx: FileContext): Manifests {
  if (ctx.scope) {
    const { start, end } = ctx.scope;
    return ctx.memo('cluster:manifests', () => objectsInPiece(manifestsOf(ctx.file), start, end));
  }
  return ctx.memo('cluster:manifests', () => parseManifests(ctx));
}

/** The objects whose node starts in [start, end): objects are in text order, so two binary searches. */
function objectsInPiece(whole: Manifests, start: number, end: number): Manifests {
  const all = whole.objects;
  const firstAt = (offset: number) => {
    let lo = 0;
    let hi = all.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (all[mid].node.range![0] < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return { objects: all.slice(firstAt(start), firstAt(end)), style: whole.style };
}

/**
 * The YAML documents of a manifest as pieces the cluster rules (and the cloud
 * rules that read the manifest model) judge one at a time: an edit re-runs
 * them on the document it touched only. What they share across documents is
 * the signature: whether the file is analysed at all (templates, parse
 * failures and nesting limits skip it whole), its indentation style and line
 * break (fixes are written in them).
 */
export const MANIFEST_DOCUMENTS: PieceScheme = {
  id: 'cluster:yaml-documents',
  split(ctx) {
    if (ctx.kind !== 'yaml' && ctx.kind !== 'json') return undefined;
    const pieces = documentPiecesOf(ctx);
    if (!pieces) return undefined;
    const m = manifestsOf(ctx);
    return { pieces, signature: `${m === EMPTY ? 'skipped' : 'parsed'} ${m.style.step} ${m.style.seqIndent} ${ctx.lines.eol === '\r\n' ? 'crlf' : 'lf'}` };
  },
};

/** splitDocuments of the file with each piece's text, once per analysis (the parse and the engine match pieces by these strings). */
function documentPiecesOf(ctx: FileContext): Array<{ start: number; end: number; text: string }> | undefined {
  const file = ctx.file;
  return file.memo('yaml:pieces', () => splitDocuments(file.text)?.map((p) => ({ ...p, text: file.text.slice(p.start, p.end) })));
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
    ctx.addNote(`cluster: ${ctx.path} is a Helm/Go template ({{ … }}); skipped. Render it (helm template) and analyse the output.`);
    return EMPTY;
  }

  const flowDepth = maxFlowDepth(text);
  if (flowDepth > MAX_DEPTH) {
    ctx.addNote(`cluster: ${ctx.path} nests flow collections ${flowDepth} levels deep (limit ${MAX_DEPTH}); skipped.`);
    return EMPTY;
  }

  const { docs, error } = yamlDocumentsOf(ctx);
  if (error !== undefined) {
    ctx.addNote(`cluster: ${ctx.path} could not be parsed as YAML (${firstLine(error)}); skipped.`);
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
    const read = objectsOfDocument(doc);
    if (read.problem !== undefined) problems.push(read.problem);
    styleFrom ??= read.styleRoot;
    for (const o of read.objects) objects.push(o);
  }
  if (problems.length > 0 && looksLikeManifest(text)) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    const which = docs.length > 1 ? `${problems.length} of ${docs.length} YAML documents` : 'the YAML document';
    const rest = problems.length < docs.length ? ' The other documents were analysed.' : '';
    ctx.addNote(`cluster: skipped ${which} in ${ctx.path}: ${problems[0]}${more}.${rest}`);
  }
  return { objects, style: styleFrom ? detectStyle(styleFrom, text) : EMPTY.style };
}

/** The file's YAML documents, parsed once per analysis for every layer that reads them (see parseDocuments). */
export function yamlDocumentsOf(ctx: FileContext): { docs: Parsed[]; error?: unknown } {
  const file = ctx.file;
  return file.memo('yaml:documents', () => {
    try {
      return { docs: parsePieces(file.text, documentPiecesOf(file), file.documentKey) };
    } catch (error) {
      return { docs: [], error };
    }
  });
}

const PARSE_OPTIONS = { uniqueKeys: true, prettyErrors: false, strict: true } as const;

/** The parsed YAML documents of an open editor document, by the text of their piece (see splitDocuments). */
const documentPieces = new DocumentStateCache<KeptPieces<ParsedPiece>>();

interface ParsedPiece {
  docs: Parsed[];
  /** Offset in the file the docs' ranges currently refer to. */
  at: number;
  /** Every offset array the docs hold (node ranges, error positions), gathered on the first move. */
  offsets?: number[][];
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
  return parsePieces(text, splitDocuments(text), documentKey);
}

function parsePieces(text: string, pieces: Array<{ start: number; end: number; text?: string }> | undefined, documentKey?: string): Parsed[] {
  if (!pieces) return parse(text);
  const texts = pieces.map((p) => p.text ?? text.slice(p.start, p.end));
  const reused = matchPieces(documentKey ? documentPieces.get(documentKey) : undefined, texts);
  const kept: Array<{ text: string; piece: ParsedPiece }> = [];
  const docs: Parsed[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const start = pieces[i].start;
    let piece = reused[i];
    if (piece) {
      if (piece.at !== start) shiftPiece(piece, start - piece.at);
      piece.at = start;
    } else {
      piece = { docs: parse(detached(texts[i])), at: start };
      if (start !== 0) shiftPiece(piece, start);
    }
    for (const d of piece.docs) docs.push(d);
    kept.push({ text: texts[i], piece });
  }
  if (documentKey) documentPieces.set(documentKey, kept);
  return docs;
}


/**
 * Offsets of the pieces between document start markers (each piece starts
 * at its `---` line; a `...` end marker stays inside its piece), or undefined when the file has directives (`%YAML`,
 * `%TAG` apply to the document after them) or fewer than two pieces.
 */
export function splitDocuments(text: string): Array<{ start: number; end: number }> | undefined {
  // What /^%/m and /^---(?=[ \t\r\n]|$)/gm find, by indexOf: this runs on every keystroke, and a
  // multiline regex over the whole text costs more than the rest of an incremental parse.
  for (let i = text.indexOf('%'); i >= 0; i = text.indexOf('%', i + 1)) if (i === 0 || isLineBreak(text.charCodeAt(i - 1))) return undefined;
  const starts: number[] = [0];
  for (let i = text.indexOf('---', 1); i >= 0; i = text.indexOf('---', i + 1)) {
    if (!isLineBreak(text.charCodeAt(i - 1))) continue;
    const after = text.charCodeAt(i + 3); // NaN at the end of the text
    if (after !== after || after === 32 || after === 9 || isLineBreak(after)) starts.push(i);
  }
  if (starts.length < 2) return undefined;
  return starts.map((start, i) => ({ start, end: i + 1 < starts.length ? starts[i + 1] : text.length }));
}

/**
 * The documents of a text. Parse errors are kept with their documents, which an
 * open document keeps for reuse: without a stack trace, since V8 keeps the
 * frames of an error's stack (and through them the analysis that parsed it,
 * its documents and their errors in turn) until the stack is read, which is
 * never. That chain grew by a whole analysis per keystroke in invalid YAML.
 */
function parse(text: string): Parsed[] {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const parsed = parseAllDocuments(text, PARSE_OPTIONS);
    return Array.isArray(parsed) ? (parsed as Parsed[]) : [];
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * A copy of a piece's text that shares no memory with the file's text. The
 * parsed nodes' strings are slices of what the parser reads: from a slice of
 * the whole text, every document kept for reuse would hold on to the whole
 * text of the edit it was parsed at, one version per document (and through
 * the editor's piecewise-built text, older versions too).
 */
function detached(piece: string): string {
  const encoding = /[^\u0000-\u00ff]/.test(piece) ? 'utf16le' : 'latin1';
  return Buffer.from(piece, encoding).toString(encoding);
}

/** A line terminator as a multiline regex sees one (`^`, `$`). */
function isLineBreak(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

/** Moves every offset the piece's documents hold by delta (a keystroke above moves every document below it). */
function shiftPiece(piece: ParsedPiece, delta: number): void {
  const offsets = (piece.offsets ??= offsetArraysOf(piece.docs));
  for (const o of offsets) for (let i = 0; i < o.length; i++) o[i] += delta;
}

/** The arrays of offsets documents hold: their ranges, their nodes' ranges, their errors' and warnings' positions. */
function offsetArraysOf(docs: Parsed[]): number[][] {
  const found = new Set<number[]>();
  for (const doc of docs) {
    if (doc.range) found.add(doc.range);
    for (const e of doc.errors) found.add(e.pos);
    for (const e of doc.warnings) found.add(e.pos);
    const stack: unknown[] = [doc.contents];
    while (stack.length) {
      const n = stack.pop() as Node | null;
      if (n == null) continue;
      if (isPair(n)) {
        stack.push(n.key, n.value);
        continue;
      }
      const r = (n as { range?: number[] | null }).range;
      if (r) found.add(r);
      if (isMap(n) || isSeq(n)) for (const item of (n as YAMLMap | YAMLSeq).items) stack.push(item);
    }
  }
  return [...found];
}

/**
 * Deepest nesting of [ and { outside quotes, in one linear pass: the parser
 * recurses per level, so pathological nesting is refused before parsing.
 */
function maxFlowDepth(text: string): number {
  let depth = 0;
  let max = 0;
  // From one character that matters to the next (regex scans are native; most of a block-style manifest is neither quotes nor brackets).
  let re = OUTSIDE_QUOTES;
  re.lastIndex = 0;
  while (re.test(text)) {
    const i = re.lastIndex - 1;
    const c = text.charCodeAt(i);
    let next = OUTSIDE_QUOTES;
    if (re !== OUTSIDE_QUOTES) {
      // In a quote: its end, or an escape (skip the next character), or a line break (an unclosed quote does not swallow the file).
      if (c === 92 /* \\ */) {
        re.lastIndex = i + 2;
        continue;
      }
    } else if (c === 34 /* " */) next = IN_DOUBLE_QUOTES;
    else if (c === 39 /* ' */) next = IN_SINGLE_QUOTES;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > max) max = depth;
    } else if (depth > 0) depth--; // ] or }
    next.lastIndex = i + 1;
    re = next;
  }
  return max;
}

const OUTSIDE_QUOTES = /["'[\]{}]/g;
const IN_DOUBLE_QUOTES = /["\\\n]/g;
const IN_SINGLE_QUOTES = /['\n]/g;

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

/**
 * The objects of a parsed document (without errors), worked out once per
 * document: an open document's edits reuse the documents they did not touch,
 * and objects read their offsets live from the nodes (which move with them).
 */
interface DocumentObjects {
  objects: K8sObject[];
  /** Why the document is skipped (alias bomb, nesting), when it is. */
  problem?: string;
  /** Its root map, when it is an object: the file's style is that of the first. */
  styleRoot?: YAMLMap;
}
const documentObjects = new WeakMap<Parsed, DocumentObjects>();

function objectsOfDocument(doc: Parsed): DocumentObjects {
  let read = documentObjects.get(doc);
  if (!read) documentObjects.set(doc, (read = readDocument(doc)));
  return read;
}

function readDocument(doc: Parsed): DocumentObjects {
  const shape = measure(doc.contents);
  if (shape.aliases > MAX_ALIASES) return { objects: [], problem: `a document uses ${shape.aliases} aliases (more than ${MAX_ALIASES}: alias bomb?)` };
  if (shape.depth > MAX_DEPTH) return { objects: [], problem: `a document nests deeper than ${MAX_DEPTH} levels` };
  for (const a of shape.aliasNodes) {
    const target = (a as unknown as { resolve(d: Parsed): Node | undefined }).resolve(doc);
    if (target) aliasTargets.set(a, target);
  }
  const root = doc.contents;
  if (!isMap(root)) return { objects: [] };
  const top = toObject(root);
  if (!top) return { objects: [] };
  const readOnly = shape.aliases > 0;
  if (readOnly) top.editable = false;
  if (top.kind === 'List' || /^[A-Z]\w*List$/.test(top.kind)) {
    const objects: K8sObject[] = [];
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
    return { objects, styleRoot: root };
  }
  return { objects: [top], styleRoot: root };
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
  return {
    apiVersion,
    kind,
    name: str(nameNode),
    namespace: metadata ? str(get(metadata, 'namespace')) : undefined,
    node: map,
    // Read from the node: it moves when an edit above shifts its document.
    get anchor(): [number, number] {
      const r = anchorNode.range!;
      return [r[0], r[1]];
    },
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
