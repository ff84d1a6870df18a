import { CATEGORY_BITS } from '../categories';
import type { SinkCategory } from '../flows';
import { aliasSpellings, all, allWords, always, any, anyWord, FileWords, leadingNames, textIncludes, textMatching, word, wordMatching, type Need } from '../keywords';
import { pythonCodeWords } from './codeWords';
import {
  HTTP_CONSTRUCTORS,
  INPUT_STREAMS,
  LOCAL_SOURCE_SAFE,
  MODULE_ALIASES,
  REQUEST_ATTRIBUTES,
  REQUEST_METHODS,
  REQUEST_OBJECTS,
  REQUEST_PARAM_NAMES,
  ROUTE_DECORATORS,
  SELF_SOURCE_METHODS,
  SINKS,
  SOURCE_ATTRIBUTES,
  SOURCE_CALLS,
  type SinkSpec,
  type SourceKind,
} from './models';

/*
 * What a Python file must contain for the taint pass (taint.ts) to report a
 * flow, derived from the models so that a new row keeps the prefilter sound.
 * The pass resolves names through imports, so a qualified name's segments
 * (or an alias's, see EXTRA_ALIASES) are all words of the file's code.
 */

/** The file as the needs see it (see codeWords.ts). */
interface PyFile {
  code: FileWords;
  /** Names read as attributes: methods and request attributes are. */
  attributes: FileWords;
  /** Code of public module-level functions. */
  entry: FileWords;
  entryAttributes: FileWords;
  /** Module-level code, where an alias of a function could be assigned. */
  module: FileWords;
  importAlias: boolean;
  /** Decorator lines. */
  decorators: FileWords;
  /** `def` lines: parameters and their annotations. */
  signatures: FileWords;
}

type PyNeed = (p: PyFile) => boolean;
const inCode = (need: Need): PyNeed => (p) => need(p.code);
const inAttributes = (need: Need): PyNeed => (p) => need(p.attributes);

/**
 * Spellings the pass folds besides MODULE_ALIASES (normalizeUncached in
 * taint.ts): only those that drop a segment of the canonical name matter here.
 */
const EXTRA_ALIASES: Record<string, string> = {
  ...MODULE_ALIASES,
  'werkzeug.utils.send_file': 'flask.send_file',
  'django.shortcuts.HttpResponse': 'django.http.HttpResponse',
  'starlette.responses': 'fastapi.responses',
  posixpath: 'os.path',
  ntpath: 'os.path',
};
// An alias that only adds segments (`yaml.cyaml` for `yaml`) spells every segment of the name anyway.
for (const [raw, target] of Object.entries(EXTRA_ALIASES)) if (raw.startsWith(`${target}.`)) delete EXTRA_ALIASES[raw];

/** A decorator `@x.route(...)` (paramEnv in taint.ts: any decorator attribute in ROUTE_DECORATORS). */
const routeDecorator: PyNeed = (p) => anyWord(ROUTE_DECORATORS)(p.decorators);
/** A `<name>` parameter in a Flask route's pattern, as paramEnv reads it. */
const FLASK_PATH_PARAM = /<(?:\w+(?:\([^)]*\))?:)?\w+>/;
/** Imports of these modules make a function with a `request` parameter a Django view (frameworks in taint.ts). */
const DJANGO_MODULES = ['django', 'rest_framework'];
/** Imports of these modules make a route a FastAPI one: every parameter is input (frameworks in taint.ts). */
const FASTAPI_MODULES = ['fastapi', 'starlette'];

/** A qualified name (`subprocess.run`) the pass can resolve in this file. */
function nameNeed(name: string): Need {
  return any(...aliasSpellings(name, EXTRA_ALIASES).map((s) => allWords(s.split('.'))));
}

/**
 * The name is called in a function's body: by its last segment (`run(...)`,
 * `subprocess.run(...)`), or by an alias bound by an import or at module level.
 */
function calledIn(name: string, body: (p: PyFile) => FileWords): PyNeed {
  const called = anyWord(aliasSpellings(name, EXTRA_ALIASES).map((s) => s.slice(s.lastIndexOf('.') + 1)));
  return (p) => p.importAlias || called(body(p)) || called(p.module);
}

/** A receiver typed by one of these constructors (`requests.Session()`); unknown shapes: assume yes. */
function constructedBy(patterns: readonly RegExp[]): Need {
  const names = patterns.map(leadingNames);
  if (names.some((n) => n === undefined)) return always;
  return any(...names.flat().map((n) => nameNeed(n!)));
}

/** Words a receiver of each kind needs (see receiverIs in taint.ts); the method name is required separately. */
function receiverNeed(spec: SinkSpec): Need {
  switch (spec.receiver) {
    case 'http':
      return constructedBy(HTTP_CONSTRUCTORS);
    case 'django-queryset':
      // A segment of the receiver's chain, which may be a subscript's string (`m["objects"]`).
      return textMatching(/\bobjects\b/);
    case 'tornado-handler':
      return textIncludes('RequestHandler');
    case 'upload':
      return textMatching(/file|FILE/);
    default:
      return always;
  }
}

interface SinkNeed {
  need: PyNeed;
  category: number;
  /**
   * Reported without any source: yaml.load's unsafe Loader always; SQL and
   * commands built from a parameter of a public module-level function
   * (isEntryFunction in taint.ts) when called in one.
   */
  withoutSource?: PyNeed;
  /** Can be a review finding (a dynamically built argument). */
  review: boolean;
}

