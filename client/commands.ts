// Palette, tree and toolbar commands. Titles, icons and menus are in package.json.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { LAYERS, SEVERITIES, type Severity } from '../server/engine/types';
import {
  ExportSarifRequest,
  RescanRequest,
  RulesRequest,
  type RuleInfo,
  type WireFinding,
} from '../server/lsp/protocol';
import { applyFix, preferredFix, toRange } from './fixes';
import type { ScanImageApi } from './scanImageContract';
import type { ImageScanNode } from './tree/imageResults';
import { LAYER_LABELS, type FindingsTreeModel, type TreeNode } from './tree/model';
import { VIEW_ID } from './tree/provider';
import { narrowSarif, urisOf } from './tree/sarif';

export interface CommandDeps {
  model: FindingsTreeModel;
  treeView: vscode.TreeView<TreeNode>;
  output: vscode.OutputChannel;
  client(): LanguageClient | undefined;
  scanImage(): ScanImageApi | undefined;
  restart(): Promise<void>;
  /** Persists the view's grouping and filter. */
  saveView(): void;
}

export const UNTRUSTED_EXECUTION_MESSAGE =
  'Fourfold: scanning images runs an external program (Trivy or Grype), which is disabled in Restricted Mode. ' +
  'Trust this workspace to enable it; the code, Dockerfile, Kubernetes and credential analysis keeps running either way.';

function runningClient(deps: CommandDeps): LanguageClient {
  const c = deps.client();
  if (!c || !c.isRunning()) throw new Error('the Fourfold language server is not running (Fourfold: Restart Language Server).');
  return c;
}

/** A tree node, a finding, or nothing (palette): the findings meant. */
function findingOf(arg: unknown, deps: CommandDeps): WireFinding | undefined {
  if (arg && typeof arg === 'object') {
    const node = arg as Partial<TreeNode> & { finding?: WireFinding };
    if (node.kind === 'finding' && node.finding) return node.finding;
    if ('ruleId' in node && 'uri' in node && 'range' in node) return arg as WireFinding;
  }
  const sel = deps.treeView.selection[0];
  return sel?.kind === 'finding' ? sel.finding : undefined;
}

function report(deps: CommandDeps, what: string, e: unknown): void {
  const message = e instanceof Error ? e.message : String(e);
  deps.output.appendLine(`[client] ${what}: ${message}`);
  void vscode.window.showErrorMessage(`Fourfold: ${what}: ${message}`);
}

/** Opens a rule document: the Markdown preview when available, else the file. */
export async function openRuleDoc(docsUri: string): Promise<void> {
  const uri = vscode.Uri.parse(docsUri);
  try {
    await vscode.workspace.fs.stat(uri);
  } catch {
    void vscode.window.showWarningMessage(`Fourfold: the rule document ${uri.fsPath || docsUri} is missing from this installation.`);
    return;
  }
  try {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  } catch {
    await vscode.window.showTextDocument(uri, { preview: true });
  }
}

