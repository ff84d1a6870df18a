import { DockerfileParser, type Argument, type Dockerfile, type Instruction } from 'dockerfile-ast';
import { DocumentStateCache, matchPieces, type KeptPieces } from '../engine/documentState';
import { editSpan } from '../engine/editSpan';
import type { FileContext } from '../engine/context';
import { shiftRangeLines, type LineIndex } from '../engine/lineIndex';
import type { Range } from '../engine/types';
import { shiftCommands, type CommandVisit, type ShellPipeline } from './shell';

/*
 * The Dockerfile as the container rules see it: instructions grouped into
 * build stages, each stage's base resolved (an image reference, an earlier
 * stage, scratch, or unresolvable), and ARG/ENV values tracked with Docker's
 * scoping so `FROM ${IMG}:${TAG:-latest}` and `USER $APP_USER` can be judged.
 * Parsed once per file through ctx.memo and shared by every container rule.
 */

export interface DockerInstruction {
  /** Upper-case keyword (`RUN`, `FROM`, ...). */
  keyword: string;
  node: Instruction;
  /** The whole instruction, continuation lines and heredoc bodies included. */
  range: Range;
  keywordRange: Range;
  startOffset: number;
  endOffset: number;
  /** Offset just past the keyword: where the arguments (and flags) begin. */
  argsOffset: number;
  /** Arguments without flags, as dockerfile-ast splits them (continuations joined); only for FROM, USER, ADD, COPY, EXPOSE. */
  args: ModelArgument[];
  /** Position within the file's instruction list. */
  order: number;
  /** Lines to add to the ranges `node` reports (it may come from a parse of a piece of the file). */
  lineShift: number;
  stage?: Stage;
  /** What rules compute from the instruction once and share (see `properties`, shell.ts). */
  shared: InstructionShared;
}

/** An argument of an instruction: its value and where it is in the file. */
export interface ModelArgument {
  getValue(): string;
  getRange(): Range;
}

export interface InstructionShared {
  pipelines?: ShellPipeline[];
  commands?: readonly CommandVisit[];
  properties?: PropertyText[];
}

/** A value with, per character, the file offset it came from (-1: none, e.g. a default that was computed). */
export interface TracedValue {
  value: string;
  origin: number[];
}

/** A parsed image reference: [registry/]repository[:tag][@digest]. */
export interface ImageRef {
  registry?: string;
  /** Repository path without registry, e.g. `library/node` is written `node`. */
  repository: string;
  tag?: string;
  digest?: string;
}

export type StageBase =
  | { kind: 'image'; ref: ImageRef; resolved: TracedValue }
  | { kind: 'stage'; stage: Stage }
  | { kind: 'scratch' }
  /** A variable with no known value, or a malformed reference. */
  | { kind: 'unresolved'; text: string }
  | { kind: 'missing' };

export interface Stage {
  index: number;
  from: DockerInstruction;
  /** Lower-cased `AS` name (Docker treats stage names case-insensitively). */
  name?: string;
  /** The image argument of FROM, when there is one. */
  imageArg?: ModelArgument;
  base: StageBase;
  /** Instructions after FROM up to the next FROM. */
  instructions: DockerInstruction[];
  /** ENV and ARG values by name, in instruction order (for lookups at a point in the stage). */
  vars: Map<string, Array<{ order: number; value: TracedValue | null; env: boolean }>>;
}

export interface DockerfileModel {
  instructions: DockerInstruction[];
  stages: Stage[];
  /** ARGs declared before the first FROM: the only ones FROM lines can use. null: declared without a default. */
  globalArgs: Map<string, TracedValue | null>;
  escapeChar: string;
  text: string;
  lines: LineIndex;
}

export const MODEL_KEY = 'container:model';

/** The shared model of the file (parsed once per analysis). */
export function dockerfileModel(ctx: FileContext): DockerfileModel {
  return ctx.memo(MODEL_KEY, () => buildModel(ctx.text, ctx.lines, ctx.documentKey));
}

export function finalStage(model: DockerfileModel): Stage | undefined {
  return model.stages[model.stages.length - 1];
}

/** The stage and the stages it is built FROM, nearest first. Cycles are impossible (only earlier stages count). */
export function stageChain(stage: Stage): Stage[] {
  const chain: Stage[] = [];
  for (let s: Stage | undefined = stage; s; s = s.base.kind === 'stage' ? s.base.stage : undefined) chain.push(s);
  return chain;
}

