import type { FileContext } from '../../engine/context';
import type { Fix, TextEdit } from '../../engine/types';
import { field, namedChildren, type Syn } from './syntax';

/** What the taint pass asks a fix for; built only when it reports a flow. */
export type FixRequest =
  | { kind: 'textContent'; property: Syn }
  | { kind: 'jsonParse'; callee: Syn }
  | { kind: 'execFile'; call: Syn; callee: Syn; args: Syn[]; sync: boolean; site?: Syn; bound?: string }
  | { kind: 'sql'; call: Syn; args: Syn[]; driver?: 'mysql' | 'pg' | 'sequelize' | 'knex' | 'sqlite' | 'prisma'; method: string; variable?: Syn };

export function fixFor(req: FixRequest, ctx: FileContext): Fix[] {
  try {
    const fix = build(req, ctx);
    return fix ? [fix] : [];
  } catch {
    // No fix is better than a wrong one.
    return [];
  }
}

function build(req: FixRequest, ctx: FileContext): Fix | undefined {
  const text = ctx.text;
  const edit = (start: number, end: number, newText: string): TextEdit => ({ range: ctx.lines.range(start, end), newText });
  switch (req.kind) {
    case 'textContent':
      return { title: 'Use textContent instead of innerHTML (the value is shown as text, never parsed as HTML)', edits: [edit(req.property.start, req.property.end, 'textContent')], isPreferred: true };
    case 'jsonParse':
      return { title: 'Parse the data with JSON.parse instead of evaluating it', edits: [edit(req.callee.start, req.callee.end, 'JSON.parse')], isPreferred: true };
    case 'execFile':
      return execFileFix(req, ctx, edit);
    case 'sql':
      return sqlFix(req, text, edit);
  }
}

// ------------------------------------------------------------ string parts

type Part = { lit: string; quote: '`' | "'" | '"' } | { expr: Syn };

/** A string built by concatenation or a template literal, as literal pieces and expressions. */
function parts(n: Syn, text: string, out: Part[] = []): Part[] | undefined {
  if (n.type === 'parenthesized_expression' && n.children.length === 1) return parts(n.children[0], text, out);
  if (n.type === 'string') {
    const q = text[n.start] as "'" | '"';
    out.push({ lit: text.slice(n.start + 1, n.end - 1), quote: q });
    return out;
  }
  if (n.type === 'template_string') {
    let cursor = n.start + 1;
    for (const c of n.children) {
      if (c.type !== 'template_substitution') continue;
      out.push({ lit: text.slice(cursor, c.start), quote: '`' });
      const inner = namedChildren(c);
      if (inner.length !== 1) return undefined;
      out.push({ expr: inner[0] });
      cursor = c.end;
    }
    out.push({ lit: text.slice(cursor, n.end - 1), quote: '`' });
    return out;
  }
  if (n.type === 'binary_expression' && text.slice(field(n, 'operator')?.start ?? 0, field(n, 'operator')?.end ?? 0) === '+') {
    const l = field(n, 'left');
    const r = field(n, 'right');
    if (!l || !r) return undefined;
    if (!parts(l, text, out)) return undefined;
    // The chain must start with a string for + to be concatenation.
    if (!('lit' in out[0])) return undefined;
    if (r.type === 'string' || r.type === 'template_string') return parts(r, text, out);
    out.push({ expr: r });
    return out;
  }
  if (out.length === 0) return undefined;
  out.push({ expr: n });
  return out;
}

/** Literal text re-quoted for the target quote. */
function requote(p: { lit: string; quote: string }, target: string): string | undefined {
  if (p.quote === target) return p.lit;
  if (target === '`') return p.lit.replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
  return undefined;
}

function targetQuote(ps: Part[]): string | undefined {
  const quotes = new Set(ps.filter((p): p is { lit: string; quote: '`' | "'" | '"' } => 'lit' in p).map((p) => p.quote));
  if (quotes.has('`')) return '`';
  return quotes.size === 1 ? [...quotes][0] : '`';
}

// -------------------------------------------------------------------- SQL

const VALUE_POSITION = /(=|<|>|\bLIKE|\bLIMIT|\bOFFSET|\bIS|\bNOT)\s*$/i;

