/**
 * Fourfold's VS Code client: starts the language server (dist/server.js over
 * IPC), and owns the 4C's tree, the status bar, the commands and the bridge
 * that sends `fourfold.*` settings to the server without a reload.
 *
 * Test API — `activate()` returns a FourfoldApi (what
 * `vscode.extensions.getExtension('fourfold.fourfold')!.activate()` resolves to):
 *
 *   const api = await ext.activate();
 *   await api.ready;                       // the language client has started
 *   await api.whenIndexed();               // the initial workspace scan is in the tree
 *   api.treeModel.counts().byLayer.code.total   // the Code node's count
 *   api.treeModel.getRoots()               // the four layer nodes (label, count, description)
 *   api.statusBarText()                    // "$(shield) 12"
 *   api.client()                           // the LanguageClient (sendRequest, …)
 *
 * treeModel is client/tree/model.ts's FindingsTreeModel, the very object the
 * view renders, so what a test reads is what the user sees.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { registerCommands } from './commands';
import { DOCUMENT_SELECTOR } from './documentSelector';
import { ServerFindingsSource } from './findingsSource';
import { registerScanImage } from './scanImage';
import type { ScanImageApi, ScanImageDeps } from './scanImageContract';
import { readScannerSettings, readSettings } from './settings';
import { FindingsStatusBar, statusText } from './statusBar';
import { FindingsTreeModel, isSeverity, type GroupBy, type TreeNode } from './tree/model';
import { FindingsTreeProvider, VIEW_ID } from './tree/provider';

export interface FourfoldApi {
  treeModel: FindingsTreeModel;
  treeView: vscode.TreeView<TreeNode>;
  /** Resolves when the language client is running (rejects if it could not start). */
  ready: Promise<void>;
  /** Resolves once the tree holds the result of a finished workspace scan. */
  whenIndexed(): Promise<void>;
  client(): LanguageClient | undefined;
  statusBarText(): string;
  output: vscode.OutputChannel;
}