/** The image at the root of a stage's chain (through stages built FROM earlier stages). */
export function rootBase(stage: Stage): StageBase {
  const chain = stageChain(stage);
  return chain[chain.length - 1].base;
}

/** `cut: false` parses the file whole (tests compare the two). */
export function buildModel(text: string, lines: LineIndex, documentKey?: string, cut = true): DockerfileModel {
  const parsed = parsePieces(text, documentKey, cut);
  const model: DockerfileModel = {
    instructions: [],
    stages: [],
    globalArgs: new Map(),
    escapeChar: parsed.escapeChar,
    text,
    lines,
  };
  let current: Stage | undefined;
  const stagesByName = new Map<string, Stage>();
  let order = 0;
  for (const piece of parsed.pieces) {
    const lineShift = piece.line;
    for (const node of piece.instructions) {
      const i = order++;
      const read = readNode(node);
      // A node of a piece the edit did not touch: its text is unchanged, so what rules computed from it is kept, moved.
      const reused = documentKey ? read.instruction : undefined;
      const sameLines = reused?.lineShift === lineShift;
      const range = sameLines ? reused!.range : shiftRangeLines(read.range, lineShift);
      const keywordRange = sameLines ? reused!.keywordRange : shiftRangeLines(read.keywordRange, lineShift);
      const startOffset = lines.offsetAt(range.start);
      const endOffset = lines.offsetAt(range.end);
      const argsOffset = lines.offsetAt(keywordRange.end);
      const instr = reused
        ? reused.moveTo(range, keywordRange, startOffset, endOffset, argsOffset, i, lineShift)
        : new ModelInstruction(read.keyword, node, range, keywordRange, startOffset, endOffset, argsOffset, i, lineShift);
      if (documentKey) read.instruction = instr;
      model.instructions.push(instr);
      if (instr.keyword === 'FROM') {
        current = newStage(model, instr, stagesByName);
        model.stages.push(current);
        // The first stage of a name is the one later FROMs refer to.
        if (current.name !== undefined && !stagesByName.has(current.name)) stagesByName.set(current.name, current);
        continue;
      }
      if (!current) {
        if (instr.keyword === 'ARG') {
          for (const [name, value] of argDeclarations(instr, model, (n) => model.globalArgs.get(n))) model.globalArgs.set(name, value);
        }
        continue;
      }
      instr.stage = current;
      current.instructions.push(instr);
    }
  }
  return model;
}

const ARGUMENT_KEYWORDS = new Set(['FROM', 'USER', 'ADD', 'COPY', 'EXPOSE']);

/**
 * An instruction of the model. Splitting arguments is the parser's slowest
 * step, so `args` is computed on first read (most COPY/EXPOSE are never
 * looked at), and only for the keywords whose rules read arguments; RUN/ENV/ARG
 * are read through other means.
 */
class ModelInstruction implements DockerInstruction {
  stage?: Stage;
  readonly shared: InstructionShared = {};
  private argsCache?: ModelArgument[];

  constructor(
    readonly keyword: string,
    readonly node: Instruction,
    public range: Range,
    public keywordRange: Range,
    public startOffset: number,
    public endOffset: number,
    public argsOffset: number,
    public order: number,
    /** First line of the parsed piece the node came from (see parsePieces): added to dockerfile-ast's ranges. */
    public lineShift: number,
  ) {}

  get args(): ModelArgument[] {
    if (this.argsCache) return this.argsCache;
    if (!ARGUMENT_KEYWORDS.has(this.keyword)) return (this.argsCache = []);
    const read = readNode(this.node);
    read.args ??= safeArgs(this.node);
    return (this.argsCache = read.args.map((a) => shiftedArgument(a, this.lineShift)));
  }

  /**
   * The same instruction in the next version of an open document, where its
   * text moved (an edit before it): positions and what rules computed from
   * the text are moved; the stage is assigned again by the new model.
   */
  moveTo(range: Range, keywordRange: Range, startOffset: number, endOffset: number, argsOffset: number, order: number, lineShift: number): this {
    const delta = startOffset - this.startOffset;
    const lineDelta = lineShift - this.lineShift;
    if (delta !== 0) shiftCommands(this.shared.pipelines, this.shared.commands, delta);
    if (this.shared.properties && (delta !== 0 || lineDelta !== 0)) for (const p of this.shared.properties) moveProperty(p, delta, lineDelta);
    // Arguments report ranges through the piece's first line.
    if (lineDelta !== 0) this.argsCache = undefined;
    this.range = range;
    this.keywordRange = keywordRange;
    this.startOffset = startOffset;
    this.endOffset = endOffset;
    this.argsOffset = argsOffset;
    this.order = order;
    this.lineShift = lineShift;
    this.stage = undefined;
    return this;
  }
}