function sinkNeeds(): SinkNeed[] {
  const out: SinkNeed[] = [];
  const add = (category: SinkCategory, need: PyNeed, spec?: SinkSpec, calledInEntry?: () => PyNeed) => {
    let withoutSource: PyNeed | undefined;
    if (spec?.condition === 'yaml-unsafe-loader') withoutSource = () => true;
    else if (category === 'sql' || category === 'command') withoutSource = calledInEntry?.();
    out.push({ need, category: CATEGORY_BITS[category], withoutSource, review: !!spec && category !== 'nosql' });
  };
  for (const spec of SINKS) {
    for (const n of spec.names ?? []) add(spec.category, inCode(nameNeed(n)), spec, () => calledIn(n, (p) => p.entry));
    if (spec.methods) {
      // A method sink is a call `receiver.method(...)`.
      const methods = anyWord(spec.methods);
      const receiver = receiverNeed(spec);
      add(spec.category, (p) => methods(p.attributes) && receiver(p.code), spec, () => (p) => methods(p.entryAttributes));
    }
  }
  // A Flask view's returned string is an HTML response.
  add('xss', routeDecorator);
  return out;
}

interface SourceNeed {
  need: PyNeed;
  kind: SourceKind;
}

function sourceNeeds(): SourceNeed[] {
  const out: SourceNeed[] = [];
  for (const table of [SOURCE_CALLS, SOURCE_ATTRIBUTES, INPUT_STREAMS]) {
    for (const [name, s] of Object.entries(table)) out.push({ need: inCode(nameNeed(name)), kind: s.kind });
  }
  // A request object: `request` (Flask's, self.request, a parameter), a parameter named so or annotated with a type ending in Request, a name.
  const requestNames = inCode(any(word('request'), ...[...REQUEST_OBJECTS, 'flask.request'].map(nameNeed)));
  const requestParameter = any(anyWord(REQUEST_PARAM_NAMES), wordMatching(/Request$/));
  const requestRead = inAttributes(anyWord([...Object.keys(REQUEST_ATTRIBUTES), ...Object.keys(REQUEST_METHODS)]));
  out.push({ need: (p) => requestRead(p) && (requestNames(p) || requestParameter(p.signatures)), kind: 'remote' });
  // Tornado: self.get_argument(...).
  const selfMethod = inAttributes(anyWord(SELF_SOURCE_METHODS));
  out.push({ need: (p) => p.code.words.has('self') && selfMethod(p), kind: 'remote' });
  // Route parameters: a Flask route's `<name>`, every parameter of a FastAPI route.
  const fastapi = anyWord(FASTAPI_MODULES);
  out.push({ need: (p) => routeDecorator(p) && (FLASK_PATH_PARAM.test(p.decorators.text) || fastapi(p.code)), kind: 'remote' });
  // Django views: parameters after `request` come from the URL (in a module importing Django or DRF).
  out.push({ need: inCode(all(word('request'), anyWord(DJANGO_MODULES))), kind: 'remote' });
  return out;
}

/** Built on first use: a process that analyses no file of this language (the CLI's main thread) never pays for it. */
let needs: { sinks: SinkNeed[]; sources: SourceNeed[] } | undefined;
const tables = () => (needs ??= { sinks: sinkNeeds(), sources: sourceNeeds() });

/**
 * False when the taint pass cannot report any flow in this Python text:
 * no sink at all, or (with review findings off) no source a sink could be
 * reached from, nor a sink that is reported without one.
 */
export function pythonMayHaveFlows(text: string, review: boolean): boolean {
  const { sinks, sources } = tables();
  const words = pythonCodeWords(text);
  const code = new FileWords(text, words.code);
  const p: PyFile = {
    code,
    attributes: new FileWords(text, words.attributes),
    entry: words.entry === words.code ? code : new FileWords(text, words.entry),
    entryAttributes: new FileWords(text, words.entryAttributes),
    signatures: words.signatures === words.code ? code : new FileWords(text, words.signatures),
    module: words.module === words.code ? code : new FileWords(text, words.module),
    importAlias: words.importAlias,
    decorators: words.decorators === words.code ? code : new FileWords(words.decoratorText, words.decorators),
  };
  if (review) {
    let categories = 0;
    for (const s of sinks) {
      if (!s.need(p)) continue;
      if (s.review || s.withoutSource?.(p)) return true;
      categories |= s.category;
    }
    return categories !== 0 && hasSource(p, categories);
  }
  // Sources first: most files have none, and then only a sink reported without one matters.
  let remote = false;
  let local = false;
  for (const s of sources) {
    if (s.kind === 'local' ? local : remote) continue;
    if (!s.need(p)) continue;
    if (s.kind === 'local') local = true;
    else {
      remote = true;
      break;
    }
  }
  for (const s of sinks) {
    if (!remote && !local && !s.withoutSource) continue;
    if (!s.need(p)) continue;
    // Input from argv/env/stdin is not reported for every category (LOCAL_SOURCE_SAFE).
    if (remote || (local && s.category & ~LOCAL_SOURCE_SAFE) || s.withoutSource?.(p)) return true;
  }
  return false;
}

function hasSource(p: PyFile, categories: number): boolean {
  for (const s of tables().sources) {
    if (s.kind === 'local' && (categories & ~LOCAL_SOURCE_SAFE) === 0) continue;
    if (s.need(p)) return true;
  }
  return false;
}
