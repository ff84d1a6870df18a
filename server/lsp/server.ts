// The language server: thin wiring between the LSP and the engine. It keeps
// an index of every file's analysis (open buffers win over disk), publishes
// diagnostics for the latest text only, and serves the index to the client.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  FileChangeType,
  TextDocumentSyncKind,
  TextDocuments,
  type CodeAction,
  type CodeActionParams,
  type Connection,
  type Diagnostic,
  type FileEvent,
  type InitializeParams,
  type InitializeResult,
  type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { forgetDocumentState } from '../engine/documentState';
import { digestPinFix, resolveLocalDigest } from '../container/digest';
import { CONFIG_FILE_NAMES, defaultConfig, discoverConfig, mergeConfig, type FourfoldConfig } from '../engine/config';
import { Engine, initEngine } from '../engine/engine';
import { fileKindOf } from '../engine/fileKinds';
import { ALL_RULES } from '../engine/registry';
import { suppressionFix } from '../engine/suppression';
import type { FileAnalysis, Finding } from '../engine/types';
import { LineIndex } from '../engine/lineIndex';
import { toSarif } from '../report/sarif';
import { readTextFile } from '../workspace/readFile';
import { closeScanPool, scanFiles } from '../workspace/scan';
import { ExclusionFilter, isLockFile, walk } from '../workspace/walk';
import { DIAGNOSTIC_SOURCE, SKIPPED_CODE, docsUri, fileUri, lspSeverity, toCodeAction, toDiagnostic, type DiagnosticData } from './convert';
import {
  ExportSarifRequest,
  FindingsChangedNotification,
  RescanRequest,
  RulesRequest,
  WorkspaceFindingsRequest,
  type FourfoldSettings,
  type RuleInfo,
  type WireFinding,
  type WorkspaceFindingsResult,
} from './protocol';
import { settingsToConfig } from './settings';

interface IndexEntry {
  analysis: FileAnalysis;
  /** Version of the open document the analysis is of; undefined for disk content. */
  version?: number;
}

/** One workspace folder: its configuration, engine and exclusions. */
interface Folder {
  path: string;
  config: FourfoldConfig;
  engine: Engine;
  filter: ExclusionFilter;
}

const MAX_DEBOUNCE_MS = 300;
/** Files published per turn of the event loop after a scan (each publish is a message; requests wait between turns). */
const PUBLISH_SLICE = 50;

export class FourfoldServer {
  private readonly documents = new TextDocuments(TextDocument);
  private readonly index = new Map<string, IndexEntry>();
  /** Workspace-rule findings per file path. */
  private workspaceFindings = new Map<string, { findings: Finding[]; suppressed: Finding[] }>();
  private folders: Folder[] = [];
  private looseEngine = new Engine();
  private settings: FourfoldSettings = {};
  private readonly timers = new Map<string, NodeJS.Immediate | NodeJS.Timeout>();
  /** Smoothed analysis cost per document, to size the debounce. */
  private readonly cost = new Map<string, number>();
  /** When each document last changed, to tell an isolated edit from a burst. */
  private readonly lastChangeAt = new Map<string, number>();
  // True until the initial workspace scan has finished, so clients never take the empty index before it for the result.
  private scanning = true;
  private scanGeneration = 0;
  private changeVersion = 0;
  private changeTimer: NodeJS.Timeout | undefined;
  private pendingFileEvents: FileEvent[] = [];
  private fileEventTimer: NodeJS.Timeout | undefined;
  private workspaceFolders: WorkspaceFolder[] = [];
  private canCreateProgress = false;
  private canWatchDynamically = false;
  /** Each file's workspace facts (FileAnalysis.collected) the workspace findings were last judged on. */
  private lastWorkspaceFacts = new Map<string, Record<string, unknown>>();
  private ready: Promise<void> = Promise.resolve();
  private engineLoaded = false;

