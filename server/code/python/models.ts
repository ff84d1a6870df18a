import type { SinkCategory } from '../flows';

/*
 * What the Python taint pass knows about libraries, as data: sources,
 * sanitisers, propagators and sinks, keyed by fully qualified names after
 * import resolution (`from subprocess import run as r; r(...)` is
 * `subprocess.run`). Supporting another framework is adding rows here.
 */

export { ALL_CATEGORIES, CATEGORY_BITS } from '../categories';
import { ALL_CATEGORIES, CATEGORY_BITS } from '../categories';
const bits = (...cats: SinkCategory[]) => cats.reduce((m, c) => m | CATEGORY_BITS[c], 0);

/** Module aliases that behave like another module. */
export const MODULE_ALIASES: Record<string, string> = {
  cPickle: 'pickle',
  _pickle: 'pickle',
  'six.moves.cPickle': 'pickle',
  'six.moves.urllib.request': 'urllib.request',
  urllib2: 'urllib.request',
  'flask.globals.request': 'flask.request',
  'werkzeug.local.request': 'flask.request',
  'bottle.request': 'flask.request',
  'quart.request': 'flask.request',
  'starlette.requests.Request': 'fastapi.Request',
  'fastapi.requests.Request': 'fastapi.Request',
  'starlette.websockets.WebSocket': 'fastapi.Request',
  'fastapi.WebSocket': 'fastapi.Request',
  'sqlalchemy.sql.text': 'sqlalchemy.text',
  'sqlalchemy.sql.expression.text': 'sqlalchemy.text',
  'markupsafe.Markup': 'flask.Markup',
  'jinja2.Markup': 'flask.Markup',
  'quart.render_template_string': 'flask.render_template_string',
  'django.utils.safestring.SafeString': 'django.utils.safestring.mark_safe',
  'django.utils.safestring.SafeText': 'django.utils.safestring.mark_safe',
  'flask.wrappers.Response': 'flask.Response',
  'werkzeug.wrappers.Response': 'flask.Response',
  'werkzeug.Response': 'flask.Response',
  'django.http.response.HttpResponse': 'django.http.HttpResponse',
  'starlette.responses.HTMLResponse': 'fastapi.responses.HTMLResponse',
  'starlette.responses.FileResponse': 'fastapi.responses.FileResponse',
  'mako.template.Template': 'mako.Template',
  'django.template.Template': 'django.Template',
  'django.template.engines': 'django.Template',
  'tornado.template.Template': 'mako.Template',
  'yaml.cyaml': 'yaml',
  'ruamel.yaml': 'ruamel.yaml',
};

/**
 * Attributes of a request object that carry what the client sent (Flask /
 * Werkzeug, Django, DRF, Starlette / FastAPI, Bottle). `structured`: the value
 * can be a dict or list chosen by the client (JSON), which matters for NoSQL
 * operator injection.
 */
export const REQUEST_ATTRIBUTES: Record<string, { structured?: boolean }> = {
  // Flask / Werkzeug / Quart / Bottle
  args: {},
  form: {},
  values: {},
  json: { structured: true },
  data: { structured: true }, // Flask: raw bytes; DRF: parsed JSON
  files: {},
  cookies: {},
  headers: {},
  view_args: {},
  full_path: {},
  url: {},
  base_url: {},
  query_string: {},
  stream: {},
  referrer: {},
  user_agent: {},
  authorization: {},
  query: {}, // bottle
  forms: {}, // bottle
  params: {}, // bottle
  // Django / DRF
  GET: {},
  POST: {},
  body: {},
  COOKIES: {},
  META: {},
  FILES: {},
  path: {},
  path_info: {},
  query_params: {},
  // Starlette / FastAPI
  path_params: {},
  // aiohttp
  match_info: {},
  rel_url: {},
};