/** In place: the previous model that shared these is gone; ranges are new objects (findings may hold the old ones). */
function moveProperty(p: PropertyText, delta: number, lineDelta: number): void {
  if (p.value && delta !== 0) {
    const origin = p.value.origin;
    for (let k = 0; k < origin.length; k++) if (origin[k] >= 0) origin[k] += delta;
  }
  if (lineDelta !== 0) {
    p.range = shiftRangeLines(p.range, lineDelta);
    if (p.valueRange) p.valueRange = shiftRangeLines(p.valueRange, lineDelta);
  }
}

function safeArgs(node: Instruction): Argument[] {
  try {
    return node.getArguments();
  } catch {
    return [];
  }
}

/**
 * What the model reads of a dockerfile-ast node, once per node: dockerfile-ast
 * recomputes ranges and re-splits arguments on every call, and the nodes of
 * pieces an edit did not touch are reused by the next analysis.
 */
interface NodeReading {
  keyword: string;
  range: Range;
  keywordRange: Range;
  args?: Argument[];
  /** The open document's last model instruction made from this node (nodes of untouched pieces are reused). */
  instruction?: ModelInstruction;
}
const readings = new WeakMap<Instruction, NodeReading>();

function readNode(node: Instruction): NodeReading {
  let read = readings.get(node);
  if (!read) {
    read = { keyword: node.getKeyword().toUpperCase(), range: node.getRange(), keywordRange: node.getInstructionRange() };
    readings.set(node, read);
  }
  return read;
}

function shiftedArgument(arg: Argument, lineShift: number): ModelArgument {
  if (lineShift === 0) return arg;
  return { getValue: () => arg.getValue(), getRange: () => shiftRangeLines(arg.getRange(), lineShift) };
}

// ---- parsing, piece by piece --------------------------------------------

interface ParsedPiece {
  /** The piece's instructions, with ranges relative to the piece (its first line is line 0). */
  instructions: Instruction[];
  /** First line of the piece in the file. */
  line: number;
}

/**
 * Each open editor document's last text, where its pieces start and its
 * parsed pieces by text: an edit rescans the cuts only around itself and
 * re-parses only the pieces it touched.
 */
const documentCuts = new DocumentStateCache<{ text: string; starts: PieceStart[] | undefined; pieces?: KeptPieces<Instruction[]> }>();

/** An instruction keyword at `lastIndex` (after the line's indentation), ending at a blank or the line's end. */
const INSTRUCTION_KEYWORD = /(FROM|RUN|CMD|LABEL|MAINTAINER|EXPOSE|ENV|ADD|COPY|ENTRYPOINT|VOLUME|USER|WORKDIR|ARG|ONBUILD|STOPSIGNAL|HEALTHCHECK|SHELL)(?=[ \t\n]|$)/iy;
const ONE_IN = 8;

/**
 * Whether the line [offset, end) of `text`, whose indentation ends at
 * `first`, may start a piece: a FROM line, or an instruction line whose text
 * hashes to a boundary (content-defined, so an edit elsewhere never moves the
 * boundaries and a long stage is still cut into short pieces).
 */
