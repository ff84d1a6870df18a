import { CATEGORY_BITS } from '../categories';
import type { SinkCategory } from '../flows';
import { all, allWords, always, any, anyWord, FileWords, textIncludes, textMatching, word, wordMatching, type Need } from '../keywords';
import * as M from './model';

/*
 * What a JavaScript/TypeScript file must contain for the taint pass
 * (taint.ts) to report a flow, derived from the models so that a new row
 * keeps the prefilter sound. A canonical name `#module.member().prop` needs
 * the module specifier quoted in the file and each member as a word.
 */

const JS_WORD = /[A-Za-z_$][\w$]*/g;

/** The module a canonical name starts from (moduleOf in taint.ts). */
const CANON_MODULE = /^#((?:@[^/]+\/)?[^.(]+(?:\.js)?)/;

/**
 * A specifier the pass turns into a canonical name of this module (moduleName
 * and moduleOf in taint.ts) is in a string: the module, a package named after
 * it (`lodash.template` is lodash to moduleOf), or an alias of either.
 */
function moduleNeed(module: string): Need {
  const aliases = Object.entries(M.MODULE_ALIASES)
    .filter(([, target]) => target === module || target.startsWith(`${module}.`))
    .map(([spec]) => spec);
  return (f) => f.opensModule(module) || aliases.some((s) => f.opensString(s));
}

/** `#child_process.exec`, `#vm2.VM().run`, `document.write`: the module and every member. */
function canonNeed(canon: string): Need {
  const m = canon.startsWith('#') ? CANON_MODULE.exec(canon) : null;
  if (canon.startsWith('#') && !m) return always;
  const rest = m ? canon.slice(m[0].length) : canon;
  const members = allWords(rest.split('.').map((s) => s.replace(/\(\)$/, '')));
  return m ? all(members, moduleNeed(m[1])) : members;
}

function anyModule(modules: Iterable<string>): Need {
  return any(...[...modules].map(moduleNeed));
}

interface SinkNeed {
  need: Need;
  category: number;
  /** Can be a review finding (the pass reviews SQL, command, code and template sinks). */
  review: boolean;
}

const REVIEWED: SinkCategory[] = ['sql', 'command', 'code', 'template'];

function sinkNeeds(): SinkNeed[] {
  const out: SinkNeed[] = [];
  const add = (category: SinkCategory, need: Need) => out.push({ need, category: CATEGORY_BITS[category], review: REVIEWED.includes(category) });
  for (const [canon, sink] of Object.entries(M.CALL_SINKS)) add(sink.category, canonNeed(canon));
  add('ssrf', all(anyModule(M.HTTP_CLIENT_MODULES), anyWord(M.HTTP_VERBS)));
  add('path', all(moduleNeed('fs'), anyWord(Object.keys(M.FS_SINKS))));
  add('path', anyWord(M.RESPONSE_FILE_METHODS));
  add('xss', anyWord(M.RESPONSE_BODY_METHODS));
  add('xss', anyWord(['insertAdjacentHTML', 'dangerouslySetInnerHTML', ...M.HTML_PROPERTIES]));
  // Koa: ctx.body = html.
  add('xss', all(word('body'), wordMatching(M.CONTEXT_NAMES)));
  // jQuery: $(html), $(sel).html(html).
  add('xss', anyWord(['$', 'jQuery']));
  // SQL: generic method names need a driver module or a database-like receiver; `query` also SQL-looking text.
  const dbReceiver = any(anyModule(M.SQL_MODULES), wordMatching(M.DB_RECEIVER));
  add('sql', anyWord(M.RAW_SQL_METHODS));
  add('sql', anyWord([...M.SQL_QUERY_METHODS].filter((m) => /query/i.test(m))));
  add('sql', all(anyWord(M.SQL_QUERY_METHODS), any(dbReceiver, moduleNeed('mssql'))));
  add('sql', all(anyWord(M.SQLITE_METHODS), dbReceiver));
  add('sql', all(anyWord(M.QUERY_BUILDER_METHODS), word('createQueryBuilder')));
  add('sql', all(word('literal'), any(moduleNeed('sequelize'), wordMatching(/^sequelize$/i))));
  add('nosql', anyWord(['$where', ...M.MONGO_FILTER_METHODS]));
  add('deserialization', all(moduleNeed('yaml-js'), anyWord(['load', 'loadAll'])));
  return out;
}


/**
 * A parameter after the first one has one of these names (`(req, res)`): the
 * taint pass then takes the first one for the request. Seen as a comma before
 * the name, with comments, decorators (`@Res()`), modifiers or `...` between.
 */
function laterParameter(names: RegExp): Need {
  const alternatives = /^\^\(([\w$|]+)\)\$$/.exec(names.source)?.[1];
  if (!alternatives) return wordMatching(names);
  const occurrence = new RegExp(`(?<![\\w$])(?:${alternatives.replace(/\$/g, '\\$')})(?![\\w$])`, 'g');
  return (f) => {
    for (const m of f.text.matchAll(occurrence)) if (afterComma(f.text, m.index)) return true;
    return false;
  };
}

const PARAMETER_MODIFIERS = new Set(['public', 'private', 'protected', 'readonly', 'override']);
const IDENTIFIER_CHAR = /[\w$]/;

