// What the JavaScript/TypeScript taint pass knows about frameworks and
// libraries, as data: adding a framework is adding rows here.
//
// Names are "canonical": an identifier bound to an import becomes
// `#<module>` (`#child_process.exec`), a call adds `()` (`#mysql.createPool().query`),
// anything else keeps its source spelling (`connection.query`, `eval`).
import type { SinkCategory } from '../flows';

export { ALL_CATEGORIES, CATEGORY_BITS as CATEGORY_BIT } from '../categories';
import { CATEGORY_BITS as CATEGORY_BIT } from '../categories';

/** Module specifiers that share an API, folded into one canonical module name. */
export const MODULE_ALIASES: Record<string, string> = {
  'fs/promises': 'fs',
  'fs-extra': 'fs',
  'graceful-fs': 'fs',
  'mysql2': 'mysql',
  'mysql2/promise': 'mysql',
  'promise-mysql': 'mysql',
  'pg-pool': 'pg',
  'pg-promise': 'pg',
  postgres: 'pg',
  'child-process-promise': 'child_process',
  'node-fetch': 'fetch',
  'cross-fetch': 'fetch',
  'isomorphic-fetch': 'fetch',
  'isomorphic-dompurify': 'dompurify',
  'lodash.template': 'lodash.template',
  underscore: 'lodash',
  'lodash-es': 'lodash',
  'js-yaml': 'yaml-js',
  'https': 'http',
  'http2': 'http',
  'better-sqlite3': 'sqlite3',
  'sqlite': 'sqlite3',
};

// ---------------------------------------------------------------- sources

/** Parameter names that hold an HTTP request (Express, Fastify, Next.js API routes, hapi, NestJS @Req). */
export const REQUEST_NAMES = /^(req|request|_req|httpReq|httpRequest|incomingRequest)$/;
/** Parameter names of a handler's second parameter: when present, the first one is the request. */
export const RESPONSE_NAMES = /^(res|resp|response|reply|_res)$/;
/** TypeScript types of a request parameter. */
export const REQUEST_TYPES = /\b(Request|NextApiRequest|NextRequest|FastifyRequest|IncomingMessage|HttpRequest)\b/;
/**
 * Modules that make a bare `req`/`request` parameter a server request. Without
 * one (or a response parameter next to it, or a request type), `request` is
 * just as often an outgoing HTTP client request.
 */
