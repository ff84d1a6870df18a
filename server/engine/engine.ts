import * as crypto from 'node:crypto';
import { createHash } from 'node:crypto';
import { defaultConfig, type FourfoldConfig } from './config';
import { FileContext } from './context';
import { DocumentStateCache, matchPieces, type KeptPieces } from './documentState';
import { fileKindOf } from './fileKinds';
import { shiftRangeLines } from './lineIndex';
import type { LayerModule } from './layer';
import { ALL_RULES, LAYER_MODULES, ruleDocPath } from './registry';
import { findSuppression, parseSuppressions } from './suppression';
import {
  SEVERITIES,
  isWorkspaceRule,
  type FileAnalysis,
  type FileKind,
  type FileRule,
  type Finding,
  type PieceScheme,
  type RawFinding,
  type Rule,
  type Range,
  type RuleMeta,
  type Severity,
  type SuppressionComment,
  type WorkspaceRule,
} from './types';

export interface AnalyzeRequest {
  path: string;
  text: string;
  /** The editor's language id, when the file name alone does not tell. */
  languageId?: string;
  /** Identity across edits (LSP URI) for incremental parsing. */
  documentKey?: string;
}

/** Per-file facts the workspace pass needs; FileAnalysis satisfies it. */
export interface WorkspaceFileFacts {
  path: string;
  collected: Record<string, unknown>;
  suppressions: SuppressionComment[];
}

let initialised: Promise<void> | undefined;

/** Loads grammars and other per-process state once. */
export function initEngine(layers: readonly LayerModule[] = LAYER_MODULES): Promise<void> {
  return (initialised ??= Promise.all(layers.map((l) => l.init?.())).then(() => undefined));
}

/** Fingerprints by rule and covered text: an edit re-reports mostly the same findings. Bounded. */
const fingerprints = new Map<string, string>();
const MAX_FINGERPRINTS = 20_000;

/** Stable identity of a finding: its rule and the text it covers, whitespace-normalised (not its position). */
function fingerprintOf(ruleId: string, coveredText: string): string {
  const key = `${ruleId}\0${coveredText}`;
  let fp = fingerprints.get(key);
  if (fp === undefined) {
    fp = sha256Hex(`${ruleId}\0${coveredText.replace(/\s+/g, ' ').trim()}`).slice(0, 32);
    if (fingerprints.size >= MAX_FINGERPRINTS) fingerprints.clear();
    fingerprints.set(key, fp);
  }
  return fp;
}

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** At least as severe as `threshold`. */
export function atLeast(s: Severity, threshold: Severity): boolean {
  return severityRank(s) <= severityRank(threshold);
}

/**
 * Completed findings of the piece-wise rules (see PieceWise) for each piece of
 * an open document, from its last analysis: an edit re-runs those rules on the
 * pieces it touched only and reuses the rest, moved to their new lines.
 */
interface PieceState {
  engine: Engine;
  /** The configuration, path and kind the findings were made with. */
  key: string;
  schemes: Map<string, SchemeState>;
}

interface SchemeState {
  signature: string;
  /** fileInputs of each rule of the scheme, in the engine's rule order (fixed by engine, kind and configuration: the state's key), when the pieces were judged. */
  inputs: string[];
  pieces: KeptPieces<PieceResult>;
}

interface PieceResult {
  /** Line the piece started on: its findings' positions are for that line. */
  line: number;
  /** Per rule of the scheme, its findings in the piece. */
  findings: Finding[][];
  /** Per rule, the failure note when it threw on the piece. */
  failures?: Array<string | undefined>;
}

const pieceStates = new DocumentStateCache<PieceState>();

/** A piece-wise rule's findings in this analysis: its list (`index`) in every piece, or the failure that voids them all. */
interface PieceRun {
  pieces: readonly PieceResult[];
  index: number;
  failure?: string;
}
const NO_FINDINGS: Finding[] = [];