function isPieceStart(text: string, offset: number, first: number, end: number): boolean {
  INSTRUCTION_KEYWORD.lastIndex = first;
  // A keyword never crosses the line break (the lookahead stops at it).
  const m = INSTRUCTION_KEYWORD.exec(text);
  if (!m) return false;
  if (m[1].length === 4 && m[1].toUpperCase() === 'FROM') return true;
  let h = 0;
  for (let i = offset; i < end; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
  return (h >>> 0) % ONE_IN === 0;
}

/**
 * The file's instructions, parsed in pieces cut at instruction lines:
 * dockerfile-ast reads instructions line by line, so a piece that starts at
 * an instruction parses as it would inside the file, provided nothing
 * carries over from the piece before (a trailing line continuation, an open
 * heredoc) and the escape character is the default. When any of that does
 * not hold, or the file is small, the file is parsed whole. The editor and
 * the CLI take the same path, so they see the same instructions.
 */
function parsePieces(text: string, documentKey: string | undefined, cut: boolean): { escapeChar: string; pieces: ParsedPiece[] } {
  const previous = documentKey ? documentCuts.get(documentKey) : undefined;
  const cuttable = cut && text.length > 4096 && !text.includes('<<');
  const starts = !cuttable ? undefined : previous ? pieceStartsAfterEdit(previous.text, previous.starts, text) : pieceStarts(text);
  if (documentKey && cuttable && !starts) documentCuts.set(documentKey, { text, starts, pieces: previous?.pieces });
  if (!starts) {
    const df = DockerfileParser.parse(text);
    return { escapeChar: escapeOf(df), pieces: [{ instructions: df.getInstructions(), line: 0 }] };
  }
  const texts = starts.map(({ offset }, i) => text.slice(offset, i + 1 < starts.length ? starts[i + 1].offset : text.length));
  const reused = matchPieces(previous?.pieces, texts);
  const pieces: ParsedPiece[] = [];
  const kept: Array<{ text: string; piece: Instruction[] }> = [];
  for (let i = 0; i < starts.length; i++) {
    const instructions = reused[i] ?? DockerfileParser.parse(texts[i]).getInstructions();
    pieces.push({ instructions, line: starts[i].line });
    kept.push({ text: texts[i], piece: instructions });
  }
  if (documentKey) documentCuts.set(documentKey, { text, starts, pieces: kept });
  // Only files without an escape directive are cut (pieceStarts).
  return { escapeChar: '\\', pieces };
}

function escapeOf(df: Dockerfile): string {
  try {
    return df.getEscapeCharacter() || '\\';
  } catch {
    // Malformed directive: keep the default.
    return '\\';
  }
}

/** Where a piece starts: an offset at a line start, and that line. */
export interface PieceStart {
  offset: number;
  line: number;
}

/**
 * Offsets and lines where pieces start, or undefined when the file cannot be
 * cut (a parser directive may change the escape character) or has one piece.
 * A line that continues the instruction before it is never a start.
 */
export function pieceStarts(text: string): PieceStart[] | undefined {
  if (mayDeclareEscape(text)) return undefined;
  const starts: PieceStart[] = [{ offset: 0, line: 0 }];
  scanPieceStarts(text, 0, 0, starts);
  return starts.length > 1 ? starts : undefined;
}

function mayDeclareEscape(text: string): boolean {
  return /^[ \t]*#[ \t]*escape[ \t]*=/im.test(text.slice(0, ESCAPE_WINDOW));
}

const ESCAPE_WINDOW = 2048;

/**
 * The piece starts of `text`, an edit of `previous` (whose starts were
 * `previousStarts`), equal to pieceStarts(text): the lines before the edit
 * are not read again, and the scan stops once it is past the edit at a line
 * the previous scan also started a piece on, in the same state (not a
 * continued line): from there the text and the scan are the old ones, moved.
 */
export function pieceStartsAfterEdit(previous: string, previousStarts: PieceStart[] | undefined, text: string): PieceStart[] | undefined {
  const edit = editSpan(previous, text);
  // The escape directive is looked for in the head of the file only: past it, the previous text had none and so has this one.
  if (!previousStarts || edit.start < ESCAPE_WINDOW) return pieceStarts(text);
  // Resume at the last start whose line ends before the edit: the scan state there is known (not continued).
  const editLine = text.lastIndexOf('\n', edit.start - 1) + 1;
  let k = previousStarts.length - 1;
  while (k > 0 && previousStarts[k].offset >= editLine) k--;
  const starts = previousStarts.slice(0, k + 1);
  const lineDelta = countLines(text, edit.start, edit.newEnd) - countLines(previous, edit.start, edit.oldEnd);
  // Old starts after the edit, by their offset in the new text.
  const oldAfter = new Map<number, number>();
  for (let j = k + 1; j < previousStarts.length; j++) if (previousStarts[j].offset >= edit.oldEnd) oldAfter.set(previousStarts[j].offset + edit.delta, j);
  const resumeAt = scanPieceStarts(text, starts[k].offset, starts[k].line, starts, (offset) => oldAfter.get(offset));
  if (resumeAt !== undefined) for (let j = resumeAt; j < previousStarts.length; j++) starts.push({ offset: previousStarts[j].offset + edit.delta, line: previousStarts[j].line + lineDelta });
  return starts.length > 1 ? starts : undefined;
}

function countLines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Scans lines from `offset` (line `line`, a piece start or the file's start,
 * so not a continued line), pushing the piece starts after it onto `starts`.
 * `resume(offset)` may name an index of the previous scan's starts at which
 * the rest is known: the scan stops there, before pushing, and returns it.
 */
function scanPieceStarts(text: string, offset: number, line: number, starts: PieceStart[], resume?: (offset: number) => number | undefined): number | undefined {
  let continued = false;
  // Character by character, without slicing lines: this runs on every keystroke in an open Dockerfile.
  for (const from = offset; offset < text.length; line++) {
    let end = text.indexOf('\n', offset);
    if (end === -1) end = text.length;
    let first = offset;
    while (first < end && (text.charCodeAt(first) === 32 || text.charCodeAt(first) === 9)) first++;
    // A continued line is part of the instruction before it, never a start.
    if (offset > from && !continued) {
      const known = resume?.(offset);
      if (known !== undefined) return known;
      if (isPieceStart(text, offset, first, end)) starts.push({ offset, line });
    }
    // Blank and comment lines keep a continuation going, as Docker reads them.
    while (first < end && isBlank(text.charCodeAt(first))) first++;
    if (first < end && text.charCodeAt(first) !== HASH) {
      let last = end - 1;
      while (last >= first && (text.charCodeAt(last) === 32 || text.charCodeAt(last) === 9 || text.charCodeAt(last) === 13)) last--;
      continued = text.charCodeAt(last) === BACKSLASH;
    }
    offset = end + 1;
  }
  return undefined;
}

const HASH = 35;
const BACKSLASH = 92;

/** What String.prototype.trim removes (inside a line: no line feed). */
function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 11 || c === 12 || (c > 127 && /\s/.test(String.fromCharCode(c)));
}

