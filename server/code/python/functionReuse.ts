import { mapOffset, type EditSpan } from '../../engine/editSpan';
import type { PyNode } from './syntax';

/*
 * What one function's analysis produced, kept between keystrokes so that an
 * edit inside one function re-analyses only that function: the others'
 * summaries, `self.x` field writes and reported sinks are replayed, moved by
 * the edit. Replay is exact or refused: when the edited function's summary or
 * field writes change, or a kept position falls inside the edit, the caller
 * analyses the whole module again.
 */

export interface TraceOrigin {
  kind: string;
  start: number;
  end: number;
  description: string;
  param?: number;
  structured?: boolean;
}

export interface TraceTaint {
  origins: TraceOrigin[];
  safe: number;
  normalized?: boolean;
}

export interface TraceSinkUse {
  param: number;
  category: string;
  sinkStart: number;
  sinkEnd: number;
  sinkName: string;
  fixNode?: PyNode;
  fixKind?: string;
}

export interface TraceSummary {
  returns?: TraceTaint;
  sinks: TraceSinkUse[];
}

/** Input stored on `self.<field>` by a method, for the class's other methods. */
export interface FieldWrite {
  cls: string;
  field: string;
  taint: TraceTaint;
}

/** One `record()` call: a sink reached (or a review candidate), before de-duplication. */
export interface RecordInput {
  category: string;
  sinkStart: number;
  sinkEnd: number;
  sinkName: string;
  confidence: 'high' | 'review';
  source?: TraceOrigin;
  message?: string;
  severity?: 'medium';
  fixKind?: string;
  fixNode?: PyNode;
}

export interface PassTrace<S extends TraceSummary = TraceSummary> {
  summary: S;
  fieldWrites: FieldWrite[];
  records: RecordInput[];
}

export interface FunctionTrace {
  /** Pass 1 (summaries); absent when that pass skipped the function. */
  pass1?: PassTrace;
  /** Pass 2 (reporting). */
  pass2?: PassTrace;
  /** This file's function names used inside the function (and `#url` for URL routing calls): what decides other functions' treatment. */
  uses: string;
  /** The scope it closes over after the module's run in each pass (the taint pass's Env): an edit need not run the module again. */
  closure1?: unknown;
  closure2?: unknown;
}

/** Thrown while replaying when a kept position has no counterpart after the edit. */
export const REFUSED = Symbol('refused');

/** Moves kept analysis results across one edit; throws REFUSED when it cannot. */
export class TraceShifter {
  /** Nodes of the edited function's old summary → the same sink's node in its new one. */
  readonly nodeMap = new Map<PyNode, PyNode>();

  constructor(
    private readonly edit: EditSpan,
    private readonly root: PyNode,
  ) {}

  offset(o: number, end = false): number {
    const moved = mapOffset(o, this.edit, end);
    if (moved === undefined) throw REFUSED;
    return moved;
  }

  /** A node of the new tree: kept nodes are live only if the mirror reused them. */
  node(n: PyNode | undefined): PyNode | undefined {
    if (!n) return undefined;
    const mapped = this.nodeMap.get(n);
    if (mapped) return mapped;
    let p: PyNode | null = n;
    while (p.parent) p = p.parent;
    if (p !== this.root) throw REFUSED;
    return n;
  }

  origin(o: TraceOrigin): TraceOrigin {
    if (o.end <= this.edit.start && o.start < this.edit.start) return o;
    return { ...o, start: this.offset(o.start), end: this.offset(o.end, true) };
  }

  taint<T extends TraceTaint | undefined>(t: T): T {
    if (!t) return t;
    return { ...t, origins: t.origins.map((o) => this.origin(o)) };
  }

  summary(s: TraceSummary): TraceSummary {
    return {
      returns: this.taint(s.returns),
      sinks: s.sinks.map((u) => ({ ...u, sinkStart: this.offset(u.sinkStart), sinkEnd: this.offset(u.sinkEnd, true), fixNode: this.node(u.fixNode) })),
    };
  }

  record(r: RecordInput): RecordInput {
    return { ...r, sinkStart: this.offset(r.sinkStart), sinkEnd: this.offset(r.sinkEnd, true), source: r.source && this.origin(r.source), fixNode: this.node(r.fixNode) };
  }

  pass(p: PassTrace): PassTrace {
    return {
      summary: this.summary(p.summary),
      fieldWrites: p.fieldWrites.map((w) => ({ ...w, taint: this.taint(w.taint) })),
      records: p.records.map((r) => this.record(r)),
    };
  }

  /**
   * Whether the edited function's new pass result equals its old one moved
   * by the edit (records aside: they are its own and are reported afresh).
   * Pairs the old summary's sink nodes with the new ones for `node()`.
   */
  samePass(fresh: PassTrace | undefined, old: PassTrace | undefined): boolean {
    if (!fresh || !old) return !fresh && !old;
    if (!sameTaint(fresh.summary.returns, this.taintOrUndefined(old.summary.returns))) return false;
    const a = fresh.summary.sinks;
    const b = old.summary.sinks;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      const y = b[i];
      if (x.param !== y.param || x.category !== y.category || x.sinkName !== y.sinkName || x.fixKind !== y.fixKind) return false;
      if (x.sinkStart !== mapOffset(y.sinkStart, this.edit) || x.sinkEnd !== mapOffset(y.sinkEnd, this.edit, true)) return false;
      if (!x.fixNode !== !y.fixNode) return false;
      if (x.fixNode && y.fixNode) this.nodeMap.set(y.fixNode, x.fixNode);
    }
    if (fresh.fieldWrites.length !== old.fieldWrites.length) return false;
    return fresh.fieldWrites.every((w, i) => {
      const o = old.fieldWrites[i];
      return w.cls === o.cls && w.field === o.field && sameTaint(w.taint, this.taintOrUndefined(o.taint));
    });
  }

  private taintOrUndefined(t: TraceTaint | undefined): TraceTaint | undefined | null {
    try {
      return this.taint(t);
    } catch (e) {
      if (e === REFUSED) return null;
      throw e;
    }
  }
}

function sameTaint(a: TraceTaint | undefined, b: TraceTaint | undefined | null): boolean {
  if (b === null) return false;
  if (!a || !b) return !a && !b;
  if (a.safe !== b.safe || !!a.normalized !== !!b.normalized || a.origins.length !== b.origins.length) return false;
  return a.origins.every((o, i) => {
    const p = b.origins[i];
    return o.kind === p.kind && o.start === p.start && o.end === p.end && o.description === p.description && o.param === p.param && !!o.structured === !!p.structured;
  });
}

/** Whether `node` lies inside `ancestor` (by the mirror's parent links). */
export function isInside(node: PyNode, ancestor: PyNode): boolean {
  for (let p = node.parent; p; p = p.parent) if (p === ancestor) return true;
  return false;
}