/** The same finding `delta` lines further down (its piece moved; its text did not). */
function shiftFinding(f: Finding, delta: number): Finding {
  const range = shiftRangeLines(f.range, delta);
  const fixes = f.fixes.length === 0 ? f.fixes : f.fixes.map((x) => ({ ...x, edits: x.edits.map((e) => ({ ...e, range: shiftRangeLines(e.range, delta) })) }));
  const related = f.related?.map((r) => (r.path === undefined || r.path === f.path ? { ...r, range: shiftRangeLines(r.range, delta) } : r));
  return { ...f, range, fixes, ...(related ? { related } : {}) };
}

export function isRuleEnabled(meta: RuleMeta, config: FourfoldConfig): boolean {
  if (config.layers[meta.layer] === false) return false;
  return config.rules[meta.id]?.enabled ?? meta.defaultEnabled ?? true;
}

/**
 * The analysis engine: parses a file once per layer and runs every enabled
 * rule of its kind. Pure: it takes text and returns findings.
 */
export class Engine {
  constructor(
    public config: FourfoldConfig = defaultConfig(),
    private readonly rules: readonly Rule[] = ALL_RULES,
  ) {}

  /** Where notes about failures go (the output channel, stderr). */
  onNote: (note: string) => void = () => {};

  analyze(req: AnalyzeRequest): FileAnalysis {
    const kind = fileKindOf(req.path, req.languageId);
    const result: FileAnalysis = {
      path: req.path,
      kind,
      findings: [],
      suppressed: [],
      collected: {},
      suppressions: [],
      notes: [],
    };
    if (!kind) {
      result.skipped = 'not a file kind Fourfold analyses';
      return result;
    }
    const skip = this.skipReason(req.text);
    if (skip) {
      result.skipped = skip;
      return result;
    }
    const text = req.text.charCodeAt(0) === 0xfeff ? req.text.slice(1) : req.text;
    const ruleOptions: Record<string, Record<string, unknown>> = {};
    for (const [id, s] of Object.entries(this.config.rules)) if (s.options) ruleOptions[id] = s.options;
    const runs = (id: string) => this.rules.some((r) => r.meta.id === id && r.meta.fileKinds.includes(kind) && isRuleEnabled(r.meta, this.config));
    const ctx = new FileContext(req.path, text, kind, req.documentKey, ruleOptions, runs);
    ctx.review = this.config.review;
    result.suppressions = parseSuppressions(ctx.lines, kind);
    const byPiece = req.documentKey !== undefined ? this.analyzePieces(ctx, kind, req.documentKey) : undefined;

    for (const rule of this.rules) {
      if (!rule.meta.fileKinds.includes(kind) || !isRuleEnabled(rule.meta, this.config)) continue;
      const judged = byPiece?.get(rule);
      if (judged) {
        if (judged.failure !== undefined) {
          result.notes.push(judged.failure);
          this.onNote(judged.failure);
        } else for (const piece of judged.pieces) for (const f of piece.findings[judged.index]) this.place(f, result, rule.meta);
        continue;
      }
      try {
        if (isWorkspaceRule(rule)) {
          const data = rule.collect(ctx);
          if (data !== undefined) result.collected[rule.meta.id] = data;
        } else {
          for (const raw of (rule as FileRule).check(ctx)) {
            this.place(this.complete(rule.meta, raw, req.path, ctx.lines.textOf(raw.range)), result, rule.meta);
          }
        }
      } catch (e) {
        const note = `${rule.meta.id} failed on ${req.path}: ${(e as Error)?.stack ?? e}`;
        result.notes.push(note);
        this.onNote(note);
      }
    }
    const parseNotes = ctx.notes;
    if (parseNotes.length) result.info = [...new Set(parseNotes)];
    ctx.dispose();
    result.findings.sort(compareFindings);
    return result;
  }

