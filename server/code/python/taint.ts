import type { Tree } from 'web-tree-sitter';
import type { FileContext } from '../../engine/context';
import { DocumentStateCache } from '../../engine/documentState';
import type { SinkCategory, TaintFlow } from '../flows';
import { buildFix, type FixContext } from './fixes';
import {
  ALL_CATEGORIES,
  CATEGORY_BITS,
  CONTAINER_WRITES,
  DB_CONSTRUCTORS,
  DB_RECEIVER_NAME,
  DJANGO_INT_PARAMS,
  EXITING_CALLS,
  FASTAPI_SAFE_ANNOTATIONS,
  FRAMEWORK_DEPENDENCY_DEFAULTS,
  HTTP_CONSTRUCTORS,
  INPUT_STREAMS,
  LOCAL_SOURCE_SAFE,
  MODULE_ALIASES,
  MONGO_CONSTRUCTORS,
  MONGO_RECEIVER_NAME,
  NON_PROPAGATING_METHODS,
  PATH_NORMALIZERS,
  PATH_NORMALIZER_METHODS,
  PROPAGATORS,
  REQUEST_ATTRIBUTES,
  REQUEST_METHODS,
  REQUEST_OBJECTS,
  REQUEST_PARAM_NAMES,
  ROUTE_DECORATORS,
  SAFE_YAML_LOADERS,
  SANITIZERS,
  SELF_SOURCE_METHODS,
  SINKS,
  SOURCE_ATTRIBUTES,
  SOURCE_CALLS,
  SQL_QUOTING_CALLS,
  SQL_QUOTING_METHODS,
  SQL_QUOTING_RECEIVER,
  STREAM_READERS,
  STRUCTURING_CALLS,
  TEMPLATE_ENV_CONSTRUCTORS,
  TEMPLATE_ENV_RECEIVER_NAME,
  type ReceiverKind,
  type SinkSpec,
  type SourceKind,
} from './models';
import { editSpan, type EditSpan } from '../../engine/editSpan';
import { changesSince } from '../parsers';
import { isInside, REFUSED, TraceShifter, type FieldWrite, type FunctionTrace, type PassTrace, type RecordInput } from './functionReuse';
import { callParts, field, mirrorTree, mirrorTreeIncremental, namedChildren, stringValue, unparen, type CallParts, type PyNode } from './syntax';

/*
 * Intraprocedural taint analysis of a Python module with per-function
 * summaries. One pass over each function body, in statement order: an
 * environment maps variables (and `self.x` paths) to what is known of their
 * value; branches are analysed on copies and merged (union); guards such as
 * `if x not in ALLOWED: abort()` sanitise the guarded variable afterwards.
 * Calls to functions of the same file use summaries (which parameters reach
 * the return value or a sink), computed in a first pass over all functions.
 */

interface Origin {
  kind: SourceKind | 'param';
  start: number;
  end: number;
  description: string;
  param?: number;
  /** The value can be a client-chosen dict/list (JSON), not only a string. */
  structured?: boolean;
}

interface Taint {
  origins: Origin[];
  /** Categories for which a sanitiser made the value safe (CATEGORY_BITS). */
  safe: number;
  /** Passed through realpath/abspath/normpath (a prefix check then confines it). */
  normalized?: boolean;
}

/**
 * The shape of an argument vector `[program, ...args]`. Without a shell only
 * the program matters (later elements are arguments, not commands); for
 * `["sh", "-c", script, ...]` the script does, and `$0 $1…` after it do not.
 */
interface Argv {
  program?: Taint;
  throughShell: boolean;
  /** The `-c` script (shell lists only). */
  script?: Taint;
  /** A shell list ending in `-c`: the next element appended is the script. */
  awaitingScript?: boolean;
}

/** What is known of a value. */
interface Val {
  taint?: Taint;
  /** Built at run time by formatting/concatenating non-constant parts (a "review" candidate). */
  built?: boolean;
  /** Qualified type/origin name: `sqlite3.connect()`, `flask.request`, `requests.Session()`. */
  type?: string;
  /** A constant string's value. */
  konst?: string;
  /** A URL whose scheme and host come from a constant prefix. */
  hostFixed?: boolean;
  /** A list/tuple value (for subprocess argument lists). */
  list?: boolean;
  /** A dict with a `$where` entry holding tainted data. */
  where?: boolean;
  /** An argument vector parsed from the input as a whole (shlex.split): it names the program too. */
  wholeArgv?: boolean;
  /** A list literal used as an argument vector: what chooses the program, and the script of `sh -c script`. */
  argv?: Argv;
  /** A known integer constant (for folding `7 * 18 > 200`). */
  num?: number;
  /** A known truth value of a condition. */
  bool?: boolean;
  /** Entries of a dict with constant keys: `m["a"] = "safe"; m["b"] = tainted; m["a"]` is safe. */
  fields?: Map<string, Val>;
}

/**
 * Variables in scope, layered: a branch writes into a child layer over its
 * parent, and merging a branch back touches only the keys it wrote, so an if
 * statement costs what it assigns rather than the size of the environment.
 */
class Env {
  readonly vars = new Map<string, Val>();
  constructor(readonly parent?: Env) {}
  get(key: string): Val | undefined {
    for (let e: Env | undefined = this; e; e = e.parent) {
      const v = e.vars.get(key);
      if (v !== undefined) return v;
    }
    return undefined;
  }
  has(key: string): boolean {
    return this.get(key) !== undefined;
  }
  set(key: string, v: Val): void {
    this.vars.set(key, v);
  }
  child(): Env {
    return new Env(this);
  }
  /** Merges the branches that can reach the end (children of this scope) into it; reports whether any taint changed. */
  absorb(branches: Env[], includeSelf = false): boolean {
    let changed = false;
    if (branches.length === 1 && !includeSelf) {
      for (const [k, v] of branches[0].vars) {
        if (!sameTaint(this.get(k), v)) changed = true;
        this.vars.set(k, v);
      }
      return changed;
    }
    const keys = new Set<string>();
    for (const b of branches) for (const k of b.vars.keys()) keys.add(k);
    for (const k of keys) {
      const before = this.get(k);
      let merged: Val | undefined = includeSelf ? before : undefined;
      for (const b of branches) {
        const v = b.vars.get(k) ?? before;
        merged = merged === undefined ? v : v === undefined || v === merged ? merged : mergeVal(merged, v);
      }
      if (merged === undefined) continue;
      if (!sameTaint(before, merged)) changed = true;
      this.vars.set(k, merged);
    }
    return changed;
  }
}

function sameTaint(a: Val | undefined, b: Val | undefined): boolean {
  if (a === b) return true;
  const ta = a?.taint;
  const tb = b?.taint;
  if (!ta || !tb) return !ta && !tb;
  return ta.safe === tb.safe && ta.origins.length === tb.origins.length;
}

interface RecordFields {
  category: SinkCategory;
  sinkStart: number;
  sinkEnd: number;
  sinkName: string;
  confidence: 'high' | 'review';
  source?: Origin;
  message?: string;
  severity?: 'medium';
  fixKind?: SinkSpec['fix'];
  fixNode?: PyNode;
}

/** What an open document's last analysis leaves for the next edit (see runReusing). */
interface KeptTaint {
  text: string;
  /** The mirror of `text`: the next edit's incremental mirror starts from it. */
  root: PyNode;
  importsKey: string;
  traces: Map<PyNode, FunctionTrace>;
  /** What the module-level code reported (pass 2). */
  moduleRecords: RecordInput[];
}

interface SinkUse {
  param: number;
  category: SinkCategory;
  sinkStart: number;
  sinkEnd: number;
  sinkName: string;
  fixNode?: PyNode;
  fixKind?: SinkSpec['fix'];
}

interface FunctionInfo {
  node: PyNode;
  name: string;
  params: string[];
  /** Method of a class: the first parameter is the receiver. */
  isMethod: boolean;
  className?: string;
  body?: PyNode;
  closure?: Env;
  /** Flask-style view: a returned string is an HTML response. */
  htmlView: boolean;
  summary: { returns?: Taint; sinks: SinkUse[] };
}

let replayEnabled = true;

/** Tests compare findings with and without second-pass replays; nothing else turns them off. */
export function setFirstPassReplay(on: boolean): void {
  replayEnabled = on;
}

/** What a function's first-pass analysis read from outside it and produced (see replayFirstPass). */
interface FirstPass {
  closure: Env | undefined;
  /** Summaries of this file's functions it applied, as they were then (a summary is not changed once built). */
  summaries: Array<[FunctionInfo, FunctionInfo['summary']]>;
  /** Class fields it read (`self.x` in a method), with their values then. */
  fields: Array<[string, string, Taint | undefined]>;
  fieldWrites: FieldWrite[];
  /** What the second pass would report (records met outside evalExprQuiet). */
  records: RecordFields[];
  replayable: boolean;
}

function sameOrigins(a: Origin[], b: Origin[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x !== y && (x.kind !== y.kind || x.start !== y.start || x.end !== y.end || x.description !== y.description || x.param !== y.param || x.structured !== y.structured)) return false;
  }
  return true;
}

function sameTaintValue(a: Taint | undefined, b: Taint | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return a.safe === b.safe && a.normalized === b.normalized && sameOrigins(a.origins, b.origins);
}

function sameSummary(a: FunctionInfo['summary'], b: FunctionInfo['summary']): boolean {
  if (!sameTaintValue(a.returns, b.returns) || a.sinks.length !== b.sinks.length) return false;
  return a.sinks.every((x, i) => {
    const y = b.sinks[i];
    return x.param === y.param && x.category === y.category && x.sinkStart === y.sinkStart && x.sinkEnd === y.sinkEnd && x.sinkName === y.sinkName && x.fixKind === y.fixKind && x.fixNode === y.fixNode;
  });
}

const MAX_ORIGINS = 3;
const MAX_DEPTH = 200;

function mergeTaint(a: Taint | undefined, b: Taint | undefined): Taint | undefined {
  if (!a) return b;
  if (!b) return a;
  const origins = a.origins.slice();
  for (const o of b.origins) {
    if (origins.length >= MAX_ORIGINS) break;
    if (!origins.some((x) => x.start === o.start && x.end === o.end && x.kind === o.kind && x.param === o.param)) origins.push(o);
  }
  // A value is safe for a category only if every part is.
  return { origins, safe: a.safe & b.safe, normalized: a.normalized && b.normalized };
}

function mergeVal(a: Val | undefined, b: Val | undefined): Val {
  if (!a) return b ?? {};
  if (!b) return a;
  return {
    taint: mergeTaint(a.taint, b.taint),
    built: a.built || b.built,
    type: a.type === b.type ? a.type : a.type ?? b.type,
    konst: a.konst === b.konst ? a.konst : undefined,
    hostFixed: a.hostFixed && b.hostFixed,
    list: a.list || b.list,
    argv: mergeArgv(a, b),
    where: a.where || b.where,
    num: a.num === b.num ? a.num : undefined,
    fields: a.fields && b.fields ? mergeFields(a.fields, b.fields) : undefined,
  };
}

function mergeArgv(a: Val, b: Val): Argv | undefined {
  // A list of unknown shape on either side: unknown.
  if ((a.list && !a.argv) || (b.list && !b.argv)) return undefined;
  if (!a.argv || !b.argv) return a.argv ?? b.argv;
  return { program: mergeTaint(a.argv.program, b.argv.program), throughShell: a.argv.throughShell || b.argv.throughShell, script: mergeTaint(a.argv.script, b.argv.script), awaitingScript: a.argv.awaitingScript || b.argv.awaitingScript };
}

function mergeFields(a: Map<string, Val>, b: Map<string, Val>): Map<string, Val> {
  const out = new Map(a);
  for (const [k, v] of b) out.set(k, out.has(k) ? mergeVal(out.get(k), v) : v);
  return out;
}

function foldNumbers(op: string, a: number, b: number): number | undefined {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '//':
      return b === 0 ? undefined : Math.floor(a / b);
    case '%':
      return b === 0 ? undefined : ((a % b) + b) % b;
  }
  return undefined;
}

function compareConstants(op: string, a: Val, b: Val): boolean | undefined {
  if (a.num !== undefined && b.num !== undefined) {
    switch (op) {
      case '<':
        return a.num < b.num;
      case '>':
        return a.num > b.num;
      case '<=':
        return a.num <= b.num;
      case '>=':
        return a.num >= b.num;
      case '==':
        return a.num === b.num;
      case '!=':
        return a.num !== b.num;
    }
    return undefined;
  }
  if (a.konst !== undefined && b.konst !== undefined && !a.taint && !b.taint) {
    if (op === '==') return a.konst === b.konst;
    if (op === '!=') return a.konst !== b.konst;
  }
  return undefined;
}

function remoteOnly(v: Val): Val {
  if (!v.taint) return v;
  const origins = v.taint.origins.filter((o) => o.kind !== 'local');
  return { ...v, taint: origins.length ? { ...v.taint, origins } : undefined };
}

