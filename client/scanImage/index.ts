// "Scan image" and "Scan dependencies": pick a target, run Trivy or Grype
// (argument arrays, never a shell), show the results in the 4C's tree, on the
// Dockerfile lines that brought them, and on manifest lines with a version bump.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Finding, Fix, Severity } from '../../server/engine/types';
import {
  checkTarget,
  dependencyFindings,
  describeTarget,
  detectScanner,
  imageFindings,
  imageSarifRun,
  INSTALL_PAGES,
  InvalidTargetError,
  parseDockerfile,
  parseImageReference,
  scanTarget,
  ScannerError,
  summaryText,
  targetKey,
  type ImageVulnerability,
  type ScanReport,
  type ScanTarget,
} from '../../server/image';
import type { ScanImageApi, ScanImageDeps } from '../scanImageContract';
import type { ImageScanResultsSource } from '../tree/imageResults';
import { listLocalImages } from './localImages';
import { dependencyNodes, imageNodes, type DependencyScanEntry, type ImageScanEntry } from './nodes';

const DOCKERFILE_GLOB = '**/{Dockerfile,Containerfile,*.Dockerfile,*.dockerfile,Dockerfile.*,Containerfile.*}';
const EXCLUDE_GLOB = '**/{node_modules,.git,dist,out,vendor}/**';
const DIAGNOSTIC_SOURCE = 'Fourfold image scan';

const DIAGNOSTIC_SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  critical: vscode.DiagnosticSeverity.Error,
  high: vscode.DiagnosticSeverity.Error,
  medium: vscode.DiagnosticSeverity.Warning,
  low: vscode.DiagnosticSeverity.Information,
  info: vscode.DiagnosticSeverity.Hint,
};

/** What the CodeLens and the tree pass to fourfold.scanImage. */
interface ScanArg {
  ref?: string;
  archive?: string;
  ociDir?: string;
  /** The Dockerfile the request came from (its FROM line). */
  dockerfile?: string;
  rescan?: boolean;
}

/** What the commands resolve to (tests and callers read it; the user sees notifications). */
export interface ScanFailure {
  ok: false;
  error: string;
  message: string;
  exitCode?: number;
  stderrTail?: string[];
}
export interface ScanSuccess {
  ok: true;
  image: string;
  summary: string;
  cached: boolean;
  vulnerabilities: number;
  /** Dockerfile diagnostics published for this image. */
  diagnostics: Array<{ path: string; line: number; ruleId: string; severity: Severity }>;
}
export type ScanOutcome = ScanSuccess | ScanFailure;

function isFailure(x: ScanReport | ScanFailure): x is ScanFailure {
  return (x as ScanFailure).ok === false;
}

interface Picked {
  target: ScanTarget;
  label: string;
  /** Cache key: the local image ID when known, else the target. */
  key: string;
  imageRef?: string;
}

function toRange(r: Finding['range']): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

const DEPENDENCY_SOURCE = 'Fourfold dependency scan';

function toDiagnostic(f: Finding, source = DIAGNOSTIC_SOURCE): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(f.range), f.message, DIAGNOSTIC_SEVERITY[f.severity]);
  d.source = source;
  d.code = f.ruleId;
  return d;
}

async function readWorkspaceFile(p: string): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === p);
  if (open) return open.getText();
  try {
    return await fs.promises.readFile(p, 'utf8');
  } catch {
    return undefined;
  }
}

/** Base images the workspace's Dockerfiles name (ARG-resolved), with where. */
export async function workspaceBaseImages(): Promise<Array<{ ref: string; files: string[] }>> {
  const uris = await vscode.workspace.findFiles(DOCKERFILE_GLOB, EXCLUDE_GLOB, 500);
  const byRef = new Map<string, Set<string>>();
  for (const uri of uris) {
    const text = await readWorkspaceFile(uri.fsPath);
    if (text === undefined || text.length > 1024 * 1024) continue;
    for (const from of parseDockerfile(text).froms) {
      const ref = from.resolvedImage;
      if (!ref || from.fromStage || ref.toLowerCase() === 'scratch' || !parseImageReference(ref).ok) continue;
      const set = byRef.get(ref) ?? new Set<string>();
      set.add(uri.fsPath);
      byRef.set(ref, set);
    }
  }
  return [...byRef.entries()].map(([ref, files]) => ({ ref, files: [...files] })).sort((a, b) => a.ref.localeCompare(b.ref));
}