/** Whether a comma comes before offset `i`, past what may stand between a comma and a parameter's name. */
function afterComma(text: string, i: number): boolean {
  let j = i - 1;
  for (let steps = 0; steps < 50; steps++) {
    for (; j >= 0 && /\s/.test(text[j]); j--) {
      // A line comment may end the line before: assume it holds the comma.
      if (text[j] === '\n' && text.slice(text.lastIndexOf('\n', j - 1) + 1, j).includes('//')) return true;
    }
    if (j < 0) return false;
    const c = text[j];
    if (c === ',') return true;
    if (c === '/' && text[j - 1] === '*') {
      const open = text.lastIndexOf('/*', j - 2);
      if (open < 0) return true;
      j = open - 1;
    } else if (c === '.' && text.slice(j - 2, j + 1) === '...') j -= 3;
    else if (c === ')') {
      // A decorator's arguments: @Res({ passthrough: true }).
      let depth = 0;
      for (; j >= 0; j--) {
        if (text[j] === ')') depth++;
        else if (text[j] === '(' && --depth === 0) break;
      }
      if (j < 0) return true;
      j--;
    } else if (IDENTIFIER_CHAR.test(c)) {
      let start = j;
      while (start > 0 && /[\w$.]/.test(text[start - 1])) start--;
      const word = text.slice(start, j + 1);
      // A decorator's name, or a modifier.
      if (text[start - 1] !== '@' && !PARAMETER_MODIFIERS.has(word)) return false;
      j = text[start - 1] === '@' ? start - 2 : start - 1;
    } else return false;
  }
  return true;
}

interface SourceNeed {
  need: Need;
  /** argv / env: reported for command and code injection only. */
  local: boolean;
}

function sourceNeeds(): SourceNeed[] {
  const out: SourceNeed[] = [];
  const remote = (need: Need) => out.push({ need, local: false });
  const requestDecorators = Object.keys(M.DECORATOR_SOURCES).filter((k) => M.DECORATOR_SOURCES[k] === 'request');
  const dataDecorators = Object.keys(M.DECORATOR_SOURCES).filter((k) => M.DECORATOR_SOURCES[k] !== 'request');
  // A request object: by parameter name in server code, by type, a handler's (req, res), @Req(), or a Koa context's request.
  const serverCode = any(anyModule(M.SERVER_MODULES), textMatching(M.SERVER_CALLS));
  const request = any(
    all(wordMatching(M.REQUEST_NAMES), serverCode),
    laterParameter(M.RESPONSE_NAMES),
    textMatching(M.REQUEST_TYPES),
    anyWord(requestDecorators),
    wordMatching(M.CONTEXT_NAMES),
  );
  remote(all(request, anyWord([...Object.keys(M.REQUEST_PROPERTIES), ...Object.keys(M.REQUEST_METHODS), 'data'])));
  remote(all(wordMatching(M.CONTEXT_NAMES), anyWord([...Object.keys(M.CONTEXT_PROPERTIES), 'get'])));
  // postMessage: addEventListener('message', e => e.data) / onmessage = ...
  remote(all(word('data'), any(all(word('addEventListener'), word('message')), word('onmessage'))));
  // Lambda events (by parameter name or type).
  remote(all(any(wordMatching(M.LAMBDA_EVENT_NAMES), textMatching(/APIGatewayProxyEvent|ALBEvent|LambdaFunctionURLEvent/)), anyWord(Object.keys(M.LAMBDA_EVENT_PROPERTIES))));
  // NestJS: @Body() dto, @Query('q') q.
  remote(all(textIncludes('@'), anyWord(dataDecorators)));
  for (const [canon, g] of Object.entries(M.GLOBAL_SOURCES)) {
    // `name` is a source only as window.name / self.name.
    const need = canon === 'name' ? all(word('name'), anyWord(['window', 'self'])) : canonNeed(canon);
    out.push({ need, local: !!g.local });
  }
  return out;
}

/** Built on first use: a process that analyses no file of this language (the CLI's main thread) never pays for it. */
let needs: { sinks: SinkNeed[]; sources: SourceNeed[] } | undefined;
const tables = () => (needs ??= { sinks: sinkNeeds(), sources: sourceNeeds() });
const LOCAL_REPORTED = CATEGORY_BITS.command | CATEGORY_BITS.code;

/**
 * False when the taint pass cannot report any flow in this JavaScript or
 * TypeScript text: no sink, or (with review findings off) no source.
 */
export function javascriptMayHaveFlows(text: string, review: boolean): boolean {
  const { sinks, sources } = tables();
  const f = new FileWords(text, new Set(text.match(JS_WORD)));
  // Sources first: most files have none, and without review findings that settles it.
  let remote = false;
  let local = false;
  for (const s of sources) {
    if (s.local ? local : remote) continue;
    if (s.need(f)) {
      if (s.local) local = true;
      else remote = true;
    }
    if (remote) break;
  }
  if (!review && !remote && !local) return false;
  for (const s of sinks) {
    if (!s.need(f)) continue;
    if (review && s.review) return true;
    if (remote || (local && s.category & LOCAL_REPORTED)) return true;
  }
  return false;
}