  constructor(private readonly connection: Connection) {
    connection.onInitialize((p) => this.initialize(p));
    connection.onInitialized(() => void this.initialized());
    connection.onDidChangeConfiguration((p) => this.guard('configuration', () => this.changeSettings(p.settings?.fourfold)));
    connection.onDidChangeWatchedFiles((p) => this.guard('file events', () => this.fileEvents(p.changes)));
    connection.onCodeAction(async (p) => {
      try {
        return await this.codeActions(p);
      } catch (e) {
        this.log(`code actions failed: ${(e as Error)?.stack ?? e}`);
        return [];
      }
    });
    connection.onRequest(WorkspaceFindingsRequest, () => this.workspaceFindingsResult());
    connection.onRequest(RescanRequest, async () => {
      await this.scanWorkspace();
      return { fileCount: this.index.size };
    });
    connection.onRequest(ExportSarifRequest, (p: { uris?: string[] } | undefined) => this.exportSarif(p?.uris));
    connection.onRequest(RulesRequest, () => ({ rules: this.rules() }));
    connection.onShutdown(() => {
      for (const t of this.timers.values()) clearTimeout(t as NodeJS.Timeout);
    });

    this.documents.onDidOpen((e) => this.guard('open', () => this.schedule(e.document.uri, true)));
    this.documents.onDidChangeContent((e) => {
      if (this.settings.run !== 'onSave') this.schedule(e.document.uri, false);
    });
    this.documents.onDidSave((e) => {
      if (this.settings.run === 'onSave') this.schedule(e.document.uri, true);
    });
    this.documents.onDidClose((e) => this.guard('close', () => this.closed(e.document.uri)));
    this.documents.listen(connection);
  }

  // ---- lifecycle -------------------------------------------------------