let client: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): FourfoldApi {
  const output = vscode.window.createOutputChannel('Fourfold');
  context.subscriptions.push(output);
  const config = () => vscode.workspace.getConfiguration('fourfold');
  // `trusted` lets the server run a container engine (digest pinning) only in trusted workspaces.
  const settings = () => ({ ...readSettings((key) => config().get(key)), trusted: vscode.workspace.isTrusted, snippetEdits: true });

  // --- the tree model and its view ---------------------------------------
  const source = new ServerFindingsSource();
  const storedGroupBy = context.workspaceState.get<GroupBy>('fourfold.groupBy');
  const storedMin = context.workspaceState.get<string>('fourfold.viewMinSeverity');
  const model = new FindingsTreeModel(source, {
    groupBy: storedGroupBy === 'file' ? 'file' : 'rule',
    minSeverity: isSeverity(storedMin) ? storedMin : 'info',
    roots: () => (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath),
  });
  const provider = new FindingsTreeProvider(model);
  const treeView = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  context.subscriptions.push(
    source,
    { dispose: () => model.dispose() },
    provider,
    treeView,
    vscode.window.registerFileDecorationProvider(provider),
  );
  const statusBar = new FindingsStatusBar(model);
  context.subscriptions.push(statusBar);

  const updateView = () => {
    const counts = model.counts();
    treeView.badge = counts.total ? { value: counts.total, tooltip: statusText(model).tooltip } : undefined;
    const notes: string[] = [];
    if (model.minSeverity !== 'info') notes.push(`Showing ${model.minSeverity} and above.`);
    if (model.loaded && model.scanning) notes.push('Scanning the workspace…');
    if (model.lastError && !model.loaded) notes.push(model.lastError.message);
    if (!vscode.workspace.isTrusted) notes.push('Restricted Mode: image scans are off.');
    treeView.message = notes.length ? notes.join(' ') : undefined;
    void vscode.commands.executeCommand('setContext', 'fourfold.groupBy', model.groupBy);
    void vscode.commands.executeCommand('setContext', 'fourfold.viewFiltered', model.minSeverity !== 'info');
    void vscode.commands.executeCommand('setContext', 'fourfold.scanning', !model.loaded || model.scanning);
    void vscode.commands.executeCommand('setContext', 'fourfold.hasFindings', model.allFindings.length > 0);
  };
  context.subscriptions.push(
    model.onDidChange(updateView),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      updateView();
      // The server learns of the trust through the settings it receives.
      sendSettings(client).catch(() => undefined);
    }),
  );
  updateView();

  // --- the language server --------------------------------------------------
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  // stdio: the server encodes diagnostics itself there, reusing each one's JSON (server/lsp/transport.ts).
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.stdio },
    debug: { module: serverModule, transport: TransportKind.stdio },
  };
  // Settings go to the server once per real change. The server registers
  // workspace/didChangeConfiguration dynamically without a section, which makes
  // the language client send `{ settings: null }` on every change of any
  // setting; the middleware replaces that with our settings, deduplicated.
  let lastSent = '';
  const sendSettings = async (c: LanguageClient | undefined) => {
    const current = settings();
    const json = JSON.stringify(current);
    if (!c?.isRunning() || json === lastSent) return;
    lastSent = json;
    await c.sendNotification(DidChangeConfigurationNotification.type, { settings: { fourfold: current } });
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel: output,
    diagnosticCollectionName: 'fourfold',
    // A function, so a restart sends the current settings.
    initializationOptions: () => {
      const current = settings();
      lastSent = JSON.stringify(current);
      return { settings: current };
    },
    // File watching: the server registers its own watcher (workspace/didChangeWatchedFiles).
    middleware: {
      workspace: {
        didChangeConfiguration: () => sendSettings(client),
      },
      // Fixes with placeholders (a tag to pin, resource sizes) arrive marked
      // data.snippet: apply them as snippet edits so the placeholders become
      // tab stops to fill in, not literal text.
      provideCodeActions: async (document, range, context, token, next) => {
        const actions = await next(document, range, context, token);
        for (const action of actions ?? []) {
          if (!(action instanceof vscode.CodeAction) || !action.edit) continue;
          if ((action as vscode.CodeAction & { data?: { snippet?: boolean } }).data?.snippet !== true) continue;
          const edit = new vscode.WorkspaceEdit();
          for (const [uri, edits] of action.edit.entries()) {
            edit.set(uri, edits.map((e) => new vscode.SnippetTextEdit(e.range, new vscode.SnippetString(e.newText))));
          }
          action.edit = edit;
        }
        return actions;
      },
    },
  };
  const newClient = () => new LanguageClient('fourfold', 'Fourfold', serverOptions, clientOptions);
  client = newClient();
  source.attach(client);

  const start = async (c: LanguageClient) => {
    await c.start();
    source.attach(c);
  };
  const ready = start(client).catch((e: unknown) => {
    const message = e instanceof Error ? e.message : String(e);
    void vscode.commands.executeCommand('setContext', 'fourfold.serverFailed', true);
    output.appendLine(`[client] the language server did not start: ${message}`);
    void vscode.window.showErrorMessage(`Fourfold: the language server did not start (${message}).`, 'Show Output').then((a) => {
      if (a) output.show();
    });
    throw e;
  });
  ready.catch(() => undefined);

  // Settings take effect without a reload.
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('fourfold')) return;
      sendSettings(client).catch((err: unknown) => output.appendLine(`[client] could not send settings: ${String(err)}`));
    }),
  );

  // --- the image scanner (client/scanImage/**) ---
  let scanImageApi: ScanImageApi | undefined;
  const deps: ScanImageDeps = {
    output,
    client: () => client,
    setImageResults: (s) => model.setImageResults(s),
    scannerSettings: () => readScannerSettings((key) => config().get(key)),
    isTrusted: () => vscode.workspace.isTrusted,
  };
  try {
    const api = registerScanImage(context, deps);
    if (api) {
      scanImageApi = api;
      if (api.dispose) context.subscriptions.push({ dispose: () => api.dispose?.() });
    }
  } catch (e) {
    // The analysis and the tree work without it; "Scan image" then says it is unavailable.
    output.appendLine(`[client] image scanning unavailable: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  }

  registerCommands(context, {
    model,
    treeView,
    output,
    client: () => client,
    scanImage: () => scanImageApi,
    restart: async () => {
      const old = client;
      if (old) {
        try {
          await old.stop(5000);
        } catch (e) {
          output.appendLine(`[client] stopping the server: ${String(e)}`);
        }
        await old.dispose().catch(() => undefined);
      }
      client = newClient();
      source.attach(client);
      await start(client);
      void vscode.commands.executeCommand('setContext', 'fourfold.serverFailed', false);
      await model.refresh();
    },
    saveView: () => {
      void context.workspaceState.update('fourfold.groupBy', model.groupBy);
      void context.workspaceState.update('fourfold.viewMinSeverity', model.minSeverity);
    },
  });

  const whenIndexed = () =>
    new Promise<void>((resolve) => {
      const done = () => model.loaded && !model.scanning;
      if (done()) return resolve();
      const sub = model.onDidChange(() => {
        if (done()) {
          sub.dispose();
          resolve();
        }
      });
      void model.refresh();
    });

  return {
    treeModel: model,
    treeView,
    ready,
    whenIndexed,
    client: () => client,
    statusBarText: () => statusBar.item.text,
    output,
  };
}

export async function deactivate(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) await c.stop().catch(() => undefined);
}
