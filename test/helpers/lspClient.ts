import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type CodeAction,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Range,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';

export const SERVER_JS = path.join(__dirname, '..', '..', 'dist', 'server.js');

export function uriOf(p: string): string {
  return pathToFileURL(p).href;
}

interface Waiter {
  uri: string;
  predicate: (d: Diagnostic[], p: PublishDiagnosticsParams) => boolean;
  resolve: (d: Diagnostic[]) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * A real LSP client for tests: spawns the built server (dist/server.js
 * --stdio) and speaks JSON-RPC to it. Waits are on notifications, with a
 * bounded timeout, never on sleeps.
 */
export class LspTestClient {
  readonly latest = new Map<string, PublishDiagnosticsParams>();
  readonly logs: string[] = [];
  readonly notifications: Array<{ method: string; params: unknown }> = [];
  private waiters: Waiter[] = [];
  private versions = new Map<string, number>();
  private texts = new Map<string, string>();

  private constructor(
    readonly process: ChildProcess,
    readonly connection: ProtocolConnection,
  ) {}

  /** @param options.nodeArgs flags for the server's node (e.g. --expose-gc for fourfold/heapStats). */
  static async start(options: { workspaceFolders?: string[]; settings?: unknown; capabilities?: Record<string, unknown>; nodeArgs?: string[] } = {}): Promise<LspTestClient> {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), SERVER_JS, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new LspTestClient(child, connection);
    child.stderr!.on('data', (d) => client.logs.push(String(d)));
    connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => client.onDiagnostics(p));
    connection.onNotification('window/logMessage', (p: { message: string }) => client.logs.push(p.message));
    connection.onNotification('fourfold/findingsChanged', (params: unknown) => client.onNotification('fourfold/findingsChanged', params));
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.onRequest('workspace/configuration', () => []);
    connection.listen();
    const folders = options.workspaceFolders ?? [];
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: folders[0] ? uriOf(folders[0]) : null,
      workspaceFolders: folders.map((f) => ({ uri: uriOf(f), name: path.basename(f) })),
      capabilities: {
        textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true }, codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } } },
        workspace: { workspaceEdit: { documentChanges: true, resourceOperations: ['create'] }, workspaceFolders: true },
        ...(options.capabilities ?? {}),
      },
      initializationOptions: { settings: options.settings ?? {} },
    });
    await connection.sendNotification('initialized', {});
    return client;
  }

  private notificationWaiters: Array<{ method: string; resolve: (p: unknown) => void }> = [];

  private onNotification(method: string, params: unknown): void {
    this.notifications.push({ method, params });
    const ready = this.notificationWaiters.filter((w) => w.method === method);
    this.notificationWaiters = this.notificationWaiters.filter((w) => w.method !== method);
    ready.forEach((w) => w.resolve(params));
  }

  /** The next `fourfold/findingsChanged` (or other registered) notification. */
  nextNotification(method = 'fourfold/findingsChanged', timeoutMs = 20_000): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${method}`)), timeoutMs);
      this.notificationWaiters.push({ method, resolve: (p) => (clearTimeout(timer), resolve(p)) });
    });
  }

  private onDiagnostics(p: PublishDiagnosticsParams): void {
    this.latest.set(p.uri, p);
    for (const w of [...this.waiters]) {
      if (w.uri === p.uri && w.predicate(p.diagnostics, p)) {
        clearTimeout(w.timer);
        this.waiters = this.waiters.filter((x) => x !== w);
        w.resolve(p.diagnostics);
      }
    }
  }

  /** Resolves with the first diagnostics for `uri` (already received or future) that satisfy the predicate. */
  waitForDiagnostics(uri: string, predicate: (d: Diagnostic[], p: PublishDiagnosticsParams) => boolean = () => true, timeoutMs = 20_000): Promise<Diagnostic[]> {
    const current = this.latest.get(uri);
    if (current && predicate(current.diagnostics, current)) return Promise.resolve(current.diagnostics);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x.uri !== uri || x.resolve !== resolve);
        const last = this.latest.get(uri);
        reject(new Error(`timed out waiting for diagnostics of ${uri}; last: ${JSON.stringify(last?.diagnostics.map((d) => `${d.range.start.line + 1}:${d.code}`))}\nserver log: ${this.logs.join('\n').slice(-2000)}`));
      }, timeoutMs);
      this.waiters.push({ uri, predicate, resolve, reject, timer });
    });
  }

  /** Waits for diagnostics of the document's current version (never a stale publish). */
  waitForVersion(uri: string, predicate: (d: Diagnostic[]) => boolean = () => true, timeoutMs?: number): Promise<Diagnostic[]> {
    const version = this.versions.get(uri);
    return this.waitForDiagnostics(uri, (d, p) => (p.version === undefined || p.version === version) && predicate(d), timeoutMs);
  }

  async open(uri: string, languageId: string, text: string): Promise<void> {
    this.versions.set(uri, 1);
    this.texts.set(uri, text);
    this.latest.delete(uri);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Replaces the whole text (a full-document change event). */
  async change(uri: string, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    this.texts.set(uri, text);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    return version;
  }

  /** An incremental change event, as an editor sends for a keystroke. */
  async edit(uri: string, range: Range, newText: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    this.texts.set(uri, applyTextEdits(this.texts.get(uri) ?? '', [{ range, newText }]));
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text: newText }] });
    return version;
  }

  textOf(uri: string): string | undefined {
    return this.texts.get(uri);
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  codeActions(uri: string, range: Range, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
    return this.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics } }) as Promise<CodeAction[]>;
  }

  request<T>(method: string, params?: unknown): Promise<T> {
    return this.connection.sendRequest(method, params) as Promise<T>;
  }

  notify(method: string, params: unknown): Promise<void> {
    return this.connection.sendNotification(method, params);
  }

  /** Applies a code action's edit to the text this client holds for `uri` and sends it as a change. */
  async applyWorkspaceEdit(edit: WorkspaceEdit, uri: string): Promise<string> {
    const edits: TextEdit[] = [];
    for (const change of edit.documentChanges ?? []) {
      if ('textDocument' in change && change.textDocument.uri === uri) edits.push(...(change.edits as TextEdit[]));
    }
    if (edit.changes?.[uri]) edits.push(...edit.changes[uri]);
    const text = applyTextEdits(this.texts.get(uri) ?? '', edits);
    await this.change(uri, text);
    return text;
  }

  async stop(): Promise<void> {
    try {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => (timer = setTimeout(r, 3000)))]);
      clearTimeout(timer);
      await this.connection.sendNotification('exit');
    } catch {
      // The server may already be gone.
    }
    this.connection.dispose();
    if (this.process.exitCode === null) {
      const exited = new Promise((r) => this.process.once('exit', r));
      const killer = setTimeout(() => this.process.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(killer);
    }
    for (const w of this.waiters) clearTimeout(w.timer);
  }
}

/** Applies LSP text edits (ranges refer to the original text). */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  // Line starts by indexOf: a keystroke's latency is timed around this copy of the editor's text.
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const offset = (p: { line: number; character: number }) => (p.line >= starts.length ? text.length : Math.min(starts[p.line] + p.character, text.length));
  const sorted = edits.map((e) => ({ s: offset(e.range.start), e: offset(e.range.end), t: e.newText })).sort((a, b) => b.s - a.s);
  let out = text;
  for (const x of sorted) out = out.slice(0, x.s) + x.t + out.slice(x.e);
  return out;
}
