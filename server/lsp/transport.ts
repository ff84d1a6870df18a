import { format } from 'node:util';
import {
  createConnection,
  ProposedFeatures,
  StreamMessageWriter,
  type Connection,
  type ContentTypeEncoder,
  type Diagnostic,
  type Message,
  type MessageReader,
} from 'vscode-languageserver/node';

/*
 * The server's connection. Over stdio (the VS Code client and other editors
 * start it with --stdio) diagnostics are written by an encoder that keeps each
 * diagnostic's JSON: a keystroke in a large manifest republishes about a
 * thousand diagnostics of which it changed a few, and encoding them all again
 * was a third of the time from the edit to the squiggles. Other transports
 * (--node-ipc, sockets) use vscode-languageserver's defaults.
 */

export function createServerConnection(): Connection {
  if (!process.argv.includes('--stdio')) return createConnection(ProposedFeatures.all);
  const writer = new StreamMessageWriter(process.stdout, { charset: 'utf-8', contentTypeEncoder: diagnosticsReusingEncoder });
  // The input stream, not a reader, so the library still exits when the client closes stdin (it
  // accepts a stream with a writer at run time; the typings only pair like with like).
  const connection = createConnection(ProposedFeatures.all, process.stdin as unknown as MessageReader, writer);
  redirectConsole(connection);
  return connection;
}

/**
 * What vscode-languageserver does for --stdio when it builds the streams
 * itself: stdout carries the protocol, so console output goes to the client's log.
 */
function redirectConsole(connection: Connection): void {
  console.log = (...args: unknown[]) => connection.console.log(format(...args));
  console.info = (...args: unknown[]) => connection.console.info(format(...args));
  console.debug = (...args: unknown[]) => connection.console.log(format(...args));
  console.warn = (...args: unknown[]) => connection.console.warn(format(...args));
  console.error = (...args: unknown[]) => connection.console.error(format(...args));
}

/** Each published diagnostic's JSON, by object: diagnostics are made once per finding and never changed (lsp/convert.ts). */
const encoded = new WeakMap<Diagnostic, Buffer>();

const PUBLISH = 'textDocument/publishDiagnostics';
const PUBLISH_HEAD = Buffer.from(`{"jsonrpc":"2.0","method":"${PUBLISH}","params":{"diagnostics":[`, 'utf8');
const COMMA = Buffer.from(',', 'utf8');

/** JSON like the library's encoder writes; publishDiagnostics assembled from the kept JSON of each diagnostic. */
export const diagnosticsReusingEncoder: ContentTypeEncoder = {
  name: 'application/json',
  async encode(msg: Message): Promise<Uint8Array> {
    return encodePublish(msg) ?? Buffer.from(JSON.stringify(msg), 'utf8');
  },
};

function encodePublish(msg: Message): Buffer | undefined {
  const m = msg as { jsonrpc?: unknown; method?: unknown; params?: { uri?: unknown; version?: unknown; diagnostics?: unknown } };
  if (m.method !== PUBLISH || m.jsonrpc !== '2.0' || Object.keys(m).length !== 3) return undefined;
  const params = m.params;
  if (!params || typeof params.uri !== 'string' || !Array.isArray(params.diagnostics)) return undefined;
  if (Object.keys(params).some((k) => k !== 'uri' && k !== 'version' && k !== 'diagnostics')) return undefined;
  const parts: Buffer[] = [PUBLISH_HEAD];
  const diagnostics = params.diagnostics as Diagnostic[];
  for (let i = 0; i < diagnostics.length; i++) {
    if (i > 0) parts.push(COMMA);
    const d = diagnostics[i];
    let json = encoded.get(d);
    if (!json) encoded.set(d, (json = Buffer.from(JSON.stringify(d), 'utf8')));
    parts.push(json);
  }
  const version = params.version === undefined ? '' : `,"version":${JSON.stringify(params.version)}`;
  parts.push(Buffer.from(`],"uri":${JSON.stringify(params.uri)}${version}}}`, 'utf8'));
  return Buffer.concat(parts);
}