/**
 * A stage. Its variables are only needed to resolve a value that contains a
 * `$`, so ENV/ARG (dockerfile-ast re-splits their properties on every call)
 * are read on the first lookup, for the whole stage, in instruction order.
 */
class ModelStage implements Stage {
  name?: string;
  imageArg?: ModelArgument;
  base: StageBase = { kind: 'missing' };
  readonly instructions: DockerInstruction[] = [];
  private varsCache?: Stage['vars'];

  constructor(
    private readonly model: DockerfileModel,
    readonly index: number,
    readonly from: DockerInstruction,
  ) {}

  get vars(): Stage['vars'] {
    if (!this.varsCache) {
      // Set before filling: lookups made while tracking read the assignments so far, as in a single pass.
      this.varsCache = new Map();
      for (const instr of this.instructions) trackVariables(this.model, this, instr);
    }
    return this.varsCache;
  }
}

function newStage(model: DockerfileModel, from: DockerInstruction, stagesByName: ReadonlyMap<string, Stage>): Stage {
  const args = from.args;
  const stage = new ModelStage(model, model.stages.length, from);
  stage.imageArg = args[0];
  if (args.length >= 3 && args[1].getValue().toLowerCase() === 'as') stage.name = args[2].getValue().toLowerCase();
  from.stage = stage;
  if (!args[0]) return stage;
  const traced = tracedArgument(model, args[0]);
  const resolved = substitute(traced, (name) => model.globalArgs.get(name), model.escapeChar);
  if (!resolved || resolved.value === '') {
    stage.base = { kind: 'unresolved', text: args[0].getValue() };
    return stage;
  }
  const lower = resolved.value.toLowerCase();
  const earlier = stagesByName.get(lower);
  if (earlier) {
    stage.base = { kind: 'stage', stage: earlier };
  } else if (lower === 'scratch') {
    stage.base = { kind: 'scratch' };
  } else {
    const ref = parseImageRef(resolved.value);
    stage.base = ref ? { kind: 'image', ref, resolved } : { kind: 'unresolved', text: resolved.value };
  }
  return stage;
}

/** An argument's text with its file offsets, when the argument is written in one piece. */
export function tracedArgument(model: DockerfileModel, arg: ModelArgument): TracedValue {
  const value = arg.getValue();
  const r = arg.getRange();
  const start = model.lines.offsetAt(r.start);
  const raw = model.text.slice(start, model.lines.offsetAt(r.end));
  if (raw === value) return { value, origin: value.split('').map((_, i) => start + i) };
  return { value, origin: new Array<number>(value.length).fill(-1) };
}