export const SERVER_MODULES = new Set([
  'express', 'koa', '@koa/router', 'koa-router', 'fastify', 'next', 'next/server', '@nestjs/common', '@hapi/hapi', 'hapi',
  'restify', 'polka', 'micro', 'h3', 'hono', '@vercel/node', 'connect', 'body-parser', 'multer', 'express-session',
  'cookie-parser', 'sails', 'loopback', '@loopback/rest', 'feathers', '@feathersjs/express', 'next/types', 'next-connect',
]);
/** Route registrations that make a module server code without a server module import. */
export const SERVER_CALLS = /\b(app|router|server)\.(get|post|put|patch|delete|all|use|route)\s*\(|\bcreateServer\s*\(/;
/** Koa / Next.js getServerSideProps context objects. */
export const CONTEXT_NAMES = /^(ctx|context)$/;

export interface SourceProperty {
  /** The value may be an attacker-shaped object (qs / JSON body), which matters for NoSQL operator injection. */
  object: boolean;
}
/** Properties of a request object that carry attacker input. */
export const REQUEST_PROPERTIES: Record<string, SourceProperty> = {
  query: { object: true },
  body: { object: true },
  params: { object: false },
  headers: { object: false },
  cookies: { object: false },
  signedCookies: { object: false },
  url: { object: false },
  originalUrl: { object: false },
  path: { object: false },
  files: { object: true },
  file: { object: true },
  rawBody: { object: false },
  payload: { object: true },
  nextUrl: { object: false },
  searchParams: { object: false },
  querystring: { object: false },
  rawHeaders: { object: false },
};
/** Methods of a request object returning attacker input. */
export const REQUEST_METHODS: Record<string, SourceProperty> = {
  get: { object: false },
  header: { object: false },
  param: { object: true },
  json: { object: true },
  text: { object: false },
  formData: { object: true },
  cookie: { object: false },
};
/** Properties of a Koa-style context that carry input directly (ctx.request / ctx.req are requests). */
export const CONTEXT_PROPERTIES: Record<string, SourceProperty> = {
  query: { object: true },
  params: { object: false },
  headers: { object: false },
  header: { object: false },
  querystring: { object: false },
  url: { object: false },
  originalUrl: { object: false },
  href: { object: false },
  path: { object: false },
  cookies: { object: false },
};
export const CONTEXT_REQUEST_PROPERTIES = new Set(['request', 'req']);

/** AWS Lambda / API Gateway events (`exports.handler = async (event) => ...`): the request parts. */
export const LAMBDA_EVENT_NAMES = /^(event|evt|apiEvent|apiGatewayEvent)$/;
export const LAMBDA_EVENT_PROPERTIES: Record<string, SourceProperty> = {
  body: { object: false },
  queryStringParameters: { object: false },
  multiValueQueryStringParameters: { object: false },
  pathParameters: { object: false },
  rawQueryString: { object: false },
  rawPath: { object: false },
  headers: { object: false },
};

/** NestJS parameter decorators: @Body() dto, @Query('q') q, @Req() req. */
export const DECORATOR_SOURCES: Record<string, SourceProperty | 'request'> = {
  Body: { object: true },
  Query: { object: true },
  Param: { object: false },
  Params: { object: false },
  Headers: { object: false },
  Cookies: { object: false },
  Req: 'request',
  Request: 'request',
};

export interface GlobalSource {
  object: boolean;
  browser: boolean;
  /** Severity override: environment variables are operator-controlled more often than attacker-controlled. */
  severity?: 'medium';
  /** Chosen by whoever runs the program, not a remote client. */
  local?: boolean;
}
/** Globals that carry input, matched on the canonical path (window./self./globalThis. stripped). */
export const GLOBAL_SOURCES: Record<string, GlobalSource> = {
  // Local input (the user running the program): reported for command and code injection only, at medium severity.
  'process.argv': { object: false, browser: false, severity: 'medium', local: true },
  'process.env': { object: false, browser: false, severity: 'medium', local: true },
  'location.hash': { object: false, browser: true },
  'location.search': { object: false, browser: true },
  'location.href': { object: false, browser: true },
  'location.pathname': { object: false, browser: true },
  'location': { object: false, browser: true },
  'document.location.hash': { object: false, browser: true },
  'document.location.search': { object: false, browser: true },
  'document.location.href': { object: false, browser: true },
  'document.URL': { object: false, browser: true },
  'document.documentURI': { object: false, browser: true },
  'document.baseURI': { object: false, browser: true },
  'document.referrer': { object: false, browser: true },
  'document.cookie': { object: false, browser: true },
  'name': { object: false, browser: true },
  // Client-side routers: the URL's query and path parameters.
  '#next/router.useRouter().query': { object: false, browser: true },
  '#next/router.useRouter().asPath': { object: false, browser: true },
  '#next/navigation.useSearchParams()': { object: false, browser: true },
  '#next/navigation.useParams()': { object: false, browser: true },
  '#react-router-dom.useParams()': { object: false, browser: true },
  '#react-router-dom.useSearchParams()': { object: false, browser: true },
  '#react-router-dom.useLocation().search': { object: false, browser: true },
  '#react-router-dom.useLocation().hash': { object: false, browser: true },
  '#react-router.useParams()': { object: false, browser: true },
  '#react-router.useSearchParams()': { object: false, browser: true },
};
/** Prefixes that name the global object. */
export const GLOBAL_OBJECT_PREFIX = /^(window|self|globalThis|top|parent)\./;

// ------------------------------------------------------------ propagation

/** Free functions / constructors whose result carries their arguments' taint. */
export const PROPAGATORS = new Set([
  'String', 'decodeURIComponent', 'decodeURI', 'unescape', 'atob', 'btoa', 'JSON.parse', 'JSON.stringify',
  'Buffer.from', 'Object.assign', 'Object.values', 'Object.keys', 'Object.entries', 'Object.fromEntries', 'Array.from', 'Array.of',
  'URL', 'URLSearchParams', 'String.raw',
  '#path.join', '#path.resolve', '#path.normalize', '#path.posix.join', '#path.win32.join', '#path.relative', '#path.format',
  '#util.format', '#querystring.parse', '#qs.parse', '#url.parse', '#url.URL', '#lodash.merge', '#lodash.get', '#lodash.pick',
  '#lodash.template',
]);
/** Results of path.resolve / normalize / join are normalised: a later prefix check is meaningful. */
export const PATH_NORMALISERS = new Set(['#path.join', '#path.resolve', '#path.normalize', '#path.posix.join', '#path.win32.join']);
/** Methods on a tainted receiver whose result carries no attacker-chosen text (booleans, numbers). */
export const CLEAN_METHODS = new Set([
  'includes', 'startsWith', 'endsWith', 'indexOf', 'lastIndexOf', 'test', 'search', 'localeCompare', 'has',
  'charCodeAt', 'codePointAt', 'every', 'some', 'findIndex', 'findLastIndex', 'getTime', 'valueOf', 'isValid', 'hasOwnProperty',
]);
/** Properties whose read yields no attacker-chosen text. */
export const CLEAN_PROPERTIES = new Set(['length', 'size']);
/** Methods that add their arguments to the receiver (containers, URLSearchParams, string builders). */
export const CONTAINER_WRITES = new Set(['push', 'unshift', 'set', 'append', 'add', 'splice']);
/** String-building methods: the result carries receiver and arguments. */
export const JOINING_METHODS = new Set(['concat', 'replace', 'replaceAll', 'format']);
/** Array iteration methods: a callback's first parameter is an element of the receiver. */
export const ITERATION_METHODS = new Set(['map', 'forEach', 'filter', 'find', 'some', 'every', 'flatMap', 'reduce', 'findLast']);

// -------------------------------------------------------------- sanitisers

/** Calls whose result is a number/boolean/date: no injection anywhere. Last name segment. */
export const CLEANING_FUNCTIONS = new Set([
  'parseInt', 'parseFloat', 'Number', 'Boolean', 'BigInt', 'isNaN', 'isFinite', 'Date', 'toInt', 'toFloat', 'toNumber',
  'toBoolean', 'toDate', 'isInteger', 'isSafeInteger', 'ObjectId', 'uuid', 'v4', 'randomUUID', 'hash', 'digest',
]);
/** Category sanitisers by last name segment. */
export const SANITISER_NAMES: Record<string, number> = {
  escapeHtml: CATEGORY_BIT.xss,
  escapeHTML: CATEGORY_BIT.xss,
  htmlEscape: CATEGORY_BIT.xss,
  escapeXml: CATEGORY_BIT.xss,
  encodeHTML: CATEGORY_BIT.xss,
  encodeHtml: CATEGORY_BIT.xss,
  sanitizeHtml: CATEGORY_BIT.xss,
  sanitizeHTML: CATEGORY_BIT.xss,
  filterXSS: CATEGORY_BIT.xss,
  encodeURIComponent: CATEGORY_BIT.xss | CATEGORY_BIT.path,
  encodeURI: CATEGORY_BIT.xss,
  encodeForHTML: CATEGORY_BIT.xss,
  escapeLiteral: CATEGORY_BIT.sql,
  escapeIdentifier: CATEGORY_BIT.sql,
  escapeId: CATEGORY_BIT.sql,
  shellEscape: CATEGORY_BIT.command,
  shellescape: CATEGORY_BIT.command,
  escapeShellArg: CATEGORY_BIT.command,
  mongoSanitize: CATEGORY_BIT.nosql,
  sanitizeFilename: CATEGORY_BIT.path,
  basename: CATEGORY_BIT.path,
};
/** Whole modules (default export or any member) that sanitise for a category. */
export const SANITISER_MODULES: Record<string, number> = {
  'escape-html': CATEGORY_BIT.xss,
  he: CATEGORY_BIT.xss,
  'sanitize-html': CATEGORY_BIT.xss,
  xss: CATEGORY_BIT.xss,
  dompurify: CATEGORY_BIT.xss,
  'html-entities': CATEGORY_BIT.xss,
  entities: CATEGORY_BIT.xss,
  'html-escaper': CATEGORY_BIT.xss,
  'mongo-sanitize': CATEGORY_BIT.nosql,
  'express-mongo-sanitize': CATEGORY_BIT.nosql,
  'sanitize-filename': CATEGORY_BIT.path,
  'shell-quote': CATEGORY_BIT.command,
  'shell-escape': CATEGORY_BIT.command,
  shescape: CATEGORY_BIT.command,
  sqlstring: CATEGORY_BIT.sql,
  'pg-format': CATEGORY_BIT.sql,
};
/** `escape`/`sanitize` are ambiguous names: what they clean depends on the receiver. */
export const AMBIGUOUS_SANITISERS = new Set(['escape', 'sanitize', 'encode', 'format', 'quote', 'ref']);
/** Validators that, checked in a condition, restrict a value to harmless text. */
export const VALIDATORS = new Set([
  'isInt', 'isNumeric', 'isUUID', 'isAlpha', 'isAlphanumeric', 'isHexadecimal', 'isMongoId', 'isBoolean', 'isFloat',
  'isDecimal', 'isIn', 'isInteger', 'isSafeInteger', 'isFinite', 'isValidObjectId', 'isValid', 'isUuid', 'validate',
]);

// ------------------------------------------------------------------- sinks

/** Modules whose presence makes a `db.query(...)` plausibly SQL. */
export const SQL_MODULES = new Set(['mysql', 'pg', 'sequelize', 'knex', 'typeorm', 'sqlite3', 'mssql', 'oracledb', '@prisma/client', 'tedious', 'slonik', 'mariadb', '@databases/pg', '@databases/mysql', '@vercel/postgres', '@neondatabase/serverless', 'drizzle-orm']);
export const MONGO_MODULES = new Set(['mongodb', 'mongoose', 'monk', 'mongojs', 'marsdb', 'nedb', '@seald-io/nedb']);
/** Receivers (last name segment) that plausibly are a database connection, pool, client or ORM manager. */
export const DB_RECEIVER = /^(db|database|conn|connection|con|cnx|pool|client|pgClient|pgPool|mysql|pg|sql|sequelize|knex|trx|tx|transaction|manager|entityManager|em|dataSource|datasource|appDataSource|queryRunner|prisma|repository|repo)$|(Db|DB|Pool|Connection|Conn|Client|Database|Repository|Repo|Manager|Sequelize|Knex)$/;
/** Receivers that are a database handle even without a driver import in the module (`db`, `pool`, `sequelize`). */
export const STRONG_DB_RECEIVER = /^(db|database|conn|connection|con|cnx|pool|pgPool|mysql|pg|sql|sequelize|knex|trx|pgClient|dbClient|dbPool|dbConnection|connectionPool)$|(Db|DB|Pool|Connection|Conn|Database|Sequelize|Knex)$/;
/** SQL statement keywords a constant prefix starts with. */
export const LOOKS_LIKE_SQL = /^\s*\(?\s*(select|insert|update|delete|with|create|drop|alter|replace|truncate|merge|call|exec|grant|revoke|show|describe|pragma|upsert)\b/i;
/** Methods running SQL text on a database receiver. */
export const SQL_QUERY_METHODS = new Set(['query', 'execute', 'raw', 'unsafe', 'queryRaw', 'none', 'one', 'many', 'any', 'oneOrNone', 'manyOrNone', 'result']);
/** sqlite3 / better-sqlite3 methods (need the module or SQL-looking text: names are generic). */
export const SQLITE_METHODS = new Set(['run', 'all', 'get', 'each', 'exec', 'prepare']);
/** Methods that are SQL sinks whatever the receiver: their names say raw SQL. */
export const RAW_SQL_METHODS = new Set(['$queryRawUnsafe', '$executeRawUnsafe', 'whereRaw', 'orWhereRaw', 'andWhereRaw', 'havingRaw', 'orHavingRaw', 'orderByRaw', 'groupByRaw', 'joinRaw', 'fromRaw', 'selectRaw', 'jsonbRaw']);
/** TypeORM query builder methods taking an SQL condition string. */
export const QUERY_BUILDER_METHODS = new Set(['where', 'andWhere', 'orWhere', 'having', 'andHaving', 'orHaving', 'orderBy', 'addOrderBy', 'select', 'addSelect', 'innerJoin', 'leftJoin', 'groupBy']);

/** MongoDB / Mongoose query methods whose first argument is a filter. */
export const MONGO_FILTER_METHODS = new Set([
  'find', 'findOne', 'findOneAndUpdate', 'findOneAndDelete', 'findOneAndRemove', 'findOneAndReplace', 'updateOne', 'updateMany',
  'deleteOne', 'deleteMany', 'countDocuments', 'count', 'replaceOne', 'remove', 'update', 'exists', 'where', 'distinct',
]);
/** Receivers that plausibly are a MongoDB collection or a Mongoose model. */
export const MONGO_RECEIVER = /^(collection|coll|col|users|db|Model|model)$|(Collection|Model|Coll)$|^[A-Z][A-Za-z0-9]*$/;

export interface ModuleSink {
  category: SinkCategory;
  /** Indexes of the arguments that must not carry input; 'all' for every argument. */
  args: number[] | 'all';
  /** Only when the call runs a shell: spawn/execFile with {shell: true} or `sh -c`. */
  shellOnly?: boolean;
  /** The argument is a string (a function argument is harmless): setTimeout. */
  stringOnly?: boolean;
}
/** Sinks named by canonical name (module-qualified or global). */
export const CALL_SINKS: Record<string, ModuleSink> = {
  '#child_process.exec': { category: 'command', args: [0] },
  '#child_process.execSync': { category: 'command', args: [0] },
  '#child_process.spawn': { category: 'command', args: [0, 1], shellOnly: true },
  '#child_process.spawnSync': { category: 'command', args: [0, 1], shellOnly: true },
  '#child_process.execFile': { category: 'command', args: [0, 1], shellOnly: true },
  '#child_process.execFileSync': { category: 'command', args: [0, 1], shellOnly: true },
  '#shelljs.exec': { category: 'command', args: [0] },
  '#execa': { category: 'command', args: [0, 1], shellOnly: true },
  '#execa.execa': { category: 'command', args: [0, 1], shellOnly: true },
  '#execa.execaCommand': { category: 'command', args: [0], shellOnly: true },
  '#cross-spawn': { category: 'command', args: [0, 1], shellOnly: true },
  eval: { category: 'code', args: [0] },
  Function: { category: 'code', args: 'all' },
  // setImmediate never evaluates a string (only setTimeout/setInterval do, in browsers and old Node).
  setTimeout: { category: 'code', args: [0], stringOnly: true },
  setInterval: { category: 'code', args: [0], stringOnly: true },
  '#vm.runInNewContext': { category: 'code', args: [0] },
  '#vm.runInThisContext': { category: 'code', args: [0] },
  '#vm.runInContext': { category: 'code', args: [0] },
  '#vm.compileFunction': { category: 'code', args: [0] },
  '#vm.Script': { category: 'code', args: [0] },
  '#vm.SourceTextModule': { category: 'code', args: [0] },
  '#vm2.VM().run': { category: 'code', args: [0] },
  '#mathjs.eval': { category: 'code', args: [0] },
  '#mathjs.evaluate': { category: 'code', args: [0] },
  '#safe-eval': { category: 'code', args: [0] },
  '#static-eval': { category: 'code', args: [0] },
  '#vm2.NodeVM().run': { category: 'code', args: [0] },
  '#ejs.render': { category: 'template', args: [0] },
  '#ejs.compile': { category: 'template', args: [0] },
  '#pug.render': { category: 'template', args: [0] },
  '#pug.compile': { category: 'template', args: [0] },
  '#jade.render': { category: 'template', args: [0] },
  '#jade.compile': { category: 'template', args: [0] },
  '#handlebars.compile': { category: 'template', args: [0] },
  '#handlebars.precompile': { category: 'template', args: [0] },
  '#nunjucks.renderString': { category: 'template', args: [0] },
  '#nunjucks.compile': { category: 'template', args: [0] },
  '#nunjucks.Environment().renderString': { category: 'template', args: [0] },
  '#lodash.template': { category: 'template', args: [0] },
  '#lodash.template()': { category: 'template', args: [0] },
  '#mustache.render': { category: 'template', args: [0] },
  '#hogan.js.compile': { category: 'template', args: [0] },
  '#dot.template': { category: 'template', args: [0] },
  '#eta.renderString': { category: 'template', args: [0] },
  '#node-serialize.unserialize': { category: 'deserialization', args: [0] },
  '#funcster.deepDeserialize': { category: 'deserialization', args: [0] },
  '#serialize-to-js.deserialize': { category: 'deserialization', args: [0] },
  '#cryo.parse': { category: 'deserialization', args: [0] },
  'document.write': { category: 'xss', args: 'all' },
  'document.writeln': { category: 'xss', args: 'all' },
  '#fetch': { category: 'ssrf', args: [0] },
  fetch: { category: 'ssrf', args: [0] },
  '#axios': { category: 'ssrf', args: [0] },
  '#got': { category: 'ssrf', args: [0] },
  '#needle': { category: 'ssrf', args: [1] },
  '#request': { category: 'ssrf', args: [0] },
  '#superagent': { category: 'ssrf', args: [1] },
  '#undici.request': { category: 'ssrf', args: [0] },
  '#undici.fetch': { category: 'ssrf', args: [0] },
  '#http.get': { category: 'ssrf', args: [0] },
  '#http.request': { category: 'ssrf', args: [0] },
};
/** HTTP client modules whose verb methods (get/post/...) take the URL first. */
export const HTTP_CLIENT_MODULES = new Set(['axios', 'got', 'needle', 'superagent', 'request', 'node-fetch', 'ky', 'undici', 'phin', 'bent']);
export const HTTP_VERBS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'head', 'options', 'request', 'stream']);

/** fs functions (fs, fs/promises, fs-extra) with the argument indexes that are paths. */
export const FS_SINKS: Record<string, number[]> = {
  readFile: [0], readFileSync: [0], createReadStream: [0], createWriteStream: [0], writeFile: [0], writeFileSync: [0],
  appendFile: [0], appendFileSync: [0], unlink: [0], unlinkSync: [0], rm: [0], rmSync: [0], rmdir: [0], rmdirSync: [0],
  readdir: [0], readdirSync: [0], open: [0], openSync: [0], mkdir: [0], mkdirSync: [0], rename: [0, 1], renameSync: [0, 1],
  copyFile: [0, 1], copyFileSync: [0, 1], cp: [0, 1], cpSync: [0, 1], symlink: [0, 1], truncate: [0], chmod: [0], chown: [0],
  readJson: [0], readJsonSync: [0], outputFile: [0], outputFileSync: [0], remove: [0], removeSync: [0], writeJson: [0],
  copy: [0, 1], move: [0, 1], readlink: [0], lstat: [0], access: [0],
};
/** Response methods that send a file named by their first argument. */
export const RESPONSE_FILE_METHODS = new Set(['sendFile', 'sendfile', 'download', 'attachment']);
/** Response methods whose string argument becomes an HTML body (Express sends strings as text/html). */
export const RESPONSE_BODY_METHODS = new Set(['send', 'write', 'end']);
/** Receivers that are an HTTP response. */
export const RESPONSE_RECEIVER = /^(res|resp|response|_res|ctx\.res|reply\.raw)$/;

/** Properties whose assignment parses HTML. */
export const HTML_PROPERTIES = new Set(['innerHTML', 'outerHTML', 'srcdoc']);
/** jQuery methods that parse a string argument as HTML. */
export const JQUERY_HTML_METHODS = new Set(['html', 'append', 'prepend', 'after', 'before', 'replaceWith', 'wrap', 'wrapAll', 'insertAfter', 'insertBefore']);