  /**
   * The piece-wise rules of an open document, run piece by piece: a piece
   * whose text the last analysis also had keeps its findings (moved to its
   * new lines) unless the file-wide facts the rules read changed. The result
   * is what a whole-file run gives, in the same order; a rule that throws on
   * any piece reports no findings, as a whole-file run would.
   */
  private analyzePieces(ctx: FileContext, kind: FileKind, documentKey: string): Map<Rule, PieceRun> | undefined {
    const schemes = new Map<PieceScheme, FileRule[]>();
    for (const rule of this.rules) {
      const scheme = (rule as FileRule).pieceWise?.scheme;
      if (!scheme || isWorkspaceRule(rule) || !rule.meta.fileKinds.includes(kind) || !isRuleEnabled(rule.meta, this.config)) continue;
      const list = schemes.get(scheme);
      if (list) list.push(rule as FileRule);
      else schemes.set(scheme, [rule as FileRule]);
    }
    if (schemes.size === 0) return undefined;
    const key = `${kind}\0${ctx.path}\0${JSON.stringify(this.config)}`;
    const previous = pieceStates.get(documentKey);
    const usable = previous && previous.engine === this && previous.key === key ? previous : undefined;
    const next: PieceState = { engine: this, key, schemes: new Map() };
    const out = new Map<Rule, PieceRun>();
    for (const [scheme, rules] of schemes) {
      let split;
      try {
        split = scheme.split(ctx);
      } catch {
        split = undefined; // the rules run on the whole file, and report the failure there
      }
      if (!split) continue;
      const inputs = rules.map((r) => r.pieceWise!.fileInputs?.(ctx) ?? '');
      const before = usable?.schemes.get(scheme.id);
      const same = before && before.signature === split.signature;
      // Per rule: may the previous findings stand?
      const keep = rules.map((_, i) => !!same && before!.inputs[i] === inputs[i]);
      const keepAll = keep.every(Boolean);
      const texts = split.pieces.map((p) => p.text ?? ctx.text.slice(p.start, p.end));
      const reused = matchPieces(same ? before!.pieces : undefined, texts);
      const pieces: PieceResult[] = [];
      const kept: Array<{ text: string; piece: PieceResult }> = [];
      let failures: Array<string | undefined> | undefined;
      for (let p = 0; p < texts.length; p++) {
        const { start, end } = split.pieces[p];
        const line = ctx.lines.positionAt(start).line;
        const old = reused[p];
        let piece: PieceResult;
        if (old && keepAll && old.line === line) {
          piece = old; // the common case: a document the edit did not touch, on the same lines
        } else {
          piece = { line, findings: [] };
          let scoped: FileContext | undefined;
          for (let i = 0; i < rules.length; i++) {
            const rule = rules[i];
            let findings: Finding[];
            let failure: string | undefined;
            if (old && keep[i]) {
              findings = old.findings[i];
              failure = old.failures?.[i];
              if (old.line !== line && findings.length > 0) findings = findings.map((f) => shiftFinding(f, line - old.line));
            } else {
              scoped ??= ctx.scoped(start, end);
              try {
                const raws = rule.check(scoped);
                findings = raws.length === 0 ? NO_FINDINGS : raws.map((raw) => this.complete(rule.meta, raw, ctx.path, ctx.lines.textOf(raw.range)));
              } catch (e) {
                findings = NO_FINDINGS;
                failure = `${rule.meta.id} failed on ${ctx.path}: ${(e as Error)?.stack ?? e}`;
              }
            }
            piece.findings.push(findings);
            if (failure !== undefined) (piece.failures ??= rules.map(() => undefined))[i] = failure;
          }
        }
        if (piece.failures) {
          failures ??= rules.map(() => undefined);
          piece.failures.forEach((f, i) => (failures![i] ??= f));
        }
        pieces.push(piece);
        kept.push({ text: texts[p], piece });
      }
      next.schemes.set(scheme.id, { signature: split.signature, inputs, pieces: kept });
      rules.forEach((rule, index) => out.set(rule, { pieces, index, failure: failures?.[index] }));
    }
    pieceStates.set(documentKey, next);
    return out;
  }