/** The name=value pairs an ARG declares (value null: no default, or the global default if it is redeclared in a stage). */
function argDeclarations(
  instr: DockerInstruction,
  model: DockerfileModel,
  lookup: (name: string) => TracedValue | null | undefined,
): Array<[string, TracedValue | null]> {
  const out: Array<[string, TracedValue | null]> = [];
  for (const p of properties(model, instr)) {
    if (!p.name) continue;
    if (p.value === undefined) {
      // `ARG NAME` inside a stage re-imports the global default, if any.
      out.push([p.name, instr.stage ? (model.globalArgs.get(p.name) ?? null) : null]);
    } else {
      out.push([p.name, substitute(p.value, lookup, model.escapeChar) ?? null]);
    }
  }
  return out;
}

export interface PropertyText {
  name: string;
  /** undefined: no `=value` (an ARG without default). */
  value?: TracedValue;
  range: Range;
  valueRange?: Range;
}

/**
 * ENV / ARG / LABEL properties with traced values (quotes removed). Read once
 * per instruction (dockerfile-ast re-splits them on every call); callers must
 * not modify the list.
 */
export function properties(model: DockerfileModel, instr: DockerInstruction): PropertyText[] {
  return (instr.shared.properties ??= readProperties(model, instr));
}

function readProperties(model: DockerfileModel, instr: DockerInstruction): PropertyText[] {
  const node = instr.node as Instruction & { getProperties?: () => import('dockerfile-ast').Property[] };
  if (typeof node.getProperties !== 'function') return [];
  const out: PropertyText[] = [];
  let props: import('dockerfile-ast').Property[];
  try {
    props = node.getProperties();
  } catch {
    return out;
  }
  for (const p of props) {
    const name = p.getName();
    const written = p.getValueRange();
    const valueRange = written ? shiftRangeLines(written, instr.lineShift) : undefined;
    let value: TracedValue | undefined;
    const v = p.getValue();
    if (v !== null && valueRange) {
      value = traceValue(model, v, valueRange);
    } else if (v !== null) {
      value = { value: v, origin: new Array<number>(v.length).fill(-1) };
    } else if (p.getAssignmentOperator() === '=') {
      value = { value: '', origin: [] };
    }
    out.push({ name, value, range: shiftRangeLines(p.getRange(), instr.lineShift), valueRange });
  }
  return out;
}

function traceValue(model: DockerfileModel, value: string, range: Range): TracedValue {
  const start = model.lines.offsetAt(range.start);
  let raw = model.text.slice(start, model.lines.offsetAt(range.end));
  let offset = start;
  if (raw.length >= 2 && (raw[0] === '"' || raw[0] === "'") && raw[raw.length - 1] === raw[0]) {
    raw = raw.slice(1, -1);
    offset++;
  }
  if (raw === value) return { value, origin: value.split('').map((_, i) => offset + i) };
  return { value, origin: new Array<number>(value.length).fill(-1) };
}

function trackVariables(model: DockerfileModel, stage: Stage, instr: DockerInstruction): void {
  if (instr.keyword !== 'ARG' && instr.keyword !== 'ENV') return;
  const lookup = (name: string) => lookupVariable(stage, name, instr.order);
  const pairs: Array<[string, TracedValue | null]> =
    instr.keyword === 'ARG'
      ? argDeclarations(instr, model, lookup)
      : properties(model, instr)
          .filter((p) => p.name)
          .map((p) => [p.name, p.value ? (substitute(p.value, lookup, model.escapeChar) ?? null) : null]);
  for (const [name, value] of pairs) {
    let history = stage.vars.get(name);
    // An ARG never overrides an ENV of the same name (Docker's precedence).
    if (instr.keyword === 'ARG' && history?.some((h) => h.env)) continue;
    if (!history) stage.vars.set(name, (history = []));
    history.push({ order: instr.order, value, env: instr.keyword === 'ENV' });
  }
}

/**
 * The value of a variable just before instruction `order` in `stage`:
 * the stage's own ARG/ENV, then ENV inherited from the stage it is built
 * FROM (ARGs do not carry across stages). null: declared, value unknown;
 * undefined: not declared.
 */
export function lookupVariable(stage: Stage, name: string, order: number): TracedValue | null | undefined {
  const history = stage.vars.get(name);
  if (history) {
    // Binary search for the last assignment before `order`.
    let lo = 0;
    let hi = history.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (history[mid].order < order) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found >= 0) return history[found].value;
  }
  return stage.base.kind === 'stage' ? inheritedEnvOnly(stage.base.stage, name) : undefined;
}

function inheritedEnvOnly(stage: Stage, name: string): TracedValue | null | undefined {
  for (const s of stageChain(stage)) {
    const history = s.vars.get(name);
    if (!history) continue;
    for (let k = history.length - 1; k >= 0; k--) if (history[k].env) return history[k].value;
  }
  return undefined;
}

