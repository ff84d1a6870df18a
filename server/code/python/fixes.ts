import type { LineIndex } from '../../engine/lineIndex';
import type { Fix, TextEdit } from '../../engine/types';
import type { FixKind } from './models';
import { callParts, field, namedChildren, stringPrefix, unparen, type PyNode } from './syntax';

/*
 * Quick fixes for Python sinks. Each rewrites only the sink call (plus, when
 * needed, one import line) and bails out whenever the safe form is not
 * certain: no fix is better than a wrong fix.
 */

export interface FixContext {
  text: string;
  lines: LineIndex;
  root: PyNode;
  /** Local name → qualified module/object name. */
  imports: Map<string, string>;
}

export function buildFix(kind: FixKind, call: PyNode, ctx: FixContext): Fix | undefined {
  switch (kind) {
    case 'yaml':
      return yamlFix(call, ctx);
    case 'eval':
      return evalFix(call, ctx);
    case 'sql':
      return sqlFix(call, ctx);
    case 'sqlalchemy-text':
      return sqlalchemyTextFix(call, ctx);
    case 'subprocess':
      return subprocessFix(call, ctx);
    case 'os-system':
      return osSystemFix(call, ctx);
  }
}

const src = (ctx: FixContext, n: PyNode) => ctx.text.slice(n.start, n.end);
const edit = (ctx: FixContext, start: number, end: number, newText: string): TextEdit => ({ range: ctx.lines.range(start, end), newText });

function yamlFix(call: PyNode, ctx: FixContext): Fix | undefined {
  const parts = callParts(call, ctx.text);
  if (parts.callee.type !== 'attribute' || parts.splat || parts.positional.length < 1 || parts.positional.length > 2) return undefined;
  const extraKeywords = [...parts.keywords.keys()].filter((k) => k !== 'Loader');
  if (extraKeywords.length) return undefined;
  const obj = field(parts.callee, 'object')!;
  const method = src(ctx, field(parts.callee, 'attribute')!);
  const safe = method === 'load' ? 'safe_load' : method === 'load_all' ? 'safe_load_all' : undefined;
  if (!safe) return undefined;
  const newText = `${src(ctx, obj)}.${safe}(${src(ctx, parts.positional[0])})`;
  return { title: `Use yaml.${safe} (no arbitrary objects)`, edits: [edit(ctx, call.start, call.end, newText)], isPreferred: true };
}

function evalFix(call: PyNode, ctx: FixContext): Fix | undefined {
  const parts = callParts(call, ctx.text);
  if (parts.callee.type !== 'identifier' || parts.positional.length !== 1 || parts.keywords.size || parts.splat) return undefined;
  const importEdit = ensureImport('ast', ctx);
  if (importEdit === null) return undefined;
  const edits = [edit(ctx, parts.callee.start, parts.callee.end, 'ast.literal_eval')];
  if (importEdit) edits.unshift(importEdit);
  return { title: 'Use ast.literal_eval (literals only, no code)', edits, isPreferred: true };
}

// ---- string pieces ------------------------------------------------------------

type Piece = { text: string } | { expr: PyNode };

interface Pieces {
  pieces: Piece[];
  /** Quote delimiter and prefix (without `f`) of the literal the text came from. */
  quote: string;
  prefix: string;
}

/** Splits a dynamically built string (f-string, +, %, .format) into constant text and expressions. */
function piecesOf(node: PyNode, ctx: FixContext): Pieces | undefined {
  const state: { quote?: string; prefix?: string } = {};
  const pieces = collectPieces(unparen(node), ctx, state, 0);
  if (!pieces || state.quote === undefined) return undefined;
  if (!pieces.some((p) => 'expr' in p)) return undefined;
  return { pieces: mergeText(pieces), quote: state.quote, prefix: state.prefix ?? '' };
}

function literalInfo(n: PyNode, ctx: FixContext, state: { quote?: string; prefix?: string }): { fstring: boolean } | undefined {
  const start = n.children.find((c) => c.type === 'string_start');
  if (!start) return undefined;
  const startText = src(ctx, start);
  const prefix = stringPrefix(n, ctx.text);
  const quote = startText.slice(prefix.length);
  if (prefix.includes('b')) return undefined;
  const plainPrefix = prefix.replace('f', '');
  if (state.quote === undefined) {
    state.quote = quote;
    state.prefix = plainPrefix;
  } else if (state.quote !== quote || state.prefix !== plainPrefix) return undefined;
  return { fstring: prefix.includes('f') };
}