/** Methods of a request object whose result is client data (await request.json(), request.get_json()). */
export const REQUEST_METHODS: Record<string, { structured?: boolean }> = {
  get_json: { structured: true },
  get_data: {},
  json: { structured: true },
  body: {},
  form: {},
  stream: {},
  // Django
  read: {},
  get_full_path: {},
  build_absolute_uri: {},
  // Tornado RequestHandler (self.get_argument)
  get_argument: {},
  get_arguments: {},
  get_query_argument: {},
  get_query_arguments: {},
  get_body_argument: {},
  get_body_arguments: {},
  get_cookie: {},
  get_secure_cookie: {},
  // aiohttp (await request.post() / request.text() / request.multipart())
  post: {},
  text: {},
  multipart: {},
};

/** Tornado handlers read input through `self.<method>`. */
export const SELF_SOURCE_METHODS = new Set(['get_argument', 'get_arguments', 'get_query_argument', 'get_query_arguments', 'get_body_argument', 'get_body_arguments', 'get_cookie']);

/** Qualified names that are request objects. */
export const REQUEST_OBJECTS = new Set(['flask.request', 'fastapi.Request', 'django.http.HttpRequest', 'rest_framework.request.Request']);

/** Parameter names that hold the request in Django / Starlette / DRF views. */
export const REQUEST_PARAM_NAMES = new Set(['request', 'req']);

/**
 * Input from the machine the program runs on rather than from a remote client
 * (argv, stdin, environment): reported, at medium severity, because whoever
 * controls them usually already runs code as the user (see docs).
 */
export type SourceKind = 'remote' | 'local';

/**
 * Local input is not reported for these categories: a command-line tool opens
 * the file and fetches the URL it is given, and its output is not a web page.
 */
export const LOCAL_SOURCE_SAFE = bits('path', 'ssrf', 'xss');

export const SOURCE_CALLS: Record<string, { description: string; kind: SourceKind; structured?: boolean }> = {
  input: { description: 'input()', kind: 'local' },
  raw_input: { description: 'raw_input()', kind: 'local' },
  'os.getenv': { description: 'os.getenv()', kind: 'local' },
  'os.environ.get': { description: 'os.environ', kind: 'local' },
  'os.getenvb': { description: 'os.getenvb()', kind: 'local' },
  'sys.stdin.read': { description: 'sys.stdin', kind: 'local' },
  'sys.stdin.readline': { description: 'sys.stdin', kind: 'local' },
  'sys.stdin.readlines': { description: 'sys.stdin', kind: 'local' },
  'sys.stdin.buffer.read': { description: 'sys.stdin', kind: 'local' },
  'sys.stdin.buffer.readline': { description: 'sys.stdin', kind: 'local' },
  'sys.stdin.buffer.readlines': { description: 'sys.stdin', kind: 'local' },
};

/**
 * Input streams: the object itself is not data (it may be passed where a
 * file name or file object is accepted); reading it (the SOURCE_CALLS above),
 * iterating over it, or handing it to a STREAM_READERS call yields its text.
 */
export const INPUT_STREAMS: Record<string, { description: string; kind: SourceKind }> = {
  'sys.stdin': { description: 'sys.stdin', kind: 'local' },
  'sys.stdin.buffer': { description: 'sys.stdin', kind: 'local' },
};

/** Calls that read a stream argument to its end: their result is the stream's content. */
export const STREAM_READERS = new Set([
  'json.load', 'pickle.load', 'marshal.load', 'dill.load', 'yaml.load', 'yaml.unsafe_load', 'yaml.full_load', 'yaml.safe_load', 'tomllib.load', 'toml.load',
  'csv.reader', 'csv.DictReader',
]);

export const SOURCE_ATTRIBUTES: Record<string, { description: string; kind: SourceKind }> = {
  'sys.argv': { description: 'sys.argv', kind: 'local' },
  'os.environ': { description: 'os.environ', kind: 'local' },
  'os.environb': { description: 'os.environb', kind: 'local' },
};