/** Resolves an instruction argument through the variables visible at that instruction. */
export function resolveAt(model: DockerfileModel, instr: DockerInstruction, value: TracedValue): TracedValue | undefined {
  const stage = instr.stage;
  const lookup = stage
    ? (name: string) => lookupVariable(stage, name, instr.order)
    : (name: string) => model.globalArgs.get(name);
  return substitute(value, lookup, model.escapeChar);
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

/**
 * Docker's variable substitution: $NAME, ${NAME}, ${NAME:-word}, ${NAME-word},
 * ${NAME:+word}, ${NAME+word}. Returns undefined when a value cannot be known
 * (a build argument without default, an unsupported modifier): callers then
 * report nothing rather than guess.
 */
export function substitute(
  input: TracedValue,
  lookup: (name: string) => TracedValue | null | undefined,
  escapeChar: string,
  depth = 0,
): TracedValue | undefined {
  const { value: s, origin } = input;
  if (!s.includes('$')) return input;
  if (depth > 8) return undefined;
  const out: string[] = [];
  const outOrigin: number[] = [];
  const push = (v: TracedValue) => {
    for (let k = 0; k < v.value.length; k++) {
      out.push(v.value[k]);
      outOrigin.push(v.origin[k] ?? -1);
    }
  };
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === escapeChar && s[i + 1] === '$') {
      out.push('$');
      outOrigin.push(origin[i + 1] ?? -1);
      i += 2;
      continue;
    }
    if (c !== '$') {
      out.push(c);
      outOrigin.push(origin[i] ?? -1);
      i++;
      continue;
    }
    if (s[i + 1] === '{') {
      const close = s.indexOf('}', i + 2);
      if (close < 0) return undefined;
      const body = s.slice(i + 2, close);
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([\s\S]*))?$/.exec(body);
      if (!m) return undefined;
      const [, name, op, word] = m;
      const current = lookup(name);
      const wordStart = i + 2 + name.length + (op?.length ?? 0);
      const wordTraced = (): TracedValue | undefined =>
        substitute({ value: word ?? '', origin: origin.slice(wordStart, close) }, lookup, escapeChar, depth + 1);
      let piece: TracedValue | undefined;
      if (!op) {
        piece = current ?? undefined;
      } else if (op === ':-' || op === '-') {
        // Declared without a default means "not set unless --build-arg": the default applies.
        if (current === undefined || current === null || (op === ':-' && current.value === '')) piece = wordTraced();
        else piece = current;
      } else {
        // :+ / +: the word if set. Unknown build args make it unknowable.
        if (current === null) return undefined;
        if (current === undefined || (op === ':+' && current.value === '')) piece = { value: '', origin: [] };
        else piece = wordTraced();
      }
      if (!piece) return undefined;
      push(piece);
      i = close + 1;
      continue;
    }
    if (i + 1 < s.length && NAME_START.test(s[i + 1])) {
      let j = i + 1;
      while (j < s.length && NAME_CHAR.test(s[j])) j++;
      const current = lookup(s.slice(i + 1, j));
      if (!current) return undefined;
      push(current);
      i = j;
      continue;
    }
    out.push('$');
    outOrigin.push(origin[i] ?? -1);
    i++;
  }
  return { value: out.join(''), origin: outOrigin };
}

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
/** Path components are lower-case in the reference grammar; `FROM Not A Ref` is not an image. */
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

/**
 * Parses `[registry[:port]/]path[:tag][@digest]` as the Docker reference
 * grammar does: the first path component is a registry only when it has a
 * `.` or a `:` or is `localhost`, so `localhost:5000/app` has no tag.
 * undefined for anything malformed (never reported).
 */
export function parseImageRef(reference: string): ImageRef | undefined {
  if (!reference || reference.length > 512) return undefined;
  let name = reference;
  let digest: string | undefined;
  const at = name.indexOf('@');
  if (at >= 0) {
    digest = name.slice(at + 1);
    name = name.slice(0, at);
    if (!DIGEST.test(digest)) return undefined;
  }
  let tag: string | undefined;
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) {
    tag = name.slice(colon + 1);
    name = name.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }
  let registry: string | undefined;
  const slash = name.indexOf('/');
  if (slash > 0) {
    const first = name.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      name = name.slice(slash + 1);
    }
  }
  if (!REPOSITORY.test(name)) return undefined;
  return { registry, repository: name, tag, digest };
}

