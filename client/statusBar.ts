// The shield in the status bar: the count of findings the 4C's view shows
// (at or above the configured and filtered severity). Click focuses the view.
import * as vscode from 'vscode';
import type { FindingsTreeModel } from './tree/model';
import { statusText } from './tree/status';

export { statusText };

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
    const { text, tooltip, label } = statusText(this.model);
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label, role: 'button' };
    const severe = this.model.counts().bySeverity;
    this.item.backgroundColor =
      severe.critical > 0 ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