/**
 * SQL identifier quoting: the result is a quoted identifier (or an escaped
 * literal), safe to format into SQL text. Methods on any receiver
 * (`connection.ops.quote_name`, `schema_editor.quote_name`, `dialect.identifier_preparer.quote_identifier`);
 * `quote` only on an identifier preparer / dialect.
 */
export const SQL_QUOTING_METHODS = new Set(['quote_name', 'quote_identifier', 'quote_ident', 'quote_schema', 'format_table', 'format_column', 'escape_identifier', 'quote_name_unless_alias']);
export const SQL_QUOTING_RECEIVER = /(preparer|dialect)\w*$/i;
export const SQL_QUOTING_CALLS = new Set(['psycopg2.sql.Identifier', 'psycopg2.sql.Literal', 'psycopg.sql.Identifier', 'psycopg.sql.Literal', 'psycopg2.extensions.quote_ident', 'psycopg2.extensions.adapt']);

/** Calls whose result no longer carries the input's danger, per category. */
export const SANITIZERS: Record<string, number> = {
  int: ALL_CATEGORIES,
  float: ALL_CATEGORIES,
  bool: ALL_CATEGORIES,
  complex: ALL_CATEGORIES,
  len: ALL_CATEGORIES,
  abs: ALL_CATEGORIES,
  round: ALL_CATEGORIES,
  hash: ALL_CATEGORIES,
  ord: ALL_CATEGORIES,
  id: ALL_CATEGORIES,
  'uuid.UUID': ALL_CATEGORIES,
  'decimal.Decimal': ALL_CATEGORIES,
  'datetime.date.fromisoformat': ALL_CATEGORIES,
  'datetime.datetime.fromisoformat': ALL_CATEGORIES,
  'ipaddress.ip_address': ALL_CATEGORIES,
  'shlex.quote': bits('command'),
  'pipes.quote': bits('command'),
  'html.escape': bits('xss'),
  'cgi.escape': bits('xss'),
  'markupsafe.escape': bits('xss'),
  'flask.escape': bits('xss'),
  'flask.Markup.escape': bits('xss'),
  'jinja2.escape': bits('xss'),
  'werkzeug.utils.escape': bits('xss'),
  'django.utils.html.escape': bits('xss'),
  'django.utils.html.conditional_escape': bits('xss'),
  'django.utils.html.format_html': bits('xss'),
  'bleach.clean': bits('xss'),
  'xml.sax.saxutils.escape': bits('xss'),
  'os.path.basename': bits('path'),
  'posixpath.basename': bits('path'),
  'werkzeug.utils.secure_filename': bits('path'),
  'werkzeug.secure_filename': bits('path'),
  'django.utils.text.get_valid_filename': bits('path'),
  'urllib.parse.quote': ALL_CATEGORIES & ~bits('path', 'ssrf'),
  'urllib.parse.quote_plus': ALL_CATEGORIES & ~bits('ssrf'),
  'urllib.parse.urlencode': ALL_CATEGORIES & ~bits('ssrf'),
  'json.dumps': bits('command', 'code', 'template', 'path'),
};

/** Methods whose result is not the input (booleans, counts, digests). */
export const NON_PROPAGATING_METHODS = new Set([
  'isdigit', 'isnumeric', 'isdecimal', 'isalpha', 'isalnum', 'isidentifier', 'isspace', 'islower', 'isupper',
  'startswith', 'endswith', 'count', 'find', 'rfind', 'index', 'rindex', 'hexdigest', 'digest', 'is_relative_to',
  'exists', 'is_file', 'is_dir', 'read_text', 'read_bytes', 'stat', 'is_valid', 'has_key', '__len__', 'bit_length',
]);

