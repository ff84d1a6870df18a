import type { Tree } from 'web-tree-sitter';
import type { FileContext } from '../../engine/context';
import { DocumentStateCache } from '../../engine/documentState';
import { editSpan, type EditSpan } from '../../engine/editSpan';
import { changesSince, parseSnippet, type CodeKind } from '../parsers';
import type { Range } from '../../engine/types';
import type { SinkCategory, TaintFlow } from '../flows';
import { fixFor, type FixRequest } from './fixes';
import * as M from './model';
import { field, mirror, mirrorEditedStatement, mirrorIncremental, namedChildren, type Syn } from './syntax';

/** Where attacker input enters: a real source, or (inside a function summary) a parameter. */
type Source =
  | { kind: 'input'; start: number; end: number; description: string; browser: boolean; severity?: 'medium'; local?: boolean }
  | { kind: 'param'; fn: FnInfo; index: number };

interface Taint {
  srcs: Source[];
  /** May be an attacker-shaped object (NoSQL operator injection). */
  obj: boolean;
  /** Categories a sanitiser has made this value safe for (CATEGORY_BIT mask). */
  safe: number;
  /** Constant text the value starts with (SSRF origin, SQL-looking check). */
  prefix?: string;
  /** Produced by path.resolve/normalize/join: a later startsWith check is meaningful. */
  norm?: boolean;
}

/** What the pass knows about an expression's value. */
const SHELL_SCRIPT_FLAG = /^(-c|\/c|\/C|-Command)$/;

interface Value {
  taint?: Taint;
  /** The constant string value, when known. */
  konst?: string;
  /** Canonical name: `#module.member`, `#mysql.createPool()`, or the source spelling. */
  canon?: string;
  /** A request object, a Koa context, or a message event. */
  holder?: 'req' | 'ctx' | 'event' | 'lambda';
  fn?: FnInfo;
  /** An in-file class or an instance of one: its methods, for call summaries. */
  methods?: Map<string, FnInfo>;
  /** Object literal properties, by key (conn.query({ sql, values })). */
  props?: Map<string, Value>;
  /** Approximate text of a string built from constants and unknown (non-input) parts. */
  approx?: string;
  /** An array holding a shell's `-c`/`/c` flag: the element after it is a script (`shellScript` its taint). */
  shellFlag?: boolean;
  shellScript?: Taint;
}

interface SummarySink {
  index: number;
  category: SinkCategory;
  start: number;
  end: number;
  sinkName: string;
  safe: number;
  obj: boolean;
  prefix?: string;
  fix?: FixRequest;
}
interface FnInfo {
  node: Syn;
  scope: Scope;
  state: 'new' | 'running' | 'done';
  sinks: SummarySink[];
  returns?: Taint;
  /** `this` inside a class method. */
  thisValue?: Value;
  /** Where the function sets a non-HTML response content type. */
  nonHtmlTypes?: number[];
  /** Kept passes: the top-level statement whose run analysed it (-1: before them). */
  analysedBy?: number;
}

class Scope {
  readonly vars: Map<string, Value>;
  /** Module scope only: told of every name looked up there (found or not), for statement reuse. */
  onRootRead?: (name: string) => void;
  constructor(
    readonly parent?: Scope,
    vars?: Map<string, Value>,
  ) {
    this.vars = vars ?? new Map();
  }
  lookup(name: string): Value | undefined {
    let s: Scope = this;
    for (;;) {
      const v = s.vars.get(name);
      if (v !== undefined || !s.parent) {
        s.onRootRead?.(name);
        return v;
      }
      s = s.parent;
    }
  }
  /** Assigns to the scope that declares the name, or this one. */
  assign(name: string, v: Value): void {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      if (s.vars.has(name)) {
        s.vars.set(name, v);
        return;
      }
    }
    this.vars.set(name, v);
  }
}

/** What a condition tells about a variable: clean for a mask of categories. */
interface Fact {
  name: string;
  clean: number;
  notObject?: boolean;
  /** Only meaningful for a normalised path (startsWith after path.resolve). */
  normalisedOnly?: boolean;
}

/** An unknown value opening a string is assumed to be configuration (an API origin from settings). */
const CONFIGURED = 'https://configured.invalid';

/** Input from a remote client (or a parameter that may carry it), as opposed to argv/env. */
function remote(t: Taint): boolean {
  return t.srcs.some((s) => s.kind === 'param' || !s.local);
}

/** The best-known text of a value for prefix checks: constant, approximation, or a stand-in. */
function textOf(v: Value, atStart: boolean): string {
  if (v.konst !== undefined) return v.konst;
  if (v.approx !== undefined) return v.approx;
  return atStart ? CONFIGURED : 'x';
}

const MAX_SOURCES = 4;
const MAX_DEPTH = 400;

function merge(a: Taint | undefined, b: Taint | undefined): Taint | undefined {
  if (!a) return b;
  if (!b) return a;
  const srcs = a.srcs.slice();
  for (const s of b.srcs) if (srcs.length < MAX_SOURCES && !srcs.includes(s)) srcs.push(s);
  return { srcs, obj: a.obj || b.obj, safe: a.safe & b.safe, prefix: a.prefix, norm: a.norm && b.norm };
}

/** Module specifier → canonical module name. */
function moduleName(spec: string): string {
  let m = spec.startsWith('node:') ? spec.slice(5) : spec;
  if (M.MODULE_ALIASES[m]) m = M.MODULE_ALIASES[m];
  return m;
}

/** The module a canonical name starts from (`#knex().raw` → knex). */
function moduleOf(canon: string | undefined): string | undefined {
  if (!canon?.startsWith('#')) return undefined;
  const m = /^#((?:@[^/]+\/)?[^.(]+(?:\.js)?)/.exec(canon);
  return m?.[1];
}

