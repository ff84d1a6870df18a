// Shared waits for the in-editor suite. Everything waits on an observable
// event (diagnostics changed, tree changed) with a bounded timeout, never a
// fixed sleep: the first diagnostics include language-server start-up, which
// on a loaded 2-core CI machine can take tens of seconds.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'fourfold.fourfold';
export const SOURCE = 'Fourfold';
export const LONG = 45_000;

/** The repo root: the extension under development. */
export function extensionRoot(): string {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded in this editor`);
  return ext.extensionPath;
}

export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the suite needs a workspace folder (a copy of examples/)');
  return folder.uri.fsPath;
}

export function wsUri(rel: string): vscode.Uri {
  return vscode.Uri.file(path.join(workspaceRoot(), rel));
}

export function exists(rel: string): boolean {
  return fs.existsSync(path.join(workspaceRoot(), rel));
}

/** The object the extension's activate() returns (its test API). */
export async function activate<T = unknown>(): Promise<T> {
  const ext = vscode.extensions.getExtension<T>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded in this editor`);
  return ext.isActive ? ext.exports : await ext.activate();
}

/** Resolve when `cond()` is true, re-checking whenever `event` fires. */
export function waitForEvent<T>(
  event: vscode.Event<unknown>,
  cond: () => T | undefined | false,
  what: string,
  timeoutMs = LONG,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const first = cond();
    if (first) return resolve(first);
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const sub = event(() => {
      let v: T | undefined | false;
      try {
        v = cond();
      } catch (err) {
        clearTimeout(timer);
        sub.dispose();
        return reject(err);
      }
      if (v) {
        clearTimeout(timer);
        sub.dispose();
        resolve(v);
      }
    });
  });
}

export function fourfoldDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE && ruleIdOf(d) !== undefined);
}

/** The rule id a diagnostic carries as its code (string, or { value, target } with a doc link). */
export function ruleIdOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  const v = typeof c === 'object' && c !== null ? c.value : c;
  return typeof v === 'string' && /^(code|container|cluster|cloud)\//.test(v) ? v : undefined;
}

export function ruleIds(uri: vscode.Uri): string[] {
  return fourfoldDiagnostics(uri)
    .map(ruleIdOf)
    .filter((x): x is string => !!x)
    .sort();
}

/** Wait until the file's Fourfold diagnostics satisfy `pred`; returns them. */
export function waitForDiagnostics(
  uri: vscode.Uri,
  pred: (ds: vscode.Diagnostic[]) => boolean,
  what: string,
  timeoutMs = LONG,
): Promise<vscode.Diagnostic[]> {
  return waitForEvent(
    vscode.languages.onDidChangeDiagnostics,
    () => {
      const ds = fourfoldDiagnostics(uri);
      return pred(ds) ? ds : undefined;
    },
    `${what} in ${vscode.workspace.asRelativePath(uri)} (have: ${JSON.stringify(ruleIds(uri))})`,
    timeoutMs,
  ).catch((err: Error) => {
    // Re-read at failure time so the message shows what the editor had.
    throw new Error(err.message.replace(/\(have: .*\)$/, `(have: ${JSON.stringify(ruleIds(uri))})`));
  });
}

export function waitForRules(uri: vscode.Uri, ids: string[], timeoutMs = LONG): Promise<vscode.Diagnostic[]> {
  return waitForDiagnostics(
    uri,
    (ds) => ids.every((id) => ds.some((d) => ruleIdOf(d) === id)),
    `rules ${ids.join(', ')}`,
    timeoutMs,
  );
}

export async function openDoc(rel: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(wsUri(rel));
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

/** Files under the workspace (relative, '/' separated), skipping hidden and node_modules. */
export function listFiles(dir = workspaceRoot(), prefix = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(path.join(dir, e.name), rel));
    else out.push(rel);
  }
  return out.sort();
}