/** Calls whose result carries the taint of their arguments. */
export const PROPAGATORS = new Set([
  'str', 'bytes', 'bytearray', 'repr', 'format', 'list', 'tuple', 'set', 'frozenset', 'dict', 'sorted', 'reversed', 'next', 'iter',
  'os.path.join', 'os.path.abspath', 'os.path.realpath', 'os.path.normpath', 'os.path.expanduser', 'os.path.expandvars', 'os.path.dirname',
  'posixpath.join', 'os.fspath', 'os.fsencode', 'os.fsdecode',
  'pathlib.Path', 'pathlib.PurePath', 'pathlib.PosixPath', 'pathlib.PurePosixPath',
  'base64.b64decode', 'base64.b64encode', 'base64.urlsafe_b64decode', 'base64.urlsafe_b64encode', 'base64.b32decode', 'base64.b16decode', 'base64.decodebytes', 'base64.decodestring',
  'binascii.unhexlify', 'binascii.a2b_base64', 'binascii.a2b_hex', 'codecs.decode', 'codecs.encode', 'zlib.decompress', 'gzip.decompress', 'bz2.decompress', 'lzma.decompress',
  'urllib.parse.unquote', 'urllib.parse.unquote_plus', 'urllib.parse.urljoin', 'urllib.parse.urlunparse', 'urllib.parse.urlparse', 'urllib.parse.urlsplit', 'urllib.parse.parse_qs', 'urllib.parse.parse_qsl',
  'urllib.request.Request', 'html.unescape', 'textwrap.dedent', 'copy.copy', 'copy.deepcopy', 'io.BytesIO', 'io.StringIO',
  'shlex.split', 'json.loads', 'json.load', 'ujson.loads', 'orjson.loads', 'simplejson.loads', 'bytes.fromhex', 'string.Template',
  'collections.OrderedDict', 'werkzeug.datastructures.MultiDict',
]);

/** Propagators whose result is a client-shaped structure (dicts with `$ne`). */
export const STRUCTURING_CALLS = new Set(['json.loads', 'json.load', 'ujson.loads', 'orjson.loads', 'simplejson.loads']);

/** Calls that normalise a path (the precondition for a prefix check to mean anything). */
export const PATH_NORMALIZERS = new Set(['os.path.realpath', 'os.path.abspath', 'os.path.normpath', 'posixpath.normpath', 'os.path.realpath']);
export const PATH_NORMALIZER_METHODS = new Set(['resolve', 'absolute']);

/** Methods on a container that put the argument inside it. */
export const CONTAINER_WRITES = new Set(['append', 'extend', 'insert', 'add', 'update', 'appendleft', 'setdefault', 'put']);

/** Calls after which control does not continue (an `if not ok: abort(400)` guard). */
export const EXITING_CALLS = new Set(['flask.abort', 'abort', 'sys.exit', 'exit', 'quit', 'os._exit', 'fastapi.HTTPException', 'werkzeug.exceptions.abort']);

export type ReceiverKind =
  /** A DB-API cursor/connection, SQLAlchemy engine/session/connection, Django connection. */
  | 'db'
  /** A pymongo database / collection. */
  | 'mongo'
  /** requests.Session / httpx.Client / aiohttp.ClientSession / urllib3.PoolManager. */
  | 'http'
  /** A Django manager or queryset (`Model.objects`). */
  | 'django-queryset'
  /** A jinja2 / Django template engine. */
  | 'template-env'
  /** A pathlib.Path built from the tainted value (the receiver carries the taint). */
  | 'tainted-receiver'
  /** `self` in a Tornado RequestHandler (`self.write(...)` sends HTML by default). */
  | 'tornado-handler'
  /** An uploaded file from the request (werkzeug FileStorage, Django UploadedFile): only the arguments are checked. */
  | 'upload';