/** `docker.io/library/node` for `node`: the canonical repository, for comparing references. */
export function canonicalRepository(ref: ImageRef): string {
  const registry = !ref.registry || ref.registry === 'index.docker.io' || ref.registry === 'registry-1.docker.io' ? 'docker.io' : ref.registry;
  const repo = registry === 'docker.io' && !ref.repository.includes('/') ? `library/${ref.repository}` : ref.repository;
  return `${registry}/${repo}`.toLowerCase();
}

export type ImageFamily = 'alpine' | 'debian' | 'distroless' | 'windows' | 'scratch' | 'unknown';

const DEBIAN_BASED_OFFICIAL = new Set([
  'debian', 'ubuntu', 'node', 'python', 'ruby', 'golang', 'openjdk', 'eclipse-temurin', 'php', 'perl', 'rust',
  'gcc', 'buildpack-deps', 'maven', 'gradle', 'nginx', 'httpd', 'postgres', 'redis', 'elixir', 'erlang', 'haskell',
  'julia', 'r-base', 'swift', 'clojure', 'mongo', 'rabbitmq', 'tomcat', 'jetty', 'ghost', 'wordpress', 'drupal',
]);
const DEBIAN_TAG = /(^|[-.])(bookworm|bullseye|buster|stretch|trixie|jessie|jammy|focal|noble|bionic|xenial|slim)([-.]|$)/;

/** The family of a stage's root image: which commands create a user there. */
export function imageFamily(base: StageBase): ImageFamily {
  if (base.kind === 'scratch') return 'scratch';
  if (base.kind !== 'image') return 'unknown';
  const { ref } = base;
  const repo = ref.repository.toLowerCase();
  const tag = (ref.tag ?? '').toLowerCase();
  const last = repo.split('/').pop()!;
  if (isWindowsImage(ref)) return 'windows';
  if (repo.startsWith('distroless/') || repo.includes('/distroless/') || (ref.registry === 'cgr.dev' && repo.startsWith('chainguard/'))) return 'distroless';
  if (last === 'alpine' || /(^|[-.])alpine/.test(tag)) return 'alpine';
  if (last === 'debian' || last === 'ubuntu' || DEBIAN_TAG.test(tag)) return 'debian';
  const official = !ref.registry || ref.registry === 'docker.io' ? repo.replace(/^library\//, '') : undefined;
  if (official && DEBIAN_BASED_OFFICIAL.has(official)) return 'debian';
  return 'unknown';
}

export function isWindowsImage(ref: ImageRef): boolean {
  const repo = ref.repository.toLowerCase();
  const tag = (ref.tag ?? '').toLowerCase();
  return repo.startsWith('windows/') || repo.includes('/windows/') || /nanoserver|windowsservercore|servercore|ltsc20\d\d/.test(tag) || repo.endsWith('/nanoserver');
}

/** Images whose default user is not root (so a Dockerfile without USER built on them is fine). */
export function defaultsToNonRoot(ref: ImageRef): boolean {
  const repo = ref.repository.toLowerCase();
  const tag = (ref.tag ?? '').toLowerCase();
  const registry = (ref.registry ?? 'docker.io').toLowerCase();
  if ((repo.startsWith('distroless/') || repo.includes('/distroless/')) && /(^|-)nonroot$/.test(tag)) return true;
  if (registry === 'cgr.dev' && /^chainguard\/(static|node|python|jre|nginx)$/.test(repo) && !/-dev$/.test(tag)) return true;
  if (registry === 'mcr.microsoft.com' && repo.startsWith('dotnet/') && /chiseled|distroless/.test(tag)) return true;
  if (/(^|\/)nginx-unprivileged$/.test(repo)) return true;
  // Application images whose own Dockerfile ends with a non-root USER.
  if ((registry === 'docker.io' || registry === 'quay.io') && /^jupyter\/[a-z0-9-]+-notebook$/.test(repo)) return true;
  if (registry === 'docker.io' && /^(jenkins\/jenkins|grafana\/grafana(-oss|-enterprise)?|prom\/(prometheus|alertmanager|node-exporter)|sonarqube)$/.test(repo)) return true;
  if (registry === 'docker.elastic.co' && /^(elasticsearch\/elasticsearch|kibana\/kibana|logstash\/logstash)$/.test(repo)) return true;
  if (/^registry\.access\.redhat\.com$|^registry\.redhat\.io$/.test(registry) && /^ubi\d+\/(nodejs|python|ruby|php|perl)-\d+/.test(repo)) return true;
  return false;
}