class Results implements ImageScanResultsSource {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly images = new Map<string, ImageScanEntry>();
  deps: DependencyScanEntry | undefined;
  onDidChange(listener: () => unknown): vscode.Disposable {
    return this.emitter.event(listener);
  }
  changed(): void {
    this.emitter.fire();
  }
  results() {
    return imageNodes([...this.images.values()].sort((a, b) => b.scannedAt - a.scannedAt));
  }
  dependencyResults() {
    return dependencyNodes(this.deps);
  }
  dispose(): void {
    this.emitter.dispose();
  }
}

export function registerScanImage(context: vscode.ExtensionContext, deps: ScanImageDeps): ScanImageApi {
  const { output } = deps;
  const imageDiagnostics = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  const depDiagnostics = vscode.languages.createDiagnosticCollection(DEPENDENCY_SOURCE);
  const results = new Results();
  deps.setImageResults(results);
  /** Findings per Dockerfile per scanned image, so several scans add up. */
  const imageFindingsByKey = new Map<string, Map<string, Finding[]>>();
  /** Dependency fixes, looked up by the code action provider. */
  let depFindings: Finding[] = [];
  /** The text each dependency finding was computed on: fixes are offered only while the file still says exactly that. */
  let depTexts = new Map<string, string | undefined>();
  let running = false;
  const lensEmitter = new vscode.EventEmitter<void>();

  const publishImageDiagnostics = () => {
    const byFile = new Map<string, Finding[]>();
    for (const perFile of imageFindingsByKey.values()) {
      for (const [file, list] of perFile) byFile.set(file, [...(byFile.get(file) ?? []), ...list]);
    }
    imageDiagnostics.clear();
    for (const [file, list] of byFile) imageDiagnostics.set(vscode.Uri.file(file), list.map((f) => toDiagnostic(f)));
  };

  /** Ties one image report to every workspace Dockerfile (FROM lines, layer attribution). */
  const attribute = async (entry: ImageScanEntry, imageRef: string | undefined, builtFrom?: string) => {
    const uris = await vscode.workspace.findFiles(DOCKERFILE_GLOB, EXCLUDE_GLOB, 500);
    const perFile = new Map<string, Finding[]>();
    entry.placements.clear();
    for (const uri of uris) {
      const text = await readWorkspaceFile(uri.fsPath);
      if (text === undefined || text.length > 1024 * 1024) continue;
      const r = imageFindings({
        report: entry.report,
        dockerfilePath: uri.fsPath,
        dockerfileText: text,
        imageRef,
        builtFromDockerfile: builtFrom === uri.fsPath && !imageRef ? true : undefined,
      });
      if (r.findings.length) perFile.set(uri.fsPath, r.findings);
      for (const [v, p] of r.placements) if (!entry.placements.has(v)) entry.placements.set(v, p);
    }
    imageFindingsByKey.set(entry.key, perFile);
    publishImageDiagnostics();
  };

  /** Shown without waiting for the user: the command settles at once and reports what happened. */
  const notInstalled = (reason: string): ScanFailure => {
    const message = `No vulnerability scanner: ${reason}. Install Trivy (${INSTALL_PAGES.trivy}) or Grype (${INSTALL_PAGES.grype}), or set "fourfold.scanner.path".`;
    output.appendLine(`[scan] ${message}`);
    void vscode.window
      .showErrorMessage(`Fourfold: ${reason}: Trivy or Grype is not installed. Install one, or set "fourfold.scanner.path".`, 'Install Trivy', 'Install Grype', 'Open Setting')
      .then((choice) => {
        if (choice === 'Install Trivy') void vscode.env.openExternal(vscode.Uri.parse(INSTALL_PAGES.trivy));
        else if (choice === 'Install Grype') void vscode.env.openExternal(vscode.Uri.parse(INSTALL_PAGES.grype));
        else if (choice === 'Open Setting') void vscode.commands.executeCommand('workbench.action.openSettings', 'fourfold.scanner.path');
      });
    return { ok: false, error: 'not-installed', message };
  };

  const explain = (e: unknown, what: string): ScanFailure => {
    if (e instanceof InvalidTargetError) {
      void vscode.window.showErrorMessage(`Fourfold: ${e.message}`);
      return { ok: false, error: 'invalid-target', message: e.message };
    }
    if (!(e instanceof ScannerError)) {
      output.appendLine(`[scan] ${what}: ${(e as Error)?.stack ?? e}`);
      const message = `${what} failed: ${(e as Error)?.message ?? e}`;
      void vscode.window.showErrorMessage(`Fourfold: ${message}`);
      return { ok: false, error: 'failed', message };
    }
    output.appendLine(`[scan] ${e.message}`);
    const result: ScanFailure = { ok: false, error: e.code, message: e.message, exitCode: e.details.exitCode ?? undefined, stderrTail: e.details.stderrTail };
    switch (e.code) {
      case 'not-installed':
        return notInstalled(e.message);
      case 'cancelled':
        void vscode.window.showInformationMessage(`Fourfold: ${what} cancelled.`);
        break;
      case 'image-not-found':
        void vscode.window.showErrorMessage(
          `Fourfold: the image was not found. Pull it first (docker pull …), check the tag, or pick an archive. ${e.details.stderrTail?.at(-1) ?? ''}`,
        );
        break;
      case 'timeout':
        void vscode.window.showErrorMessage(`Fourfold: ${e.message}.`, 'Change Timeout').then((choice) => {
          if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'fourfold.scanner.timeoutSeconds');
        });
        break;
      default:
        void vscode.window
          .showErrorMessage(`Fourfold: ${e.message.split('\n')[0]} — ${e.details.stderrTail?.slice(-2).join(' ') ?? ''}`, 'Show Output')
          .then((choice) => {
            if (choice) output.show(true);
          });
    }
    return result;
  };

  /** Runs the scanner with progress, Cancel and the timeout; stderr to the output channel. */
  const runWithProgress = async (target: ScanTarget, title: string): Promise<ScanReport | ScanFailure> => {
    const settings = deps.scannerSettings();
    const problem = checkTarget(target);
    if (problem) {
      void vscode.window.showErrorMessage(`Fourfold: ${problem}`);
      return { ok: false, error: 'invalid-target', message: problem };
    }
    const detected = detectScanner({ path: settings.path, kind: settings.kind });
    if (!detected.ok) return notInstalled(detected.reason);
    if (running) {
      void vscode.window.showWarningMessage('Fourfold: a scan is already running.');
      return { ok: false, error: 'busy', message: 'a scan is already running' };
    }
    running = true;
    output.appendLine(`[scan] ${detected.scanner.kind} (${detected.scanner.executable}) on ${describeTarget(target)}`);
    try {
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `${title} with ${detected.scanner.kind}`, cancellable: true },
        async (progress, token) => {
          const controller = new AbortController();
          const sub = token.onCancellationRequested(() => controller.abort());
          try {
            const run = await scanTarget({
              scanner: detected.scanner,
              target,
              timeoutMs: settings.timeoutSeconds * 1000,
              signal: controller.signal,
              onStderr: (chunk) => {
                output.append(chunk);
                const last = chunk.trim().split('\n').pop();
                if (last) progress.report({ message: last.slice(0, 120) });
              },
            });
            output.appendLine(`[scan] done in ${(run.durationMs / 1000).toFixed(1)} s: ${summaryText(run.report.vulnerabilities)}`);
            return run.report;
          } finally {
            sub.dispose();
          }
        },
      );
    } catch (e) {
      return explain(e, title);
    } finally {
      running = false;
    }
  };

  const pick = async (): Promise<Picked | undefined> => {
    type Item = vscode.QuickPickItem & { run?: () => Promise<Picked | undefined> };
    const qp = vscode.window.createQuickPick<Item>();
    qp.title = 'Fourfold: Scan Image';
    qp.placeholder = 'Pick an image, or type a reference (e.g. alpine:3.20)';
    qp.matchOnDescription = true;
    qp.busy = true;
    const fixed: Item[] = [
      { label: 'Other', kind: vscode.QuickPickItemKind.Separator },
      {
        label: '$(file-zip) Image archive…',
        description: 'a docker save / podman save .tar',
        run: async () => {
          const files = await vscode.window.showOpenDialog({ canSelectFiles: true, canSelectMany: false, filters: { 'Image archives': ['tar', 'gz', 'tgz'], All: ['*'] } });
          const p = files?.[0]?.fsPath;
          return p ? { target: { type: 'archive', path: p }, label: path.basename(p), key: targetKey({ type: 'archive', path: p }) } : undefined;
        },
      },
      {
        label: '$(folder) OCI layout folder…',
        description: 'a folder with oci-layout and index.json',
        run: async () => {
          const dirs = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false });
          const p = dirs?.[0]?.fsPath;
          return p ? { target: { type: 'oci-dir', path: p }, label: path.basename(p), key: targetKey({ type: 'oci-dir', path: p }) } : undefined;
        },
      },
    ];
    const items: Item[] = [];
    const refresh = () => {
      const typed = qp.value.trim();
      const typedItems: Item[] = [];
      if (typed) {
        const check = parseImageReference(typed);
        typedItems.push(
          check.ok
            ? { label: `$(search) Scan ${typed}`, description: 'typed reference', alwaysShow: true, run: async () => ({ target: { type: 'reference', ref: typed }, label: typed, key: `ref:${typed}`, imageRef: typed }) }
            : { label: `$(error) Not a valid image reference`, description: check.reason, alwaysShow: true },
        );
      }
      qp.items = [...typedItems, ...items, ...fixed];
    };
    qp.onDidChangeValue(refresh);
    refresh();
    qp.show();
    void (async () => {
      const bases = await workspaceBaseImages().catch(() => []);
      if (bases.length) {
        items.push({ label: 'Base images in the workspace Dockerfiles', kind: vscode.QuickPickItemKind.Separator });
        for (const b of bases) {
          items.push({
            label: `$(file-code) ${b.ref}`,
            description: b.files.map((f) => vscode.workspace.asRelativePath(f)).join(', '),
            run: async () => ({ target: { type: 'reference', ref: b.ref }, label: b.ref, key: `ref:${b.ref}`, imageRef: b.ref }),
          });
        }
        refresh();
      }
      const local = await listLocalImages().catch(() => []);
      if (local.length) {
        items.push({ label: 'Local images', kind: vscode.QuickPickItemKind.Separator });
        for (const i of local) {
          items.push({
            label: `$(package) ${i.ref}`,
            description: [i.engine, i.id?.slice(0, 19), i.created, i.size].filter(Boolean).join(' · '),
            run: async () => ({ target: { type: 'reference', ref: i.ref }, label: i.ref, key: i.id ? `id:${i.id}` : `ref:${i.ref}`, imageRef: i.ref }),
          });
        }
        refresh();
      }
      qp.busy = false;
    })();
    const chosen = await new Promise<Item | undefined>((resolve) => {
      qp.onDidAccept(() => {
        const item = qp.selectedItems[0];
        if (item?.run) resolve(item);
      });
      qp.onDidHide(() => resolve(undefined));
    });
    qp.hide();
    qp.dispose();
    return chosen?.run?.();
  };

  const success = (entry: ImageScanEntry, cached: boolean): ScanSuccess => ({
    ok: true,
    image: entry.label,
    summary: summaryText(entry.report.vulnerabilities),
    cached,
    vulnerabilities: entry.report.vulnerabilities.length,
    diagnostics: [...(imageFindingsByKey.get(entry.key) ?? new Map<string, Finding[]>()).entries()].flatMap(([p, list]) =>
      list.map((f) => ({ path: p, line: f.range.start.line, ruleId: f.ruleId, severity: f.severity })),
    ),
  });

  const fromArg = (arg: unknown): Picked | undefined => {
    if (typeof arg === 'string') return { target: { type: 'reference', ref: arg }, label: arg, key: `ref:${arg}`, imageRef: arg };
    if (!arg || typeof arg !== 'object' || arg instanceof vscode.Uri) return undefined;
    const a = arg as ScanArg;
    if (typeof a.ref === 'string') return { target: { type: 'reference', ref: a.ref }, label: a.ref, key: `ref:${a.ref}`, imageRef: a.ref };
    if (typeof a.archive === 'string') return { target: { type: 'archive', path: a.archive }, label: path.basename(a.archive), key: targetKey({ type: 'archive', path: a.archive }) };
    if (typeof a.ociDir === 'string') return { target: { type: 'oci-dir', path: a.ociDir }, label: path.basename(a.ociDir), key: targetKey({ type: 'oci-dir', path: a.ociDir }) };
    return undefined;
  };

  const scanImage = async (arg?: unknown, force = false): Promise<ScanOutcome | undefined> => {
    if (!deps.isTrusted()) {
      const message = 'Scanning images runs an external program and is disabled in Restricted Mode.';
      void vscode.window.showWarningMessage(`Fourfold: ${message}`);
      return { ok: false, error: 'untrusted', message };
    }
    const picked = fromArg(arg) ?? (await pick());
    if (!picked) return undefined;
    const rescan = force || (arg as ScanArg | undefined)?.rescan === true;
    // Cached per image: by the picked key, or an earlier scan whose tags/digests name this reference.
    const cached =
      results.images.get(picked.key) ??
      [...results.images.values()].find(
        (e) => !!picked.imageRef && (e.report.repoTags.includes(picked.imageRef) || e.report.repoDigests.includes(picked.imageRef)),
      );
    if (cached && !rescan) {
      await attribute(cached, picked.imageRef, (arg as ScanArg | undefined)?.dockerfile);
      results.changed();
      void vscode.window.showInformationMessage(`Fourfold: ${picked.label}: ${summaryText(cached.report.vulnerabilities)} (cached; use "Rescan Image" to run again).`);
      return success(cached, true);
    }
    const report = await runWithProgress(picked.target, `Scanning ${picked.label}`);
    if (isFailure(report)) return report;
    // The same image (by ID) scanned under another name is replaced, not listed twice.
    const entry: ImageScanEntry = { key: picked.key, label: picked.label, report, placements: new Map(), scannedAt: Date.now() };
    if (report.imageId) {
      for (const [k, e] of results.images) {
        if (k !== picked.key && e.report.imageId === report.imageId) {
          results.images.delete(k);
          imageFindingsByKey.delete(k);
        }
      }
    }
    results.images.set(picked.key, entry);
    await attribute(entry, picked.imageRef, (arg as ScanArg | undefined)?.dockerfile);
    results.changed();
    lensEmitter.fire();
    const c = report.vulnerabilities;
    void vscode.window.showInformationMessage(`Fourfold: ${picked.label}: ${summaryText(c)}.`, 'Show in 4C View').then((a) => {
      if (a) void vscode.commands.executeCommand('fourfold.focusView');
    });
    return success(entry, false);
  };

  const scanDependencies = async (arg?: unknown) => {
    if (!deps.isTrusted()) {
      const message = 'Scanning dependencies runs an external program and is disabled in Restricted Mode.';
      void vscode.window.showWarningMessage(`Fourfold: ${message}`);
      return { ok: false, error: 'untrusted', message } satisfies ScanFailure;
    }
    let folder: vscode.WorkspaceFolder | undefined =
      arg instanceof vscode.Uri ? vscode.workspace.getWorkspaceFolder(arg) : undefined;
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (!folder) folder = folders.length > 1 ? await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Folder to scan for vulnerable dependencies' }) : folders[0];
    if (!folder || folder.uri.scheme !== 'file') {
      void vscode.window.showWarningMessage('Fourfold: open a folder to scan its dependencies.');
      return undefined;
    }
    const root = folder.uri.fsPath;
    const report = await runWithProgress({ type: 'directory', path: root }, `Scanning dependencies of ${folder.name}`);
    if (isFailure(report)) return report;
    const texts = new Map<string, string | undefined>();
    for (const v of report.vulnerabilities) {
      const rel = (v.location?.path ?? v.target).replace(/^\/+/, '');
      if (!rel) continue;
      const abs = path.resolve(root, rel);
      for (const p of [abs, path.join(path.dirname(abs), 'package.json')]) if (!texts.has(p)) texts.set(p, await readWorkspaceFile(p));
    }
    depFindings = dependencyFindings({ report, rootDir: root, readFile: (p) => texts.get(p) });
    depTexts = texts;
    depDiagnostics.clear();
    const byFile = new Map<string, Finding[]>();
    for (const f of depFindings) byFile.set(f.path, [...(byFile.get(f.path) ?? []), f]);
    for (const [file, list] of byFile) depDiagnostics.set(vscode.Uri.file(file), list.map((f) => toDiagnostic(f, DEPENDENCY_SOURCE)));
    results.deps = { root, report, findings: depFindings, scannedAt: Date.now() };
    results.changed();
    void vscode.window.showInformationMessage(`Fourfold: dependencies of ${folder.name}: ${summaryText(report.vulnerabilities)}.`);
    return {
      ok: true as const,
      root,
      summary: summaryText(report.vulnerabilities),
      diagnostics: depFindings.map((f) => ({ path: f.path, line: f.range.start.line, ruleId: f.ruleId, fixes: f.fixes.map((x) => x.title) })),
    };
  };

  context.subscriptions.push(
    imageDiagnostics,
    depDiagnostics,
    results,
    lensEmitter,
    vscode.commands.registerCommand('fourfold.rescanImage', (arg?: unknown) => scanImage(arg, true)),
    vscode.commands.registerCommand('fourfold.scanDependencies', scanDependencies),
    // Internal (not in the palette): what the quick pick offers from the workspace, for tests and other callers.
    vscode.commands.registerCommand('fourfold.scanImage.workspaceBaseImages', () => workspaceBaseImages()),
    // CodeLens "Scan image" above each FROM naming an image (not a stage, not scratch).
    vscode.languages.registerCodeLensProvider(
      [{ language: 'dockerfile' }, { pattern: DOCKERFILE_GLOB }],
      {
        onDidChangeCodeLenses: lensEmitter.event,
        provideCodeLenses(doc) {
          if (doc.getText().length > 1024 * 1024) return [];
          const lenses: vscode.CodeLens[] = [];
          for (const from of parseDockerfile(doc.getText()).froms) {
            const ref = from.resolvedImage;
            if (!ref || from.fromStage || ref.toLowerCase() === 'scratch' || !parseImageReference(ref).ok) continue;
            const range = new vscode.Range(from.instruction.startLine, 0, from.instruction.startLine, 0);
            const cached = results.images.get(`ref:${ref}`);
            lenses.push(
              new vscode.CodeLens(range, {
                title: cached ? `$(shield) ${ref}: ${summaryText(cached.report.vulnerabilities)}` : '$(shield) Scan image',
                tooltip: `Scan ${ref} with Trivy or Grype`,
                command: 'fourfold.scanImage',
                arguments: [{ ref, dockerfile: doc.uri.fsPath } satisfies ScanArg],
              }),
            );
            if (cached) {
              lenses.push(
                new vscode.CodeLens(range, { title: 'Rescan', command: 'fourfold.rescanImage', arguments: [{ ref, dockerfile: doc.uri.fsPath, rescan: true } satisfies ScanArg] }),
              );
            }
          }
          return lenses;
        },
      },
    ),
    // Quick fix: bump the version in package.json / requirements.txt to the fixed one.
    vscode.languages.registerCodeActionsProvider(
      // Any file: the findings say which files have fixes (package.json, requirements*.txt).
      { scheme: 'file' },
      {
        provideCodeActions(doc, range, ctx) {
          const actions: vscode.CodeAction[] = [];
          if (!depFindings.length || doc.getText() !== depTexts.get(doc.uri.fsPath)) return actions;
          const here = doc.uri.toString();
          for (const f of depFindings) {
            if (!f.fixes.length || vscode.Uri.file(f.path).toString() !== here) continue;
            const fr = toRange(f.range);
            if (!fr.intersection(range) && fr.start.line !== range.start.line) continue;
            const diagnostic =
              ctx.diagnostics.find((d) => d.source === DEPENDENCY_SOURCE && d.range.start.line === fr.start.line) ??
              depDiagnostics.get(doc.uri)?.find((d) => d.range.start.line === fr.start.line);
            for (const fix of f.fixes) actions.push(toAction(doc, fix, diagnostic));
          }
          return actions;
        },
      },
      { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
    ),
    // An edited manifest/lockfile makes its dependency diagnostics stale (lines move, versions change): drop them; rescan refreshes.
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (!e.contentChanges.length || !depDiagnostics.has(e.document.uri)) return;
      if (e.document.getText() === depTexts.get(e.document.uri.fsPath)) return;
      depDiagnostics.delete(e.document.uri);
      const here = e.document.uri.toString();
      depFindings = depFindings.filter((f) => vscode.Uri.file(f.path).toString() !== here);
    }),
    vscode.workspace.onDidSaveTextDocument(async (doc) => {
      // Keep Dockerfile diagnostics in step with edits: re-attribute from the cached reports.
      if (!/(^|[\\/])(Dockerfile|Containerfile)([^\\/]*)$|\.dockerfile$/i.test(doc.uri.fsPath) || !results.images.size) return;
      for (const entry of results.images.values()) {
        const r = imageFindings({ report: entry.report, dockerfilePath: doc.uri.fsPath, dockerfileText: doc.getText(), imageRef: entry.key.startsWith('ref:') ? entry.key.slice(4) : undefined });
        const perFile = imageFindingsByKey.get(entry.key) ?? new Map<string, Finding[]>();
        if (r.findings.length) perFile.set(doc.uri.fsPath, r.findings);
        else perFile.delete(doc.uri.fsPath);
        imageFindingsByKey.set(entry.key, perFile);
      }
      publishImageDiagnostics();
    }),
  );

  return {
    scanImage: (arg?: unknown) => scanImage(arg),
    sarifRuns: () => {
      const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
      return [...results.images.values()].map((e) => imageSarifRun(e.report, { root, scanned: e.label, placements: e.placements }));
    },
    dispose: () => {
      deps.setImageResults(undefined);
    },
  };
}

function toAction(doc: vscode.TextDocument, fix: Fix, diagnostic: vscode.Diagnostic | undefined): vscode.CodeAction {
  const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
  const edit = new vscode.WorkspaceEdit();
  for (const e of fix.edits) edit.replace(doc.uri, toRange(e.range), e.newText);
  action.edit = edit;
  if (diagnostic) action.diagnostics = [diagnostic];
  action.isPreferred = fix.isPreferred;
  return action;
}

export type { ImageVulnerability };
