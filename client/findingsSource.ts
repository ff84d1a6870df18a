// The language server's workspace index as the tree's FindingsSource.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  FindingsChangedNotification,
  WorkspaceFindingsRequest,
  type WorkspaceFindingsResult,
} from '../server/lsp/protocol';
import type { FindingsSource } from './tree/model';

export class ServerFindingsSource implements FindingsSource, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private client: LanguageClient | undefined;
  private notificationHandler: vscode.Disposable | undefined;

  /** Points the source at a (re)started client and asks the tree to refetch. */
  attach(client: LanguageClient | undefined): void {
    this.notificationHandler?.dispose();
    this.notificationHandler = undefined;
    this.client = client;
    if (client) {
      this.notificationHandler = client.onNotification(FindingsChangedNotification, () => this.changed.fire());
      if (client.isRunning()) this.changed.fire();
    }
  }

  async fetch(): Promise<WorkspaceFindingsResult> {
    const client = this.client;
    if (!client || !client.isRunning()) throw new Error('The Fourfold language server is not running.');
    return client.sendRequest<WorkspaceFindingsResult>(WorkspaceFindingsRequest);
  }

  dispose(): void {
    this.notificationHandler?.dispose();
    this.changed.dispose();
  }
}