export type SinkCondition =
  /** subprocess.*: a string command, `shell=True`, or `["sh", "-c", cmd]`. */
  | 'subprocess'
  /** yaml.load without a safe Loader: always a bug, reported without taint too. */
  | 'yaml-unsafe-loader'
  /** A URL whose scheme and host are not fixed by a constant prefix. */
  | 'url-host'
  /** An HTML response: no content type, or one that says html. */
  | 'html-content-type'
  /** A NoSQL filter: the whole filter tainted, client-structured values, or `$where`. */
  | 'nosql-filter'
  /** Tornado writes a dict as JSON: only other values are HTML. */
  | 'not-a-dict';

export type FixKind = 'sql' | 'sqlalchemy-text' | 'subprocess' | 'os-system' | 'eval' | 'yaml';

export interface SinkSpec {
  category: SinkCategory;
  /** Fully qualified callee names. */
  names?: string[];
  /** Method names, on a receiver of `receiver` kind. */
  methods?: string[];
  receiver?: ReceiverKind;
  /** Checked arguments: positions and keyword names. */
  args: Array<number | string>;
  condition?: SinkCondition;
  fix?: FixKind;
}

const HTTP_VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'];

export const SINKS: SinkSpec[] = [
  // SQL
  { category: 'sql', methods: ['execute', 'executemany', 'executescript', 'mogrify', 'exec_driver_sql', 'query', 'execute_sql', 'fetch', 'fetchrow', 'fetchval'], receiver: 'db', args: [0, 'sql', 'query', 'operation', 'statement'], fix: 'sql' },
  { category: 'sql', names: ['sqlalchemy.text'], args: [0, 'text'], fix: 'sqlalchemy-text' },
  { category: 'sql', names: ['django.db.models.expressions.RawSQL', 'django.db.models.RawSQL'], args: [0, 'sql'] },
  { category: 'sql', methods: ['raw', 'extra'], receiver: 'django-queryset', args: [0, 'raw_query', 'where', 'select', 'tables', 'order_by'] },
  { category: 'sql', names: ['pandas.read_sql', 'pandas.read_sql_query', 'pd.read_sql'], args: [0, 'sql'] },
  // NoSQL (pymongo / motor)
  {
    category: 'nosql',
    methods: ['find', 'find_one', 'find_one_and_update', 'find_one_and_delete', 'find_one_and_replace', 'delete_one', 'delete_many', 'update_one', 'update_many', 'replace_one', 'count_documents', 'count', 'distinct', 'aggregate', 'map_reduce', 'find_raw_batches', 'where'],
    receiver: 'mongo',
    args: [0, 'filter', 'pipeline'],
    condition: 'nosql-filter',
  },
  // Command
  { category: 'command', names: ['os.system'], args: [0, 'command'], fix: 'os-system' },
  { category: 'command', names: ['os.popen', 'os.popen2', 'os.popen3', 'os.popen4', 'popen2.popen2', 'popen2.popen3', 'popen2.popen4', 'commands.getoutput', 'commands.getstatusoutput', 'subprocess.getoutput', 'subprocess.getstatusoutput', 'asyncio.create_subprocess_shell'], args: [0, 'cmd', 'command'] },
  { category: 'command', names: ['subprocess.run', 'subprocess.call', 'subprocess.check_call', 'subprocess.check_output', 'subprocess.Popen'], args: [0, 'args'], condition: 'subprocess', fix: 'subprocess' },
  // No shell: only the program (or an argument vector's first element) is a command.
  { category: 'command', names: ['os.execl', 'os.execle', 'os.execlp', 'os.execlpe', 'os.execv', 'os.execve', 'os.execvp', 'os.execvpe', 'os.posix_spawn', 'os.posix_spawnp', 'asyncio.create_subprocess_exec', 'pty.spawn'], args: [0, 'path', 'file', 'program', 'argv'], condition: 'subprocess' },
  { category: 'command', names: ['os.spawnl', 'os.spawnle', 'os.spawnlp', 'os.spawnlpe', 'os.spawnv', 'os.spawnve', 'os.spawnvp', 'os.spawnvpe'], args: [1, 'file', 'path'], condition: 'subprocess' },
  // Code
  { category: 'code', names: ['eval'], args: [0], fix: 'eval' },
  { category: 'code', names: ['exec', 'execfile', 'compile'], args: [0, 'source'] },
  // Template
  { category: 'template', names: ['flask.render_template_string', 'bottle.template', 'bottle.SimpleTemplate'], args: [0, 'source'] },
  { category: 'template', names: ['jinja2.Template', 'mako.Template', 'django.Template', 'jinja2.environment.Template'], args: [0, 'source', 'text', 'template_string'] },
  { category: 'template', methods: ['from_string'], receiver: 'template-env', args: [0, 'source'] },
  // XSS
  { category: 'xss', names: ['flask.Markup', 'django.utils.safestring.mark_safe'], args: [0] },
  { category: 'xss', names: ['django.http.HttpResponse', 'flask.Response', 'flask.make_response'], args: [0, 'content', 'response'], condition: 'html-content-type' },
  { category: 'xss', names: ['fastapi.responses.HTMLResponse'], args: [0, 'content'] },
  { category: 'xss', methods: ['write', 'finish'], receiver: 'tornado-handler', args: [0, 'chunk'], condition: 'not-a-dict' },
  // Path traversal
  { category: 'path', names: ['open', 'io.open', 'codecs.open', 'os.open', 'file'], args: [0, 'file', 'filename'] },
  { category: 'path', names: ['flask.send_file', 'fastapi.responses.FileResponse', 'django.http.FileResponse.open'], args: [0, 'path', 'path_or_file', 'filename_or_fp'] },
  { category: 'path', names: ['os.remove', 'os.unlink', 'os.rmdir', 'os.removedirs', 'shutil.rmtree', 'shutil.copy', 'shutil.copy2', 'shutil.copyfile', 'shutil.move', 'os.rename', 'tarfile.open', 'zipfile.ZipFile'], args: [0, 1, 'src', 'dst', 'path', 'name'] },
  { category: 'path', methods: ['read_text', 'read_bytes', 'write_text', 'write_bytes', 'open', 'unlink', 'rmdir'], receiver: 'tainted-receiver', args: [] },
  { category: 'path', methods: ['save'], receiver: 'upload', args: [0, 'dst'] },
  // SSRF
  { category: 'ssrf', names: [...HTTP_VERBS.map((v) => `requests.${v}`), ...HTTP_VERBS.map((v) => `httpx.${v}`), 'httpx.stream', 'urllib.request.urlopen', 'urllib.urlopen', 'urllib.request.urlretrieve', 'aiohttp.request'], args: [0, 'url'], condition: 'url-host' },
  { category: 'ssrf', names: ['requests.request', 'httpx.request', 'aiohttp.request'], args: [1, 'url'], condition: 'url-host' },
  { category: 'ssrf', methods: [...HTTP_VERBS, 'stream', 'urlopen', 'ws_connect'], receiver: 'http', args: [0, 'url'], condition: 'url-host' },
  { category: 'ssrf', methods: ['request'], receiver: 'http', args: [1, 'url'], condition: 'url-host' },
  // Deserialization
  { category: 'deserialization', names: ['pickle.loads', 'pickle.load', 'pickle.Unpickler', 'dill.loads', 'dill.load', 'marshal.loads', 'marshal.load', 'shelve.open', 'jsonpickle.decode', 'jsonpickle.loads', 'pandas.read_pickle', 'joblib.load', 'torch.load'], args: [0, 'data', 'file', 'string'] },
  { category: 'deserialization', names: ['yaml.load', 'yaml.load_all'], args: [0, 'stream'], condition: 'yaml-unsafe-loader', fix: 'yaml' },
  { category: 'deserialization', names: ['yaml.unsafe_load', 'yaml.unsafe_load_all'], args: [0, 'stream'] },
];