  private initialize(params: InitializeParams): InitializeResult {
    this.workspaceFolders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []);
    this.settings = (params.initializationOptions as { settings?: FourfoldSettings } | undefined)?.settings ?? {};
    this.canCreateProgress = params.capabilities.window?.workDoneProgress === true;
    this.canWatchDynamically = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    this.configure();
    this.ready = initEngine().then(() => {
      this.engineLoaded = true;
    });
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'fourfold', version: '0.1.0' },
    };
  }

  private async initialized(): Promise<void> {
    if (this.canWatchDynamically) {
      // The client may also watch through its own synchronize option; this covers other LSP clients.
      await this.connection.client
        .register({ method: 'workspace/didChangeWatchedFiles' } as never, { watchers: [{ globPattern: '**/*' }] } as never)
        .catch(() => undefined);
    }
    this.connection.client.register(DidChangeConfigurationNotification.type, undefined).catch(() => undefined);
    this.connection.workspace.onDidChangeWorkspaceFolders?.((e) =>
      this.guard('workspace folders', () => {
        const removed = new Set(e.removed.map((f) => f.uri));
        this.workspaceFolders = this.workspaceFolders.filter((f) => !removed.has(f.uri)).concat(e.added);
        for (const uri of [...this.index.keys()]) {
          const p = this.pathOf(uri);
          if (p && !this.documents.get(uri) && !this.folderOf(p)) this.drop(uri);
        }
        this.configure();
        void this.scanWorkspace();
      }),
    );
    await this.scanWorkspace();
  }

  /** (Re)builds each folder's configuration: `.fourfold.yaml` + editor settings. */
  private configure(): void {
    const over = settingsToConfig(this.settings);
    this.folders = this.workspaceFolders
      .map((f) => this.pathOf(f.uri))
      .filter((p): p is string => !!p)
      .map((p) => {
        const found = discoverConfig(p);
        for (const problem of found.problems) this.log(`configuration: ${problem}`);
        const config = mergeConfig(found.config, over);
        const engine = new Engine(config);
        engine.onNote = (n) => this.log(n);
        return { path: p, config, engine, filter: new ExclusionFilter(p, config.exclude) };
      })
      // Nested folders: the deepest match wins in folderOf.
      .sort((a, b) => b.path.length - a.path.length);
    this.looseEngine = new Engine(mergeConfig(defaultConfig(), over));
    this.looseEngine.onNote = (n) => this.log(n);
  }

  private changeSettings(settings: FourfoldSettings | undefined): void {
    // Some clients send { settings: null } for any change anywhere: keep what we have.
    if (settings == null || typeof settings !== 'object') return;
    this.settings = settings;
    this.configure();
    void this.scanWorkspace();
  }

  // ---- analysis of open documents -----------------------------------

  private schedule(uri: string, immediate: boolean): void {
    const previous = this.timers.get(uri);
    if (previous) {
      clearTimeout(previous as NodeJS.Timeout);
      clearImmediate(previous as NodeJS.Immediate);
    }
    // Adaptive debounce: a change that arrives after a pause longer than the
    // file's analysis cost (an isolated keystroke, a paste) is analysed at
    // once, so the squiggles follow on the next frame; changes arriving faster
    // than the analysis can keep up with (a typing burst on a costly file)
    // wait about that cost, so they coalesce instead of queueing analyses.
    const cost = this.cost.get(uri) ?? 0;
    const now = performance.now();
    const sinceLastChange = now - (this.lastChangeAt.get(uri) ?? -Infinity);
    this.lastChangeAt.set(uri, now);
    const run = () => {
      this.timers.delete(uri);
      this.guard('analysis', () => this.analyzeOpen(uri, !immediate));
    };
    if (immediate || cost < 20 || sinceLastChange > cost) this.timers.set(uri, setImmediate(run));
    else this.timers.set(uri, setTimeout(run, Math.min(MAX_DEBOUNCE_MS, cost)));
  }

  private engineFor(filePath: string): { engine: Engine; excluded: boolean } {
    const folder = this.folderOf(filePath);
    if (!folder) return { engine: this.looseEngine, excluded: false };
    return { engine: folder.engine, excluded: folder.filter.excludes(filePath) };
  }

  /** @param edited analysed because the text changed: its cost sizes the debounce of the next changes. */
  private analyzeOpen(uri: string, edited = false): void {
    const doc = this.documents.get(uri);
    if (!doc) return;
    const filePath = this.pathOf(uri) ?? uri;
    const { engine, excluded } = this.engineFor(filePath);
    if (excluded) {
      this.drop(uri);
      return;
    }
    if (!this.engineLoaded) {
      // Grammars still loading (first moments after start): analyse when they are.
      void this.ready.then(() => this.schedule(uri, true));
      return;
    }
    const version = doc.version;
    const started = performance.now();
    const analysis = engine.analyze({ path: filePath, text: doc.getText(), languageId: doc.languageId, documentKey: uri });
    const elapsed = performance.now() - started;
    // Only edits' analyses count: the first analysis of a document (or one after a
    // rescan) parses everything and costs many keystrokes' worth, and would hold
    // back the next several keystrokes if it seeded the average.
    if (edited) this.cost.set(uri, 0.7 * (this.cost.get(uri) ?? elapsed) + 0.3 * elapsed);
    // A newer version arrived meanwhile: its own analysis is already scheduled.
    if (this.documents.get(uri)?.version !== version) return;
    this.index.set(uri, { analysis, version });
    for (const n of analysis.notes) this.log(n);
    this.afterChange([uri], [analysis]);
  }

  private closed(uri: string): void {
    forgetDocumentState(uri);
    this.cost.delete(uri);
    this.lastChangeAt.delete(uri);
    const t = this.timers.get(uri);
    if (t) {
      clearTimeout(t as NodeJS.Timeout);
      clearImmediate(t as NodeJS.Immediate);
      this.timers.delete(uri);
    }
    const filePath = this.pathOf(uri);
    if (filePath && this.folderOf(filePath) && fileKindOf(filePath) && !isLockFile(filePath)) {
      // A workspace file keeps its findings, now from the disk content.
      const analysis = this.analyzeDisk(filePath);
      if (analysis) {
        this.index.set(uri, { analysis });
        this.afterChange([uri], [analysis]);
        return;
      }
    }
    this.drop(uri);
  }

  private analyzeDisk(filePath: string): FileAnalysis | undefined {
    const { engine, excluded } = this.engineFor(filePath);
    if (excluded) return undefined;
    const read = readTextFile(filePath, engine.config.maxFileSize);
    if (read.text === undefined) {
      return { path: filePath, kind: fileKindOf(filePath), findings: [], suppressed: [], collected: {}, suppressions: [], notes: [], skipped: read.skipped };
    }
    return engine.analyze({ path: filePath, text: read.text });
  }

  private drop(uri: string): void {
    const had = this.index.delete(uri);
    this.connection.sendDiagnostics({ uri, diagnostics: [] });
    if (had) this.afterChange([], []);
  }

  // ---- workspace ------------------------------------------------------

  /** Scans every workspace folder (initial scan, rescan, settings change). */
  async scanWorkspace(): Promise<void> {
    await this.ready;
    const generation = ++this.scanGeneration;
    this.scanning = true;
    this.notifyChanged();
    const progress = this.canCreateProgress ? await this.connection.window.createWorkDoneProgress().catch(() => undefined) : undefined;
    progress?.begin('Fourfold: scanning workspace', 0, 'listing files', false);
    try {
      const seen = new Set<string>();
      for (const folder of [...this.folders].reverse()) {
        const listed = await walk(folder.path, { excludes: folder.config.exclude, maxFileSize: folder.config.maxFileSize });
        if (generation !== this.scanGeneration) return;
        const files = listed.files.filter((f) => this.folderOf(f) === folder && !seen.has(f));
        files.forEach((f) => seen.add(f));
        for (const s of listed.skipped) {
          seen.add(s.path);
          this.log(`skipped ${s.path}: ${s.reason}`);
          const uri = fileUri(s.path);
          if (!this.documents.get(uri)) {
            this.index.set(uri, { analysis: { path: s.path, kind: fileKindOf(s.path), findings: [], suppressed: [], collected: {}, suppressions: [], notes: [], skipped: s.reason } });
          }
        }
        await scanFiles(files, {
          config: folder.config,
          onNote: (n) => this.log(n),
          onProgress: (done, total) => progress?.report(Math.round((100 * done) / Math.max(1, total)), `${done}/${total} files`),
          onResults: (batch) => {
            if (generation !== this.scanGeneration) return;
            for (const a of batch) {
              const uri = fileUri(a.path);
              if (this.documents.get(uri)) continue; // the open buffer's analysis wins
              this.index.set(uri, { analysis: a });
              for (const n of a.notes) this.log(n);
            }
          },
        });
        if (generation !== this.scanGeneration) return;
      }
      // Files that vanished since the last scan.
      for (const [uri, entry] of [...this.index]) {
        if (entry.version === undefined && !seen.has(entry.analysis.path)) this.drop(uri);
      }
      // The worker threads (each with its own heap and grammars) are only
      // needed for scans: release them now rather than after the idle timeout.
      void closeScanPool();
      // Open documents: re-analyse with the current configuration.
      for (const doc of this.documents.all()) this.analyzeOpen(doc.uri);
      this.recomputeWorkspace(true);
      await this.publishAll(() => generation === this.scanGeneration);
    } finally {
      if (generation === this.scanGeneration) {
        this.scanning = false;
        progress?.done();
        this.notifyChanged();
      }
    }
  }

  private fileEvents(changes: FileEvent[]): void {
    this.pendingFileEvents.push(...changes);
    // Storms (a branch switch, npm install) arrive as many events: batch them.
    if (this.fileEventTimer) return;
    this.fileEventTimer = setTimeout(() => {
      this.fileEventTimer = undefined;
      const events = this.pendingFileEvents.splice(0);
      void this.processFileEvents(events).catch((e) => this.log(`file events failed: ${(e as Error)?.stack ?? e}`));
    }, 50);
  }

  private async processFileEvents(events: FileEvent[]): Promise<void> {
    await this.ready;
    const latest = new Map<string, FileChangeType>();
    for (const e of events) latest.set(e.uri, e.type);
    if ([...latest.keys()].some((uri) => CONFIG_FILE_NAMES.includes(path.basename(uri)))) {
      this.configure();
      await this.scanWorkspace();
      return;
    }
    const toAnalyze = new Map<Folder, string[]>();
    const changedUris: string[] = [];
    for (const [uri, type] of latest) {
      if (this.documents.get(uri)) continue; // the buffer is the truth for open files
      const filePath = this.pathOf(uri);
      if (!filePath) continue;
      if (type === FileChangeType.Deleted) {
        // A deleted folder arrives as one event: drop everything below it.
        for (const known of [...this.index.keys()]) {
          if (known === uri || known.startsWith(uri.endsWith('/') ? uri : `${uri}/`)) {
            this.index.delete(known);
            this.connection.sendDiagnostics({ uri: known, diagnostics: [] });
            changedUris.push(known);
          }
        }
        continue;
      }
      const folder = this.folderOf(filePath);
      if (!folder || !fileKindOf(filePath) || isLockFile(filePath) || folder.filter.excludes(filePath)) continue;
      if (/[\\/](node_modules|\.git)[\\/]/.test(filePath)) continue;
      const list = toAnalyze.get(folder) ?? [];
      list.push(filePath);
      toAnalyze.set(folder, list);
    }
    const analyses: FileAnalysis[] = [];
    for (const [folder, files] of toAnalyze) {
      const results = await scanFiles(files, { config: folder.config, onNote: (n) => this.log(n) });
      for (const a of results) {
        const uri = fileUri(a.path);
        if (this.documents.get(uri)) continue;
        this.index.set(uri, { analysis: a });
        changedUris.push(uri);
        analyses.push(a);
      }
    }
    if (changedUris.length) this.afterChange(changedUris, analyses, true);
  }

  /** After files changed: re-judge the workspace rules if their inputs moved, publish, tell the client. */
  private afterChange(uris: string[], analyses: FileAnalysis[], force = false): void {
    const changed = this.recomputeWorkspace(force || analyses.some((a) => this.factsChanged(a)));
    const toPublish = new Set([...uris, ...changed]);
    for (const uri of toPublish) void this.publish(uri);
    this.notifyChanged();
  }

  private factsChanged(a: FileAnalysis): boolean {
    const prev = this.lastWorkspaceFacts.get(a.path);
    if (prev === undefined) return Object.keys(a.collected).length > 0;
    const keys = Object.keys(a.collected);
    if (keys.length !== Object.keys(prev).length) return true;
    // Rules often share one facts object (the namespace posture rules do): compare each pair once.
    const equal = new Map<unknown, unknown>();
    for (const k of keys) {
      if (!Object.prototype.hasOwnProperty.call(prev, k)) return true;
      const before = prev[k];
      const now = a.collected[k];
      if (equal.get(before) === now) continue;
      if (!sameData(before, now)) return true;
      equal.set(before, now);
    }
    return false;
  }

  /** Runs workspace rules over the index; returns the URIs whose workspace findings changed. */
  private recomputeWorkspace(needed: boolean): string[] {
    if (!needed) return [];
    const byFolder = new Map<Folder | undefined, FileAnalysis[]>();
    this.lastWorkspaceFacts.clear();
    for (const { analysis } of this.index.values()) {
      this.lastWorkspaceFacts.set(analysis.path, analysis.collected);
      const folder = this.folderOf(analysis.path);
      const list = byFolder.get(folder) ?? [];
      list.push(analysis);
      byFolder.set(folder, list);
    }
    const next = new Map<string, { findings: Finding[]; suppressed: Finding[] }>();
    for (const [folder, analyses] of byFolder) {
      const engine = folder?.engine ?? this.looseEngine;
      for (const [p, r] of engine.analyzeWorkspace(analyses)) next.set(p, r);
    }
    const changed: string[] = [];
    const keys = new Set([...this.workspaceFindings.keys(), ...next.keys()]);
    for (const p of keys) {
      const a = JSON.stringify(this.workspaceFindings.get(p)?.findings.map((f) => f.fingerprint + f.range.start.line) ?? []);
      const b = JSON.stringify(next.get(p)?.findings.map((f) => f.fingerprint + f.range.start.line) ?? []);
      if (a !== b) changed.push(fileUri(p));
    }
    this.workspaceFindings = next;
    return changed;
  }

  private findingsOf(uri: string): Finding[] {
    const entry = this.index.get(uri);
    if (!entry) return [];
    return [...entry.analysis.findings, ...(this.workspaceFindings.get(entry.analysis.path)?.findings ?? [])];
  }

  /** Sends the file's diagnostics; resolves when they are written. */
  private publish(uri: string): Promise<void> {
    const entry = this.index.get(uri);
    if (!entry) return this.connection.sendDiagnostics({ uri, diagnostics: [] });
    const diagnostics: Diagnostic[] = this.findingsOf(uri).map((f) => toDiagnostic(f, uri));
    const doc = this.documents.get(uri);
    if (doc) {
      // "Skipped" or "not valid YAML" must not be silent, but only where the user is looking.
      const info = [...(entry.analysis.skipped && entry.analysis.kind ? [`Fourfold did not analyse this file: ${entry.analysis.skipped}.`] : []), ...(entry.analysis.info ?? [])];
      if (info.length) {
        diagnostics.push({
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          severity: DiagnosticSeverity.Information,
          source: DIAGNOSTIC_SOURCE,
          code: SKIPPED_CODE,
          message: info.join(' '),
        });
      }
    }
    return this.connection.sendDiagnostics({ uri, version: entry.version, diagnostics });
  }

  /**
   * Every indexed file's diagnostics (thousands after a scan): a slice at a
   * time, each written before the next, so a request waits for one slice at
   * most rather than for every message queued. Stops when no longer current.
   */
  private async publishAll(current: () => boolean): Promise<void> {
    const uris = [...this.index.keys()];
    for (let i = 0; i < uris.length && current(); i += PUBLISH_SLICE) {
      await Promise.all(uris.slice(i, i + PUBLISH_SLICE).map((uri) => this.publish(uri).catch(() => undefined)));
    }
  }

  private notifyChanged(): void {
    // Coalesce: during a scan or a typing burst the tree needs one refresh, not hundreds.
    if (this.changeTimer) return;
    this.changeTimer = setTimeout(() => {
      this.changeTimer = undefined;
      void this.connection.sendNotification(FindingsChangedNotification, { version: ++this.changeVersion });
    }, 30);
  }

  // ---- requests ---------------------------------------------------------

  /** Local image digests, looked up once per image per session (the engine is slow to start). */
  private readonly digests = new Map<string, Promise<string | undefined>>();

  private localDigest(image: string): Promise<string | undefined> {
    let found = this.digests.get(image);
    if (!found) {
      found = (async () => {
        for (const engine of ['docker', 'podman'] as const) {
          const d = await resolveLocalDigest(image, { engine }).catch(() => undefined);
          if (d) return d;
        }
        return undefined;
      })();
      this.digests.set(image, found);
    }
    return found;
  }

  private async codeActions(params: CodeActionParams): Promise<CodeAction[]> {
    const uri = params.textDocument.uri;
    const entry = this.index.get(uri);
    const doc = this.documents.get(uri);
    if (!entry || !doc) return [];
    // Stale request: the diagnostics refer to an older version; the client will ask again.
    if (entry.version !== undefined && entry.version !== doc.version) return [];
    const findings = this.findingsOf(uri);
    const lines = new LineIndex(doc.getText());
    const actions: CodeAction[] = [];
    for (const diagnostic of params.context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
      const data = diagnostic.data as DiagnosticData | undefined;
      if (!data?.fingerprint) continue;
      // Keyed on the diagnostic's code and data, never on its message.
      const finding = findings.find(
        (f) => f.fingerprint === data.fingerprint && f.ruleId === diagnostic.code && f.range.start.line === diagnostic.range.start.line,
      );
      if (!finding) continue;
      const snippets = this.settings.snippetEdits === true;
      for (const fix of finding.fixes) actions.push(toCodeAction(fix, diagnostic, uri, doc.version, snippets));
      // Running a container engine executes a program: only in trusted workspaces.
      if (finding.ruleId === 'container/latest-tag' && finding.data?.literal === true && this.settings.trusted === true) {
        const digest = await this.localDigest(String(finding.data.image));
        const pin = digest ? digestPinFix(finding, digest) : undefined;
        if (pin && this.documents.get(uri)?.version === doc.version) actions.push(toCodeAction(pin, diagnostic, uri, doc.version));
      }
      const kind = entry.analysis.kind;
      const suppress = kind ? suppressionFix(finding, lines, kind) : undefined;
      if (suppress) actions.push(toCodeAction(suppress, diagnostic, uri, doc.version));
    }
    return actions;
  }

  /**
   * Each file's findings as sent to the tree, kept until its analysis or its
   * workspace findings change: the tree asks again after every change, and
   * the suppress fix of a closed file needs its text from disk.
   */
  private readonly wireCache = new Map<string, { analysis: FileAnalysis; workspace: unknown; wire: WireFinding[] }>();

  private wireFindingsOf(uri: string, entry: IndexEntry): WireFinding[] {
    const workspace = this.workspaceFindings.get(entry.analysis.path);
    const cached = this.wireCache.get(uri);
    if (cached && cached.analysis === entry.analysis && cached.workspace === workspace) return cached.wire;
    const doc = this.documents.get(uri);
    const kind = entry.analysis.kind;
    let lines: LineIndex | undefined;
    const wire = this.findingsOf(uri).map((f) => {
      let suppressFix;
      if (kind) {
        lines ??= new LineIndex(doc ? doc.getText() : (readTextFile(entry.analysis.path, Number.MAX_SAFE_INTEGER).text ?? ''));
        suppressFix = suppressionFix(f, lines, kind);
      }
      return { ...f, uri, docsUri: docsUri(f.ruleId), suppressFix };
    });
    this.wireCache.set(uri, { analysis: entry.analysis, workspace, wire });
    return wire;
  }

  private workspaceFindingsResult(): WorkspaceFindingsResult {
    const findings: WireFinding[] = [];
    const skipped: WorkspaceFindingsResult['skipped'] = [];
    for (const [uri, entry] of this.index) {
      if (entry.analysis.skipped && entry.analysis.kind) skipped.push({ uri, reason: entry.analysis.skipped });
      findings.push(...this.wireFindingsOf(uri, entry));
    }
    for (const uri of this.wireCache.keys()) if (!this.index.has(uri)) this.wireCache.delete(uri);
    return { findings, scanning: this.scanning, skipped, fileCount: this.index.size };
  }

  private exportSarif(uris?: string[]): { sarif: string } {
    const wanted = uris ? new Set(uris) : undefined;
    const findings: Finding[] = [];
    const suppressed: Finding[] = [];
    for (const [uri, entry] of this.index) {
      if (wanted && !wanted.has(uri)) continue;
      findings.push(...this.findingsOf(uri));
      suppressed.push(...entry.analysis.suppressed, ...(this.workspaceFindings.get(entry.analysis.path)?.suppressed ?? []));
    }
    const root = this.folders.length ? this.folders[this.folders.length - 1].path : process.cwd();
    return { sarif: JSON.stringify(toSarif(findings, { root, suppressed }), null, 2) };
  }

  private rules(): RuleInfo[] {
    const config = this.folders[0]?.config ?? this.looseEngine.config;
    return ALL_RULES.map((r) => ({
      id: r.meta.id,
      layer: r.meta.layer,
      title: r.meta.title,
      description: r.meta.description,
      severity: config.rules[r.meta.id]?.severity ?? r.meta.severity,
      cwe: r.meta.cwe,
      docsUri: docsUri(r.meta.id),
      enabled: config.layers[r.meta.layer] !== false && (config.rules[r.meta.id]?.enabled ?? r.meta.defaultEnabled ?? true),
    }));
  }

  // ---- helpers ------------------------------------------------------------

  private pathOf(uri: string): string | undefined {
    if (!uri.startsWith('file:')) return undefined;
    try {
      return fileURLToPath(uri);
    } catch {
      return undefined;
    }
  }

  private folderOf(filePath: string): Folder | undefined {
    return this.folders.find((f) => filePath === f.path || filePath.startsWith(f.path + path.sep));
  }

  private log(message: string): void {
    this.connection.console.log(message);
  }

  /** A handler that throws must not take the server down: log and carry on. */
  private guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.log(`${what} failed: ${(e as Error)?.stack ?? e}`);
    }
  }
}

export { lspSeverity };

/**
 * Structural equality of JSON-like data (workspace facts): what comparing
 * their JSON tells, without building the strings on every keystroke. Stricter
 * only about keys whose value is undefined (a false "changed" costs a
 * re-judgement, never a missed one).
 */
function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let keys = 0;
  for (const k in x) {
    if (!Object.prototype.hasOwnProperty.call(y, k) || !sameData(x[k], y[k])) return false;
    keys++;
  }
  for (const k in y) if (Object.prototype.hasOwnProperty.call(y, k)) keys--;
  return keys === 0;
}