/** Canonical name with `.promises` folded (fs.promises.readFile ≡ fs.readFile). */
function normaliseCanon(c: string): string {
  return c.replace(/^#fs\.promises\b/, '#fs');
}

/**
 * The last pass of each open editor document: its mirror is what the next
 * edit re-reads only the touched statements of, and its module scope and
 * per-statement flows are what an edit inside one statement re-runs against.
 */
const documentPasses = new DocumentStateCache<JsTaintPass>(8);

/** How many edits re-ran one statement instead of the module (for tests and the benchmark). */
export const javascriptReuseStats = { reused: 0, full: 0 };

/**
 * Taint analysis of a JavaScript / TypeScript / TSX module. `treeOf` parses
 * the file: an edit inside one statement of an open document does not need it.
 */
export function analyzeJavaScriptTaint(ctx: FileContext, treeOf: () => Tree | undefined): TaintFlow[] {
  const key = ctx.documentKey;
  const kept = key ? documentPasses.get(key) : undefined;
  // Taken out first: reuse moves the old nodes, so a failed mirror must not leave them cached.
  if (key) documentPasses.delete(key);
  if (!kept) {
    const tree = treeOf();
    if (!tree) return [];
    const pass = new JsTaintPass(ctx, mirror(tree), !!key);
    const flows = pass.run();
    if (key) documentPasses.set(key, pass);
    return flows;
  }
  const edit = editSpan(kept.text, ctx.text);
  let root = kept.text === ctx.text ? undefined : mirrorEditedStatement(kept.root, kept.text, ctx.text, edit, (snippet) => parseSnippet(ctx.kind as CodeKind, snippet));
  if (!root) {
    const tree = treeOf();
    if (!tree) return [];
    root = mirrorIncremental(tree, kept.root, edit, changesSince(tree, kept.text));
  }
  if (kept.text !== ctx.text) {
    const flows = kept.rerunEdited(ctx, root, edit);
    if (flows) {
      javascriptReuseStats.reused++;
      documentPasses.set(key!, kept);
      return flows;
    }
  }
  javascriptReuseStats.full++;
  const pass = new JsTaintPass(ctx, root, true);
  const flows = pass.run();
  documentPasses.set(key!, pass);
  return flows;
}

/** A flow a statement's analysis found, before de-duplication against the others. */
interface FlowEvent {
  key: string;
  category: SinkCategory;
  start: number;
  end: number;
  sinkName: string;
  confidence: 'high' | 'review';
  source?: { start: number; end: number; description: string; severity?: 'medium' };
  fix?: FixRequest;
}

/** What running one top-level statement did, for re-running another one alone. */
interface StatementTrace {
  events: FlowEvent[];
  /** Names it wrote in the module scope. */
  rootWrites: number;
  /** Functions whose analysis it started (theirs are reused only by it). */
  created: Set<FnInfo>;
  /** It analysed or used the summary of a function of another statement after it (positions it cannot move). */
  reachedForeign: boolean;
  /** Module-scope names it looked up. */
  rootReads: Set<string>;
}

function newTrace(): StatementTrace {
  return { events: [], rootWrites: 0, created: new Set(), reachedForeign: false, rootReads: new Set() };
}

/** Module-scope variables that report writes (statement reuse must know who wrote what). */
class WatchedVars extends Map<string, Value> {
  onWrite?: (name: string) => void;
  override set(name: string, v: Value): this {
    this.onWrite?.(name);
    return super.set(name, v);
  }
}

class JsTaintPass {
  text: string;
  /** The mirror this pass analysed: the next edit's incremental mirror starts from it. */
  root: Syn;
  private flows: TaintFlow[] = [];
  private seen = new Set<string>();
  private readonly modules: Set<string>;
  private readonly fnOf = new Map<Syn, FnInfo>();
  /** Where a name was imported (`{ exec }`), so a fix can import a sibling next to it. */
  private readonly importSites = new Map<string, Syn>();
  private depth = 0;
  /** The top-level statement being run and its trace (kept passes only). */
  private tracing?: StatementTrace;
  private tracingNode?: Syn;
  private tracingIndex = -1;
  /** Per top-level statement, in order; `prelude`: imports, requires and hoisting before them. */
  private traces: StatementTrace[] = [];
  private prelude = newTrace();
  /** Module-scope name → index of the last top-level statement that wrote it (-1: the prelude). */
  private readonly lastWriter = new Map<string, number>();
  private rootFn?: FnInfo;
  /** Where edits since the last full run fall: one statement, its extent in that run's offsets, and the text's growth since. */
  private edited?: { index: number; baseStart: number; baseEnd: number; delta: number };

  constructor(
    private ctx: FileContext,
    root: Syn,
    /** Trace statements, so that a later edit inside one can re-run it alone (open documents). */
    private readonly keep = false,
  ) {
    this.text = ctx.text;
    this.root = root;
    ({ modules: this.modules, server: this.server } = importsOf(this.text));
  }
  /** The module is server code (a web framework or route registrations): `req` is a server request. */
  private readonly server: boolean;

  run(): TaintFlow[] {
    const vars = new WatchedVars();
    const scope = new Scope(undefined, vars);
    this.rootScope = scope;
    const fn: FnInfo = { node: this.root, scope, state: 'running', sinks: [] };
    this.rootFn = fn;
    if (this.keep) {
      vars.onWrite = (name) => {
        this.lastWriter.set(name, this.tracing && this.tracing !== this.prelude ? this.tracingIndex : -1);
        if (this.tracing) this.tracing.rootWrites++;
      };
      scope.onRootRead = (name) => this.tracing?.rootReads.add(name);
      this.tracing = this.prelude;
    }
    // Imports and top-level requires first: they are hoisted / usually on top,
    // and functions analysed on demand need them.
    for (const c of this.root.children) {
      if (c.type === 'import_statement') this.importStatement(c, scope);
      else if ((c.type === 'lexical_declaration' || c.type === 'variable_declaration') && /require\s*\(/.test(this.slice(c))) {
        this.statement(c, scope, fn, 0);
      }
    }
    if (!this.keep) {
      this.block(this.root.children, scope, fn, 0);
      return this.result();
    }
    for (const s of this.root.children) this.hoist(s, scope);
    for (const s of this.root.children) {
      const trace = newTrace();
      this.traces.push(trace);
      this.tracing = trace;
      this.tracingNode = s;
      this.tracingIndex = this.traces.length - 1;
      this.statement(s, scope, fn, 0);
    }
    this.tracing = undefined;
    this.tracingNode = undefined;
    return this.result();
  }

  private result(): TaintFlow[] {
    // A high-confidence flow supersedes a review finding on the same sink.
    const high = new Set(this.flows.filter((f) => f.confidence === 'high').map((f) => `${f.category}@${f.sinkRange.start.line}:${f.sinkRange.start.character}`));
    return this.flows.filter((f) => f.confidence === 'high' || !high.has(`${f.category}@${f.sinkRange.start.line}:${f.sinkRange.start.character}`));
  }

  /**
   * The module's flows after an edit inside one top-level expression
   * statement (a route registration, a call), re-running only that statement
   * against the module scope this pass kept and replaying the flows of the
   * others. Undefined when that would not be exactly what a full run gives:
   * the statement declares or assigns module names, reads a name written
   * after it, reaches a function of a later statement, or the imports changed.
   * Edits since the last full run must all fall in the same statement.
   */
  rerunEdited(ctx: FileContext, root: Syn, edit: EditSpan): TaintFlow[] | undefined {
    const oldChildren = this.root.children;
    const kids = root.children;
    if (kids.length !== oldChildren.length || kids.length !== this.traces.length) return undefined;
    let index = -1;
    for (let i = 0; i < kids.length; i++) {
      if (kids[i] === oldChildren[i]) continue;
      if (index >= 0) return undefined;
      index = i;
    }
    const stmt = kids[index];
    if (!stmt || stmt.type !== 'expression_statement' || oldChildren[index].type !== 'expression_statement') return undefined;
    if (edit.start < stmt.start || edit.newEnd > stmt.end) return undefined;
    const old = this.traces[index];
    if (old.rootWrites || old.reachedForeign) return undefined;
    const base = this.edited ?? { index, baseStart: oldChildren[index].start, baseEnd: oldChildren[index].end, delta: 0 };
    if (base.index !== index) return undefined;
    const edited = { ...base, delta: base.delta + edit.delta };
    // Imports and framework detection read the whole text.
    const now = importsOf(ctx.text);
    if (now.server !== this.server || now.modules.size !== this.modules.size || [...now.modules].some((m) => !this.modules.has(m))) return undefined;

    // From here on this pass describes the new text; if reuse fails the caller drops it.
    this.ctx = ctx;
    this.root = root;
    this.rootFn!.node = root;
    this.text = ctx.text;
    this.flows = [];
    this.seen = new Set();
    // Positions kept from the last full run: before the statement they hold, after it they moved.
    const move = (p: number): number | undefined => (p < edited.baseStart ? p : p >= edited.baseEnd ? p + edited.delta : undefined);
    const replay = (t: StatementTrace): boolean => {
      for (const e of t.events) {
        const start = move(e.start);
        const end = move(e.end);
        const src = e.source && { ...e.source, start: move(e.source.start)!, end: move(e.source.end)! };
        if (start === undefined || end === undefined || (src && (src.start === undefined || src.end === undefined))) return false;
        this.emit({ ...e, start, end, source: src });
      }
      return true;
    };
    const trace = newTrace();
    let ok = replay(this.prelude);
    for (let i = 0; ok && i < kids.length; i++) {
      if (i !== index) {
        ok = replay(this.traces[i]);
        continue;
      }
      this.tracing = trace;
      this.tracingNode = stmt;
      this.tracingIndex = index;
      this.statement(stmt, this.rootScope!, this.rootFn!, 0);
      this.tracing = undefined;
      this.tracingNode = undefined;
      // Exact only if it changed nothing others read, read nothing written after it,
      // and found flows only at positions of its own or before it (not kept, moved ones).
      ok =
        !trace.rootWrites &&
        !trace.reachedForeign &&
        [...trace.rootReads].every((name) => (this.lastWriter.get(name) ?? -1) < index) &&
        trace.events.every((e) => e.start < edited.baseEnd && e.end <= stmt.end && (!e.source || (e.source.start < edited.baseEnd && e.source.end <= stmt.end)));
    }
    if (!ok) return undefined;
    for (const fn of old.created) this.fnOf.delete(fn.node);
    this.traces[index] = trace;
    this.edited = edited;
    return this.result();
  }

  // ------------------------------------------------------------ helpers

  private slice(n: Syn): string {
    return this.text.slice(n.start, n.end);
  }
  private range(start: number, end: number): Range {
    return this.ctx.lines.range(start, end);
  }
  private short(n: Syn): string {
    const t = this.text.slice(n.start, Math.min(n.end, n.start + 200)).replace(/\s+/g, ' ');
    return t.length > 60 ? `${t.slice(0, 57)}...` : t;
  }

  private importStatement(node: Syn, scope: Scope): void {
    const src = field(node, 'source');
    if (!src) return;
    const mod = `#${moduleName(this.slice(src).slice(1, -1))}`;
    const clause = node.children.find((c) => c.type === 'import_clause');
    if (!clause) return;
    for (const c of clause.children) {
      if (c.type === 'identifier') scope.vars.set(this.slice(c), { canon: mod });
      else if (c.type === 'namespace_import') {
        const id = c.children.find((x) => x.type === 'identifier');
        if (id) scope.vars.set(this.slice(id), { canon: mod });
      } else if (c.type === 'named_imports') {
        for (const spec of c.children) {
          if (spec.type !== 'import_specifier') continue;
          const name = field(spec, 'name');
          const alias = field(spec, 'alias') ?? name;
          if (name && alias) {
            const imported = this.slice(name);
            this.importSites.set(this.slice(alias), spec);
            scope.vars.set(this.slice(alias), { canon: imported === 'default' ? mod : `${mod}.${imported}` });
          }
        }
      }
    }
  }

  // --------------------------------------------------------- statements

  private block(stmts: readonly Syn[], scope: Scope, fn: FnInfo, nest: number): void {
    // Function declarations are hoisted: bind them before the body runs.
    for (const s of stmts) this.hoist(s, scope);
    for (const s of stmts) this.statement(s, scope, fn, nest);
  }

  private hoist(s: Syn, scope: Scope): void {
    const decl = s.type === 'export_statement' ? field(s, 'declaration') : s;
    if (decl && (decl.type === 'function_declaration' || decl.type === 'generator_function_declaration')) {
      const name = field(decl, 'name');
      if (name) scope.vars.set(this.slice(name), { fn: this.fnInfo(decl, scope) });
    }
  }

  private fnInfo(node: Syn, scope: Scope): FnInfo {
    let info = this.fnOf.get(node);
    if (!info) {
      info = { node, scope, state: 'new', sinks: [] };
      this.fnOf.set(node, info);
      this.tracing?.created.add(info);
    }
    return info;
  }

  /**
   * A function of another top-level statement reached from the traced one:
   * re-running this statement alone gives the same result only if that
   * function was finished before it in the full run and lies before it.
   */
  private noteForeign(info: FnInfo): void {
    const t = this.tracing;
    if (!t || t === this.prelude || t.created.has(info)) return;
    if (info.state === 'new' || (info.analysedBy ?? -1) >= this.tracingIndex || info.node.start >= this.tracingNode!.start) t.reachedForeign = true;
  }

  private statement(s: Syn, scope: Scope, fn: FnInfo, nest: number): void {
    if (++this.depth > MAX_DEPTH) {
      this.depth--;
      return;
    }
    try {
      this.statementInner(s, scope, fn, nest);
    } finally {
      this.depth--;
    }
  }

  private statementInner(s: Syn, scope: Scope, fn: FnInfo, nest: number): void {
    switch (s.type) {
      case 'import_statement':
        this.importStatement(s, scope);
        return;
      case 'lexical_declaration':
      case 'variable_declaration':
        for (const d of s.children) {
          if (d.type !== 'variable_declarator') continue;
          const name = field(d, 'name');
          const value = field(d, 'value');
          const v = value ? this.expr(value, scope, fn, nest) : {};
          if (name) this.bind(name, v, scope, fn, true, nest);
        }
        return;
      case 'expression_statement':
        for (const c of namedChildren(s)) this.expr(c, scope, fn, nest);
        return;
      case 'return_statement': {
        for (const c of namedChildren(s)) {
          const v = this.expr(c, scope, fn, nest);
          if (v.taint) fn.returns = merge(fn.returns, v.taint);
        }
        return;
      }
      case 'if_statement':
        this.ifStatement(s, scope, fn, nest);
        return;
      case 'for_in_statement': {
        const right = field(s, 'right');
        const left = field(s, 'left');
        const rv = right ? this.expr(right, scope, fn, nest) : {};
        if (left) this.bind(left, { taint: rv.taint }, scope, fn, true, nest + 1);
        const body = field(s, 'body');
        if (body) this.statement(body, scope, fn, nest + 1);
        return;
      }
      case 'statement_block':
        this.block(s.children, scope, fn, nest);
        return;
      case 'function_declaration':
      case 'generator_function_declaration':
        this.analyseFunction(this.fnInfo(s, scope));
        return;
      case 'class_declaration':
      case 'class':
      case 'abstract_class_declaration':
        this.classBody(s, scope, fn);
        return;
      case 'export_statement':
        for (const c of s.children) {
          if (c.field === 'declaration') this.statement(c, scope, fn, nest);
          else if (c.field === 'value') this.expr(c, scope, fn, nest);
          else if (c.type === 'function_declaration' || c.type === 'class_declaration') this.statement(c, scope, fn, nest);
        }
        return;
      case 'try_statement':
      case 'switch_statement':
      case 'switch_body':
      case 'switch_case':
      case 'switch_default':
      case 'catch_clause':
      case 'finally_clause':
      case 'else_clause':
      case 'labeled_statement':
      case 'while_statement':
      case 'do_statement':
      case 'for_statement':
      case 'with_statement':
      case 'program':
      case 'ERROR':
        for (const c of s.children) {
          if (c.field === 'condition' || c.field === 'value' || c.field === 'increment') this.expr(c, scope, fn, nest + 1);
          else this.statement(c, scope, fn, nest + 1);
        }
        return;
      default:
        if (s.type.endsWith('statement') || s.type.endsWith('declaration') || s.type === 'empty_statement') {
          for (const c of namedChildren(s)) this.statement(c, scope, fn, nest);
          return;
        }
        this.expr(s, scope, fn, nest);
    }
  }

  private classBody(s: Syn, scope: Scope, fn: FnInfo): Value {
    const body = field(s, 'body');
    const methods = new Map<string, FnInfo>();
    const cls: Value = { methods };
    const name = field(s, 'name');
    if (name) scope.vars.set(this.slice(name), cls);
    if (!body) return cls;
    const thisValue: Value = { methods, canon: 'this' };
    for (const m of body.children) {
      const mname = m.type === 'method_definition' ? field(m, 'name') : undefined;
      if (mname) {
        const info = this.fnInfo(m, scope);
        info.thisValue = thisValue;
        methods.set(this.slice(mname), info);
      }
    }
    for (const m of body.children) {
      if (m.type === 'method_definition') this.analyseFunction(this.fnInfo(m, scope));
      else if (m.type === 'field_definition' || m.type === 'public_field_definition') {
        const v = field(m, 'value');
        if (v) this.expr(v, scope, fn, 1);
      }
    }
    return cls;
  }

  private ifStatement(s: Syn, scope: Scope, fn: FnInfo, nest: number): void {
    const cond = field(s, 'condition');
    const cons = field(s, 'consequence');
    const alt = field(s, 'alternative');
    if (cond) this.expr(cond, scope, fn, nest);
    const positive = cond ? this.guardFacts(cond, true, scope) : [];
    const negative = cond ? this.guardFacts(cond, false, scope) : [];
    if (cons) this.withFacts(positive, scope, () => this.statement(cons, scope, fn, nest + 1));
    if (alt) this.withFacts(negative, scope, () => this.statement(alt, scope, fn, nest + 1));
    // `if (!allowed(x)) return;` — past the if, the check holds.
    if (cons && !alt && this.terminates(cons)) this.applyFacts(negative, scope);
  }

  private terminates(s: Syn): boolean {
    // Iterative: nested blocks can be arbitrarily deep in hostile input.
    for (let n: Syn | undefined = s; n; n = n.children[n.children.length - 1]) {
      if (n.type === 'return_statement' || n.type === 'throw_statement' || n.type === 'continue_statement' || n.type === 'break_statement') return true;
      if (n.type !== 'statement_block') return false;
    }
    return false;
  }

  // ------------------------------------------------------------- guards

  /** Facts a condition establishes when it is `truth`: a variable becomes clean for a mask of categories. */
  private guardFacts(cond: Syn, truth: boolean, scope: Scope): Fact[] {
    if (++this.depth > MAX_DEPTH) {
      this.depth--;
      return [];
    }
    try {
      return this.guardFactsInner(cond, truth, scope);
    } finally {
      this.depth--;
    }
  }

  private guardFactsInner(cond: Syn, truth: boolean, scope: Scope): Fact[] {
    let n = cond;
    while (n.type === 'parenthesized_expression' && n.children.length === 1) n = n.children[0];
    if (n.type === 'unary_expression' && this.slice(field(n, 'operator') ?? n).trim() === '!') {
      const arg = field(n, 'argument');
      return arg ? this.guardFacts(arg, !truth, scope) : [];
    }
    if (n.type === 'binary_expression') {
      const op = this.slice(field(n, 'operator') ?? n);
      const left = field(n, 'left');
      const right = field(n, 'right');
      if (!left || !right) return [];
      if ((op === '&&' && truth) || (op === '||' && !truth)) return [...this.guardFacts(left, truth, scope), ...this.guardFacts(right, truth, scope)];
      if ((op === '||' && truth) || (op === '&&' && !truth)) {
        // Both sides restrict the same variable (x === 'a' || x === 'b').
        const a = this.guardFacts(left, truth, scope);
        const b = this.guardFacts(right, truth, scope);
        return a.filter((f) => b.some((g) => g.name === f.name)).map((f) => ({ ...f, clean: f.clean & (b.find((g) => g.name === f.name)?.clean ?? 0) }));
      }
      const eq = op === '===' || op === '==';
      const ne = op === '!==' || op === '!=';
      if (eq || ne) {
        const holds = eq === truth;
        // typeof x === 'string' / 'number'
        for (const [a, b] of [[left, right], [right, left]] as const) {
          if (a.type === 'unary_expression' && this.slice(a).startsWith('typeof') && b.type === 'string' && holds) {
            const arg = field(a, 'argument');
            const t = this.slice(b).slice(1, -1);
            if (arg && this.keyOf(arg)) {
              if (t === 'number' || t === 'boolean') return [{ name: this.keyOf(arg)!, clean: M.ALL_CATEGORIES }];
              if (t === 'string') return [{ name: this.keyOf(arg)!, clean: M.CATEGORY_BIT.nosql, notObject: true }];
            }
          }
        }
        // x === 'constant'
        for (const [a, b] of [[left, right], [right, left]] as const) {
          if (holds && (b.type === 'string' || b.type === 'number' || b.type === 'true' || b.type === 'false') && this.keyOf(a)) {
            return [{ name: this.keyOf(a)!, clean: M.ALL_CATEGORIES }];
          }
        }
        // list.indexOf(x) !== -1
        for (const [a, b] of [[left, right], [right, left]] as const) {
          if (a.type === 'call_expression' && /^-\s*1$/.test(this.slice(b)) && ne === truth) return this.checkCall(a, true);
        }
        // validator(x) === true / false
        for (const [a, b] of [[left, right], [right, left]] as const) {
          if (a.type === 'call_expression' && (b.type === 'true' || b.type === 'false')) return this.checkCall(a, holds === (b.type === 'true'));
        }
        return [];
      }
      if ((op === '>=' || op === '>') && left.type === 'call_expression' && /^(0|-\s*1)$/.test(this.slice(right))) return this.checkCall(left, truth);
      return [];
    }
    if (n.type === 'call_expression') return this.checkCall(n, truth);
    return [];
  }

  /** What a boolean check call establishes when it returns `truth`. */
  private checkCall(call: Syn, truth: boolean): Fact[] {
    const callee = field(call, 'function');
    const args = field(call, 'arguments');
    const argList = args ? namedChildren(args) : [];
    if (!callee) return [];
    const method = callee.type === 'member_expression' ? this.slice(field(callee, 'property') ?? callee) : this.slice(callee);
    const receiver = callee.type === 'member_expression' ? field(callee, 'object') : undefined;
    const arg0 = argList[0];
    // ALLOWED.includes(x), allowed.has(x), ALLOWED.indexOf(x): allow-list membership.
    if ((method === 'includes' || method === 'has' || method === 'indexOf') && receiver && arg0) {
      const rk = this.keyOf(receiver);
      // x.includes('..') is the reverse: a deny-list check on the receiver.
      if (arg0.type === 'string') {
        return rk && !truth && /\.\./.test(this.slice(arg0)) ? [{ name: rk, clean: M.CATEGORY_BIT.path }] : [];
      }
      const ak = this.keyOf(arg0);
      return truth && ak ? [{ name: ak, clean: M.ALL_CATEGORIES }] : [];
    }
    if (!truth) return [];
    // x.startsWith(root) after normalisation: the path stays inside root.
    if (method === 'startsWith' && receiver && this.keyOf(receiver)) return [{ name: this.keyOf(receiver)!, clean: M.CATEGORY_BIT.path, normalisedOnly: true }];
    // /^[a-z0-9]+$/.test(x): an anchored pattern without wildcards.
    if (method === 'test' && receiver?.type === 'regex' && arg0 && this.keyOf(arg0)) {
      const re = this.slice(receiver);
      if (/^\/\^/.test(re) && /\$\/[a-z]*$/.test(re) && !/(^|[^\\])\.[*+]/.test(re)) return [{ name: this.keyOf(arg0)!, clean: M.ALL_CATEGORIES }];
      return [];
    }
    if (method === 'match' && receiver && this.keyOf(receiver) && arg0?.type === 'regex') {
      const re = this.slice(arg0);
      if (/^\/\^/.test(re) && /\$\/[a-z]*$/.test(re) && !/(^|[^\\])\.[*+]/.test(re)) return [{ name: this.keyOf(receiver)!, clean: M.ALL_CATEGORIES }];
      return [];
    }
    // validator.isInt(x), Number.isInteger(x), isValidObjectId(x)
    if (M.VALIDATORS.has(method) && arg0 && this.keyOf(arg0)) return [{ name: this.keyOf(arg0)!, clean: M.ALL_CATEGORIES }];
    return [];
  }

  /** Variables (and member paths like req.query.sort) a guard can talk about. */
  private keyOf(n: Syn): string | undefined {
    if (n.type === 'identifier') return this.slice(n);
    if (n.type === 'member_expression' && n.end - n.start < 120) return this.slice(n).replace(/\s+/g, '');
    return undefined;
  }

  private withFacts(facts: readonly Fact[], scope: Scope, body: () => void): void {
    if (facts.length === 0) return body();
    const saved = facts.map((f) => [f.name, scope.lookup(f.name)] as const);
    this.applyFacts(facts, scope);
    body();
    for (const [name, v] of saved) if (v !== undefined) scope.assign(name, v);
      else scope.vars.delete(name);
  }

  private applyFacts(facts: readonly Fact[], scope: Scope): void {
    for (const f of facts) {
      const old = scope.lookup(f.name);
      if (f.name.includes('.')) {
        // Member paths: remembered as a cleaned path, consulted when the member is read again.
        scope.vars.set(f.name, { taint: { srcs: [], obj: false, safe: f.clean }, konst: undefined });
        continue;
      }
      if (!old?.taint) continue;
      if (f.normalisedOnly && !old.taint.norm) continue;
      scope.assign(f.name, { ...old, taint: { ...old.taint, safe: old.taint.safe | f.clean, obj: f.notObject || f.clean === M.ALL_CATEGORIES ? false : old.taint.obj } });
    }
  }

  // ------------------------------------------------------------ binding

  private bind(pattern: Syn, v: Value, scope: Scope, fn: FnInfo, declare: boolean, nest: number): void {
    if (++this.depth > MAX_DEPTH) {
      this.depth--;
      return;
    }
    try {
      this.bindInner(pattern, v, scope, fn, declare, nest);
    } finally {
      this.depth--;
    }
  }

  private bindInner(pattern: Syn, v: Value, scope: Scope, fn: FnInfo, declare: boolean, nest: number): void {
    switch (pattern.type) {
      case 'identifier':
      case 'shorthand_property_identifier_pattern': {
        const name = this.slice(pattern);
        if (declare || nest === 0) {
          if (declare) scope.vars.set(name, v);
          else scope.assign(name, v);
        } else {
          // Inside a branch or loop an assignment may not happen: keep earlier taint.
          const old = scope.lookup(name);
          scope.assign(name, old?.taint && !v.taint ? { ...v, taint: old.taint } : v);
        }
        return;
      }
      case 'object_pattern':
        for (const p of pattern.children) {
          if (p.type === 'shorthand_property_identifier_pattern') {
            if (v.canon?.startsWith('#')) this.importSites.set(this.slice(p), p);
            this.bind(p, this.member(v, this.slice(p), p, scope), scope, fn, declare, nest);
          }
          else if (p.type === 'pair_pattern') {
            const key = field(p, 'key');
            const value = field(p, 'value');
            if (key && value) this.bind(value, this.member(v, this.slice(key).replace(/^['"]|['"]$/g, ''), key, scope), scope, fn, declare, nest);
          } else if (p.type === 'object_assignment_pattern') {
            const left = field(p, 'left');
            const right = field(p, 'right');
            const dv = right ? this.expr(right, scope, fn, nest) : {};
            if (left) {
              const mv = this.member(v, this.slice(left), left, scope);
              this.bind(left, { ...mv, taint: merge(mv.taint, dv.taint) }, scope, fn, declare, nest);
            }
          } else if (p.type === 'rest_pattern') {
            const id = p.children[0];
            if (id) this.bind(id, { taint: v.taint, holder: v.holder }, scope, fn, declare, nest);
          }
        }
        return;
      case 'array_pattern':
        for (const p of pattern.children) this.bind(p.type === 'rest_pattern' ? p.children[0] ?? p : p, { taint: v.taint }, scope, fn, declare, nest);
        return;
      case 'assignment_pattern': {
        const left = field(pattern, 'left');
        const right = field(pattern, 'right');
        const dv = right ? this.expr(right, scope, fn, nest) : {};
        if (left) this.bind(left, { ...v, taint: merge(v.taint, dv.taint) }, scope, fn, declare, nest);
        return;
      }
      case 'member_expression':
      case 'subscript_expression': {
        // obj.prop = tainted: the object now carries the taint (containers, options objects).
        let base: Syn | undefined = pattern;
        while (base && (base.type === 'member_expression' || base.type === 'subscript_expression')) base = field(base, 'object');
        if (base?.type === 'identifier' && v.taint) {
          const name = this.slice(base);
          const old = scope.lookup(name);
          if (!old?.holder && !old?.canon?.startsWith('#')) scope.assign(name, { ...old, taint: merge(old?.taint, { ...v.taint, obj: true }) });
        }
        return;
      }
      default:
        return;
    }
  }

  // ---------------------------------------------------------- functions

  private analyseFunction(info: FnInfo, seeds?: Value[]): void {
    if (info.state !== 'new') return;
    this.noteForeign(info);
    if (this.tracing) info.analysedBy = this.tracing === this.prelude ? -1 : this.tracingIndex;
    info.state = 'running';
    const scope = new Scope(info.scope);
    if (info.thisValue) scope.vars.set('this', info.thisValue);
    const params = field(info.node, 'parameters') ?? field(info.node, 'parameter');
    const list = params ? (params.type === 'formal_parameters' ? namedChildren(params) : [params]) : [];
    const names = list.map((p) => this.paramName(p));
    list.forEach((p, i) => {
      const pattern = p.type === 'identifier' ? p : field(p, 'pattern') ?? field(p, 'left') ?? p;
      this.bind(pattern, seeds?.[i] ?? this.paramValue(p, i, names, info), scope, info, true, 0);
    });
    const body = field(info.node, 'body');
    if (body) {
      if (body.type === 'statement_block') this.block(body.children, scope, info, 0);
      else {
        const v = this.expr(body, scope, info, 0);
        if (v.taint) info.returns = merge(info.returns, v.taint);
      }
    }
    info.state = 'done';
  }

  private paramName(p: Syn): string {
    const pattern = p.type === 'identifier' ? p : field(p, 'pattern') ?? field(p, 'left');
    return pattern?.type === 'identifier' ? this.slice(pattern) : '';
  }

  /** The value a parameter starts with: a request object, a NestJS source, or a summary marker. */
  private paramValue(p: Syn, index: number, names: string[], info: FnInfo): Value {
    const name = names[index];
    const decorator = p.children.find((c) => c.type === 'decorator');
    if (decorator) {
      const m = /^@\s*([A-Za-z]+)/.exec(this.slice(decorator));
      const src = m ? M.DECORATOR_SOURCES[m[1]] : undefined;
      if (src === 'request') return { holder: 'req' };
      if (src) return { taint: { srcs: [{ kind: 'input', start: p.start, end: p.end, description: this.short(decorator) + ' ' + name, browser: false }], obj: src.object, safe: 0 } };
    }
    const type = field(p, 'type');
    if (type && M.REQUEST_TYPES.test(this.slice(type)) && !/Response/.test(this.slice(type))) return { holder: 'req' };
    if (index === 0 && names.length >= 2 && M.RESPONSE_NAMES.test(names[1]) && !/^(err|error|e|_?err|ex)$/.test(name)) return { holder: 'req' };
    if (M.REQUEST_NAMES.test(name) && this.server) return { holder: 'req' };
    if (M.CONTEXT_NAMES.test(name)) return { holder: 'ctx' };
    if (M.LAMBDA_EVENT_NAMES.test(name) || (type && /APIGatewayProxyEvent|ALBEvent|LambdaFunctionURLEvent/.test(this.slice(type)))) return { holder: 'lambda', canon: name };
    // Responses and database handles are not data: keep their names for sink matching.
    if (M.RESPONSE_NAMES.test(name) || M.DB_RECEIVER.test(name)) return { canon: name };
    return { taint: { srcs: [{ kind: 'param', fn: info, index }], obj: true, safe: 0 }, canon: name || undefined };
  }

  /** Analyses a call to an in-file function: parameter → sink flows, parameter → return. */
  private applySummary(info: FnInfo, args: Value[], callNode: Syn, scope: Scope, fn: FnInfo): Taint | undefined {
    this.noteForeign(info);
    if (info.state === 'new') this.analyseFunction(info);
    for (const s of info.sinks) {
      const t = args[s.index]?.taint;
      if (!t) continue;
      this.report(s.category, s.start, s.end, s.sinkName, { srcs: t.srcs, obj: t.obj && s.obj, safe: t.safe | s.safe, prefix: s.prefix ?? t.prefix, norm: t.norm }, fn, s.fix);
    }
    void callNode;
    void scope;
    const r = info.returns;
    if (!r) return undefined;
    let out: Taint | undefined;
    for (const src of r.srcs) {
      if (src.kind === 'input') out = merge(out, { srcs: [src], obj: r.obj, safe: r.safe, prefix: r.prefix });
      else if (src.fn === info) {
        const t = args[src.index]?.taint;
        if (t) out = merge(out, { srcs: t.srcs, obj: t.obj && r.obj, safe: t.safe | r.safe, prefix: r.prefix ?? t.prefix, norm: r.norm });
      } else out = merge(out, { srcs: [src], obj: r.obj, safe: r.safe });
    }
    return out;
  }

  // ---------------------------------------------------------- reporting

  private report(category: SinkCategory, start: number, end: number, sinkNameOf: string | (() => string), t: Taint | undefined, fn: FnInfo, fix?: FixRequest): void {
    if (!t) return;
    const name = () => (typeof sinkNameOf === 'string' ? sinkNameOf : sinkNameOf());
    const bit = M.CATEGORY_BIT[category];
    if (t.safe & bit) return;
    if (category === 'nosql' && !t.obj) return;
    if (category === 'ssrf' && t.prefix && /^[a-z][a-z0-9+.-]*:\/\/[^/?#]+[/?#]/i.test(t.prefix)) return;
    for (const src of t.srcs) {
      if (src.kind === 'param') {
        if (src.fn === fn && !fn.sinks.some((s) => s.start === start && s.category === category && s.index === src.index)) {
          fn.sinks.push({ index: src.index, category, start, end, sinkName: name(), safe: t.safe, obj: t.obj, prefix: t.prefix, fix });
        }
        continue;
      }
      if (category === 'ssrf' && src.browser) continue;
      // argv / env: the person running a CLI may name any file or URL; running code from them is still a bug.
      if (src.local && category !== 'command' && category !== 'code') continue;
      const key = `${category}@${start}`;
      if (!this.tracing && this.seen.has(key)) return;
      this.emit({ key, category, start, end, sinkName: name(), confidence: 'high', source: { start: src.start, end: src.end, description: src.description, severity: src.severity }, fix });
      return;
    }
  }

  private review(category: SinkCategory, start: number, end: number, sinkName: string | (() => string), v: Value): void {
    if (v.konst !== undefined || v.fn || v.taint?.srcs.some((s) => s.kind === 'input')) return;
    if (v.taint && v.taint.safe & M.CATEGORY_BIT[category]) return;
    const key = `review:${category}@${start}`;
    if (!this.tracing && this.seen.has(key)) return;
    this.emit({ key, category, start, end, sinkName: typeof sinkName === 'string' ? sinkName : sinkName(), confidence: 'review' });
  }

  /** Adds a flow unless one was found at that sink already; kept passes record it for their statement. */
  private emit(e: FlowEvent): void {
    this.tracing?.events.push(e);
    if (this.seen.has(e.key)) return;
    this.seen.add(e.key);
    const flow: TaintFlow = { category: e.category, sinkRange: this.range(e.start, e.end), sinkName: e.sinkName, confidence: e.confidence };
    if (e.source) {
      flow.source = { range: this.range(e.source.start, e.source.end), description: e.source.description };
      if (e.source.severity) flow.severity = e.source.severity;
    }
    if (e.fix) {
      const fixes = fixFor(e.fix, this.ctx);
      if (fixes.length) flow.fixes = fixes;
    }
    this.flows.push(flow);
  }

  // -------------------------------------------------------- expressions

  private expr(n: Syn, scope: Scope, fn: FnInfo, nest: number): Value {
    if (++this.depth > MAX_DEPTH) {
      this.depth--;
      return {};
    }
    try {
      return this.exprInner(n, scope, fn, nest);
    } finally {
      this.depth--;
    }
  }

  private exprInner(n: Syn, scope: Scope, fn: FnInfo, nest: number): Value {
    switch (n.type) {
      case 'string':
        return { konst: this.slice(n).slice(1, -1) };
      case 'number':
      case 'true':
      case 'false':
      case 'null':
      case 'undefined':
      case 'regex':
        return { konst: this.slice(n) };
      case 'template_string':
        return this.template(n, scope, fn, nest);
      case 'identifier': {
        const name = this.slice(n);
        const v = scope.lookup(name);
        if (v) return v;
        if (name === 'location' || name === 'name' || name === 'document' || name === 'window' || name === 'process') return { canon: name };
        return { canon: name };
      }
      case 'this':
        return scope.lookup('this') ?? { canon: 'this' };
      case 'member_expression': {
        const obj = field(n, 'object');
        const prop = field(n, 'property');
        const ov = obj ? this.expr(obj, scope, fn, nest) : {};
        if (!prop) return {};
        // A member path a guard has cleaned (req.query.sort after an allow-list check).
        const key = this.keyOf(n);
        const cleaned = key ? scope.lookup(key) : undefined;
        const v = this.member(ov, this.slice(prop), n, scope);
        if (cleaned?.taint && v.taint) return { ...v, taint: { ...v.taint, safe: v.taint.safe | cleaned.taint.safe, obj: cleaned.taint.safe === M.ALL_CATEGORIES ? false : v.taint.obj } };
        return v;
      }
      case 'subscript_expression': {
        const obj = field(n, 'object');
        const idx = field(n, 'index');
        const ov = obj ? this.expr(obj, scope, fn, nest) : {};
        const iv = idx ? this.expr(idx, scope, fn, nest) : {};
        if (iv.konst !== undefined && idx?.type === 'string') return this.member(ov, iv.konst, n, scope);
        if (ov.holder || ov.canon) return this.member(ov, '*', n, scope);
        return { taint: ov.taint };
      }
      case 'as_expression':
      case 'satisfies_expression':
      case 'non_null_expression':
        return n.children[0] ? this.expr(n.children[0], scope, fn, nest) : {};
      case 'type_assertion': {
        const inner = n.children[n.children.length - 1];
        return inner ? this.expr(inner, scope, fn, nest) : {};
      }
      case 'parenthesized_expression':
      case 'await_expression':
      case 'spread_element':
      case 'yield_expression':
      case 'template_substitution': {
        let last: Value = {};
        for (const c of namedChildren(n)) last = this.expr(c, scope, fn, nest);
        return last;
      }
      case 'sequence_expression': {
        let last: Value = {};
        for (const c of namedChildren(n)) last = this.expr(c, scope, fn, nest);
        return last;
      }
      case 'binary_expression':
        return this.binary(n, scope, fn, nest);
      case 'unary_expression':
      case 'update_expression':
        for (const c of namedChildren(n)) this.expr(c, scope, fn, nest);
        return {};
      case 'ternary_expression': {
        const cond = field(n, 'condition');
        const cons = field(n, 'consequence');
        const alt = field(n, 'alternative');
        if (cond) this.expr(cond, scope, fn, nest);
        let a: Value = {};
        let b: Value = {};
        if (cons) this.withFacts(cond ? this.guardFacts(cond, true, scope) : [], scope, () => (a = this.expr(cons, scope, fn, nest + 1)));
        if (alt) this.withFacts(cond ? this.guardFacts(cond, false, scope) : [], scope, () => (b = this.expr(alt, scope, fn, nest + 1)));
        const konst = a.konst !== undefined && b.konst !== undefined ? a.konst : undefined;
        return { taint: merge(a.taint, b.taint), konst };
      }
      case 'assignment_expression':
      case 'augmented_assignment_expression':
        return this.assignment(n, scope, fn, nest);
      case 'call_expression':
        return this.call(n, scope, fn, nest);
      case 'new_expression':
        return this.call(n, scope, fn, nest);
      case 'object': {
        let t: Taint | undefined;
        const props = new Map<string, Value>();
        for (const p of n.children) {
          if (p.type === 'pair') {
            const k = field(p, 'key');
            const val = field(p, 'value');
            if (k && k.type === 'computed_property_name') this.expr(k, scope, fn, nest);
            const vv = val ? this.expr(val, scope, fn, nest) : {};
            if (k && k.type !== 'computed_property_name') props.set(this.slice(k).replace(/^['"]|['"]$/g, ''), vv);
            if (vv.taint) t = merge(t, vv.taint);
            // {$where: "..." + input}: the string is JavaScript run by MongoDB.
            if (k && val && /^['"]?\$where['"]?$/.test(this.slice(k)) && vv.taint) this.report('nosql', val.start, val.end, '$where', { ...vv.taint, obj: true }, fn);
          } else if (p.type === 'shorthand_property_identifier') {
            const vv = scope.lookup(this.slice(p));
            if (vv) props.set(this.slice(p), vv);
            if (vv?.taint) t = merge(t, vv.taint);
          } else if (p.type === 'spread_element') {
            const vv = this.expr(p, scope, fn, nest);
            if (vv.taint) t = merge(t, vv.taint);
          } else if (p.type === 'method_definition') this.analyseFunction(this.fnInfo(p, scope));
        }
        // An object holding an attacker-shaped value is itself attacker-shaped; string values are not.
        return t ? { taint: { ...t, prefix: undefined }, props } : { props };
      }
      case 'array': {
        let t: Taint | undefined;
        let shellFlag = false;
        let shellScript: Taint | undefined;
        let afterFlag = false;
        for (const c of namedChildren(n)) {
          const vv = this.expr(c, scope, fn, nest);
          if (vv.taint) t = merge(t, vv.taint);
          if (afterFlag) shellScript = vv.taint;
          afterFlag = !shellFlag && vv.konst !== undefined && SHELL_SCRIPT_FLAG.test(vv.konst);
          if (afterFlag) shellFlag = true;
        }
        const shape = shellFlag ? { shellFlag, shellScript } : {};
        return t ? { taint: { ...t, prefix: undefined }, ...shape } : shape;
      }
      case 'arrow_function':
      case 'function_expression':
      case 'function':
      case 'generator_function': {
        const info = this.fnInfo(n, scope);
        this.analyseFunction(info);
        return { fn: info };
      }
      case 'class':
        return this.classBody(n, scope, fn);
      case 'jsx_element':
      case 'jsx_self_closing_element':
      case 'jsx_opening_element':
      case 'jsx_fragment':
        this.jsx(n, scope, fn, nest);
        return {};
      default:
        for (const c of namedChildren(n)) {
          if (c.type.endsWith('statement') || c.type.endsWith('declaration')) this.statement(c, scope, fn, nest);
          else this.expr(c, scope, fn, nest);
        }
        return {};
    }
  }

  private jsx(n: Syn, scope: Scope, fn: FnInfo, nest: number): void {
    for (const c of n.children) {
      if (c.type === 'jsx_attribute') {
        const name = c.children[0];
        const value = c.children[1];
        if (!value) continue;
        if (name && this.slice(name) === 'dangerouslySetInnerHTML' && value.type === 'jsx_expression') {
          const obj = value.children.find((x) => x.type === 'object');
          if (obj) {
            for (const p of obj.children) {
              const k = field(p, 'key');
              const val = field(p, 'value');
              if (p.type === 'pair' && k && val && /__html/.test(this.slice(k))) {
                const vv = this.expr(val, scope, fn, nest);
                this.report('xss', c.start, c.end, 'dangerouslySetInnerHTML', vv.taint, fn);
              } else this.expr(p, scope, fn, nest);
            }
            continue;
          }
        }
        this.expr(value, scope, fn, nest);
      } else if (c.type !== 'identifier' && c.type !== 'member_expression' && c.type !== 'jsx_closing_element') this.expr(c, scope, fn, nest);
    }
  }

  private template(n: Syn, scope: Scope, fn: FnInfo, nest: number): Value {
    let t: Taint | undefined;
    let acc = '';
    let prefix: string | undefined;
    let cursor = n.start + 1;
    let constant = true;
    for (const c of n.children) {
      if (c.type !== 'template_substitution') continue;
      const lit = this.text.slice(cursor, c.start);
      const v = this.expr(c, scope, fn, nest);
      if (prefix === undefined) acc += lit;
      if (v.konst === undefined) constant = false;
      if (prefix === undefined) {
        if (v.taint && remote(v.taint)) prefix = acc + (v.taint.prefix ?? '');
        else acc += textOf(v, acc === '');
      }
      if (v.taint) t = merge(t, v.taint);
      cursor = c.end;
    }
    const tail = this.text.slice(cursor, n.end - 1);
    if (constant) return { konst: acc + tail };
    if (!t) return { approx: acc + tail };
    return { taint: { ...t, obj: false, prefix: prefix ?? '' }, approx: prefix === undefined ? acc + tail : undefined };
  }

  private binary(n: Syn, scope: Scope, fn: FnInfo, nest: number): Value {
    const op = this.slice(field(n, 'operator') ?? n);
    const left = field(n, 'left');
    const right = field(n, 'right');
    const a = left ? this.expr(left, scope, fn, nest) : {};
    const b = right ? this.expr(right, scope, fn, nest) : {};
    if (op === '+') {
      if (a.konst !== undefined && b.konst !== undefined) return { konst: a.konst + b.konst };
      const t = merge(a.taint, b.taint);
      const aText = textOf(a, true);
      if (!t) return { approx: aText + textOf(b, false) };
      // The constant-ish text before the first remote input: SSRF origin and SQL keyword checks.
      let prefix: string | undefined;
      if (a.taint && remote(a.taint)) prefix = a.taint.prefix;
      else if (b.taint && remote(b.taint)) prefix = aText + (b.taint.prefix ?? '');
      return { taint: { ...t, obj: false, prefix: prefix ?? '' }, approx: prefix === undefined ? aText + textOf(b, false) : undefined };
    }
    if (op === '||' || op === '??') return { taint: merge(a.taint, b.taint), konst: a.konst ?? b.konst };
    if (op === '&&') return b;
    return {};
  }

  private assignment(n: Syn, scope: Scope, fn: FnInfo, nest: number): Value {
    const left = field(n, 'left');
    const right = field(n, 'right');
    if (!left || !right) return {};
    const augmented = n.type === 'augmented_assignment_expression';
    let v = this.expr(right, scope, fn, nest);
    if (left.type === 'member_expression') {
      const prop = this.slice(field(left, 'property') ?? left);
      const obj = field(left, 'object');
      const ov = obj ? this.expr(obj, scope, fn, nest) : {};
      if (M.HTML_PROPERTIES.has(prop)) {
        this.report('xss', n.start, n.end, prop, v.taint, fn, !augmented && prop === 'innerHTML' ? { kind: 'textContent', property: field(left, 'property')! } : undefined);
      }
      // Koa: ctx.body = string is sent as text/html when it starts with '<'.
      if (prop === 'body' && ov.holder === 'ctx' && v.taint && !v.taint.obj) this.report('xss', n.start, n.end, 'ctx.body', v.taint, fn);
      if (prop === 'onmessage' && v.fn) {
        // window.onmessage = (e) => ...: analysed with e as a message event.
        v.fn.state = 'new';
        this.analyseFunction(v.fn, [{ holder: 'event' }]);
      }
    }
    if (augmented) {
      const old = left.type === 'identifier' ? scope.lookup(this.slice(left)) : undefined;
      const t = merge(old?.taint, v.taint);
      v = t ? { taint: { ...t, obj: false } } : old?.konst !== undefined && v.konst !== undefined ? { konst: old.konst + v.konst } : {};
    }
    this.bind(left, v, scope, fn, false, nest);
    return v;
  }

  /** Reading `prop` of a value: sources, propagation, canonical names. */
  private member(ov: Value, prop: string, n: Syn, scope: Scope): Value {
    void scope;
    const method = ov.methods?.get(prop);
    if (method) return { fn: method };
    if (ov.holder === 'req') {
      if (Object.prototype.hasOwnProperty.call(M.REQUEST_PROPERTIES, prop)) return this.source(n, M.REQUEST_PROPERTIES[prop].object, false);
      if (prop === 'raw' || prop === 'req' || prop === 'request') return { holder: 'req' };
      return { canon: `req.${prop}`, holder: undefined };
    }
    if (ov.holder === 'ctx') {
      if (M.CONTEXT_REQUEST_PROPERTIES.has(prop)) return { holder: 'req' };
      if (Object.prototype.hasOwnProperty.call(M.CONTEXT_PROPERTIES, prop)) return this.source(n, M.CONTEXT_PROPERTIES[prop].object, false);
      return { canon: `ctx.${prop}` };
    }
    if (ov.holder === 'event') {
      if (prop === 'data') return this.source(n, true, true);
      return {};
    }
    if (ov.holder === 'lambda') {
      if (Object.prototype.hasOwnProperty.call(M.LAMBDA_EVENT_PROPERTIES, prop)) return this.source(n, M.LAMBDA_EVENT_PROPERTIES[prop].object, false);
      return { canon: `${ov.canon}.${prop}` };
    }
    if (ov.taint) {
      if (M.CLEAN_PROPERTIES.has(prop)) return {};
      // req.query → req.query.id: the source the user sees is the whole member chain.
      const srcs = ov.taint.srcs.map((src) =>
        src.kind === 'input' && src.start === n.start && n.end - n.start <= 80 ? { ...src, end: n.end, description: this.short(n) } : src,
      );
      return { taint: { ...ov.taint, srcs, prefix: undefined }, canon: ov.canon ? `${ov.canon}.${prop}` : undefined };
    }
    if (ov.canon) {
      const canon = normaliseCanon(`${ov.canon}.${prop}`);
      const global = canon.replace(M.GLOBAL_OBJECT_PREFIX, '');
      const g = Object.prototype.hasOwnProperty.call(M.GLOBAL_SOURCES, global) ? M.GLOBAL_SOURCES[global] : undefined;
      if (g && (global !== 'name' || /^(window|self)\./.test(canon)) && !(global === 'location' && !/^(window|self|document)\./.test(canon))) {
        const v = this.source(n, g.object, g.browser, g.severity);
        if (g.local) for (const src of v.taint!.srcs) if (src.kind === 'input') src.local = true;
        return { ...v, canon };
      }
      return { canon };
    }
    return {};
  }

  private source(n: Syn, object: boolean, browser: boolean, severity?: 'medium'): Value {
    return { taint: { srcs: [{ kind: 'input', start: n.start, end: n.end, description: this.short(n), browser, severity }], obj: object, safe: 0 } };
  }

  // -------------------------------------------------------------- calls

  private call(n: Syn, scope: Scope, fn: FnInfo, nest: number): Value {
    const isNew = n.type === 'new_expression';
    const callee = field(n, isNew ? 'constructor' : 'function');
    const argsNode = field(n, 'arguments');
    if (!callee) return {};
    // Tagged templates (sql`...`, Prisma $queryRaw`...`) bind their values as parameters.
    if (argsNode?.type === 'template_string') {
      this.expr(callee, scope, fn, nest);
      const tv = this.template(argsNode, scope, fn, nest);
      return tv.taint ? { taint: { ...tv.taint, safe: tv.taint.safe | M.CATEGORY_BIT.sql } } : {};
    }
    let recv: Value | undefined;
    let method = '';
    let calleeValue: Value;
    if (callee.type === 'member_expression') {
      const obj = field(callee, 'object');
      const prop = field(callee, 'property');
      recv = obj ? this.expr(obj, scope, fn, nest) : {};
      method = prop ? this.slice(prop) : '';
      calleeValue = this.member(recv, method, callee, scope);
    } else {
      calleeValue = this.expr(callee, scope, fn, nest);
      method = callee.type === 'identifier' ? this.slice(callee) : '';
    }
    const argNodes = argsNode ? namedChildren(argsNode) : [];

    // Callbacks that receive input: addEventListener('message', e => ...), arr.map(x => ...).
    const seeded = new Map<number, Value[]>();
    if (method === 'addEventListener' && argNodes[0] && /^['"]message['"]$/.test(this.slice(argNodes[0]))) seeded.set(1, [{ holder: 'event' }]);
    // Raw Node servers: req.on('data', chunk => body += chunk)
    if (method === 'on' && recv?.holder === 'req' && argNodes[0] && /^['"]data['"]$/.test(this.slice(argNodes[0]))) {
      const chunk = this.source(argNodes[0], false, false);
      for (const src of chunk.taint!.srcs) if (src.kind === 'input') src.description = `request body (${this.short(callee)}('data'))`;
      seeded.set(1, [chunk]);
    }
    if (recv?.taint && M.ITERATION_METHODS.has(method)) seeded.set(0, method === 'reduce' ? [{}, { taint: recv.taint }] : [{ taint: recv.taint }]);
    // A promise of input: request.json().then(body => ...)
    if (recv?.taint && method === 'then') seeded.set(0, [{ taint: recv.taint }]);
    const args: Value[] = argNodes.map((a, i) => {
      const seeds = seeded.get(i);
      if (seeds && (a.type === 'arrow_function' || a.type === 'function_expression' || a.type === 'function')) {
        const info = this.fnInfo(a, scope);
        this.analyseFunction(info, seeds);
        return { fn: info };
      }
      return this.expr(a, scope, fn, nest);
    });

    if (isNew && calleeValue.methods) return { methods: calleeValue.methods };
    const canon = calleeValue.canon ?? (callee.type === 'member_expression' && recv?.canon ? `${recv.canon}.${method}` : undefined);
    // require('child_process') / util.promisify(exec)
    if (!isNew && (canon === 'require' || canon === 'import') && argNodes[0]?.type === 'string') return { canon: `#${moduleName(this.slice(argNodes[0]).slice(1, -1))}` };
    if (!isNew && (canon === '#util.promisify' || canon === 'promisify' || canon === 'util.promisify') && args[0]?.canon) return { canon: args[0].canon };

    if (!calleeValue.fn) this.sinks(n, callee, argNodes, args, recv, method, canon, isNew, fn);

    const callCanon = canon ? `${canon}()` : undefined;
    // Request methods: req.get('x'), req.param('x'), request.json()
    if (recv?.holder === 'req' && Object.prototype.hasOwnProperty.call(M.REQUEST_METHODS, method)) return this.source(n, M.REQUEST_METHODS[method].object, false);
    if (recv?.holder === 'ctx' && method === 'get') return this.source(n, false, false);

    const last = method || (canon ?? '').split('.').pop() || '';
    const firstTaint = args[0]?.taint;
    // Sanitisers.
    if (M.CLEANING_FUNCTIONS.has(last) || /^Math\./.test(canon ?? '')) return { canon: callCanon };
    const mod = moduleOf(canon);
    let cleanMask = 0;
    if (mod && M.SANITISER_MODULES[mod] !== undefined) cleanMask = M.SANITISER_MODULES[mod];
    else if (Object.prototype.hasOwnProperty.call(M.SANITISER_NAMES, last) && !(last === 'basename' && mod !== 'path' && canon !== 'path.basename')) cleanMask = M.SANITISER_NAMES[last];
    else if (M.AMBIGUOUS_SANITISERS.has(last) && recv && !recv.taint) cleanMask = this.ambiguousSanitiser(last, recv, canon);
    if (cleanMask) {
      let t: Taint | undefined;
      for (const a of args) t = merge(t, a.taint);
      return t ? { taint: { ...t, safe: t.safe | cleanMask, obj: false, prefix: undefined } } : {};
    }
    if (canon === 'String' || canon === 'String.raw') return firstTaint ? { taint: { ...firstTaint, obj: false, safe: firstTaint.safe | M.CATEGORY_BIT.nosql } } : {};
    if (canon && M.PROPAGATORS.has(canon)) {
      let t: Taint | undefined;
      for (const a of args) t = merge(t, a.taint);
      if (!t) return { canon: callCanon };
      const norm = M.PATH_NORMALISERS.has(canon);
      const obj = canon === 'JSON.parse' || canon.startsWith('Object.') || canon.startsWith('#lodash') || canon.endsWith('.parse') || canon === 'URLSearchParams' || canon === 'URL';
      return { taint: { ...t, obj, norm, prefix: norm ? undefined : t.prefix } };
    }
    // In-file functions.
    if (calleeValue.fn) {
      const t = this.applySummary(calleeValue.fn, args, n, scope, fn);
      return t ? { taint: t } : {};
    }
    if (recv) {
      // Containers: list.push(input), params.append(k, input) taint the receiver variable.
      const obj = callee.type === 'member_expression' ? field(callee, 'object') : undefined;
      if (M.CONTAINER_WRITES.has(method) && obj?.type === 'identifier') {
        let t: Taint | undefined;
        for (const a of args) t = merge(t, a.taint);
        if (t && !recv.holder && !recv.canon?.startsWith('#')) scope.assign(this.slice(obj), { ...recv, taint: merge(recv.taint, t) });
      }
      if (recv.taint) {
        if (M.CLEAN_METHODS.has(method)) return {};
        let t = recv.taint;
        if (M.JOINING_METHODS.has(method)) for (const a of args) t = merge(t, a.taint)!;
        return { taint: { ...t, obj: method === 'split' || method === 'match' ? false : method === 'get' || method === 'getAll' ? false : t.obj, prefix: method === 'trim' || method === 'concat' ? t.prefix : undefined } };
      }
      if (M.JOINING_METHODS.has(method) && (recv.konst !== undefined)) {
        let t: Taint | undefined;
        for (const a of args) t = merge(t, a.taint);
        if (t) return { taint: { ...t, obj: false, prefix: method === 'concat' ? recv.konst : undefined } };
      }
      if (method === 'join' && recv.taint === undefined) return {};
    }
    if (callCanon && Object.prototype.hasOwnProperty.call(M.GLOBAL_SOURCES, callCanon)) {
      const g = M.GLOBAL_SOURCES[callCanon];
      return { ...this.source(n, g.object, g.browser, g.severity), canon: callCanon };
    }
    return { canon: callCanon };
  }

  private ambiguousSanitiser(name: string, recv: Value, canon: string | undefined): number {
    const c = canon ?? '';
    const last = (recv.canon ?? '').split('.').pop() ?? '';
    // knex.ref(column): a quoted identifier.
    if (name === 'ref') return /^#knex/.test(c) || /^#knex/.test(recv.canon ?? '') ? M.CATEGORY_BIT.sql : 0;
    if (/^#(mysql|pg|sequelize|sqlstring)/.test(c) || M.DB_RECEIVER.test(last)) return name === 'escape' || name === 'format' ? M.CATEGORY_BIT.sql : 0;
    if (/^#(validator|lodash|he|html-entities|entities)/.test(c) || /^(_|validator|he|entities|DOMPurify|purify|sanitizer|xss)$/i.test(last)) return M.CATEGORY_BIT.xss;
    if (/^#shell-quote/.test(c)) return M.CATEGORY_BIT.command;
    return 0;
  }

  // -------------------------------------------------------------- sinks

  private sinks(n: Syn, callee: Syn, argNodes: Syn[], args: Value[], recv: Value | undefined, method: string, canon: string | undefined, isNew: boolean, fn: FnInfo): void {
    const c = canon ? normaliseCanon(canon) : undefined;
    let calleeName: string | undefined;
    const sinkName = () => (calleeName ??= this.short(callee));
    // Chained calls span lines: the squiggle starts at the method name.
    const start = callee.type === 'member_expression' ? field(callee, 'property')?.start ?? n.start : n.start;
    const at = (category: SinkCategory, i: number, fix?: FixRequest, taint?: Taint) => {
      const v = args[i];
      if (!v) return;
      this.report(category, start, n.end, sinkName, taint ?? v.taint, fn, fix);
      if (category === 'sql' || category === 'command' || category === 'code' || category === 'template') this.review(category, start, n.end, sinkName, v);
    };

    // Named sinks: child_process, eval, vm, template engines, deserialisers, HTTP clients.
    const named = c ? (Object.prototype.hasOwnProperty.call(M.CALL_SINKS, c) ? M.CALL_SINKS[c] : undefined) : undefined;
    if (named && !(named.category === 'code' && c === 'Function' && !isNew && callee.type !== 'identifier')) {
      const shell = named.shellOnly ? this.runsShell(argNodes, args) : undefined;
      if (named.shellOnly && !shell) {
        // Without a shell the arguments are never parsed as a command line (argument injection is another class).
      } else if (shell === 'script') {
        // spawn('sh', ['-c', script, 'sh', arg]): only the script is a command line; later elements are $0, $1…
        at(named.category, 0);
        if (args[1]?.shellScript) at(named.category, 1, undefined, args[1].shellScript);
      } else if (named.stringOnly) {
        // setTimeout(code, ms) evaluates only a string: a callback (function, bound method, parameter) is never parsed,
        // and the delay is not code. A string is what is built as one, or input read from the request.
        const a0 = argNodes[0];
        const callee0 = a0?.type === 'call_expression' ? field(a0, 'function') : undefined;
        const stringTyped = !!a0 && (/^(string|template_string|binary_expression)$/.test(a0.type) || (!!callee0 && this.slice(callee0) === 'String'));
        const input = !!args[0]?.taint?.srcs.some((s) => s.kind === 'input');
        if (!args[0]?.fn && (stringTyped || input)) at(named.category, 0);
      } else {
        const idx = named.args === 'all' ? args.map((_, i) => i) : named.args;
        for (const i of idx) {
          let fix: FixRequest | undefined;
          if (c === '#child_process.exec' || c === '#child_process.execSync') fix = { kind: 'execFile', call: n, callee, args: argNodes, sync: c.endsWith('Sync'), site: callee.type === 'identifier' ? this.importSites.get(this.slice(callee)) : undefined, bound: this.boundExecFile(fn, c.endsWith('Sync')) };
          // Only data read whole (not code assembled around it) parses as JSON with the same meaning.
          if (c === 'eval' && argNodes.length === 1 && /^(identifier|member_expression|subscript_expression|call_expression)$/.test(argNodes[0].type)) fix = { kind: 'jsonParse', callee };
          at(named.category, i, i === 0 ? fix : undefined);
        }
      }
      return;
    }
    if (!c) return;
    const mod = moduleOf(c);
    const segments = c.split('.');
    const recvCanon = recv?.canon ? normaliseCanon(recv.canon) : '';
    // The receiver's own name (`User` in `User.find`, `db` in `this.db.query`), whatever it is bound to.
    const recvObj = callee.type === 'member_expression' ? field(callee, 'object') : undefined;
    const recvText = recvObj ? this.slice(recvObj) : '';
    const recvName = /([A-Za-z_$][\w$]*)\s*(\(\s*\))?$/.exec(recvText)?.[1] ?? '';
    const recvLast = recvCanon.startsWith('#') && !recvCanon.startsWith('#.') ? recvCanon.split('.').pop()?.replace(/\(\)$/, '') ?? '' : recvName;

    // HTTP client verbs: axios.get(url), got.post(url), needle.get(url), superagent.get(url), instance.get(url)
    if (mod && M.HTTP_CLIENT_MODULES.has(mod) && M.HTTP_VERBS.has(method) && recv) {
      at('ssrf', 0);
      return;
    }
    // fs.readFile(path) and friends
    const fsName = segments[segments.length - 1];
    if (mod === 'fs' && Object.prototype.hasOwnProperty.call(M.FS_SINKS, fsName)) {
      for (const i of M.FS_SINKS[fsName]) at('path', i);
      return;
    }
    // res.sendFile(path) without a root option, res.download(path)
    if (recv && M.RESPONSE_FILE_METHODS.has(method) && this.isResponse(recvCanon, recv)) {
      const opts = argNodes[1];
      if (method === 'sendFile' && opts?.type === 'object' && /\broot\s*:/.test(this.slice(opts))) return;
      at('path', 0);
      return;
    }
    // Fastify sends a string as text/plain: reply.send(input) is HTML only once the handler says so.
    if (recv && method === 'send' && /^reply\b/.test(recvText) && args[0]?.taint && argNodes[0]?.type !== 'object' && argNodes[0]?.type !== 'array') {
      if (this.fastifyHtmlReply(recvText, n, fn)) at('xss', 0);
      return;
    }
    // res.send(input) — Express sends strings as text/html.
    // Objects and arrays are sent as JSON.
    if (recv && M.RESPONSE_BODY_METHODS.has(method) && this.isResponse(recvCanon, recv) && args[0]?.taint && argNodes[0]?.type !== 'object' && argNodes[0]?.type !== 'array') {
      if (!this.nonHtmlResponse(n, fn)) at('xss', 0);
      return;
    }
    // insertAdjacentHTML(position, html)
    if (method === 'insertAdjacentHTML') {
      at('xss', 1);
      return;
    }
    if ((c === 'document.write' || c === 'document.writeln' || c.endsWith('document.write') || c.endsWith('document.writeln'))) {
      for (let i = 0; i < args.length; i++) at('xss', i);
      return;
    }
    // jQuery: $(input), $(sel).html(input)
    if ((c === '$' || c === 'jQuery') && args[0]?.taint) {
      at('xss', 0);
      return;
    }
    if (recv && M.JQUERY_HTML_METHODS.has(method) && /^(\$|jQuery)\(\)/.test(recvCanon)) {
      at('xss', 0);
      return;
    }
    // SQL
    if (recv && this.sqlSink(method, recvCanon, recvLast, args, argNodes)) {
      const first = argNodes[0];
      let value = args[0];
      // conn.query({ sql: ..., values }) — only the sql/text property is the statement.
      if (first?.type === 'object') value = args[0]?.props?.get('sql') ?? args[0]?.props?.get('text') ?? {};
      const fix: FixRequest | undefined = first ? { kind: 'sql', call: n, args: argNodes, driver: this.sqlDriver(recvCanon, method), method } : undefined;
      this.report('sql', start, n.end, sinkName, value?.taint, fn, fix);
      if (value) this.review('sql', start, n.end, sinkName, value);
      return;
    }
    // Sequelize.literal(input)
    if (method === 'literal' && (mod === 'sequelize' || /^sequelize$/i.test(recvLast))) {
      at('sql', 0);
      return;
    }
    // NoSQL: collection.find(filter), Model.where(filter), query.$where(js)
    if (recv && method === '$where') {
      this.report('nosql', start, n.end, sinkName, args[0]?.taint ? { ...args[0].taint, obj: true } : undefined, fn);
      return;
    }
    if (recv && M.MONGO_FILTER_METHODS.has(method) && this.mongoReceiver(recvCanon, recvLast, recv)) {
      const i = method === 'distinct' ? 1 : 0;
      if (args[i]?.fn) return;
      at('nosql', i);
      return;
    }
    // vm2 / new vm.Script / Function via member (window.Function)
    if (segments[segments.length - 1] === 'eval' && /^(window|globalThis|self)\.eval$/.test(c)) at('code', 0);
    // js-yaml load with a schema that runs code.
    if (mod === 'yaml-js' && (method === 'load' || method === 'loadAll') && argNodes[1] && /DEFAULT_FULL_SCHEMA|js-types|JS_SCHEMA/.test(this.slice(argNodes[1]))) at('deserialization', 0);
    // http.get({ host: input }) / https.request(options)
    void segments;
  }

  /** execFile / execFileSync already imported from child_process under its own name. */
  private boundExecFile(fn: FnInfo, sync: boolean): string | undefined {
    const target = sync ? 'execFileSync' : 'execFile';
    return fn.scope.lookup(target)?.canon === `#child_process.${target}` || fn.node === this.root && this.rootScopeHas(target) ? target : undefined;
  }
  private rootScopeHas(target: string): boolean {
    return this.rootScope?.lookup(target)?.canon === `#child_process.${target}`;
  }
  private rootScope?: Scope;

  /** 'option': the shell option is set; 'script': a shell program given `-c script` (the list may be held in a variable). */
  private runsShell(argNodes: Syn[], args: Value[]): 'option' | 'script' | undefined {
    for (const a of argNodes) if (a.type === 'object' && /\bshell\s*:\s*(true|['"`])/.test(this.slice(a))) return 'option';
    const cmd = args[0]?.konst;
    if (cmd !== undefined && /^(\/bin\/|\/usr\/bin\/)?(sh|bash|zsh|dash|cmd|cmd\.exe|powershell|pwsh)$/.test(cmd) && args[1]?.shellFlag) return 'script';
    return undefined;
  }

  private isResponse(recvCanon: string, recv: Value): boolean {
    if (recv.holder) return false;
    const root = recvCanon.replace(/(\.(status|set|type|header|contentType|cookie|clearCookie|vary|append|location|links|attachment)\(\))+$/, '');
    return M.RESPONSE_RECEIVER.test(root);
  }

  /** res.type('json') / res.set('Content-Type', 'text/plain') / res.json earlier in the same function. */
  /** reply.type('text/html').send(…), or reply.type/header(…html…) earlier in the handler. */
  private fastifyHtmlReply(recvText: string, call: Syn, fn: FnInfo): boolean {
    const html = /\.(type|header)\(\s*['"`](?:content-type['"`]\s*,\s*['"`])?[^'"`]*html/i;
    if (html.test(recvText.slice(0, 2000))) return true;
    const before = this.text.slice(Math.max(fn.node.start, call.start - 20_000), call.start);
    return /\breply\s*\.\s*(type|header)\(\s*['"`](?:content-type['"`]\s*,\s*['"`])?[^'"`]*html/i.test(before);
  }

  private nonHtmlResponse(call: Syn, fn: FnInfo): boolean {
    // Offsets of non-HTML content types set in the function, scanned once per function (linear time).
    if (!fn.nonHtmlTypes) {
      fn.nonHtmlTypes = [];
      const body = this.text.slice(fn.node.start, fn.node.end);
      const re = /\.(type|contentType)\(\s*['"`](?![^'"`]*html)[^'"`]+['"`]\s*\)|(set|setHeader|header|writeHead)\([^)]{0,200}['"`]content-type['"`]\s*,\s*['"`](?![^'"`]*html)[^'"`]+['"`]/gi;
      for (let m = re.exec(body); m; m = re.exec(body)) fn.nonHtmlTypes.push(fn.node.start + m.index);
    }
    return fn.nonHtmlTypes.some((at) => at < call.end);
  }

  private sqlSink(method: string, recvCanon: string, recvLast: string, args: Value[], argNodes: Syn[]): boolean {
    if (M.RAW_SQL_METHODS.has(method)) return true;
    const text = args[0]?.konst ?? args[0]?.taint?.prefix ?? (argNodes[0]?.type === 'template_string' ? this.slice(argNodes[0]).slice(1) : undefined);
    const looksSql = text !== undefined && M.LOOKS_LIKE_SQL.test(text);
    const recvMod = moduleOf(recvCanon);
    const byModule = recvMod !== undefined && M.SQL_MODULES.has(recvMod);
    const importsSql = [...this.modules].some((m) => M.SQL_MODULES.has(m));
    if (M.SQL_QUERY_METHODS.has(method)) {
      if (byModule) return true;
      // `client.query(...)` may be GraphQL or a search SDK: generic names need a driver import or SQL text.
      if (M.DB_RECEIVER.test(recvLast)) return importsSql || looksSql || (method === 'query' && M.STRONG_DB_RECEIVER.test(recvLast));
      // mssql: pool.request().query(sql), new sql.Request().query(sql)
      if (/(^|\.)request\(\)$|Request\(\)$/.test(recvCanon) && this.modules.has('mssql')) return true;
      return looksSql && method !== 'execute' ? /query/i.test(method) : false;
    }
    if (M.SQLITE_METHODS.has(method)) {
      if (recvMod === 'sqlite3') return true;
      return (M.DB_RECEIVER.test(recvLast) && (this.modules.has('sqlite3') || looksSql)) || false;
    }
    if (M.QUERY_BUILDER_METHODS.has(method) && /createQueryBuilder\(\)/.test(recvCanon)) return typeof text === 'string' || !!args[0]?.taint && argNodes[0]?.type !== 'object';
    return false;
  }

  private sqlDriver(recvCanon: string, method: string): 'mysql' | 'pg' | 'sequelize' | 'knex' | 'sqlite' | 'prisma' | undefined {
    if (method === '$queryRawUnsafe' || method === '$executeRawUnsafe') return 'prisma';
    const mod = moduleOf(recvCanon);
    const pick = (m: string) =>
      m === 'mysql' ? 'mysql' : m === 'pg' ? 'pg' : m === 'sequelize' ? 'sequelize' : m === 'knex' ? 'knex' : m === 'sqlite3' ? 'sqlite' : undefined;
    if (mod) return pick(mod);
    const known = [...this.modules].map(pick).filter((x) => x !== undefined);
    const distinct = [...new Set(known)];
    if (/Raw$/.test(method) || method === 'raw') return distinct.includes('knex') ? 'knex' : undefined;
    return distinct.length === 1 ? distinct[0] : undefined;
  }

  private mongoReceiver(recvCanon: string, recvLast: string, recv: Value): boolean {
    if (recv.taint?.srcs.some((x) => x.kind === 'input') || recv.holder) return false;
    if (/^(_|lodash|Array|Object|Promise|Math|JSON|document|window|\$)$/.test(recvLast)) return false;
    const mod = moduleOf(recvCanon);
    if (mod && M.MONGO_MODULES.has(mod)) return true;
    if (/collection\(\)$|model\(\)$|\.find\(\)$|\.where\(\)$|\.findOne\(\)$/.test(recvCanon)) return true;
    const importsMongo = [...this.modules].some((m) => M.MONGO_MODULES.has(m));
    if (/(Collection|Coll)$/.test(recvLast)) return true;
    // const User = require('../models/user'): a model defined in another module of the app.
    const localModel = recvCanon.startsWith('#.') && /^[A-Z]/.test(recvLast) && /model|schema|entit/i.test(recvCanon);
    return localModel || (importsMongo && M.MONGO_RECEIVER.test(recvLast));
  }
}

const MODULE_SPECIFIERS = /(?:require\s*\(\s*|from\s+|import\s*\(\s*|import\s+)['"]([^'"\n]{1,100})['"]/g;

/** The modules a text imports or requires, and whether it looks like server code (so `req` is a server request). */
function importsOf(text: string): { modules: Set<string>; server: boolean } {
  const modules = new Set<string>();
  for (const m of text.matchAll(MODULE_SPECIFIERS)) modules.add(moduleName(m[1]));
  return { modules, server: [...modules].some((m) => M.SERVER_MODULES.has(m)) || M.SERVER_CALLS.test(text) };
}
