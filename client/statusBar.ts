// The shield in the status bar: the count of findings the 4C's view shows
// (at or above the configured and filtered severity). Click focuses the view.
import * as vscode from 'vscode';
import { LAYERS, SEVERITIES } from '../server/engine/types';
import { LAYER_LABELS, type FindingsTreeModel } from './tree/model';

export function statusText(model: FindingsTreeModel): { text: string; tooltip: string; count: number } {
  const counts = model.counts();
  const count = counts.total;
  const spinning = model.scanning && model.loaded;
  const text = `$(shield) ${count}${spinning ? ' $(sync~spin)' : ''}`;
  const lines = [
    `Fourfold: ${count} finding${count === 1 ? '' : 's'} at or above ${model.minSeverity}`,
    ...LAYERS.map((l) => `${LAYER_LABELS[l]}: ${counts.byLayer[l]?.total ?? 0}`),
  ];
  const sev = SEVERITIES.filter((s) => counts.bySeverity[s] > 0).map((s) => `${counts.bySeverity[s]} ${s}`);
  if (sev.length) lines.push(sev.join(' · '));
  if (spinning) lines.push('Scanning the workspace…');
  if (model.lastError) lines.push(`Language server: ${model.lastError.message}`);
  return { text, tooltip: lines.join('\n'), count };
}

export class FindingsStatusBar implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  private readonly subscription: { dispose(): void };

  constructor(private readonly model: FindingsTreeModel) {
    this.item = vscode.window.createStatusBarItem('fourfold.status', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'Fourfold';
    this.item.command = 'fourfold.focusView';
    this.subscription = model.onDidChange(() => this.render());
    this.render();
    this.item.show();
  }

  render(): void {
    const { text, tooltip, count } = statusText(this.model);
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: `Fourfold: ${count} security finding${count === 1 ? '' : 's'}`, role: 'button' };
    const severe = this.model.counts().bySeverity;
    this.item.backgroundColor =
      severe.critical > 0 ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
