// Engine fixes (pure data from the server) → VS Code workspace edits.
import * as vscode from 'vscode';
import type { Fix, Range } from '../server/engine/types';
import type { WireFinding } from '../server/lsp/protocol';
import { resolveSnippet } from './tree/snippet';

export function toRange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

/** The fix a one-click action applies: the preferred one, else the only one. */
export function preferredFix(finding: WireFinding): Fix | undefined {
  const fixes = finding.fixes ?? [];
  return fixes.find((f) => f.isPreferred) ?? (fixes.length === 1 ? fixes[0] : undefined);
}

/**
 * Builds the workspace edit of a fix. Snippet edits become SnippetTextEdits
 * only when asked (the document is in the active editor, where VS Code can
 * run a snippet session); otherwise placeholders are resolved to their
 * defaults so the file gets plain, valid text.
 */
export function toWorkspaceEdit(finding: WireFinding, fix: Fix, asSnippet: boolean): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  const uri = vscode.Uri.parse(finding.uri);
  for (const file of fix.createFiles ?? []) {
    edit.createFile(vscode.Uri.file(file.path), {
      ignoreIfExists: true,
      contents: Buffer.from(file.content, 'utf8'),
    });
  }
  if (fix.edits.length) {
    const useSnippet = fix.snippet && asSnippet && typeof vscode.SnippetTextEdit === 'function';
    const edits = fix.edits.map((e) => {
      if (!useSnippet) return vscode.TextEdit.replace(toRange(e.range), fix.snippet ? resolveSnippet(e.newText) : e.newText);
      const snippetEdit = new vscode.SnippetTextEdit(toRange(e.range), new vscode.SnippetString(e.newText));
      // The engine already indented the text; re-indenting would change YAML structure.
      snippetEdit.keepWhitespace = true;
      return snippetEdit;
    });
    edit.set(uri, edits);
  }
  return edit;
}

/**
 * Applies a fix to the finding's file: opens it (so the user sees the change
 * and can undo it), checks the finding's range still fits the document, and
 * applies the edit. Returns false with a message when it cannot.
 */
export async function applyFix(finding: WireFinding, fix: Fix): Promise<boolean> {
  const uri = vscode.Uri.parse(finding.uri);
  const doc = await vscode.workspace.openTextDocument(uri);
  const last = doc.lineCount - 1;
  for (const e of fix.edits) {
    if (e.range.end.line > last || e.range.start.line < 0) {
      void vscode.window.showWarningMessage(`Fourfold: ${doc.fileName} changed since it was analysed; rescan and try again.`);
      return false;
    }
  }
  const editor = await vscode.window.showTextDocument(doc, { preview: false, selection: toRange(finding.range) });
  const asSnippet = !!fix.snippet && editor.document.uri.toString() === uri.toString();
  const ok = await vscode.workspace.applyEdit(toWorkspaceEdit(finding, fix, asSnippet));
  if (!ok) void vscode.window.showErrorMessage(`Fourfold: could not apply "${fix.title}".`);
  return ok;
}