export function registerCommands(context: vscode.ExtensionContext, deps: CommandDeps): void {
  const { model, output } = deps;
  const register = (id: string, fn: (...args: unknown[]) => unknown) =>
    context.subscriptions.push(vscode.commands.registerCommand(id, fn));

  register('fourfold.focusView', () => vscode.commands.executeCommand(`${VIEW_ID}.focus`));
  register('fourfold.showOutput', () => output.show(true));

  register('fourfold.scanWorkspace', async () => {
    try {
      const c = runningClient(deps);
      const result = await vscode.window.withProgress(
        { location: { viewId: VIEW_ID }, title: 'Fourfold: scanning the workspace' },
        () =>
          vscode.window.withProgress(
            { location: vscode.ProgressLocation.Window, title: '$(shield) Scanning workspace' },
            () => c.sendRequest<{ fileCount?: number }>(RescanRequest),
          ),
      );
      await model.refresh();
      const n = model.counts().total;
      vscode.window.setStatusBarMessage(
        `$(shield) Fourfold scanned ${result?.fileCount ?? model.fileCount} files: ${n} finding${n === 1 ? '' : 's'}`,
        5000,
      );
      return result;
    } catch (e) {
      report(deps, 'workspace scan failed', e);
      return undefined;
    }
  });

  register('fourfold.scanImage', async (arg?: unknown) => {
    if (!vscode.workspace.isTrusted) {
      const choice = await vscode.window.showWarningMessage(UNTRUSTED_EXECUTION_MESSAGE, 'Manage Workspace Trust');
      if (choice) await vscode.commands.executeCommand('workbench.trust.manage');
      return undefined;
    }
    const api = deps.scanImage();
    if (!api) {
      void vscode.window.showWarningMessage('Fourfold: image scanning is not available in this build of the extension.');
      return undefined;
    }
    try {
      return await api.scanImage(arg);
    } catch (e) {
      report(deps, 'image scan failed', e);
      return undefined;
    }
  });

  register('fourfold.exportSarif', async (target?: unknown) => {
    try {
      const c = runningClient(deps);
      let uri = target instanceof vscode.Uri ? target : undefined;
      if (!uri) {
        const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
        uri = await vscode.window.showSaveDialog({
          title: 'Export Fourfold findings as SARIF',
          saveLabel: 'Export',
          defaultUri: folder ? vscode.Uri.joinPath(folder, 'fourfold.sarif') : undefined,
          filters: { SARIF: ['sarif', 'json'] },
        });
      }
      if (!uri) return undefined;
      const { sarif } = await c.sendRequest<{ sarif: string }>(ExportSarifRequest, {});
      let text = sarif;
      const runs = deps.scanImage()?.sarifRuns?.() ?? [];
      if (runs.length) {
        const log = JSON.parse(sarif) as { runs: unknown[] };
        log.runs.push(...runs);
        text = JSON.stringify(log, null, 2);
      }
      await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
      if (!(target instanceof vscode.Uri)) {
        void vscode.window.showInformationMessage(`Fourfold: SARIF report written to ${uri.fsPath}.`, 'Open').then((a) => {
          if (a) void vscode.window.showTextDocument(uri!);
        });
      }
      return uri;
    } catch (e) {
      report(deps, 'SARIF export failed', e);
      return undefined;
    }
  });

  register('fourfold.openRuleDoc', async (arg?: unknown) => {
    try {
      if (typeof arg === 'string' && /^[a-z]+:\/\//.test(arg)) return openRuleDoc(arg);
      const c = runningClient(deps);
      const { rules } = await c.sendRequest<{ rules: RuleInfo[] }>(RulesRequest);
      if (typeof arg === 'string') {
        const rule = rules.find((r) => r.id === arg);
        if (rule) return openRuleDoc(rule.docsUri);
      }
      type Item = vscode.QuickPickItem & { rule?: RuleInfo };
      const items: Item[] = [];
      for (const layer of LAYERS) {
        const ofLayer = rules.filter((r) => r.layer === layer).sort((a, b) => a.id.localeCompare(b.id));
        if (!ofLayer.length) continue;
        items.push({ label: LAYER_LABELS[layer], kind: vscode.QuickPickItemKind.Separator });
        for (const r of ofLayer) {
          items.push({
            label: r.title,
            description: `${r.id} · ${r.severity}${r.enabled ? '' : ' · off'}`,
            detail: r.description,
            rule: r,
          });
        }
      }
      const pick = await vscode.window.showQuickPick(items, {
        title: 'Fourfold: Open Rule Documentation',
        placeHolder: 'Search the rules by title, id or description',
        matchOnDescription: true,
        matchOnDetail: true,
      });
      if (pick?.rule) await openRuleDoc(pick.rule.docsUri);
      return undefined;
    } catch (e) {
      report(deps, 'could not list the rules', e);
      return undefined;
    }
  });

  register('fourfold.restartServer', async () => {
    try {
      await deps.restart();
      vscode.window.setStatusBarMessage('$(shield) Fourfold language server restarted', 4000);
    } catch (e) {
      report(deps, 'restart failed', e);
    }
  });

  register('fourfold.openSample', async () => {
    const sample = vscode.Uri.joinPath(context.extensionUri, 'examples');
    try {
      await vscode.workspace.fs.stat(sample);
    } catch {
      void vscode.window.showWarningMessage('Fourfold: the sample app is not bundled with this installation.');
      return;
    }
    // A copy, so fixes never edit the installed extension.
    const copy = vscode.Uri.joinPath(context.globalStorageUri, 'fourfold-sample');
    await vscode.workspace.fs.createDirectory(context.globalStorageUri);
    await vscode.workspace.fs.copy(sample, copy, { overwrite: true });
    await vscode.commands.executeCommand('vscode.openFolder', copy, { forceNewWindow: false });
  });

  // --- tree items ---------------------------------------------------------
  register('fourfold.tree.openFinding', async (arg?: unknown) => {
    const f = findingOf(arg, deps);
    if (!f) return;
    await vscode.window.showTextDocument(vscode.Uri.parse(f.uri), { selection: toRange(f.range), preview: true });
  });

  register('fourfold.tree.openLocation', async (loc?: unknown) => {
    const l = loc as ImageScanNode['location'];
    if (!l?.uri) return;
    await vscode.window.showTextDocument(vscode.Uri.parse(l.uri), {
      selection: l.range ? toRange(l.range) : undefined,
      preview: true,
    });
  });

  register('fourfold.tree.applyFix', async (arg?: unknown) => {
    const f = findingOf(arg, deps);
    if (!f) return false;
    let fix = preferredFix(f);
    if (!fix && (f.fixes ?? []).length > 1) {
      const pick = await vscode.window.showQuickPick(
        f.fixes.map((x) => ({ label: x.title, fix: x })),
        { title: `Fourfold: fix "${f.title}"`, placeHolder: 'Choose a fix' },
      );
      if (!pick) return false;
      fix = pick.fix;
    }
    if (!fix) {
      void vscode.window.showInformationMessage(`Fourfold: "${f.title}" has no automatic fix; see the rule documentation.`);
      return false;
    }
    try {
      return await applyFix(f, fix);
    } catch (e) {
      report(deps, `could not apply "${fix.title}"`, e);
      return false;
    }
  });

  register('fourfold.tree.suppress', async (arg?: unknown) => {
    const f = findingOf(arg, deps);
    if (!f) return false;
    if (!f.suppressFix) {
      void vscode.window.showInformationMessage('Fourfold: this file type has no comment syntax to suppress the finding with.');
      return false;
    }
    try {
      return await applyFix(f, f.suppressFix);
    } catch (e) {
      report(deps, 'could not add the suppression comment', e);
      return false;
    }
  });

  register('fourfold.tree.openDoc', async (arg?: unknown) => {
    const node = arg as TreeNode | undefined;
    if (node?.kind === 'rule') return openRuleDoc(node.docsUri);
    const f = findingOf(arg, deps);
    if (f) return openRuleDoc(f.docsUri);
    return vscode.commands.executeCommand('fourfold.openRuleDoc');
  });

  register('fourfold.tree.copySarif', async (arg?: unknown) => {
    const node = (arg as TreeNode | undefined) ?? deps.treeView.selection[0];
    if (!node) return undefined;
    const findings = model.findingsOf(node);
    if (!findings.length) {
      void vscode.window.showInformationMessage('Fourfold: nothing to copy here.');
      return undefined;
    }
    try {
      const c = runningClient(deps);
      const { sarif } = await c.sendRequest<{ sarif: string }>(ExportSarifRequest, { uris: urisOf(findings) });
      const text = narrowSarif(sarif, findings);
      await vscode.env.clipboard.writeText(text);
      vscode.window.setStatusBarMessage(
        `$(copy) Copied ${findings.length} finding${findings.length === 1 ? '' : 's'} as SARIF`,
        4000,
      );
      return text;
    } catch (e) {
      report(deps, 'copy as SARIF failed', e);
      return undefined;
    }
  });

  const filterSeverity = async (arg?: unknown) => {
    let min: Severity | undefined = typeof arg === 'string' && (SEVERITIES as readonly string[]).includes(arg) ? (arg as Severity) : undefined;
    if (!min) {
      const counts = model.allFindings;
      const pick = await vscode.window.showQuickPick(
        SEVERITIES.map((s, i) => {
          const n = counts.filter((f) => SEVERITIES.indexOf(f.severity) <= i).length;
          return {
            label: s === 'info' ? 'All severities' : `${s[0].toUpperCase()}${s.slice(1)} and above`,
            description: `${n} finding${n === 1 ? '' : 's'}`,
            picked: s === model.minSeverity,
            severity: s,
          };
        }),
        { title: 'Fourfold: show findings of at least…', placeHolder: `Currently: ${model.minSeverity} and above` },
      );
      min = pick?.severity;
    }
    if (!min) return;
    model.setMinSeverity(min);
    deps.saveView();
  };
  register('fourfold.tree.filterSeverity', filterSeverity);
  // The same command with a filled icon while a filter is active.
  register('fourfold.tree.filterSeverityActive', filterSeverity);

  register('fourfold.tree.groupByFile', () => {
    model.setGroupBy('file');
    deps.saveView();
  });
  register('fourfold.tree.groupByRule', () => {
    model.setGroupBy('rule');
    deps.saveView();
  });
  register('fourfold.tree.refresh', () => model.refresh());
}