/** yaml Loaders that cannot build arbitrary objects. */
export const SAFE_YAML_LOADERS = /(^|\.)(SafeLoader|CSafeLoader|BaseLoader|CBaseLoader)$/;

/** Calls that return a DB handle (their result is a `db` receiver). */
export const DB_CONSTRUCTORS = [
  /^(sqlite3|psycopg2|psycopg|pymysql|MySQLdb|mysql\.connector|pyodbc|cx_Oracle|oracledb|pymssql|pg8000|aiosqlite|asyncpg|aiomysql|aiopg|snowflake\.connector|ibm_db_dbi|duckdb)\.connect(\(\))?/,
  /^sqlalchemy\.(create_engine|orm\.Session|orm\.sessionmaker|orm\.scoped_session)/,
  /^asyncpg\.create_pool/,
  /^django\.db\.connection/,
  /^django\.db\.connections/,
  /^flask_sqlalchemy\.SQLAlchemy\(\)/,
];
/** Receiver names that conventionally hold a DB-API cursor or connection. */
export const DB_RECEIVER_NAME = /^(cur|curs|cursor|crsr|c|cr|conn|connection|con|cnx|cnxn|db|dbc|database|session|sess|engine|tx|txn|transaction|pool|\w*_cursor|\w*cursor|\w*_conn|\w*_connection|\w*_db|db_\w*|\w*_session|\w*_engine)$/i;
export const MONGO_CONSTRUCTORS = [/^(pymongo|motor\.motor_asyncio|motor|mongomock)\.(MongoClient|AsyncIOMotorClient)/, /^flask_pymongo\.PyMongo/];
export const MONGO_RECEIVER_NAME = /^(\w*mongo\w*|db|database|\w*_db|\w*collection|\w*_coll|coll|col|users|accounts|posts|items|products|orders|documents|docs)$/i;
export const HTTP_CONSTRUCTORS = [/^requests\.(Session|session)/, /^httpx\.(Client|AsyncClient)/, /^aiohttp\.ClientSession/, /^urllib3\.(PoolManager|ProxyManager)/, /^urllib\.request\.build_opener/];
export const TEMPLATE_ENV_CONSTRUCTORS = [/^jinja2\.(Environment|sandbox\.SandboxedEnvironment)/, /^django\.template\.(Engine|engines)/, /^flask\.Flask\(\)\.jinja_env/];
export const TEMPLATE_ENV_RECEIVER_NAME = /^(env|environment|jinja_env|jinja|jinja2_env|template_env|engine)$/i;

