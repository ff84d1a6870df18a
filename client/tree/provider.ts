// The 4C's TreeDataProvider: a thin rendering of FindingsTreeModel.
import * as vscode from 'vscode';
import type { Layer, Severity } from '../../server/engine/types';
import type { TreeNode } from './model';
import { FindingsTreeModel } from './model';

export const VIEW_ID = 'fourfold.findings';
/** Scheme of the layer nodes' resourceUri, so a FileDecorationProvider can draw the count badge. */
const LAYER_SCHEME = 'fourfold-layer';

const LAYER_ICONS: Record<Layer, string> = {
  code: 'code',
  container: 'package',
  cluster: 'server-environment',
  cloud: 'cloud',
};

export function severityIcon(severity: Severity | undefined, fallback = 'circle-outline'): vscode.ThemeIcon {
  switch (severity) {
    case 'critical':
    case 'high':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
    case 'medium':
      return new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    case 'low':
      return new vscode.ThemeIcon('info', new vscode.ThemeColor('problemsInfoIcon.foreground'));
    case 'info':
      return new vscode.ThemeIcon('lightbulb');
    default:
      return new vscode.ThemeIcon(fallback);
  }
}

export class FindingsTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.FileDecorationProvider {
  private readonly changeTree = new vscode.EventEmitter<TreeNode | undefined | void>();
  readonly onDidChangeTreeData = this.changeTree.event;
  private readonly changeDecorations = new vscode.EventEmitter<vscode.Uri | vscode.Uri[] | undefined>();
  readonly onDidChangeFileDecorations = this.changeDecorations.event;
  private readonly subscription: { dispose(): void };

  constructor(readonly model: FindingsTreeModel) {
    this.subscription = model.onDidChange(() => {
      this.changeTree.fire();
      this.changeDecorations.fire(undefined);
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.changeTree.dispose();
    this.changeDecorations.dispose();
  }

  getChildren(node?: TreeNode): TreeNode[] {
    return this.model.getChildren(node);
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return this.model.getParent(node);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const C = vscode.TreeItemCollapsibleState;
    switch (node.kind) {
      case 'layer': {
        const item = new vscode.TreeItem(node.label, C.Expanded);
        item.id = node.id;
        item.description = node.description;
        item.iconPath = new vscode.ThemeIcon(LAYER_ICONS[node.layer]);
        item.resourceUri = vscode.Uri.from({ scheme: LAYER_SCHEME, path: `/${node.layer}`, query: String(node.count) });
        item.tooltip = `${node.label}: ${node.count} finding${node.count === 1 ? '' : 's'} (${node.description})`;
        item.contextValue = `layer layer-${node.layer}`;
        return item;
      }
      case 'rule': {
        const item = new vscode.TreeItem(node.label, C.Collapsed);
        item.id = node.id;
        item.description = node.description;
        item.iconPath = severityIcon(node.severity);
        item.tooltip = `${node.label} — ${node.ruleId}\n${node.count} finding${node.count === 1 ? '' : 's'}, up to ${node.severity}`;
        item.contextValue = 'group rule hasDoc';
        return item;
      }
      case 'file': {
        const item = new vscode.TreeItem(node.label, C.Collapsed);
        item.id = node.id;
        item.description = node.description;
        // No resourceUri: VS Code would add the file's Problems badge, which counts every
        // layer's diagnostics and so can disagree with this group's count.
        item.iconPath = new vscode.ThemeIcon('file');
        item.tooltip = `${node.dir ? node.dir + '/' : ''}${node.label}: ${node.count} finding${node.count === 1 ? '' : 's'}`;
        item.contextValue = 'group file';
        return item;
      }
      case 'finding': {
        const f = node.finding;
        const item = new vscode.TreeItem(node.label, C.None);
        item.id = node.id;
        item.description = node.description;
        item.tooltip = node.tooltip;
        item.iconPath = severityIcon(f.severity);
        const flags = ['finding', 'hasDoc'];
        if ((f.fixes ?? []).length > 0) flags.push('hasFix');
        if (f.suppressFix) flags.push('canSuppress');
        item.contextValue = flags.join(' ');
        item.command = { command: 'fourfold.tree.openFinding', title: 'Open', arguments: [node] };
        return item;
      }
      case 'external': {
        const n = node.node;
        const hasChildren = !!n.children?.length;
        const item = new vscode.TreeItem(n.label, hasChildren ? (n.expanded ? C.Expanded : C.Collapsed) : C.None);
        item.id = node.id;
        item.description = n.description;
        if (n.tooltip) item.tooltip = new vscode.MarkdownString(n.tooltip);
        item.iconPath = n.icon ? new vscode.ThemeIcon(n.icon) : severityIcon(n.severity, 'package');
        item.contextValue = `imageScan ${n.contextValue ?? ''}`.trim();
        if (n.command) item.command = n.command;
        else if (n.location) item.command = { command: 'fourfold.tree.openLocation', title: 'Open', arguments: [n.location] };
        return item;
      }
    }
  }

  /** The count badge of the layer nodes. */
  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== LAYER_SCHEME) return undefined;
    const layer = uri.path.slice(1) as Layer;
    const count = this.model.counts().byLayer[layer]?.total ?? 0;
    if (count === 0) return undefined;
    // Badges hold at most two characters.
    const badge = count > 99 ? '∞' : String(count);
    return new vscode.FileDecoration(badge, `${count} finding${count === 1 ? '' : 's'}`);
  }
}