function hasSource(t: Taint | undefined): boolean {
  return !!t && t.origins.some((o) => o.kind !== 'param');
}

/** Local input (argv, env, stdin) does not count for some categories (see LOCAL_SOURCE_SAFE). */
function originSafe(o: Origin): number {
  return o.kind === 'local' ? LOCAL_SOURCE_SAFE : 0;
}

function isDangerous(t: Taint | undefined, bit: number): boolean {
  return !!t && (t.safe & bit) === 0 && t.origins.some((o) => (originSafe(o) & bit) === 0);
}

/** A %-format whose every conversion is numeric (%d, %i, %f, %x...); `%%` is a literal. */
const NUMERIC_PERCENT_ONLY = /^(?:[^%]|%%|%(?:\([^)]*\))?[-+ #0-9.]*[diouxXeEfFgG])*$/;
const HOST_PREFIX = /^[a-z][a-z0-9+.-]*:\/\/[^/?#{}\s]+[/?#]/i;
const SHELLS = /^(\/usr)?(\/bin\/)?(sh|bash|zsh|dash|ksh|cmd|cmd\.exe|powershell|pwsh)$/;
const STRING_ARG_METHODS = new Set(['format', 'format_map', 'join', 'replace', 'substitute', 'safe_substitute', 'encode', 'decode', 'strip', 'lstrip', 'rstrip', 'zfill', 'center', 'ljust', 'rjust', '__add__', '__mod__']);

class PythonTaint {
  readonly text: string;
  readonly imports = new Map<string, string>();
  readonly functions: FunctionInfo[] = [];
  readonly byNode = new Map<PyNode, FunctionInfo>();
  readonly functionsByName = new Map<string, FunctionInfo[]>();
  readonly flows = new Map<string, TaintFlow>();
  reporting = false;
  frameworks = { flask: false, fastapi: false, django: false };
  readonly moduleInfo: FunctionInfo;
  current!: FunctionInfo;
  depth = 0;

  /** Per function, what its analyses produced: kept for the next edit of an open document. */
  readonly traces = new Map<FunctionInfo, FunctionTrace>();
  private tracing?: { fieldWrites: FieldWrite[]; records: RecordInput[] };

  constructor(
    readonly root: PyNode,
    readonly ctx: FileContext,
    collected: Map<string, PyNode[]>,
    /** Keep per-function traces (open documents, which will be edited again). */
    readonly keepTraces = false,
  ) {
    this.text = ctx.text;
    for (const imp of [...(collected.get('import_statement') ?? []), ...(collected.get('import_from_statement') ?? [])]) this.recordImport(imp);
    const modules = [...this.imports.values()];
    this.frameworks.flask = modules.some((m) => /^(flask|quart|bottle|werkzeug)\b/.test(m));
    this.frameworks.fastapi = modules.some((m) => /^(fastapi|starlette)\b/.test(m));
    this.frameworks.django = modules.some((m) => /^(django|rest_framework)\b/.test(m));
    this.moduleInfo = { node: root, name: '<module>', params: [], isMethod: false, body: root, htmlView: false, summary: { sinks: [] } };
    for (const fn of collected.get('function_definition') ?? []) this.recordFunction(fn);
  }

  src(n: PyNode): string {
    return this.text.slice(n.start, n.end);
  }

  // ---- module structure -------------------------------------------------

  private recordImport(node: PyNode): void {
    if (node.type === 'import_statement') {
      for (const c of namedChildren(node)) {
        if (c.type === 'dotted_name') {
          const full = this.src(c);
          const top = full.split('.')[0];
          this.imports.set(top, normalizeName(top));
        } else if (c.type === 'aliased_import') {
          const name = field(c, 'name');
          const alias = field(c, 'alias');
          if (name && alias) this.imports.set(this.src(alias), normalizeName(this.src(name)));
        }
      }
      return;
    }
    const moduleNode = field(node, 'module_name');
    if (!moduleNode) return;
    const module = this.src(moduleNode);
    for (const c of node.children) {
      if (c.field !== 'name') continue;
      if (c.type === 'dotted_name') {
        const n = this.src(c);
        this.imports.set(n, normalizeName(`${module}.${n}`));
      } else if (c.type === 'aliased_import') {
        const name = field(c, 'name');
        const alias = field(c, 'alias');
        if (name && alias) this.imports.set(this.src(alias), normalizeName(`${module}.${this.src(name)}`));
      }
    }
  }

  private recordFunction(node: PyNode): void {
    const nameNode = field(node, 'name');
    const paramsNode = field(node, 'parameters');
    const params: string[] = [];
    if (paramsNode)
      for (const p of namedChildren(paramsNode)) {
        const id = paramName(p);
        params.push(id ? this.src(id) : '');
      }
    // Methods: the function's parent chain is block → class_definition.
    let container = node.parent;
    if (container?.type === 'decorated_definition') container = container.parent;
    const cls = container?.type === 'block' && container.parent?.type === 'class_definition' ? container.parent : undefined;
    const clsName = cls ? field(cls, 'name') : undefined;
    const info: FunctionInfo = {
      node,
      name: nameNode ? this.src(nameNode) : '',
      params,
      isMethod: !!cls,
      className: clsName ? this.src(clsName) : undefined,
      body: field(node, 'body'),
      htmlView: false,
      summary: { sinks: [] },
    };
    this.functions.push(info);
    this.byNode.set(node, info);
    const same = this.functionsByName.get(info.name);
    if (same) same.push(info);
    else this.functionsByName.set(info.name, [info]);
  }

  private decorators(fn: PyNode): PyNode[] {
    const parent = fn.parent;
    if (parent?.type !== 'decorated_definition') return [];
    return parent.children.filter((c) => c.type === 'decorator').map((d) => namedChildren(d)[0]).filter(Boolean);
  }

  /** The initial environment of a function: its parameters, some of which are route inputs. */
  private paramEnv(fn: FunctionInfo): Env {
    const env = new Env(fn.closure);
    const paramsNode = field(fn.node, 'parameters');
    if (!paramsNode) return env;
    let flaskPathParams: Map<string, boolean> | undefined; // name → tainted (false for int/float converters)
    let routeKind: 'flask' | 'fastapi' | undefined;
    for (const dec of this.decorators(fn.node)) {
      const call = dec.type === 'call' ? dec : undefined;
      const target = call ? field(call, 'function') : dec;
      if (!target || target.type !== 'attribute') continue;
      const attr = field(target, 'attribute');
      if (!attr || !ROUTE_DECORATORS.has(this.src(attr))) continue;
      routeKind = this.frameworks.fastapi && !this.frameworks.flask ? 'fastapi' : 'flask';
      if (routeKind === 'flask') {
        fn.htmlView = true;
        flaskPathParams = new Map();
        const first = call ? callParts(call, this.text).positional[0] : undefined;
        const pattern = first ? stringValue(first, this.text) : undefined;
        if (pattern)
          for (const m of pattern.matchAll(/<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>/g)) flaskPathParams.set(m[2], !(m[1] === 'int' || m[1] === 'float' || m[1] === 'uuid'));
      }
    }
    const djangoParams = this.frameworks.django && !routeKind && fn.params[fn.isMethod ? 1 : 0] === 'request' ? this.djangoUrlParams(fn) : undefined;
    const params = namedChildren(paramsNode);
    params.forEach((p, i) => {
      const name = fn.params[i];
      if (!name) return;
      // The receiver of a method is not data flowing in.
      if (fn.isMethod && i === 0 && !isStaticMethod(this.decorators(fn.node), this)) return;
      const origins: Origin[] = [{ kind: 'param', param: i, start: p.start, end: p.end, description: `parameter ${name}` }];
      let type: string | undefined;
      const annotation = field(p, 'type');
      const annotationText = annotation ? this.src(annotation).replace(/\s+/g, '') : undefined;
      if (annotationText) {
        const q = this.qualifyText(annotationText);
        if (q && (REQUEST_OBJECTS.has(q) || /Request$/.test(q))) type = 'fastapi.Request';
        else if (q) type = q;
      }
      if (!type && REQUEST_PARAM_NAMES.has(name) && (!fn.isMethod || i > 0)) type = 'django.http.HttpRequest';
      let routeInput = false;
      if (routeKind === 'flask' && flaskPathParams?.get(name)) routeInput = true;
      if (routeKind === 'fastapi' && !(fn.isMethod && i === 0) && p.type !== 'list_splat_pattern' && p.type !== 'dictionary_splat_pattern') {
        const def = field(p, 'value');
        const inner = annotationText?.replace(/^(Optional|Annotated)\[([^,\]]+).*$/, '$2');
        const safeAnnotation = inner !== undefined && FASTAPI_SAFE_ANNOTATIONS.test(inner);
        const dependency = def && FRAMEWORK_DEPENDENCY_DEFAULTS.test(this.src(def));
        if (!safeAnnotation && !dependency && type !== 'fastapi.Request') routeInput = true;
      }
      if (djangoParams && i > (fn.isMethod ? 1 : 0) && p.type !== 'list_splat_pattern' && p.type !== 'dictionary_splat_pattern') {
        const converted = djangoParams === 'unknown' ? (DJANGO_INT_PARAMS.test(name) ? false : undefined) : djangoParams.get(name) ?? false;
        const annotationSafe = annotationText !== undefined && /^(int|float|bool|UUID)$/.test(annotationText);
        // `f.title`: the value is an object handed in by a caller, not a str captured from the URL.
        if (converted !== false && !annotationSafe && !this.readsAttributes(fn, name)) routeInput = true;
      }
      if (routeInput) origins.unshift({ kind: 'remote', start: p.start, end: p.end, description: `route parameter ${name}`, structured: routeKind === 'fastapi' && !!annotationText && !/^(str|Optional\[str\])$/.test(annotationText) });
      env.set(name, { taint: { origins, safe: 0 }, type });
    });
    return env;
  }

  /**
   * A request-first function's URL parameters, decided structurally: the
   * function is routed by a path()/re_path()/url() call of this file (its
   * converters tell which parameters are text), is an HTTP-method handler of a
   * class-based view, or (with no URLconf in the file) is a module-level view
   * that nothing in the file calls. Otherwise it is a helper whose arguments
   * come from its callers (summaries handle those).
   */
  private djangoUrlParams(fn: FunctionInfo): Map<string, boolean> | 'unknown' | undefined {
    const conf = this.djangoUrlConf();
    if (fn.isMethod) {
      if (!DJANGO_CBV_METHODS.has(fn.name)) return undefined;
      let container = fn.node.parent ?? undefined;
      if (container?.type === 'decorated_definition') container = container.parent ?? undefined;
      const cls = container?.parent;
      return cls?.type === 'class_definition' && field(cls, 'superclasses') ? 'unknown' : undefined;
    }
    const routed = conf.views.get(fn.name);
    if (routed) return routed;
    if (conf.routes || fn.node.parent?.type !== 'module' && fn.node.parent?.parent?.type !== 'module') return undefined;
    return this.isReferenced(fn) ? undefined : 'unknown';
  }

  private urlConf?: UrlConf;
  /** path("a/<int:pk>/<slug>/", view) / re_path(r"^(?P<pk>[0-9]+)/$", view) / url(...) calls of this file. */
  private djangoUrlConf(): UrlConf {
    if (!this.urlConf) this.readWholeTree();
    return this.urlConf!;
  }

  /**
   * One walk of the whole tree for what is asked of all of it: how often each
   * of this file's functions is named (isReferenced) and, in a Django module,
   * the URL routing calls (djangoUrlConf).
   */
  private readWholeTree(): void {
    const uses = new Map<string, number>();
    const conf: UrlConf = { routes: false, views: new Map() };
    this.identifierUses = uses;
    this.urlConf = conf;
    const django = this.frameworks.django;
    const stack = [this.root];
    // Routing calls are looked for in the first nodes only: a bound for generated files.
    let visited = 0;
    while (stack.length) {
      const n = stack.pop()!;
      visited++;
      if (n.type === 'identifier') {
        const name = this.src(n);
        if (this.functionsByName.has(name)) uses.set(name, (uses.get(name) ?? 0) + 1);
        continue;
      }
      if (django && visited <= 200_000 && n.type === 'call') this.readRoutingCall(n, conf);
      for (const c of n.children) stack.push(c);
    }
  }

  private readRoutingCall(n: PyNode, conf: UrlConf): void {
    const name = this.routingCall(n);
    if (!name) return;
    const parts = callParts(n, this.text);
    const view = parts.positional[1] ?? parts.keywords.get('view');
    const pattern = parts.positional[0] ? stringValue(parts.positional[0], this.text) : undefined;
    const viewName = view && /^(identifier|attribute)$/.test(view.type) ? this.src(view).replace(/^.*\./, '') : undefined;
    if (!viewName || !this.functionsByName.has(viewName)) return;
    conf.routes = true;
    let params: Map<string, boolean> | 'unknown' = 'unknown';
    if (pattern !== undefined) {
      params = new Map();
      if (name === 'path') for (const m of pattern.matchAll(/<(?:(\w+):)?(\w+)>/g)) params.set(m[2], !m[1] || m[1] === 'str' || m[1] === 'path');
      // A group matching only digits (or a slug's characters) is not free text.
      else for (const m of pattern.matchAll(/\(\?P<(\w+)>((?:[^()\\]|\\.)*)\)/g)) params.set(m[1], !/^(\[(0-9|\\d|-|_|a-z|A-Z|\\w)+\]|\\d|\\w)[+*]?(\{\d+(,\d*)?\})?$/.test(m[2]));
    }
    const prev = conf.views.get(viewName);
    conf.views.set(viewName, prev === undefined ? params : prev === 'unknown' || params === 'unknown' ? 'unknown' : mergeRouteParams(prev, params));
  }

  /** Whether the function body reads attributes of the parameter other than str methods (`f.title`). */
  private readsAttributes(fn: FunctionInfo, param: string): boolean {
    if (!fn.body) return false;
    const stack = [fn.body];
    let budget = 50_000;
    while (stack.length && budget-- > 0) {
      const n = stack.pop()!;
      if (n.type === 'attribute') {
        const obj = field(n, 'object');
        const attr = field(n, 'attribute');
        // `s.upper()` fits a str; `f.title` (not called) or `f.save()` does not.
        const called = n.parent?.type === 'call' && n.field === 'function';
        if (obj?.type === 'identifier' && attr && this.src(obj) === param && !(called && STR_METHODS.has(this.src(attr)))) return true;
      }
      for (const c of n.children) stack.push(c);
    }
    return false;
  }

  private qualifyText(dotted: string): string | undefined {
    if (!/^[\w.]+$/.test(dotted)) return undefined;
    const [head, ...rest] = dotted.split('.');
    const base = this.imports.get(head);
    if (!base) return undefined;
    return normalizeName([base, ...rest].join('.'));
  }

  // ---- driver -----------------------------------------------------------

  run(): TaintFlow[] {
    // Pass 1 computes summaries; pass 2 recomputes them and reports.
    for (const reporting of [false, true]) {
      this.reporting = reporting;
      this.analyzeFunction(this.moduleInfo);
      // The first pass only computes summaries: functions nothing refers to by name need none.
      // Methods also store input on `self` for the class's other methods (classFields).
      for (const fn of this.functions) if (reporting || fn.isMethod || this.isReferenced(fn)) this.analyzeFunction(fn);
    }
    return this.sortedFlows();
  }

  private sortedFlows(): TaintFlow[] {
    return [...this.flows.values()].sort((a, b) => a.sinkRange.start.line - b.sinkRange.start.line || a.sinkRange.start.character - b.sinkRange.start.character);
  }

  private analyzeFunction(fn: FunctionInfo): void {
    if (!fn.body) return;
    if (this.reporting && replayEnabled && this.replayFirstPass(fn)) return;
    const previous = this.current;
    this.current = fn;
    fn.summary = { sinks: [] };
    const trace = this.keepTraces ? { fieldWrites: [] as FieldWrite[], records: [] as RecordInput[] } : undefined;
    const outer = this.tracing;
    this.tracing = trace;
    // Pass 1 notes what the function read from outside it, for replayFirstPass (open documents keep traces instead).
    const observed: FirstPass | undefined = this.reporting || this.keepTraces ? undefined : { closure: fn.closure, summaries: [], fields: [], fieldWrites: [], records: [], replayable: true };
    const outerObserving = this.observing;
    this.observing = observed;
    const env = fn === this.moduleInfo ? new Env() : this.paramEnv(fn);
    try {
      this.execBlock(namedChildren(fn.body), env);
    } finally {
      this.current = previous;
      this.tracing = outer;
      this.observing = outerObserving;
    }
    if (observed) this.firstPass.set(fn, observed);
    if (!trace) return;
    if (fn !== this.moduleInfo) {
      this.keepPass(fn, { summary: fn.summary, ...trace });
      return;
    }
    // The module's run gives each function its scope: kept, so an edit need not run the module again.
    if (this.reporting) this.moduleRecords = trace.records;
    for (const f of this.functions) {
      const t = this.traceOf(f);
      if (this.reporting) t.closure2 = f.closure;
      else t.closure1 = f.closure;
    }
  }

  private moduleRecords: RecordInput[] = [];

  /** Per function, what its first-pass analysis read and produced. */
  private readonly firstPass = new Map<FunctionInfo, FirstPass>();
  private observing?: FirstPass;
  /** Inside evalExprQuiet: sinks met there are not reports, in either pass. */
  private quiet = 0;

  /**
   * The second pass of a function whose inputs are those its first pass saw
   * would repeat the first pass exactly, reports included: the same scope
   * object as closure (its enclosing code was not run again), the same
   * summaries of this file's functions, the same class fields. Its field
   * writes and reports are then taken from the first pass and its summary is
   * kept, instead of analysing it again: most functions' inputs do not change.
   */
  private replayFirstPass(fn: FunctionInfo): boolean {
    const first = this.firstPass.get(fn);
    if (!first?.replayable || fn.closure !== first.closure) return false;
    for (const [callee, summary] of first.summaries) if (callee.summary !== summary && !sameSummary(callee.summary, summary)) return false;
    for (const [cls, name, taint] of first.fields) if (!sameTaintValue(this.classFields.get(cls)?.get(name), taint)) return false;
    for (const w of first.fieldWrites) this.applyFieldWrite(w);
    for (const r of first.records) this.record(r);
    return true;
  }

  private traceOf(fn: FunctionInfo): FunctionTrace {
    let t = this.traces.get(fn);
    if (!t) this.traces.set(fn, (t = { uses: '' }));
    return t;
  }

  private keepPass(fn: FunctionInfo, pass: PassTrace): void {
    const t = this.traceOf(fn);
    if (this.reporting) t.pass2 = pass;
    else t.pass1 = pass;
  }

  // ---- reuse across edits ---------------------------------------------------

  /** What the next edit of this document can reuse. */
  keptState(): KeptTaint {
    const traces = new Map<PyNode, FunctionTrace>();
    for (const fn of this.functions) {
      const t = this.traces.get(fn) ?? { uses: '' };
      if (!t.uses) t.uses = this.usesOf(fn.node);
      traces.set(fn.node, t);
    }
    return { text: this.text, root: this.root, importsKey: this.importsKey(), traces, moduleRecords: this.moduleRecords };
  }

  private importsKey(): string {
    return [...this.imports].map(([k, v]) => `${k}=${v}`).join(';');
  }

  /** What of the file a function's treatment elsewhere depends on: see namesUsedIn. */
  private usesOf(node: PyNode): string {
    return ['#', ...this.namesUsedIn(node, true)].sort().join(',');
  }

  /** This file's function names used inside a node, and with `urls`, `#url` for each URL routing call (path()/url()). */
  private namesUsedIn(node: PyNode, urls = false): string[] {
    const names: string[] = [];
    const stack = [node];
    while (stack.length) {
      const n = stack.pop()!;
      if (n.type === 'identifier') {
        const name = this.src(n);
        if (this.functionsByName.has(name)) names.push(name);
        continue;
      }
      if (urls && this.routingCall(n)) names.push('#url');
      for (const c of n.children) stack.push(c);
    }
    return names;
  }

  /** The kind of a Django URL routing call (`path(...)`, `re_path(...)`, `url(...)`), else undefined. */
  private routingCall(n: PyNode): 'path' | 're_path' | 'url' | undefined {
    if (n.type !== 'call') return undefined;
    const callee = field(n, 'function');
    if (!callee) return undefined;
    // The last segment of the callee (`path`, `urls.path`), without slicing the whole callee.
    const dot = this.text.lastIndexOf('.', callee.end - 1);
    const name = this.text.slice(dot >= callee.start ? dot + 1 : callee.start, callee.end);
    return name === 'path' || name === 're_path' || name === 'url' ? name : undefined;
  }

  /**
   * The module's flows after an edit inside one function's body, re-analysing
   * only that function and replaying the kept results of the module-level
   * code and every other function (their scopes and positions moved by the
   * edit). Undefined when that would not be exactly what a full run gives:
   * the edit is elsewhere, the function nests or is nested, imports or
   * cross-references changed, or its summary or field writes changed (the
   * module-level code and other functions would see it).
   */
  runReusing(kept: KeptTaint, edit: EditSpan): TaintFlow[] | undefined {
    if (this.functions.length !== kept.traces.size) return undefined;
    let dirty: FunctionInfo | undefined;
    const reused = new Map<FunctionInfo, FunctionTrace>();
    for (const fn of this.functions) {
      const t = kept.traces.get(fn.node);
      if (t) reused.set(fn, t);
      else if (dirty) return undefined;
      else dirty = fn;
    }
    if (!dirty?.body || edit.start < dirty.body.start || edit.newEnd > dirty.body.end) return undefined;
    let old: FunctionTrace | undefined;
    for (const [node, t] of kept.traces) if (!this.byNode.has(node)) old = t;
    if (!old || this.importsKey() !== kept.importsKey) return undefined;
    const edited = dirty;
    for (let p = edited.node.parent; p; p = p.parent) if (p.type === 'function_definition') return undefined;
    if (this.functions.some((fn) => fn !== edited && isInside(fn.node, edited.node))) return undefined;
    const uses = this.usesOf(edited.node);
    if (uses !== old.uses || uses.includes('#url')) return undefined;
    const shifter = new TraceShifter(edit, this.root);
    const next = new Map<FunctionInfo, FunctionTrace>();
    const envs = new Map<Env, Env>();
    const scopeOf = (closure: unknown) => (closure ? moveEnv(closure as Env, shifter, envs) : undefined);
    try {
      for (const reporting of [false, true]) {
        this.reporting = reporting;
        // The module-level code saw the same summaries as before (the edited function's are compared below): replayed.
        if (reporting) {
          this.moduleRecords = kept.moduleRecords.map((r) => shifter.record(r));
          for (const r of this.moduleRecords) this.record(r as RecordFields);
        }
        for (const fn of this.functions) {
          if (fn === edited) {
            // The same functions are referenced as before (uses unchanged): pass 1 analysed this one iff it did then.
            const analysed = reporting || !!old.pass1;
            fn.closure = scopeOf(reporting ? old.closure2 : old.closure1);
            const t = this.traceOf(fn);
            if (reporting) t.closure2 = fn.closure;
            else t.closure1 = fn.closure;
            if (analysed) this.analyzeFunction(fn);
            const fresh = this.traces.get(fn);
            const was = reporting ? old.pass2 : old.pass1;
            if (!shifter.samePass(reporting ? fresh?.pass2 : fresh?.pass1, analysed ? was : undefined)) return undefined;
            continue;
          }
          const t = reused.get(fn)!;
          let n = next.get(fn);
          if (!n) next.set(fn, (n = { uses: t.uses }));
          if (reporting) n.closure2 = scopeOf(t.closure2);
          else n.closure1 = scopeOf(t.closure1);
          const pass = reporting ? t.pass2 : t.pass1;
          if (!pass) continue;
          const moved = shifter.pass(pass);
          if (reporting) n.pass2 = moved;
          else n.pass1 = moved;
          fn.summary = moved.summary as FunctionInfo['summary'];
          for (const w of moved.fieldWrites) this.applyFieldWrite(w);
          for (const r of moved.records) this.record(r as RecordFields);
        }
      }
    } catch (e) {
      if (e === REFUSED) return undefined;
      throw e;
    }
    for (const [fn, t] of next) this.traces.set(fn, t);
    this.traces.get(edited)!.uses = uses;
    return this.sortedFlows();
  }

  // ---- statements --------------------------------------------------------

  /** Returns true when the block never completes normally (return/raise/abort). */
  private execBlock(stmts: PyNode[], env: Env): boolean {
    for (const s of stmts) if (this.execStmt(s, env)) return true;
    return false;
  }

  private execStmt(node: PyNode, env: Env): boolean {
    if (this.depth > MAX_DEPTH) return false;
    this.depth++;
    try {
      return this.execStmtInner(node, env);
    } finally {
      this.depth--;
    }
  }

  private execStmtInner(node: PyNode, env: Env): boolean {
    switch (node.type) {
      case 'expression_statement': {
        let exits = false;
        for (const c of namedChildren(node)) {
          if (isStatement(c)) {
            this.execStmt(c, env);
            continue;
          }
          this.evalExpr(c, env);
          if (c.type === 'call' && EXIT_NAMES.test(this.src(field(c, 'function') ?? c))) {
            const q = this.calleeName(c, env);
            if (q && EXITING_CALLS.has(q)) exits = true;
          }
        }
        return exits;
      }
      case 'assignment':
        this.execAssignment(node, env);
        return false;
      case 'augmented_assignment': {
        const left = field(node, 'left');
        const right = field(node, 'right');
        if (!left || !right) return false;
        const rv = this.evalExpr(right, env);
        const lv = this.evalExpr(left, env);
        const merged = mergeVal(lv, rv);
        merged.built = !(lv.konst !== undefined && rv.konst !== undefined);
        merged.konst = lv.konst !== undefined && rv.konst !== undefined ? lv.konst + rv.konst : undefined;
        this.bind(left, merged, env);
        return false;
      }
      case 'return_statement': {
        const value = namedChildren(node)[0];
        if (value) {
          const v = this.evalExpr(value, env);
          this.current.summary.returns = mergeTaint(this.current.summary.returns, v.taint);
          if (this.current.htmlView) this.checkHtmlReturn(value, env);
        }
        return true;
      }
      case 'raise_statement':
        for (const c of namedChildren(node)) this.evalExpr(c, env);
        return true;
      case 'continue_statement':
      case 'break_statement':
        return true;
      case 'if_statement':
        return this.execIf(node, env);
      case 'for_statement':
      case 'while_statement':
        this.execLoop(node, env);
        return false;
      case 'try_statement':
        return this.execTry(node, env);
      case 'with_statement': {
        const clause = node.children.find((c) => c.type === 'with_clause');
        if (clause)
          for (const item of namedChildren(clause)) {
            const value = field(item, 'value') ?? namedChildren(item)[0];
            if (!value) continue;
            if (value.type === 'as_pattern') {
              const expr = namedChildren(value)[0];
              const alias = field(value, 'alias');
              const v = expr ? this.evalExpr(expr, env) : {};
              const target = alias ? namedChildren(alias)[0] : undefined;
              if (target) this.bind(target, v, env);
            } else this.evalExpr(value, env);
          }
        const body = field(node, 'body');
        return body ? this.execBlock(namedChildren(body), env) : false;
      }
      case 'match_statement': {
        const subject = field(node, 'subject');
        if (subject) this.evalExpr(subject, env);
        const body = field(node, 'body');
        const branches: Env[] = [];
        if (body)
          for (const c of namedChildren(body)) {
            const branch = env.child();
            const cons = field(c, 'consequence');
            if (!(cons && this.execBlock(namedChildren(cons), branch))) branches.push(branch);
          }
        env.absorb(branches, true);
        return false;
      }
      case 'function_definition': {
        const info = this.byNode.get(node);
        if (info) info.closure = env;
        return false;
      }
      case 'decorated_definition': {
        for (const c of node.children) {
          if (c.type === 'decorator') for (const d of namedChildren(c)) this.evalExpr(d, env);
          else if (c.field === 'definition') this.execStmt(c, env);
        }
        return false;
      }
      case 'class_definition': {
        const body = field(node, 'body');
        if (body) this.execBlock(namedChildren(body), env.child());
        return false;
      }
      case 'block':
        return this.execBlock(namedChildren(node), env);
      case 'import_statement':
      case 'import_from_statement':
      case 'future_import_statement':
      case 'pass_statement':
      case 'global_statement':
      case 'nonlocal_statement':
      case 'comment':
        return false;
      case 'ERROR':
      default:
        // Statements we do not model (and ERROR nodes): still look inside for sinks.
        for (const c of namedChildren(node)) {
          if (isStatement(c)) this.execStmt(c, env);
          else this.evalExpr(c, env);
        }
        return false;
    }
  }

  private execAssignment(node: PyNode, env: Env): void {
    const left = field(node, 'left');
    const right = field(node, 'right');
    if (!left || !right) return;
    let value: Val;
    if (right.type === 'assignment') {
      // a = b = expr
      this.execAssignment(right, env);
      const inner = field(right, 'left');
      value = inner ? this.evalExpr(inner, env) : {};
    } else value = this.evalExpr(right, env);
    // Elementwise unpacking keeps `a, b = tainted, "const"` precise.
    const targets = unpackTargets(left);
    const values = unpackTargets(unparen(right));
    if (targets && values && targets.length === values.length && right.type !== 'assignment') {
      const vals = values.map((v) => this.evalExprQuiet(v, env));
      targets.forEach((t, i) => this.bind(t, vals[i], env));
      return;
    }
    this.bind(left, value, env);
  }

  private bind(target: PyNode, value: Val, env: Env): void {
    const t = unparen(target);
    switch (t.type) {
      case 'identifier':
        env.set(this.src(t), value);
        return;
      case 'attribute': {
        const key = this.pathKey(t);
        if (key) {
          env.set(key, value);
          this.recordField(key, value);
        }
        return;
      }
      case 'subscript': {
        // d[k] = v: the container now holds v.
        const container = field(t, 'value');
        const key = container ? this.pathKey(container) : undefined;
        if (!key) return;
        const old = env.get(key) ?? this.lookup(key) ?? {};
        const index = t.children.find((c) => c.field === 'subscript');
        const k = index ? constantKey(index, this) : undefined;
        const merged = value.taint ? mergeVal(old, { taint: value.taint }) : { ...old };
        if (value.taint && keyIsWhere(t, this)) merged.where = true;
        merged.type = old.type;
        merged.list = old.list;
        merged.fields = k !== undefined && (old.fields || !old.taint) ? new Map(old.fields ?? []).set(k, value) : undefined;
        env.set(key, merged);
        return;
      }
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern':
      case 'tuple':
      case 'list':
      case 'expression_list':
        for (const c of namedChildren(t)) this.bind(c, { ...value, konst: undefined, list: false }, env);
        return;
      case 'list_splat_pattern':
      case 'list_splat':
        for (const c of namedChildren(t)) this.bind(c, value, env);
        return;
      default:
        return;
    }
  }

  /** `x`, `self.x`, `a.b.c` → an environment key. */
  private pathKey(node: PyNode, depth = 0): string | undefined {
    const n = unparen(node);
    if (n.type === 'identifier') return this.src(n);
    if (n.type === 'attribute' && depth < 8) {
      const obj = field(n, 'object');
      const attr = field(n, 'attribute');
      const base = obj ? this.pathKey(obj, depth + 1) : undefined;
      return base && attr ? `${base}.${this.src(attr)}` : undefined;
    }
    return undefined;
  }

  private execIf(node: PyNode, env: Env): boolean {
    const cond = field(node, 'condition');
    const known = cond ? this.evalExpr(cond, env).bool : undefined;
    const alternatives = node.children.filter((c) => c.field === 'alternative');
    if (known === true) {
      const cons = field(node, 'consequence');
      return cons ? this.execBlock(namedChildren(cons), env) : false;
    }
    if (known === false) return this.execAlternatives(alternatives, 0, env);
    const thenEnv = env.child();
    if (cond) this.applyGuards(cond, true, thenEnv);
    const cons = field(node, 'consequence');
    const thenExits = cons ? this.execBlock(namedChildren(cons), thenEnv) : false;

    const elseEnv = env.child();
    if (cond) this.applyGuards(cond, false, elseEnv);
    let elseExits = false;
    if (alternatives.length) elseExits = this.execAlternatives(alternatives, 0, elseEnv);
    const live = [thenExits ? undefined : thenEnv, elseExits ? undefined : elseEnv].filter((e): e is Env => !!e);
    if (!live.length) return true;
    env.absorb(live);
    return false;
  }

  private execAlternatives(alts: PyNode[], i: number, env: Env): boolean {
    const alt = alts[i];
    if (!alt) return false;
    if (alt.type === 'else_clause') {
      const body = field(alt, 'body');
      return body ? this.execBlock(namedChildren(body), env) : false;
    }
    // elif: like a nested if whose else is the rest of the chain.
    const cond = field(alt, 'condition');
    const known = cond ? this.evalExpr(cond, env).bool : undefined;
    if (known === true) {
      const cons = field(alt, 'consequence');
      return cons ? this.execBlock(namedChildren(cons), env) : false;
    }
    if (known === false) return this.execAlternatives(alts, i + 1, env);
    const thenEnv = env.child();
    if (cond) this.applyGuards(cond, true, thenEnv);
    const cons = field(alt, 'consequence');
    const thenExits = cons ? this.execBlock(namedChildren(cons), thenEnv) : false;
    const elseEnv = env.child();
    if (cond) this.applyGuards(cond, false, elseEnv);
    const elseExits = this.execAlternatives(alts, i + 1, elseEnv);
    const live = [thenExits ? undefined : thenEnv, elseExits ? undefined : elseEnv].filter((e): e is Env => !!e);
    if (!live.length) return true;
    env.absorb(live);
    return false;
  }

  private execLoop(node: PyNode, env: Env): void {
    const body = field(node, 'body');
    // Two rounds reach the common fixpoints (a value built in one iteration, used in the next).
    for (let round = 0; round < 2; round++) {
      const loopEnv = env.child();
      if (node.type === 'for_statement') {
        const left = field(node, 'left');
        const right = field(node, 'right');
        if (right) {
          const it = streamContent(round === 0 ? this.evalExpr(right, loopEnv) : this.evalExprQuiet(right, loopEnv), right);
          if (left) this.bind(left, { taint: it.taint, type: undefined }, loopEnv);
        }
      } else {
        const cond = field(node, 'condition');
        if (cond) this.evalExpr(cond, loopEnv);
      }
      if (body) this.execBlock(namedChildren(body), loopEnv);
      // The body may run zero times: merge it with the state before.
      if (!env.absorb([loopEnv], true)) break;
    }
    const alt = field(node, 'alternative');
    if (alt) {
      const b = field(alt, 'body');
      if (b) this.execBlock(namedChildren(b), env);
    }
  }

  private execTry(node: PyNode, env: Env): boolean {
    const body = field(node, 'body');
    const bodyEnv = env.child();
    const bodyExits = body ? this.execBlock(namedChildren(body), bodyEnv) : false;
    const live: Env[] = bodyExits ? [] : [bodyEnv];
    let finallyClause: PyNode | undefined;
    let elseClause: PyNode | undefined;
    for (const c of node.children) {
      if (c.type === 'except_clause' || c.type === 'except_group_clause') {
        // The exception may come from anywhere in the body: before or after its assignments.
        const handlerEnv = env.child();
        for (const [k, v] of bodyEnv.vars) handlerEnv.set(k, mergeVal(env.get(k), v));
        const block = c.children.find((x) => x.type === 'block');
        if (!(block && this.execBlock(namedChildren(block), handlerEnv))) live.push(handlerEnv);
      } else if (c.type === 'finally_clause') finallyClause = c;
      else if (c.type === 'else_clause') elseClause = c;
    }
    if (elseClause && !bodyExits) {
      const b = field(elseClause, 'body');
      if (b) this.execBlock(namedChildren(b), bodyEnv);
    }
    const exits = live.length === 0;
    if (!exits) env.absorb(live);
    if (finallyClause) {
      const block = finallyClause.children.find((x) => x.type === 'block');
      if (block && this.execBlock(namedChildren(block), env)) return true;
    }
    return exits;
  }

  /** Sanitising conditions: `x in ALLOWED`, `x.isdigit()`, `re.fullmatch(...)`, `real.startswith(BASE)`. */
  private applyGuards(cond: PyNode, when: boolean, env: Env): void {
    const c = unparen(cond);
    if (c.type === 'not_operator') {
      const arg = field(c, 'argument') ?? namedChildren(c)[0];
      if (arg) this.applyGuards(arg, !when, env);
      return;
    }
    if (c.type === 'boolean_operator') {
      const op = c.children.find((x) => !x.named)?.type;
      const [l, r] = [field(c, 'left'), field(c, 'right')];
      // `a and b` true ⇒ both hold; `a or b` false ⇒ both are false.
      if ((op === 'and' && when) || (op === 'or' && !when)) {
        if (l) this.applyGuards(l, when, env);
        if (r) this.applyGuards(r, when, env);
      }
      return;
    }
    if (c.type === 'comparison_operator') {
      const operands = namedChildren(c);
      const ops = c.children.filter((x) => !x.named).map((x) => x.type);
      if (operands.length !== 2 || ops.length === 0) return;
      const op = ops.join(' ');
      const [a, b] = operands;
      // `if ".." in name: abort(400)`: a name without ".." cannot climb out of its directory.
      const needle = stringValue(a, this.text);
      if (needle !== undefined && needle.includes('..') && ((op === 'in' && !when) || (op === 'not in' && when))) {
        this.sanitize(b, CATEGORY_BITS.path, env);
        return;
      }
      if ((op === 'in' && when) || (op === 'not in' && !when)) {
        // Membership in a constant collection (not in the tainted value itself).
        const coll = this.evalExprQuiet(b, env);
        if (!coll.taint) this.sanitize(a, ALL_CATEGORIES, env);
      } else if ((op === '==' && when) || (op === '!=' && !when)) {
        const other = this.evalExprQuiet(b, env);
        if (!other.taint && (other.konst !== undefined || isLiteral(b))) this.sanitize(a, ALL_CATEGORIES, env);
      }
      return;
    }
    if (c.type === 'call' && when) {
      const parts = callParts(c, this.text);
      const callee = parts.callee;
      if (callee.type === 'attribute') {
        const method = this.src(field(callee, 'attribute')!);
        const recv = field(callee, 'object')!;
        if (/^is(digit|numeric|decimal|alnum|alpha|identifier)$/.test(method)) this.sanitize(recv, ALL_CATEGORIES, env);
        else if (method === 'startswith' || method === 'is_relative_to') {
          const v = this.evalExprQuiet(recv, env);
          if (v.taint?.normalized) this.sanitize(recv, CATEGORY_BITS.path, env);
        }
      }
      const q = this.calleeName(c, env);
      if (q && /^(re|regex)\.(match|fullmatch|search)$/.test(q) && parts.positional.length >= 2) {
        const pattern = stringValue(parts.positional[0], this.text) ?? this.evalExprQuiet(parts.positional[0], env).konst;
        const anchored = pattern !== undefined && (q.endsWith('fullmatch') || /(\$|\\Z)$/.test(pattern)) && (q.endsWith('match') || pattern.startsWith('^'));
        if (anchored) this.sanitize(parts.positional[1], ALL_CATEGORIES, env);
      } else if (q && /\.(fullmatch|match)$/.test(q) && parts.positional.length === 1 && callee.type === 'attribute') {
        // compiled_pattern.fullmatch(x)
        this.sanitize(parts.positional[0], ALL_CATEGORIES, env);
      }
    }
  }

  private sanitize(node: PyNode, mask: number, env: Env): void {
    const key = this.pathKey(node);
    if (!key) return;
    const v = env.get(key) ?? this.lookup(key);
    if (!v?.taint) return;
    env.set(key, { ...v, taint: { ...v.taint, safe: v.taint.safe | mask } });
  }

  private lookup(key: string): Val | undefined {
    const v = this.current.closure?.get(key);
    if (v || !this.current.className || !key.startsWith('self.') || key.indexOf('.', 5) >= 0) return v;
    // `self.x` read in a method: what other methods of the class stored there (input only).
    const taint = this.classFields.get(this.current.className)?.get(key.slice(5));
    this.observing?.fields.push([this.current.className, key.slice(5), taint]);
    return taint ? { taint } : undefined;
  }

  /** Per class: input stored on `self.<field>` by any of its methods (a class-level field summary). */
  readonly classFields = new Map<string, Map<string, Taint>>();
  private recordField(key: string, value: Val): void {
    const cls = this.current.className;
    if (!cls || !this.current.isMethod || !value.taint || !key.startsWith('self.') || key.indexOf('.', 5) >= 0) return;
    // Parameters of this method mean nothing in another one: keep only real sources.
    const origins = value.taint.origins.filter((o) => o.kind !== 'param');
    if (!origins.length) return;
    const write: FieldWrite = { cls, field: key.slice(5), taint: { ...value.taint, origins } };
    this.tracing?.fieldWrites.push(write);
    this.observing?.fieldWrites.push(write);
    this.applyFieldWrite(write);
  }

  private applyFieldWrite(w: FieldWrite): void {
    let fields = this.classFields.get(w.cls);
    if (!fields) this.classFields.set(w.cls, (fields = new Map()));
    fields.set(w.field, mergeTaint(fields.get(w.field), w.taint as Taint)!);
  }

  // ---- expressions ---------------------------------------------------------

  /** Evaluates without reporting sinks again (re-reads of an already analysed expression). */
  private evalExprQuiet(node: PyNode, env: Env): Val {
    const reporting = this.reporting;
    const sinks = this.current.summary.sinks.length;
    this.reporting = false;
    this.quiet++;
    try {
      return this.evalExpr(node, env);
    } finally {
      this.reporting = reporting;
      this.quiet--;
      this.current.summary.sinks.length = sinks;
    }
  }

  evalExpr(node: PyNode, env: Env): Val {
    if (this.depth > MAX_DEPTH) return {};
    this.depth++;
    try {
      return this.evalInner(node, env);
    } finally {
      this.depth--;
    }
  }

  private evalInner(node: PyNode, env: Env): Val {
    switch (node.type) {
      case 'identifier': {
        const name = this.src(node);
        const v = env.get(name) ?? this.lookup(name);
        if (v) return v;
        const imported = this.imports.get(name);
        // `from sys import argv`: the imported name is the source itself.
        const s = imported !== undefined ? SOURCE_ATTRIBUTES[imported] : undefined;
        if (s) return { taint: { origins: [{ kind: s.kind, start: node.start, end: node.end, description: s.description }], safe: 0 }, type: imported };
        return { type: imported ?? name };
      }
      case 'string':
        return this.evalString(node, env);
      case 'concatenated_string': {
        let v: Val = { konst: '' };
        for (const part of namedChildren(node)) v = this.concat(v, this.evalExpr(part, env));
        return v;
      }
      case 'integer': {
        const t = this.src(node);
        return /^\d+$/.test(t) && t.length < 15 ? { konst: t, num: Number(t) } : { konst: t };
      }
      case 'true':
        return { konst: 'True', bool: true };
      case 'false':
        return { konst: 'False', bool: false };
      case 'float':
      case 'none':
        return { konst: this.src(node) };
      case 'parenthesized_expression': {
        const inner = namedChildren(node)[0];
        return inner ? this.evalExpr(inner, env) : {};
      }
      case 'attribute':
        return this.evalAttribute(node, env);
      case 'subscript': {
        const value = field(node, 'value');
        for (const s of node.children) if (s.field === 'subscript') this.evalExpr(s, env);
        if (!value) return {};
        const v = this.evalExpr(value, env);
        const index = node.children.find((c) => c.field === 'subscript');
        if (index && v.konst !== undefined && index.type === 'integer') {
          const i = Number(this.src(index));
          if (Number.isInteger(i) && i >= 0 && i < v.konst.length) return { konst: v.konst[i] };
        }
        if (v.fields && index) {
          const k = constantKey(index, this);
          if (k !== undefined && v.fields.has(k)) return v.fields.get(k)!;
        }
        return { taint: v.taint, type: v.type ? `${v.type}[]` : undefined, built: v.built, hostFixed: v.hostFixed };
      }
      case 'call':
        return this.evalCall(node, env);
      case 'binary_operator': {
        const l = field(node, 'left');
        const r = field(node, 'right');
        const op = field(node, 'operator');
        const lv = l ? this.evalExpr(l, env) : {};
        const rv = r ? this.evalExpr(r, env) : {};
        const opText = op ? this.src(op) : '';
        if (lv.num !== undefined && rv.num !== undefined) {
          const num = foldNumbers(opText, lv.num, rv.num);
          return num === undefined || !Number.isSafeInteger(num) ? {} : { num, konst: String(num) };
        }
        if (opText === '+') return this.concat(lv, rv);
        // pathlib: Path(base) / name
        if (opText === '/' && (lv.taint || rv.taint) && l?.type !== 'integer' && l?.type !== 'float') return { taint: mergeTaint(lv.taint, rv.taint) };
        if (opText === '%' || opText === '*') {
          const stringy = lv.konst !== undefined && l?.type !== 'integer' && l?.type !== 'float';
          if (opText === '%' && !stringy && !lv.taint) return {};
          // "... %d" % x: numeric conversions raise on anything but numbers.
          if (opText === '%' && stringy && !lv.taint && NUMERIC_PERCENT_ONLY.test(lv.konst!)) return { built: true };
          const merged = mergeVal(lv, rv);
          return { taint: merged.taint, built: merged.built || (rv.konst === undefined) || lv.konst === undefined, hostFixed: lv.konst !== undefined && HOST_PREFIX.test(lv.konst) };
        }
        return {};
      }
      case 'boolean_operator': {
        const l = field(node, 'left');
        const r = field(node, 'right');
        const lv = l ? this.evalExpr(l, env) : {};
        const rv = r ? this.evalExpr(r, env) : {};
        const op = node.children.find((x) => !x.named)?.type;
        if (lv.bool !== undefined && rv.bool !== undefined) return { bool: op === 'and' ? lv.bool && rv.bool : lv.bool || rv.bool };
        return mergeVal(lv, rv);
      }
      case 'conditional_expression': {
        const parts = namedChildren(node);
        const [a, cond, b] = parts;
        const c = cond ? this.evalExpr(cond, env) : {};
        // A condition folded to a constant picks one branch (`"safe" if 7 * 18 > 200 else param`).
        if (c.bool === true) return a ? this.evalExpr(a, env) : {};
        if (c.bool === false) return b ? this.evalExpr(b, env) : {};
        return mergeVal(a ? this.evalExpr(a, env) : {}, b ? this.evalExpr(b, env) : {});
      }
      case 'comparison_operator': {
        const operands = namedChildren(node).map((c) => this.evalExpr(c, env));
        const ops = node.children.filter((x) => !x.named).map((x) => x.type);
        if (operands.length === 2 && ops.length === 1) {
          const bool = compareConstants(ops[0], operands[0], operands[1]);
          if (bool !== undefined) return { bool };
        }
        return {};
      }
      case 'not_operator': {
        const inner = namedChildren(node)[0];
        const v = inner ? this.evalExpr(inner, env) : {};
        return v.bool === undefined ? {} : { bool: !v.bool };
      }
      case 'unary_operator':
        for (const c of namedChildren(node)) this.evalExpr(c, env);
        return {};
      case 'await': {
        const inner = namedChildren(node)[0];
        return inner ? this.evalExpr(inner, env) : {};
      }
      case 'named_expression': {
        const name = field(node, 'name');
        const value = field(node, 'value');
        const v = value ? this.evalExpr(value, env) : {};
        if (name) env.set(this.src(name), v);
        return v;
      }
      case 'list':
      case 'tuple':
      case 'set':
      case 'expression_list': {
        let v: Val = {};
        const elems = namedChildren(node);
        const vals = elems.map((c) => this.evalExpr(c, env));
        for (const e of vals) v = mergeVal(v, e);
        const argv = node.type === 'set' ? undefined : this.argvShape(elems, vals);
        return { taint: v.taint, list: node.type !== 'set', built: v.built, argv };
      }
      case 'dictionary': {
        let v: Val = {};
        let where = false;
        let fields: Map<string, Val> | undefined = new Map();
        for (const pair of namedChildren(node)) {
          if (pair.type === 'pair') {
            const k = field(pair, 'key');
            const val = field(pair, 'value');
            const kv = k ? this.evalExpr(k, env) : {};
            const vv = val ? this.evalExpr(val, env) : {};
            const key = k ? stringValue(k, this.text) : undefined;
            if (key !== undefined) fields?.set(key, vv);
            else fields = undefined;
            if (k && stringValue(k, this.text) === '$where' && vv.taint) where = true;
            v = mergeVal(mergeVal(v, kv), vv);
            if (vv.where) where = true;
          } else {
            v = mergeVal(v, this.evalExpr(pair, env));
            fields = undefined;
          }
        }
        return { taint: v.taint, where, fields };
      }
      case 'list_comprehension':
      case 'set_comprehension':
      case 'generator_expression':
      case 'dictionary_comprehension': {
        const inner = env.child();
        let v: Val = {};
        for (const c of namedChildren(node)) {
          if (c.type === 'for_in_clause') {
            const left = field(c, 'left');
            const right = field(c, 'right');
            const it = right ? streamContent(this.evalExpr(right, inner), right) : {};
            if (left) this.bind(left, { taint: it.taint }, inner);
          } else if (c.type === 'if_clause') {
            for (const x of namedChildren(c)) this.evalExpr(x, inner);
          }
        }
        const body = field(node, 'body');
        if (body) v = this.evalExpr(body, inner);
        return { taint: v.taint, list: true };
      }
      case 'pair': {
        const val = field(node, 'value');
        return val ? this.evalExpr(val, env) : {};
      }
      case 'keyword_argument': {
        const val = field(node, 'value');
        return val ? this.evalExpr(val, env) : {};
      }
      case 'list_splat':
      case 'dictionary_splat': {
        const inner = namedChildren(node)[0];
        return inner ? this.evalExpr(inner, env) : {};
      }
      case 'lambda':
        return {};
      default: {
        let v: Val = {};
        for (const c of namedChildren(node)) {
          if (isStatement(c)) this.execStmt(c, env);
          else v = mergeVal(v, this.evalExpr(c, env));
        }
        return { taint: v.taint };
      }
    }
  }

  private evalString(node: PyNode, env: Env): Val {
    let v: Val = { konst: '' };
    for (const c of node.children) {
      if (c.type === 'string_content') {
        v = this.concat(v, { konst: this.src(c) });
      } else if (c.type === 'interpolation') {
        const expr = field(c, 'expression') ?? namedChildren(c)[0];
        let iv = expr ? this.evalExpr(expr, env) : {};
        // f"{x:d}" / f"{x:.2f}": numeric format specs raise on strings.
        const spec = c.children.find((x) => x.type === 'format_specifier');
        if (spec && /[dbcoxXneEfFgG%]\s*$/.test(this.src(spec)) && !/\{/.test(this.src(spec))) iv = { konst: undefined };
        v = this.concat(v, { taint: iv.taint, konst: iv.konst, hostFixed: iv.hostFixed });
      }
    }
    return v;
  }

  /** The argument-vector shape of a list literal (undefined when the program is not a plain element). */
  private argvShape(elems: PyNode[], vals: Val[]): Argv | undefined {
    if (!elems.length || elems[0].type === 'list_splat' || elems[0].type === 'comment') return undefined;
    const prog = vals[0].konst ?? stringValue(elems[0], this.text);
    const dashC = elems.findIndex((e, i) => i > 0 && /^[-/]c$/i.test(vals[i].konst ?? stringValue(e, this.text) ?? ''));
    if (prog !== undefined && SHELLS.test(prog.replace(/^.*[\\/]/, '')) && dashC > 0) {
      if (elems.slice(1, dashC + 2).some((e) => e.type === 'list_splat')) return undefined;
      const script = vals[dashC + 1];
      return { throughShell: true, script: script?.taint, awaitingScript: dashC === elems.length - 1 };
    }
    return { program: vals[0].taint, throughShell: false };
  }

  /** String concatenation: taint is the union; the host is fixed by a constant prefix. */
  private concat(a: Val, b: Val): Val {
    const konst = a.konst !== undefined && b.konst !== undefined ? a.konst + b.konst : undefined;
    const hostFixed = a.hostFixed || (a.konst !== undefined && HOST_PREFIX.test(a.konst)) || (konst !== undefined && HOST_PREFIX.test(konst));
    const taint = mergeTaint(a.taint, b.taint);
    return {
      taint: taint ? { ...destructure(taint), normalized: false } : undefined,
      konst,
      built: konst === undefined,
      hostFixed: hostFixed || undefined,
      // `[program, ...] + more` is a list whatever `more` is known to be (only lists add to lists).
      list: (a.list && b.list) || (a.list && !!a.argv) || undefined,
      // The program stays; a shell list ending in -c takes its script from the right.
      argv: a.list && a.argv ? appendArgv(a.argv, b) : undefined,
      wholeArgv: (a.list && a.wholeArgv) || undefined,
    };
  }

  private isRequestObject(node: PyNode, v: Val): boolean {
    if (v.type && (REQUEST_OBJECTS.has(v.type) || v.type === 'flask.request')) return true;
    // Django class-based views and Tornado handlers: self.request
    const n = unparen(node);
    if (n.type === 'attribute' && this.src(n) === 'self.request') return true;
    return false;
  }

  private evalAttribute(node: PyNode, env: Env): Val {
    const key = this.pathKey(node);
    if (key) {
      const known = env.get(key) ?? this.lookup(key);
      if (known) return known;
    }
    const obj = field(node, 'object');
    const attrNode = field(node, 'attribute');
    if (!obj || !attrNode) return {};
    const attr = this.src(attrNode);
    const ov = this.evalExpr(obj, env);
    const type = ov.type ? normalizeName(`${ov.type}.${attr}`) : undefined;
    if (type && SOURCE_ATTRIBUTES[type]) {
      const s = SOURCE_ATTRIBUTES[type];
      return { taint: { origins: [{ kind: s.kind, start: node.start, end: node.end, description: s.description }], safe: 0 }, type };
    }
    if (this.isRequestObject(obj, ov) && Object.prototype.hasOwnProperty.call(REQUEST_ATTRIBUTES, attr)) {
      return {
        taint: { origins: [{ kind: 'remote', start: node.start, end: node.end, description: this.src(node), structured: REQUEST_ATTRIBUTES[attr].structured }], safe: 0 },
      };
    }
    if (ov.taint) return { taint: ov.taint, hostFixed: ov.hostFixed };
    return { type };
  }

  /** The callee's qualified name, when it is known (imports, typed receivers, builtins). */
  private calleeName(call: PyNode, env: Env): string | undefined {
    const callee = field(call, 'function');
    if (!callee) return undefined;
    if (callee.type === 'identifier') {
      const name = this.src(callee);
      const v = env.get(name) ?? this.lookup(name);
      if (v) return v.type && !v.taint ? v.type : undefined;
      return this.imports.get(name) ?? name;
    }
    if (callee.type === 'attribute') {
      const obj = field(callee, 'object');
      const attr = field(callee, 'attribute');
      if (!obj || !attr) return undefined;
      const ov = this.evalExprQuiet(obj, env);
      return ov.type ? normalizeName(`${ov.type}.${this.src(attr)}`) : undefined;
    }
    return undefined;
  }

  private evalCall(node: PyNode, env: Env): Val {
    const parts = callParts(node, this.text);
    const callee = parts.callee;
    let recv: PyNode | undefined;
    let recvVal: Val | undefined;
    let method: string | undefined;
    let q: string | undefined;
    if (callee.type === 'attribute') {
      recv = field(callee, 'object');
      const attrNode = field(callee, 'attribute');
      method = attrNode ? this.src(attrNode) : undefined;
      recvVal = recv ? this.evalExpr(recv, env) : {};
      if (recvVal.type && method) q = normalizeName(`${recvVal.type}.${method}`);
    } else if (callee.type === 'identifier') {
      const name = this.src(callee);
      const v = env.get(name) ?? this.lookup(name);
      if (v) q = v.type && !v.taint ? v.type : undefined;
      else q = this.imports.get(name) ?? name;
    } else {
      this.evalExpr(callee, env);
    }
    const argVals = parts.positional.map((a) => this.evalExpr(a, env));
    const kwVals = new Map<string, Val>();
    for (const [k, n] of parts.keywords) kwVals.set(k, this.evalExpr(n, env));
    if (parts.argList)
      for (const a of namedChildren(parts.argList)) if (a.type === 'list_splat' || a.type === 'dictionary_splat') argVals.push(this.evalExpr(a, env));
    // json.load(sys.stdin): the reader consumes the stream, its result is the stream's content.
    if (q && STREAM_READERS.has(q)) argVals.forEach((v, i) => (argVals[i] = i < parts.positional.length ? streamContent(v, parts.positional[i]) : v));

    // Same-file functions shadow library names (a local `def open(...)`).
    const target = this.resolveFunction(callee, env, recvVal);
    // Sinks
    if (q && !target) for (const spec of SINKS_BY_NAME.get(q) ?? []) this.checkSink(spec, node, parts, argVals, kwVals, q, recvVal, env);
    if (method && recv)
      for (const spec of SINKS_BY_METHOD.get(method) ?? [])
        if (this.receiverIs(spec.receiver, recv, recvVal ?? {})) this.checkSink(spec, node, parts, argVals, kwVals, `${this.src(recv).length > 40 ? '…' : this.src(recv)}.${method}`, recvVal, env);

    const allArgs = mergeVal(argVals.reduce<Val>((acc, v) => mergeVal(acc, v), {}), [...kwVals.values()].reduce<Val>((acc, v) => mergeVal(acc, v), {}));
    const resultType = q ? `${q}()` : undefined;

    if (target) return this.applySummary(target, node, parts, argVals, kwVals, callee.type === 'attribute');

    if (q && SOURCE_CALLS[q]) {
      const s = SOURCE_CALLS[q];
      return { taint: { origins: [{ kind: s.kind, start: node.start, end: node.end, description: s.description, structured: s.structured }], safe: 0 } };
    }
    if (recv && method) {
      if (recvVal && this.isRequestObject(recv, recvVal) && Object.prototype.hasOwnProperty.call(REQUEST_METHODS, method)) {
        return { taint: { origins: [{ kind: 'remote', start: node.start, end: node.end, description: `${this.src(callee)}()`, structured: REQUEST_METHODS[method].structured }], safe: 0 } };
      }
      if (this.src(recv) === 'self' && SELF_SOURCE_METHODS.has(method)) {
        return { taint: { origins: [{ kind: 'remote', start: node.start, end: node.end, description: `${this.src(callee)}()` }], safe: 0 } };
      }
    }
    // Quoted SQL identifiers: safe in SQL text, and not "dynamically built" SQL for review either.
    if ((q && SQL_QUOTING_CALLS.has(q)) || (method && recv && (SQL_QUOTING_METHODS.has(method) || (method === 'quote' && SQL_QUOTING_RECEIVER.test(this.src(recv).slice(-80)))))) {
      return { konst: '"identifier"', taint: allArgs.taint ? { ...allArgs.taint, safe: allArgs.taint.safe | CATEGORY_BITS.sql } : undefined };
    }
    if (q && Object.prototype.hasOwnProperty.call(SANITIZERS, q)) {
      const mask = SANITIZERS[q];
      if (mask === ALL_CATEGORIES || !allArgs.taint) return { type: resultType };
      return { taint: { ...allArgs.taint, safe: allArgs.taint.safe | mask }, type: resultType };
    }
    if (q && PROPAGATORS.has(q)) {
      let taint = allArgs.taint;
      if (taint && STRUCTURING_CALLS.has(q)) taint = { ...taint, origins: taint.origins.map((o) => ({ ...o, structured: true })) };
      else if (taint && STRINGIFYING.has(q)) taint = destructure(taint);
      if (taint && PATH_NORMALIZERS.has(q)) taint = { ...taint, normalized: true };
      else if (taint && /^os\.path\.join$|^posixpath\.join$/.test(q)) taint = { ...taint, normalized: false };
      const first = argVals[0];
      // shlex.split(input) is a whole argument vector chosen by the input, program included.
      if (q === 'shlex.split') return { taint, list: true, wholeArgv: !!taint };
      return { taint, type: taint ? 'pathlib.Path' === q ? q : undefined : resultType, built: allArgs.built, konst: undefined, hostFixed: q === 'urllib.request.Request' ? first?.hostFixed : undefined };
    }
    if (recv && method) {
      // Writes into a container taint the container.
      if (CONTAINER_WRITES.has(method) && allArgs.taint) {
        const key = this.pathKey(recv);
        if (key) {
          const old = env.get(key) ?? {};
          env.set(key, { ...mergeVal(old, { taint: allArgs.taint }), type: old.type, list: old.list, argv: old.argv && (method === 'append' || method === 'extend') ? appendArgv(old.argv, method === 'append' ? { taint: allArgs.taint } : { taint: allArgs.taint, list: true }) : old.argv });
        }
        return {};
      }
      // configparser: conf.set(section, key, value) / conf.get(section, key), per key.
      if (recvVal?.type && /^configparser\.\w*Parser\(\)$/.test(recvVal.type) && (method === 'set' || method === 'get') && parts.positional.length >= 2) {
        const section = constantKey(parts.positional[0], this);
        const option = constantKey(parts.positional[1], this);
        const k = section !== undefined && option !== undefined ? `${section}\u0000${option}` : undefined;
        const key = this.pathKey(recv);
        if (method === 'set' && key && parts.positional.length >= 3) {
          const old = env.get(key) ?? recvVal;
          const value = argVals[2];
          env.set(key, { ...mergeVal(old, { taint: value.taint }), type: old.type, fields: k !== undefined && (old.fields || !old.taint) ? new Map(old.fields ?? []).set(k, value) : undefined });
          return {};
        }
        if (method === 'get') return k !== undefined && recvVal.fields?.has(k) ? recvVal.fields.get(k)! : { taint: recvVal.taint };
      }
      // request.args.get("page", 1, type=int): Werkzeug converts (and drops invalid values).
      if ((method === 'get' || method === 'getlist') && recvVal?.taint && parts.keywords.has('type') && /^(int|float|bool|uuid\.UUID|UUID)$/.test(this.src(parts.keywords.get('type')!))) return {};
      if (method === 'get' && recvVal?.fields && parts.positional[0]) {
        const k = constantKey(parts.positional[0], this);
        if (k !== undefined && recvVal.fields.has(k)) return mergeVal(recvVal.fields.get(k), argVals[1]);
      }
      if (recvVal?.taint) {
        if (NON_PROPAGATING_METHODS.has(method)) return {};
        // x.replace("'", "''") / ("`", "``"): quote doubling makes a value safe inside that SQL quote.
        if (method === 'replace' && parts.positional.length >= 2) {
          const [from, to] = parts.positional.map((a) => stringValue(a, this.text));
          if (from !== undefined && /^['"`]$/.test(from) && (to === from + from || to === '\\' + from)) {
            return { taint: { ...recvVal.taint, safe: recvVal.taint.safe | CATEGORY_BITS.sql }, built: true };
          }
        }
        let taint: Taint | undefined = recvVal.taint;
        if (STRING_ARG_METHODS.has(method)) taint = mergeTaint(taint, allArgs.taint);
        if (PATH_NORMALIZER_METHODS.has(method)) taint = { ...taint!, normalized: true };
        return { taint, hostFixed: recvVal.hostFixed, built: true };
      }
      if (STRING_ARG_METHODS.has(method) && recvVal?.konst !== undefined) {
        const hostFixed = recvVal?.konst !== undefined && HOST_PREFIX.test(recvVal.konst);
        if (allArgs.taint || allArgs.built || allArgs.konst === undefined) return { taint: allArgs.taint, built: true, hostFixed };
      }
    }
    return { type: resultType };
  }

  private resolveFunction(callee: PyNode, env: Env, recvVal?: Val): FunctionInfo | undefined {
    if (callee.type === 'identifier') {
      const name = this.src(callee);
      if (env.has(name) || this.imports.has(name)) return undefined;
      return this.functionsByName.get(name)?.find((f) => !f.isMethod);
    }
    if (callee.type === 'attribute') {
      const obj = field(callee, 'object');
      const attr = field(callee, 'attribute');
      if (obj && attr && (this.src(obj) === 'self' || this.src(obj) === 'cls')) {
        const name = this.src(attr);
        const cls = this.current.className;
        return this.functionsByName.get(name)?.find((f) => f.isMethod && f.className === cls);
      }
      // An instance of a class of this file: Converter("png").run(src)
      const instanceOf = recvVal?.type && !recvVal.taint ? /^(\w+)\(\)$/.exec(recvVal.type)?.[1] : undefined;
      if (attr && instanceOf) return this.functionsByName.get(this.src(attr))?.find((f) => f.isMethod && f.className === instanceOf);
    }
    return undefined;
  }

  private applySummary(fn: FunctionInfo, call: PyNode, parts: CallParts, argVals: Val[], kwVals: Map<string, Val>, viaSelf: boolean): Val {
    if (this.observing) {
      // A recursive call reads the summary being built: not an input a replay could check.
      if (fn === this.current) this.observing.replayable = false;
      else this.observing.summaries.push([fn, fn.summary]);
    }
    const offset = fn.isMethod && viaSelf ? 1 : 0;
    const argFor = (param: number): Val | undefined => {
      const name = fn.params[param];
      if (name && kwVals.has(name)) return kwVals.get(name);
      const i = param - offset;
      return i >= 0 && i < parts.positional.length ? argVals[i] : undefined;
    };
    // Sinks inside the callee reached through its parameters.
    for (const use of fn.summary.sinks) {
      const arg = argFor(use.param);
      if (!arg?.taint || !isDangerous(arg.taint, CATEGORY_BITS[use.category])) continue;
      this.recordTaintedSink(use.category, use.sinkStart, use.sinkEnd, use.sinkName, arg.taint, use.fixKind, use.fixNode);
    }
    // Return value: the callee's own sources plus the taint of the arguments its parameters carry there.
    let taint: Taint | undefined;
    const returns = fn.summary.returns;
    if (returns) {
      const own = returns.origins.filter((o) => o.kind !== 'param');
      if (own.length) taint = { origins: own, safe: returns.safe };
      for (const o of returns.origins) {
        if (o.kind !== 'param' || o.param === undefined) continue;
        const arg = argFor(o.param);
        if (arg?.taint) taint = mergeTaint(taint, { ...arg.taint, safe: arg.taint.safe | returns.safe });
      }
    }
    return { taint };
  }

  private receiverIs(kind: ReceiverKind | undefined, recv: PyNode, v: Val): boolean {
    const type = v.type ?? '';
    const last = lastName(recv, this);
    switch (kind) {
      case undefined:
        return true;
      case 'db':
        if (hasSource(v.taint)) return false;
        if (DB_CONSTRUCTORS.some((r) => r.test(type)) || /\.cursor\(\)$/.test(type)) return true;
        if (MONGO_CONSTRUCTORS.some((r) => r.test(type)) || HTTP_CONSTRUCTORS.some((r) => r.test(type))) return false;
        return !!last && DB_RECEIVER_NAME.test(last);
      case 'mongo': {
        if (hasSource(v.taint)) return false;
        if (MONGO_CONSTRUCTORS.some((r) => r.test(type))) return true;
        if (DB_CONSTRUCTORS.some((r) => r.test(type)) || /\.cursor\(\)$/.test(type)) return false;
        const segments = chainNames(recv, this);
        if (segments.length === 0) return false;
        if (segments.some((s) => /mongo/i.test(s))) return true;
        // `db.users.find(...)`, `db["users"]`, `collection.find(...)`: a database handle and a collection.
        return (segments.length >= 2 && segments.slice(0, -1).some((s) => /^(db|database|\w*_db)$/i.test(s))) || /collection$|^coll$|_coll$/i.test(segments[segments.length - 1]) || (segments.length === 1 && MONGO_RECEIVER_NAME.test(segments[0]) && /collection|coll/i.test(segments[0]));
      }
      case 'http':
        return HTTP_CONSTRUCTORS.some((r) => r.test(type));
      case 'django-queryset':
        return chainNames(recv, this).includes('objects');
      case 'template-env':
        return TEMPLATE_ENV_CONSTRUCTORS.some((r) => r.test(type)) || (!!last && TEMPLATE_ENV_RECEIVER_NAME.test(last)) || /jinja_env$/.test(this.src(recv));
      case 'tainted-receiver':
        return !!v.taint;
      case 'tornado-handler': {
        if (this.src(recv) !== 'self' || !this.current.className) return false;
        const cls = this.current.node.parent?.type === 'decorated_definition' ? this.current.node.parent.parent?.parent : this.current.node.parent?.parent;
        const bases = cls?.type === 'class_definition' ? field(cls, 'superclasses') : undefined;
        return !!bases && /RequestHandler/.test(this.src(bases));
      }
      case 'upload':
        return hasSource(v.taint) && /files|FILES|file/.test(this.src(recv).slice(0, 200)) || (!!v.taint && v.taint.origins.some((o) => /files|FILES/.test(o.description)));
      default:
        return false;
    }
  }

  // ---- sinks ---------------------------------------------------------------

  private checkSink(spec: SinkSpec, call: PyNode, parts: CallParts, argVals: Val[], kwVals: Map<string, Val>, sinkName: string, recvVal: Val | undefined, env: Env): void {
    const bit = CATEGORY_BITS[spec.category];
    const checked: Array<{ node: PyNode; val: Val }> = [];
    for (const a of spec.args) {
      if (typeof a === 'number') {
        if (a < parts.positional.length) checked.push({ node: parts.positional[a], val: argVals[a] });
      } else if (parts.keywords.has(a)) checked.push({ node: parts.keywords.get(a)!, val: kwVals.get(a)! });
    }
    if (spec.receiver === 'tainted-receiver' && recvVal) checked.push({ node: field(parts.callee, 'object')!, val: recvVal });
    if (!checked.length) return;

    switch (spec.condition) {
      case 'subprocess': {
        const shellNode = parts.keywords.get('shell');
        const shell = !!shellNode && !/^(False|0|None)$/.test(this.src(shellNode));
        const cmd = unparen(checked[0].node);
        if (shell) break;
        const argv = checked[0].val.argv;
        if (checked[0].val.wholeArgv) {
          // shlex.split(input) names the program too: a program chosen remotely.
          checked[0] = { ...checked[0], val: remoteOnly(checked[0].val) };
          break;
        }
        if (checked[0].val.list || cmd.type === 'list' || cmd.type === 'tuple') {
          // An argument vector without a shell: later elements are arguments, never commands.
          if (!argv) return;
          const elems = cmd.type === 'list' || cmd.type === 'tuple' ? namedChildren(cmd) : [];
          if (argv.throughShell) {
            // ["sh", "-c", script]: the script is a shell command line (local input too, like os.system).
            if (!argv.script) return;
            const dashC = elems.findIndex((e, i) => i > 0 && /^[-/]c$/i.test(stringValue(e, this.text) ?? ''));
            checked.splice(0, checked.length, { node: elems[dashC + 1] ?? checked[0].node, val: { taint: argv.script } });
          } else {
            // Without a shell, a program chosen from argv/env is ordinary CLI behaviour ($EDITOR): only remote input counts.
            checked.splice(0, checked.length, { node: elems[0] ?? checked[0].node, val: remoteOnly({ taint: argv.program }) });
          }
        } else checked[0] = { ...checked[0], val: remoteOnly(checked[0].val) };
        break;
      }
      case 'yaml-unsafe-loader': {
        const loader = parts.keywords.get('Loader') ?? parts.positional[1];
        if (loader && SAFE_YAML_LOADERS.test(this.src(loader))) return;
        const arg = checked[0];
        if (!isDangerous(arg.val.taint, bit) && arg.val.konst === undefined && !isLiteral(arg.node)) {
          // Always a bug: yaml.load with a full/unsafe Loader constructs arbitrary objects.
          this.record({
            category: spec.category,
            sinkStart: call.start,
            sinkEnd: call.end,
            sinkName,
            confidence: 'high',
            message: `Unsafe deserialization: ${sinkName} without a safe Loader can construct arbitrary Python objects; use yaml.safe_load`,
            fixKind: spec.fix,
            fixNode: call,
          });
          return;
        }
        break;
      }
      case 'url-host':
        for (const c of checked) {
          if (!c.val.hostFixed) continue;
          // Input in the path of a fixed host: "partial SSRF" (../, ?, # reach other endpoints of that host).
          const t = c.val.taint;
          if (isDangerous(t, bit) && hasSource(t) && !this.flows.has(`${spec.category}:${call.start}:${call.end}`)) {
            const source = t!.origins.find((o) => o.kind === 'remote');
            if (source)
              this.record({
                category: spec.category,
                sinkStart: call.start,
                sinkEnd: call.end,
                sinkName,
                confidence: 'high',
                source,
                severity: 'medium',
                message: `Partial SSRF: ${source.description} controls the path of the URL ${sinkName} requests (the host is fixed)`,
              });
          }
          c.val = { ...c.val, taint: undefined, built: false };
        }
        break;
      case 'html-content-type': {
        const ct = parts.keywords.get('content_type') ?? parts.keywords.get('mimetype') ?? parts.keywords.get('media_type') ?? (sinkName === 'django.http.HttpResponse' ? parts.positional[1] : undefined);
        if (ct) {
          const v = stringValue(ct, this.text);
          if (v !== undefined && !/html/i.test(v)) return;
        }
        break;
      }
      case 'not-a-dict':
        for (const c of checked) if (unparen(c.node).type === 'dictionary' || c.val.fields) c.val = { ...c.val, taint: undefined, built: false };
        break;
      case 'nosql-filter':
        for (const c of checked) {
          const structured = c.val.taint?.origins.some((o) => o.structured || o.kind === 'param');
          if (!(structured || c.val.where)) c.val = { ...c.val, taint: undefined };
        }
        break;
    }

    let reviewNode: PyNode | undefined;
    for (const c of checked) {
      const t = c.val.taint;
      if (isDangerous(t, bit)) {
        this.recordTaintedSink(spec.category, call.start, call.end, sinkName, t!, spec.fix, call);
        if (hasSource(t)) return;
      }
      if (c.val.built && !reviewNode) reviewNode = c.node;
    }
    // A string built from a parameter of a function nothing in this file calls (an API whose callers are elsewhere).
    if (reviewNode && (spec.category === 'sql' || spec.category === 'command') && this.isEntryFunction(this.current)) {
      for (const c of checked) {
        const param = c.val.built && isDangerous(c.val.taint, bit) ? c.val.taint!.origins.find((o) => o.kind === 'param') : undefined;
        if (!param) continue;
        this.record({
          category: spec.category,
          sinkStart: call.start,
          sinkEnd: call.end,
          sinkName,
          confidence: 'high',
          severity: 'medium',
          source: { ...param, description: `${param.description} of ${this.current.name}() (its callers are not in this file)` },
          fixKind: spec.fix,
          fixNode: call,
        });
        return;
      }
    }
    if (reviewNode && spec.category !== 'nosql') {
      this.record({ category: spec.category, sinkStart: call.start, sinkEnd: call.end, sinkName, confidence: 'review', fixKind: spec.fix, fixNode: call });
    }
  }

  private recordTaintedSink(category: SinkCategory, sinkStart: number, sinkEnd: number, sinkName: string, taint: Taint, fixKind: SinkSpec['fix'], fixNode: PyNode | undefined): void {
    const bit = CATEGORY_BITS[category];
    const source = taint.origins.find((o) => o.kind === 'remote') ?? taint.origins.find((o) => o.kind === 'local' && (originSafe(o) & bit) === 0);
    for (const o of taint.origins) {
      if (o.kind === 'param' && o.param !== undefined && this.current !== this.moduleInfo) {
        const sinks = this.current.summary.sinks;
        if (!sinks.some((s) => s.param === o.param && s.sinkStart === sinkStart && s.category === category))
          sinks.push({ param: o.param, category, sinkStart, sinkEnd, sinkName, fixKind, fixNode });
      }
    }
    if (!source) return;
    const local = taint.origins.every((o) => o.kind !== 'remote');
    this.record({ category, sinkStart, sinkEnd, sinkName, confidence: 'high', source, severity: local ? 'medium' : undefined, fixKind, fixNode });
  }

  private record(r: RecordFields): void {
    if (!this.reporting) {
      // The first pass keeps what the second would report, should it replay this function.
      if (this.quiet === 0) this.observing?.records.push(r);
      return;
    }
    this.tracing?.records.push(r);
    const key = `${r.category}:${r.sinkStart}:${r.sinkEnd}`;
    const existing = this.flows.get(key);
    if (existing && (existing.confidence === 'high' || r.confidence === 'review')) return;
    const lines = this.ctx.lines;
    const flow: TaintFlow = {
      category: r.category,
      sinkRange: lines.range(r.sinkStart, r.sinkEnd),
      sinkName: r.sinkName,
      confidence: r.confidence,
      source: r.source ? { range: lines.range(r.source.start, r.source.end), description: r.source.description } : undefined,
    };
    if (r.message) flow.message = r.message;
    if (r.severity) flow.severity = r.severity;
    if (r.fixKind && r.fixNode) {
      try {
        const fix = buildFix(r.fixKind, r.fixNode, this.fixContext());
        if (fix) flow.fixes = [fix];
      } catch {
        // A fix we cannot build safely is no fix.
      }
    }
    this.flows.set(key, flow);
  }

  private identifierUses?: Map<string, number>;
  /** A public module-level function that nothing in this file calls or references. */
  private isEntryFunction(fn: FunctionInfo): boolean {
    if (fn === this.moduleInfo || fn.isMethod || !fn.name || fn.name.startsWith('_') || fn.htmlView) return false;
    // Decorated functions are called by a framework, which also decides their parameters (routes: see paramEnv).
    if (fn.node.parent?.type !== 'module') return false;
    return !this.isReferenced(fn);
  }

  /** The function's name occurs somewhere besides its definition. */
  private isReferenced(fn: FunctionInfo): boolean {
    if (!this.identifierUses) this.readWholeTree();
    return (this.identifierUses!.get(fn.name) ?? 0) > 1;
  }

  private fixCtx?: FixContext;
  private fixContext(): FixContext {
    return (this.fixCtx ??= { text: this.text, lines: this.ctx.lines, root: this.root, imports: this.imports });
  }

  /** Flask views: a returned str is sent as text/html. */
  private checkHtmlReturn(value: PyNode, env: Env): void {
    let body = unparen(value);
    if (body.type === 'expression_list' || body.type === 'tuple') {
      const items = namedChildren(body);
      // `return text, 200, {"Content-Type": "text/plain"}`
      const headers = items.slice(1).map((i) => this.src(i)).join(' ');
      if (/content-type/i.test(headers) && !/html/i.test(headers)) return;
      if (/mimetype|application\/json|text\/plain/i.test(headers)) return;
      body = items[0];
      if (!body) return;
    }
    if (body.type === 'dictionary' || body.type === 'list') return;
    const v = this.evalExprQuiet(body, env);
    const t = v.taint;
    if (!isDangerous(t, CATEGORY_BITS.xss)) return;
    // A parsed JSON value returned as is becomes a JSON response.
    const building = body.type === 'string' || body.type === 'binary_operator' || body.type === 'concatenated_string';
    if (!building && t!.origins.every((o) => o.structured)) return;
    if (v.list) return;
    this.recordTaintedSink('xss', body.start, body.end, 'a Flask view response (text/html)', t!, undefined, undefined);
  }
}

/** A kept scope moved across an edit (shared parents moved once). */
function moveEnv(env: Env, shifter: TraceShifter, done: Map<Env, Env>): Env {
  let moved = done.get(env);
  if (moved) return moved;
  moved = new Env(env.parent && moveEnv(env.parent, shifter, done));
  done.set(env, moved);
  for (const [k, v] of env.vars) moved.vars.set(k, moveVal(v, shifter));
  return moved;
}

function moveVal(v: Val, shifter: TraceShifter): Val {
  if (!v.taint && !v.argv && !v.fields) return v;
  const out: Val = { ...v };
  if (v.taint) out.taint = shifter.taint(v.taint) as Taint;
  if (v.argv) out.argv = { ...v.argv, program: shifter.taint(v.argv.program) as Taint | undefined, script: shifter.taint(v.argv.script) as Taint | undefined };
  if (v.fields) out.fields = new Map([...v.fields].map(([k, f]) => [k, moveVal(f, shifter)]));
  return out;
}

/** Methods of str: calling them says nothing about the value being an object. */
const STR_METHODS = new Set(['capitalize', 'casefold', 'center', 'count', 'encode', 'endswith', 'expandtabs', 'find', 'format', 'format_map', 'index', 'isalnum', 'isalpha', 'isascii', 'isdecimal', 'isdigit', 'isidentifier', 'islower', 'isnumeric', 'isprintable', 'isspace', 'istitle', 'isupper', 'join', 'ljust', 'lower', 'lstrip', 'partition', 'removeprefix', 'removesuffix', 'replace', 'rfind', 'rindex', 'rjust', 'rpartition', 'rsplit', 'rstrip', 'split', 'splitlines', 'startswith', 'strip', 'swapcase', 'title', 'translate', 'upper', 'zfill', 'decode']);

/** HTTP-method handlers of Django class-based views: their extra parameters come from the URL. */
const DJANGO_CBV_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'dispatch']);

function mergeRouteParams(a: Map<string, boolean>, b: Map<string, boolean>): Map<string, boolean> {
  const out = new Map(a);
  for (const [k, v] of b) out.set(k, (out.get(k) ?? false) || v);
  return out;
}

/** An argument vector with more elements appended (`argv + rest`, `argv.append(x)`). */
function appendArgv(a: Argv, more: Val): Argv {
  if (!a.throughShell || !a.awaitingScript) return a;
  // The first appended element becomes the `-c` script; with a list of unknown shape, any element may.
  return { ...a, script: mergeTaint(a.script, more.argv ? (more.argv.throughShell ? more.taint : more.argv.program) : more.taint), awaitingScript: false };
}

/** Iterating over (or reading to the end) an input stream such as sys.stdin yields its content. */
function streamContent(v: Val, node: PyNode): Val {
  const s = v.type && !v.taint ? INPUT_STREAMS[v.type] : undefined;
  if (!s) return v;
  return { taint: { origins: [{ kind: s.kind, start: node.start, end: node.end, description: s.description }], safe: 0 } };
}

/** A string made from the value: no longer a client-chosen structure. */
function destructure(t: Taint): Taint {
  return t.origins.some((o) => o.structured) ? { ...t, origins: t.origins.map((o) => (o.structured ? { ...o, structured: false } : o)) } : t;
}

const STRINGIFYING = new Set(['str', 'repr', 'format', 'bytes', 'base64.b64decode', 'base64.b64encode']);

function paramName(p: PyNode): PyNode | undefined {
  if (p.type === 'identifier') return p;
  const name = field(p, 'name');
  if (name) return name.type === 'identifier' ? name : undefined;
  for (const c of p.children) if (c.type === 'identifier') return c;
  return undefined;
}

function unpackTargets(n: PyNode): PyNode[] | undefined {
  if (n.type === 'pattern_list' || n.type === 'tuple_pattern' || n.type === 'expression_list' || n.type === 'tuple' || n.type === 'list_pattern') return namedChildren(n);
  return undefined;
}

function isLiteral(n: PyNode): boolean {
  const u = unparen(n);
  if (u.type === 'string') return !u.children.some((c) => c.type === 'interpolation');
  return ['integer', 'float', 'true', 'false', 'none', 'concatenated_string'].includes(u.type) && !(u.type === 'concatenated_string' && namedChildren(u).some((c) => !isLiteral(c)));
}

function isStatement(n: PyNode): boolean {
  return /_statement$|^(function_definition|class_definition|decorated_definition|block|assignment|augmented_assignment)$/.test(n.type);
}

function isStaticMethod(decorators: PyNode[], a: PythonTaint): boolean {
  return decorators.some((d) => a.src(d) === 'staticmethod');
}

function constantKey(n: PyNode, a: PythonTaint): string | undefined {
  const u = unparen(n);
  if (u.type === 'integer') return a.src(u);
  return stringValue(u, a.text);
}

function keyIsWhere(sub: PyNode, a: PythonTaint): boolean {
  const k = sub.children.find((c) => c.field === 'subscript');
  return !!k && stringValue(k, a.text) === '$where';
}

function lastName(n: PyNode, a: PythonTaint): string | undefined {
  const u = unparen(n);
  if (u.type === 'identifier') return a.src(u);
  if (u.type === 'attribute') {
    const attr = field(u, 'attribute');
    return attr ? a.src(attr) : undefined;
  }
  if (u.type === 'call') {
    const f = field(u, 'function');
    return f ? lastName(f, a) : undefined;
  }
  if (u.type === 'subscript') {
    const v = field(u, 'value');
    return v ? lastName(v, a) : undefined;
  }
  return undefined;
}

/** `self.db.users` → ['self', 'db', 'users']; `db["users"]` → ['db', 'users']. */
function chainNames(n: PyNode, a: PythonTaint, depth = 0): string[] {
  if (depth > 20) return [];
  const u = unparen(n);
  if (u.type === 'identifier') return [a.src(u)];
  if (u.type === 'attribute') {
    const obj = field(u, 'object');
    const attr = field(u, 'attribute');
    return [...(obj ? chainNames(obj, a, depth + 1) : []), ...(attr ? [a.src(attr)] : [])];
  }
  if (u.type === 'subscript') {
    const v = field(u, 'value');
    const k = u.children.find((c) => c.field === 'subscript');
    const key = k ? stringValue(k, a.text) : undefined;
    return [...(v ? chainNames(v, a, depth + 1) : []), ...(key ? [key] : [])];
  }
  if (u.type === 'call') {
    const f = field(u, 'function');
    return f ? chainNames(f, a, depth + 1) : [];
  }
  return [];
}

const SINKS_BY_NAME = new Map<string, SinkSpec[]>();
const SINKS_BY_METHOD = new Map<string, SinkSpec[]>();
for (const spec of SINKS) {
  for (const n of spec.names ?? []) SINKS_BY_NAME.set(n, [...(SINKS_BY_NAME.get(n) ?? []), spec]);
  for (const m of spec.methods ?? []) SINKS_BY_METHOD.set(m, [...(SINKS_BY_METHOD.get(m) ?? []), spec]);
}
const EXIT_NAMES = /(^|\.)(abort|exit|quit|_exit|HTTPException)$/;

const normalized = new Map<string, string>();
function normalizeName(name: string): string {
  let n = normalized.get(name);
  if (n === undefined) {
    n = normalizeUncached(name);
    if (normalized.size > 50_000) normalized.clear();
    normalized.set(name, n);
  }
  return n;
}

function normalizeUncached(name: string): string {
  if (MODULE_ALIASES[name]) return MODULE_ALIASES[name];
  const parts = name.split('.');
  for (let i = parts.length - 1; i > 0; i--) {
    const prefix = parts.slice(0, i).join('.');
    const alias = MODULE_ALIASES[prefix];
    if (alias) return [alias, ...parts.slice(i)].join('.');
  }
  // Framework re-exports: flask.json.loads etc. are out of scope; common submodule paths are folded.
  return name
    .replace(/^werkzeug\.utils\.send_file$/, 'flask.send_file')
    .replace(/^flask\.helpers\./, 'flask.')
    .replace(/^flask\.templating\./, 'flask.')
    .replace(/^django\.shortcuts\.HttpResponse$/, 'django.http.HttpResponse')
    .replace(/^(starlette|fastapi)\.responses\.(HTMLResponse|FileResponse)$/, 'fastapi.responses.$2')
    .replace(/^sqlalchemy\.sql\.(expression\.)?text$/, 'sqlalchemy.text')
    .replace(/^os\.path\.(\w+)$/, 'os.path.$1')
    .replace(/^posixpath\./, 'os.path.')
    .replace(/^ntpath\./, 'os.path.');
}

/** A Django module's URL routing: whether it routes to its own functions, and each routed view's URL parameters (true: free text). */
interface UrlConf {
  routes: boolean;
  views: Map<string, Map<string, boolean> | 'unknown'>;
}

const COLLECTED = new Set(['import_statement', 'import_from_statement', 'function_definition']);

/**
 * What the last analysis of each open editor document leaves: its mirror (an
 * edit re-reads only the statements it touches) and per-function results (an
 * edit re-analyses only the function it touches).
 */
const documentTaint = new DocumentStateCache<KeptTaint>();

/** How many edits reused other functions' results (for tests and the benchmark). */
export const pythonReuseStats = { reused: 0, full: 0 };

/** Taint analysis of a Python module. */
export function analyzePythonTaint(tree: Tree, ctx: FileContext): TaintFlow[] {
  const collected = new Map<string, PyNode[]>();
  const key = ctx.documentKey;
  const kept = key ? documentTaint.get(key) : undefined;
  // Taken out first: reuse moves the old nodes, so a failed mirror must not leave them cached.
  if (key) documentTaint.delete(key);
  const root = kept ? mirrorTreeIncremental(tree, ctx.text, kept, COLLECTED, collected, changesSince(tree, kept.text)) : mirrorTree(tree, COLLECTED, collected);
  if (!key) return new PythonTaint(root, ctx, collected).run();
  if (kept && kept.text !== ctx.text) {
    const pass = new PythonTaint(root, ctx, collected, true);
    const flows = pass.runReusing(kept, editSpan(kept.text, ctx.text));
    if (flows) {
      pythonReuseStats.reused++;
      documentTaint.set(key, pass.keptState());
      return flows;
    }
  }
  pythonReuseStats.full++;
  const pass = new PythonTaint(root, ctx, collected, true);
  const flows = pass.run();
  documentTaint.set(key, pass.keptState());
  return flows;
}