  /**
   * Runs the rules that judge the workspace as a whole (namespace posture)
   * over the facts gathered per file. Returns findings grouped by file.
   */
  analyzeWorkspace(files: Iterable<WorkspaceFileFacts>): Map<string, { findings: Finding[]; suppressed: Finding[] }> {
    const out = new Map<string, { findings: Finding[]; suppressed: Finding[] }>();
    const list = [...files];
    const suppressionsByPath = new Map(list.map((f) => [f.path, f.suppressions]));
    for (const rule of this.rules) {
      if (!isWorkspaceRule(rule) || !isRuleEnabled(rule.meta, this.config)) continue;
      const ws = rule as WorkspaceRule;
      const inputs = list
        .filter((f) => f.collected[ws.meta.id] !== undefined)
        .map((f) => ({ path: f.path, data: f.collected[ws.meta.id] }));
      let raws;
      try {
        raws = ws.check(inputs, { ruleOptions: this.config.rules[ws.meta.id]?.options ?? {} });
      } catch (e) {
        this.onNote(`${ws.meta.id} failed on the workspace: ${(e as Error)?.stack ?? e}`);
        continue;
      }
      for (const raw of raws) {
        let bucket = out.get(raw.path);
        if (!bucket) out.set(raw.path, (bucket = { findings: [], suppressed: [] }));
        const finding = this.complete(ws.meta, raw, raw.path, `${raw.message}`);
        const holder: FileAnalysis = {
          path: raw.path,
          kind: undefined,
          findings: bucket.findings,
          suppressed: bucket.suppressed,
          collected: {},
          suppressions: suppressionsByPath.get(raw.path) ?? [],
          notes: [],
        };
        this.place(finding, holder, ws.meta);
      }
    }
    for (const b of out.values()) b.findings.sort(compareFindings);
    return out;
  }

  private skipReason(text: string): string | undefined {
    if (text.length > this.config.maxFileSize) {
      return `larger than the ${Math.round(this.config.maxFileSize / 1024)} KiB limit (maxFileSize)`;
    }
    // A NUL in the first 8 KiB: binary, as git decides it.
    const head = text.length > 8192 ? text.slice(0, 8192) : text;
    if (head.includes('\0')) return 'binary content';
    return undefined;
  }

  private complete(meta: RuleMeta, raw: RawFinding, path: string, coveredText: string): Finding {
    const severity = this.config.rules[meta.id]?.severity ?? raw.severity ?? meta.severity;
    return {
      ...raw,
      ruleId: meta.id,
      layer: meta.layer,
      severity,
      title: meta.title,
      cwe: meta.cwe,
      docs: ruleDocPath(meta.id),
      path,
      fixes: raw.fixes ?? [],
      fingerprint: fingerprintOf(meta.id, coveredText),
    };
  }

  /** Filters by configuration and suppression, then files the finding. */
  private place(finding: Finding, into: FileAnalysis, meta: RuleMeta): void {
    if (finding.confidence === 'review' && !this.config.review) return;
    if (!atLeast(finding.severity, this.config.minSeverity)) return;
    if (finding.suppressedBy) {
      into.suppressed.push(finding);
      return;
    }
    const s = findSuppression(finding, meta, into.suppressions, this.config.foreignSuppressions);
    if (s) {
      into.suppressed.push({ ...finding, suppressedBy: s.reason ? `comment: ${s.reason}` : 'comment' });
      return;
    }
    into.findings.push(finding);
  }
}

/** One-shot `crypto.hash` (Node ≥ 20.12) skips the Hash object; same digest as createHash. */
const oneShotHash = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

function sha256Hex(data: string): string {
  return oneShotHash ? oneShotHash('sha256', data, 'hex') : createHash('sha256').update(data).digest('hex');
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    a.ruleId.localeCompare(b.ruleId)
  );
}

export type { FileKind };