function collectPieces(n: PyNode, ctx: FixContext, state: { quote?: string; prefix?: string }, depth: number): Piece[] | undefined {
  if (depth > 50) return undefined;
  if (n.type === 'string') {
    const info = literalInfo(n, ctx, state);
    if (!info) return undefined;
    const out: Piece[] = [];
    for (const c of n.children) {
      if (c.type === 'string_content') {
        const raw = src(ctx, c);
        out.push({ text: info.fstring ? raw.replace(/\{\{/g, '{').replace(/\}\}/g, '}') : raw });
      } else if (c.type === 'interpolation') {
        const named = namedChildren(c);
        if (named.length !== 1) return undefined; // conversions (!r) and format specs change the text
        if (c.children.some((x) => x.type === '=' )) return undefined;
        out.push({ expr: named[0] });
      }
    }
    return out;
  }
  if (n.type === 'concatenated_string') {
    const out: Piece[] = [];
    for (const part of namedChildren(n)) {
      const p = collectPieces(part, ctx, state, depth + 1);
      if (!p) return undefined;
      out.push(...p);
    }
    return out;
  }
  if (n.type === 'binary_operator') {
    const op = field(n, 'operator');
    const l = field(n, 'left');
    const r = field(n, 'right');
    if (!op || !l || !r) return undefined;
    const opText = src(ctx, op);
    if (opText === '+') {
      const left = isStringish(l) ? collectPieces(unparen(l), ctx, state, depth + 1) : [{ expr: l }];
      const right = isStringish(r) ? collectPieces(unparen(r), ctx, state, depth + 1) : [{ expr: r }];
      if (!left || !right) return undefined;
      return [...left, ...right];
    }
    if (opText === '%') {
      const lit = unparen(l);
      if (lit.type !== 'string') return undefined;
      const info = literalInfo(lit, ctx, state);
      if (!info || info.fstring) return undefined;
      const content = lit.children.filter((c) => c.type === 'string_content').map((c) => src(ctx, c)).join('');
      const rr = unparen(r);
      const values = rr.type === 'tuple' ? namedChildren(rr) : [r];
      if (values.some((v) => v.type === 'list_splat')) return undefined;
      const out: Piece[] = [];
      let vi = 0;
      let last = 0;
      const re = /%(%|s|d|i|r|f|\([^)]*\)[a-z]|[-+ #0-9.]*[a-z])/g;
      for (let m = re.exec(content); m; m = re.exec(content)) {
        out.push({ text: content.slice(last, m.index) });
        last = m.index + m[0].length;
        if (m[1] === '%') {
          out.push({ text: '%' });
          continue;
        }
        if (m[1] !== 's' && m[1] !== 'd' && m[1] !== 'i') return undefined;
        if (vi >= values.length) return undefined;
        // A single non-tuple operand could itself be a tuple at run time.
        if (rr.type !== 'tuple' && !isStringish(r) && r.type !== 'identifier' && r.type !== 'subscript' && r.type !== 'call' && r.type !== 'attribute') return undefined;
        out.push({ expr: values[vi++] });
      }
      out.push({ text: content.slice(last) });
      if (vi !== values.length) return undefined;
      return out;
    }
    return undefined;
  }
  if (n.type === 'call') {
    // "...{}...".format(a, b) / "{name}".format(name=x)
    const callee = field(n, 'function');
    if (!callee || callee.type !== 'attribute') return undefined;
    const obj = unparen(field(callee, 'object')!);
    if (src(ctx, field(callee, 'attribute')!) !== 'format' || obj.type !== 'string') return undefined;
    const info = literalInfo(obj, ctx, state);
    if (!info || info.fstring) return undefined;
    const parts = callParts(n, ctx.text);
    if (parts.splat) return undefined;
    const content = obj.children.filter((c) => c.type === 'string_content').map((c) => src(ctx, c)).join('');
    const out: Piece[] = [];
    let auto = 0;
    let last = 0;
    const re = /\{\{|\}\}|\{([^{}]*)\}/g;
    for (let m = re.exec(content); m; m = re.exec(content)) {
      out.push({ text: content.slice(last, m.index) });
      last = m.index + m[0].length;
      if (m[0] === '{{') {
        out.push({ text: '{' });
        continue;
      }
      if (m[0] === '}}') {
        out.push({ text: '}' });
        continue;
      }
      const fieldName = m[1];
      if (/[!:.[]/.test(fieldName)) return undefined;
      let value: PyNode | undefined;
      if (fieldName === '') value = parts.positional[auto++];
      else if (/^\d+$/.test(fieldName)) value = parts.positional[Number(fieldName)];
      else value = parts.keywords.get(fieldName);
      if (!value) return undefined;
      out.push({ expr: value });
    }
    out.push({ text: content.slice(last) });
    return out;
  }
  return undefined;
}

function isStringish(n: PyNode, depth = 0): boolean {
  const u = unparen(n);
  if (depth > 50) return false;
  return u.type === 'string' || u.type === 'concatenated_string' || (u.type === 'binary_operator' && (isStringish(field(u, 'left')!, depth + 1) || isStringish(field(u, 'right')!, depth + 1)));
}

function mergeText(pieces: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const p of pieces) {
    const prev = out[out.length - 1];
    if ('text' in p && prev && 'text' in prev) out[out.length - 1] = { text: prev.text + p.text };
    else out.push(p);
  }
  return out;
}

// ---- SQL ----------------------------------------------------------------------

type PlaceholderStyle = 'qmark' | 'format' | 'named';

const QMARK_DRIVERS = /^(sqlite3|aiosqlite|pyodbc|duckdb|sqlite)\b/;
const FORMAT_DRIVERS = /^(psycopg2|psycopg|pymysql|MySQLdb|mysql\.connector|mysql|django|aiomysql|aiopg|pymssql|pgdb)\b/;

function driverStyle(ctx: FixContext): PlaceholderStyle | undefined {
  const modules = [...ctx.imports.values()];
  const qmark = modules.some((m) => QMARK_DRIVERS.test(m));
  const format = modules.some((m) => FORMAT_DRIVERS.test(m));
  if (qmark === format) return undefined; // none or both: the driver is unknown
  return qmark ? 'qmark' : 'format';
}

/** A value position in SQL: after a comparison, a list separator, LIMIT... (never an identifier position). */
const VALUE_POSITION = /(=|<|>|<>|!=|\blike|\bilike|,|\(|\bvalues\s*\(|\blimit|\boffset|\bthen|\belse|\bwhen|\band|\bor|\bbetween|\bis|\bnot)\s*$/i;

interface Parameterised {
  sql: string;
  params: PyNode[];
  names: string[];
}

function parameterise(p: Pieces, style: PlaceholderStyle, ctx: FixContext): Parameterised | undefined {
  let sql = '';
  const params: PyNode[] = [];
  const names: string[] = [];
  const escape = (t: string) => (style === 'format' ? t.replace(/%/g, '%%') : t);
  const pieces = p.pieces;
  // Two expressions glued together have no SQL between them to judge.
  for (let i = 1; i < pieces.length; i++) if (!('text' in pieces[i]) && !('text' in pieces[i - 1])) return undefined;
  let pendingStrip = false;
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i];
    if ('text' in piece) {
      let t = piece.text;
      if (pendingStrip) {
        t = t.slice(1);
        pendingStrip = false;
      }
      const next = pieces[i + 1];
      if (next && 'expr' in next) {
        const after = pieces[i + 2] && 'text' in pieces[i + 2] ? (pieces[i + 2] as { text: string }).text : '';
        const quote = /['"]$/.exec(t)?.[0];
        if (quote) {
          // '{x}' → placeholder, only when the quotes hold nothing but the value.
          if (!after.startsWith(quote)) return undefined;
          const head = t.slice(0, -1);
          if (!VALUE_POSITION.test(head)) return undefined;
          t = head;
          pendingStrip = true;
        } else {
          if (/\bin\s*\(\s*$/i.test(t)) return undefined; // IN ({ids}): a list spliced as text
          if (!VALUE_POSITION.test(t)) return undefined;
          if (/^['"]/.test(after)) return undefined;
        }
      }
      sql += escape(t);
    } else {
      params.push(piece.expr);
      if (style === 'named') {
        const base = piece.expr.type === 'identifier' ? src(ctx, piece.expr) : piece.expr.type === 'attribute' ? src(ctx, field(piece.expr, 'attribute')!) : `p${params.length}`;
        let name = base;
        for (let k = 2; names.includes(name); k++) name = `${base}_${k}`;
        names.push(name);
        sql += `:${name}`;
      } else sql += style === 'qmark' ? '?' : '%s';
    }
  }
  if (pendingStrip) return undefined;
  // The placeholder must not end up inside a quoted SQL literal or comment we cannot see.
  if (style === 'named' && /:\w/.test(p.pieces.filter((x) => 'text' in x).map((x) => (x as { text: string }).text).join(''))) return undefined;
  return { sql, params, names };
}

function stringLiteral(p: Pieces, sql: string): string {
  return `${p.prefix}${p.quote}${sql}${p.quote}`;
}

function tupleText(ctx: FixContext, params: PyNode[]): string {
  const items = params.map((n) => src(ctx, n));
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
}

function sqlFix(call: PyNode, ctx: FixContext): Fix | undefined {
  const parts = callParts(call, ctx.text);
  if (parts.callee.type !== 'attribute' || parts.positional.length !== 1 || parts.keywords.size || parts.splat) return undefined;
  if (src(ctx, field(parts.callee, 'attribute')!) !== 'execute') return undefined;
  const style = driverStyle(ctx);
  if (!style) return undefined;
  const arg = parts.positional[0];
  const direct = piecesOf(arg, ctx);
  if (direct) {
    const r = parameterise(direct, style, ctx);
    if (!r) return undefined;
    return {
      title: `Use a parameterised query (${style === 'qmark' ? '?' : '%s'} placeholders)`,
      edits: [edit(ctx, arg.start, arg.end, `${stringLiteral(direct, r.sql)}, ${tupleText(ctx, r.params)}`)],
      isPreferred: true,
    };
  }
  // query = f"..."; cursor.execute(query): rewrite both when the assignment is the statement just before.
  if (arg.type !== 'identifier') return undefined;
  const assign = precedingAssignment(call, src(ctx, arg), ctx);
  if (!assign) return undefined;
  const built = piecesOf(assign.value, ctx);
  if (!built) return undefined;
  const r = parameterise(built, style, ctx);
  if (!r) return undefined;
  return {
    title: `Use a parameterised query (${style === 'qmark' ? '?' : '%s'} placeholders)`,
    edits: [edit(ctx, assign.value.start, assign.value.end, stringLiteral(built, r.sql)), edit(ctx, arg.start, arg.end, `${src(ctx, arg)}, ${tupleText(ctx, r.params)}`)],
    isPreferred: true,
  };
}

/** `name = <value>` as the statement right before the one holding `call`, in the same block. */
function precedingAssignment(call: PyNode, name: string, ctx: FixContext): { value: PyNode } | undefined {
  let stmt: PyNode | null = call;
  while (stmt && stmt.parent && stmt.parent.type !== 'block' && stmt.parent.type !== 'module') stmt = stmt.parent;
  if (!stmt?.parent) return undefined;
  const siblings = namedChildren(stmt.parent);
  const i = siblings.indexOf(stmt);
  const prev = siblings[i - 1];
  if (!prev || prev.type !== 'expression_statement') return undefined;
  const a = namedChildren(prev)[0];
  if (!a || a.type !== 'assignment') return undefined;
  const left = field(a, 'left');
  const right = field(a, 'right');
  if (!left || !right || left.type !== 'identifier' || src(ctx, left) !== name) return undefined;
  // The name must not be used elsewhere in the statement holding the call (its value moves into the call).
  const uses = countIdentifier(stmt, name, ctx);
  if (uses !== 1) return undefined;
  return { value: right };
}

function countIdentifier(root: PyNode, name: string, ctx: FixContext): number {
  let count = 0;
  const stack = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'identifier' && src(ctx, n) === name) count++;
    for (const c of n.children) stack.push(c);
  }
  return count;
}

function sqlalchemyTextFix(call: PyNode, ctx: FixContext): Fix | undefined {
  const parts = callParts(call, ctx.text);
  if (parts.positional.length !== 1 || parts.keywords.size || parts.splat) return undefined;
  const p = piecesOf(parts.positional[0], ctx);
  if (!p) return undefined;
  const r = parameterise(p, 'named', ctx);
  if (!r) return undefined;
  const binds = r.names.map((n, i) => `${n}=${src(ctx, r.params[i])}`).join(', ');
  const newText = `${src(ctx, parts.callee)}(${stringLiteral(p, r.sql)}).bindparams(${binds})`;
  return { title: 'Use bound parameters (:name) with text().bindparams', edits: [edit(ctx, call.start, call.end, newText)], isPreferred: true };
}

// ---- commands -------------------------------------------------------------------

const SHELL_META = /[|&;<>()$`\\"'*?[\]#~\n\r{}]/;

/** A shell command string → argv items, when it is plain words and whole-word expressions. */
function argvOf(p: Pieces, ctx: FixContext): string[] | undefined {
  const items: string[] = [];
  const pieces = p.pieces;
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i];
    if ('text' in piece) {
      if (SHELL_META.test(piece.text)) return undefined;
      const prevExpr = i > 0;
      const nextExpr = i + 1 < pieces.length;
      if (prevExpr && piece.text.length && !/^\s/.test(piece.text)) return undefined;
      if (nextExpr && piece.text.length && !/\s$/.test(piece.text)) return undefined;
      if (prevExpr && nextExpr && piece.text.trim() === '' && piece.text.length === 0) return undefined;
      for (const word of piece.text.split(/\s+/).filter(Boolean)) items.push(JSON.stringify(word));
    } else {
      if (i > 0 && !('text' in pieces[i - 1])) return undefined;
      const expr = src(ctx, piece.expr);
      if (/\n/.test(expr)) return undefined;
      items.push(piece.expr.type === 'call' && /^str\(/.test(expr) ? expr : `str(${expr})`);
    }
  }
  // The program must be a constant: a user-chosen program cannot be fixed by quoting.
  if (!items.length || !items[0].startsWith('"')) return undefined;
  return items;
}

function subprocessFix(call: PyNode, ctx: FixContext): Fix | undefined {
  const parts = callParts(call, ctx.text);
  const shell = parts.keywords.get('shell');
  if (!shell || src(ctx, shell) !== 'True' || parts.positional.length < 1 || parts.splat) return undefined;
  const cmd = parts.positional[0];
  const p = piecesOf(cmd, ctx);
  if (!p || p.prefix.includes('r')) return undefined;
  const argv = argvOf(p, ctx);
  if (!argv) return undefined;
  return {
    title: 'Pass an argument list with shell=False',
    edits: [edit(ctx, cmd.start, cmd.end, `[${argv.join(', ')}]`), edit(ctx, shell.start, shell.end, 'False')],
    isPreferred: true,
  };
}

function osSystemFix(call: PyNode, ctx: FixContext): Fix | undefined {
  // Only as a statement: os.system returns the exit status, subprocess.run does not.
  if (call.parent?.type !== 'expression_statement') return undefined;
  const parts = callParts(call, ctx.text);
  if (parts.positional.length !== 1 || parts.keywords.size || parts.splat) return undefined;
  const p = piecesOf(parts.positional[0], ctx);
  if (!p || p.prefix.includes('r')) return undefined;
  const argv = argvOf(p, ctx);
  if (!argv) return undefined;
  const importEdit = ensureImport('subprocess', ctx);
  if (importEdit === null) return undefined;
  const edits = [edit(ctx, call.start, call.end, `subprocess.run([${argv.join(', ')}], check=True)`)];
  if (importEdit) edits.unshift(importEdit);
  return { title: 'Use subprocess.run with an argument list (no shell)', edits, isPreferred: true };
}

// ---- imports ------------------------------------------------------------------------

/**
 * An edit adding `import <module>` at the top, undefined when the module is
 * already imported under its own name, null when the name means something else.
 */
function ensureImport(module: string, ctx: FixContext): TextEdit | undefined | null {
  const bound = ctx.imports.get(module);
  if (bound === module) return undefined;
  if (bound !== undefined) return null;
  if (new RegExp(`^\\s*(def|class)\\s+${module}\\b|^\\s*${module}\\s*=`, 'm').test(ctx.text)) return null;
  const top = namedChildren(ctx.root);
  const eol = ctx.lines.eol;
  const firstImport = top.find((s) => s.type === 'import_statement' || s.type === 'import_from_statement');
  if (firstImport) {
    const at = ctx.lines.lineStarts[ctx.lines.positionAt(firstImport.start).line];
    if (at !== firstImport.start) return null;
    return edit(ctx, at, at, `import ${module}${eol}`);
  }
  // After the docstring and __future__ imports, or at the top.
  let after: PyNode | undefined;
  for (const s of top) {
    if (s.type === 'comment') continue;
    const isDocstring = s.type === 'expression_statement' && namedChildren(s)[0]?.type === 'string' && !after;
    if (isDocstring || s.type === 'future_import_statement') {
      after = s;
      continue;
    }
    break;
  }
  if (after) {
    const line = ctx.lines.positionAt(after.end).line;
    const at = ctx.lines.lineEnd(line);
    return edit(ctx, at, at, `${eol}import ${module}`);
  }
  // Keep a shebang / encoding line first.
  let line = 0;
  while (line < ctx.lines.lineCount && /^#/.test(ctx.lines.lineText(line))) line++;
  const at = line < ctx.lines.lineCount ? ctx.lines.lineStarts[line] : ctx.text.length;
  return edit(ctx, at, at, `import ${module}${eol}`);
}