/** FastAPI parameters with these annotations are validated into non-string types (or are framework objects). */
export const FASTAPI_SAFE_ANNOTATIONS = /^(int|float|bool|complex|decimal\.Decimal|Decimal|UUID|uuid\.UUID|datetime|date|time|timedelta|datetime\.\w+|Request|Response|WebSocket|BackgroundTasks|Session|AsyncSession|HTTPConnection|SecurityScopes|HTTPAuthorizationCredentials|OAuth2PasswordRequestForm|conint\(.*\)|PositiveInt|NonNegativeInt|StrictInt|StrictBool)$/;
export const FRAMEWORK_DEPENDENCY_DEFAULTS = /^(Depends|Security|fastapi\.Depends|fastapi\.Security)\(/;

/** Decorator methods that register a route handler (Flask, FastAPI, Starlette, Quart, Sanic, Bottle). */
export const ROUTE_DECORATORS = new Set(['route', 'get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'api_route', 'websocket', 'websocket_route', 'view']);


/**
 * Names of Django view parameters that hold integers. Used only when a view's
 * URLconf is not in the same file (path converters decide otherwise): `<int:pk>`
 * is the convention for these names.
 */
export const DJANGO_INT_PARAMS = /^(pk|id|\w+_id|\w+_pk|year|month|day|page|num|number|index|idx)$/;