function sqlFix(req: Extract<FixRequest, { kind: 'sql' }>, text: string, edit: (s: number, e: number, t: string) => TextEdit): Fix | undefined {
  const driver = req.driver;
  if (!driver) return undefined;
  const first = req.args[0];
  if (!first) return undefined;
  const ps = parts(first, text);
  if (!ps || !ps.some((p) => 'expr' in p)) return undefined;
  const quote = targetQuote(ps);
  if (!quote) return undefined;
  const values: Syn[] = [];
  let sql = '';
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i];
    if ('lit' in p) {
      const lit = requote(p, quote);
      if (lit === undefined) return undefined;
      sql += lit;
      continue;
    }
    const next = ps[i + 1];
    const nextLit = next && 'lit' in next ? next.lit : '';
    // '...' around the value: the placeholder replaces the quoted literal.
    // An escaped quote (\') belongs to the literal: too subtle to rewrite.
    if (/\\['"]$/.test(sql) || /^\\/.test(nextLit)) return undefined;
    const quoted = /['"]$/.test(sql) && nextLit.startsWith(sql[sql.length - 1]);
    if (/%['"]?$/.test(sql) || /^['"]?%/.test(nextLit)) return undefined;
    if (quoted) {
      sql = sql.slice(0, -1);
      if (next && 'lit' in next) ps[i + 1] = { ...next, lit: next.lit.slice(1) };
    } else {
      const before = sql.replace(/\s+$/, '');
      const inList = /\b(VALUES|IN)\s*\([^)]*$/i.test(before) && /[,(]$/.test(before);
      if (!VALUE_POSITION.test(before) && !inList) return undefined;
    }
    values.push(p.expr);
    const n = values.length;
    if (driver === 'prisma') sql += `\${${text.slice(p.expr.start, p.expr.end)}}`;
    else if (driver === 'pg') sql += `$${n}`;
    else if (driver === 'sequelize') sql += `:${sequelizeName(p.expr, text, n, values)}`;
    else sql += '?';
  }
  if ((sql.match(/'/g) ?? []).length % 2 !== 0) return undefined;
  const edits: TextEdit[] = [];
  if (driver === 'prisma') {
    // $queryRawUnsafe(`... ${x}`) → $queryRaw`... ${x}`: the tag binds every value.
    if (req.args.length !== 1 || first.type !== 'template_string') return undefined;
    const callee = field(req.call, 'function');
    const prop = callee && field(callee, 'property');
    const argsNode = field(req.call, 'arguments');
    if (!prop || !argsNode) return undefined;
    const tag = req.method === '$queryRawUnsafe' ? '$queryRaw' : '$executeRaw';
    edits.push(edit(prop.start, argsNode.end, `${tag}\`${sql}\``));
    return { title: `Use the tagged ${tag} template (values are sent as parameters)`, edits, isPreferred: true };
  }
  const second = req.args[1];
  const secondIsCallback = second && (second.type === 'arrow_function' || second.type === 'function_expression' || second.type === 'function');
  const valueTexts = values.map((v) => text.slice(v.start, v.end));
  const literal = `${quote}${sql}${quote}`;
  edits.push(edit(first.start, first.end, literal));
  if (driver === 'sequelize') {
    // An options object without replacements/bind: add them to it.
    if (second && (second.type !== 'object' || /\b(replacements|bind)\b/.test(text.slice(second.start, second.end)) || req.args.length > 2)) return undefined;
    const names: string[] = [];
    const pairs = values.map((v, i) => {
      const name = sequelizeName(v, text, i + 1, values.slice(0, i + 1));
      names.push(name);
      return valueTexts[i] === name ? name : `${name}: ${valueTexts[i]}`;
    });
    if (new Set(names).size !== names.length) return undefined;
    const replacements = `replacements: { ${pairs.join(', ')} }`;
    if (second) {
      const empty = text.slice(second.start + 1, second.end - 1).trim() === '';
      edits.push(edit(second.start + 1, second.start + 1, empty ? ` ${replacements} ` : ` ${replacements},`));
    } else edits.push(edit(first.end, first.end, `, { ${replacements} }`));
  } else {
    if (second && !secondIsCallback) return undefined;
    if (req.method === 'prepare') return undefined;
    edits.push(edit(first.end, first.end, `, [${valueTexts.join(', ')}]`));
  }
  const style = driver === 'pg' ? '$1 placeholders' : driver === 'sequelize' ? 'named replacements' : '? placeholders';
  return { title: `Use a parameterised query (${style}, values passed separately)`, edits, isPreferred: true };
}

function sequelizeName(expr: Syn, text: string, n: number, values: Syn[]): string {
  const t = text.slice(expr.start, expr.end);
  const m = /([A-Za-z_$][\w$]*)$/.exec(t);
  const base = m && /^[A-Za-z_][\w]*$/.test(m[1]) ? m[1] : `p${n}`;
  // Two values with the same name would share one replacement.
  const earlier = values.slice(0, -1).filter((v) => /([A-Za-z_$][\w$]*)$/.exec(text.slice(v.start, v.end))?.[1] === base).length;
  return earlier ? `${base}${n}` : base;
}

// ---------------------------------------------------------------- execFile

const SHELL_META = /[|&;<>()$`\\"'*?[\]{}~#!\n\r]/;

/** The name is not declared or imported anywhere in the module (scanned once per file). */
function nameIsFree(ctx: FileContext, name: string): boolean {
  return ctx.memo(`js:free:${name}`, () => !new RegExp(`\\b(const|let|var|function|class|import)\\b[^;=]*\\b${name}\\b|[{,]\\s*${name}\\s*[,}]`).test(ctx.text));
}

function execFileFix(req: Extract<FixRequest, { kind: 'execFile' }>, ctx: FileContext, edit: (s: number, e: number, t: string) => TextEdit): Fix | undefined {
  const text = ctx.text;
  const first = req.args[0];
  if (!first) return undefined;
  const ps = parts(first, text);
  if (!ps) return undefined;
  // Tokens: constant words, or words built from one expression (optionally quoted "${x}").
  type Piece = { lit: string } | { expr: Syn };
  const tokens: Piece[][] = [];
  let current: Piece[] = [];
  let i = 0;
  for (; i < ps.length; i++) {
    const p = ps[i];
    if ('expr' in p) {
      current.push({ expr: p.expr });
      continue;
    }
    let lit = p.lit;
    if (p.quote !== '`' && /\\/.test(lit)) return undefined;
    // "${x}" / '${x}': quotes around exactly one expression.
    const prev = ps[i - 1];
    const next = ps[i + 1];
    if (next && 'expr' in next && /(^|\s)["']$/.test(lit)) {
      const q = lit[lit.length - 1];
      const after = ps[i + 2];
      if (after && 'lit' in after && after.lit.startsWith(q) && (after.lit.length === 1 || /\s/.test(after.lit[1]))) {
        lit = lit.slice(0, -1);
        ps[i + 2] = { ...after, lit: after.lit.slice(1) };
      }
    }
    void prev;
    if (SHELL_META.test(lit)) return undefined;
    const words = lit.split(/([ \t]+)/);
    for (const w of words) {
      if (/^[ \t]+$/.test(w)) {
        if (current.length) tokens.push(current);
        current = [];
      } else if (w) current.push({ lit: w });
    }
  }
  if (current.length) tokens.push(current);
  if (tokens.length === 0) return undefined;
  const program = tokens[0];
  if (program.length !== 1 || !('lit' in program[0])) return undefined;
  const argTexts = tokens.slice(1).map((tok) => {
    if (tok.length === 1) {
      const t = tok[0];
      return 'lit' in t ? `'${t.lit.replace(/'/g, "\\'")}'` : text.slice(t.expr.start, t.expr.end);
    }
    return '`' + tok.map((t) => ('lit' in t ? t.lit.replace(/`/g, '\\`') : `\${${text.slice(t.expr.start, t.expr.end)}}`)).join('') + '`';
  });
  const target = req.sync ? 'execFileSync' : 'execFile';
  const edits: TextEdit[] = [];
  if (req.callee.type === 'member_expression') {
    const prop = field(req.callee, 'property');
    if (!prop) return undefined;
    edits.push(edit(prop.start, prop.end, target));
  } else if (req.callee.type === 'identifier') {
    // exec imported by name: import execFile next to it (when the name is free).
    if (!req.site) return undefined;
    if (req.bound !== target) {
      // The name must be free: not declared or imported elsewhere in the module.
      if (!nameIsFree(ctx, target)) return undefined;
      edits.push(edit(req.site.end, req.site.end, `, ${target}`));
    }
    edits.push(edit(req.callee.start, req.callee.end, target));
  } else return undefined;
  edits.push(edit(first.start, first.end, `'${(program[0] as { lit: string }).lit}', [${argTexts.join(', ')}]`));
  return { title: `Run the program with ${target} and an argument list (no shell)`, edits, isPreferred: true };
}
