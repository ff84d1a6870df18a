// Engine findings and fixes → LSP diagnostics and code actions. The only
// place that translates between the two vocabularies.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeAction,
  CodeActionKind,
  CreateFile,
  Diagnostic,
  DiagnosticSeverity,
  OptionalVersionedTextDocumentIdentifier,
  TextDocumentEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { packageRoot } from '../engine/assets';
import { ruleDocPath } from '../engine/registry';
import type { Finding, Fix, Severity } from '../engine/types';

export const DIAGNOSTIC_SOURCE = 'Fourfold';
/** Code of the informational diagnostic on files Fourfold could not analyse. */
export const SKIPPED_CODE = 'fourfold/skipped';

/**
 * What a diagnostic carries for its code actions: the finding's fingerprint
 * (the rule is the diagnostic's `code`). Kept small: every keystroke
 * republishes all of the file's diagnostics.
 */
export interface DiagnosticData {
  fingerprint: string;
}

export function lspSeverity(s: Severity): DiagnosticSeverity {
  switch (s) {
    case 'critical':
    case 'high':
      return DiagnosticSeverity.Error;
    case 'medium':
      return DiagnosticSeverity.Warning;
    case 'low':
      return DiagnosticSeverity.Information;
    default:
      return DiagnosticSeverity.Hint;
  }
}

const docsUris = new Map<string, string>();

/** The rule's bundled doc as a file URI (memoised: every diagnostic of every publish carries one). */
export function docsUri(ruleId: string): string {
  let uri = docsUris.get(ruleId);
  if (uri === undefined) docsUris.set(ruleId, (uri = pathToFileURL(path.join(packageRoot(), ruleDocPath(ruleId))).href));
  return uri;
}

export function fileUri(p: string): string {
  return pathToFileURL(p).href;
}

/**
 * Diagnostics by finding: the engine hands back the same Finding objects for
 * the parts of an open document an edit did not touch (see Engine.analyzePieces),
 * so a keystroke converts only what changed. Diagnostics are never mutated.
 */
const diagnostics = new WeakMap<Finding, { uri: string; diagnostic: Diagnostic }>();

export function toDiagnostic(f: Finding, uri: string): Diagnostic {
  const cached = diagnostics.get(f);
  if (cached?.uri === uri) return cached.diagnostic;
  const diagnostic = makeDiagnostic(f, uri);
  diagnostics.set(f, { uri, diagnostic });
  return diagnostic;
}

function makeDiagnostic(f: Finding, uri: string): Diagnostic {
  const diagnostic: Diagnostic = {
    range: f.range,
    severity: lspSeverity(f.severity),
    code: f.ruleId,
    codeDescription: { href: docsUri(f.ruleId) },
    source: DIAGNOSTIC_SOURCE,
    message: f.message,
    data: { fingerprint: f.fingerprint } satisfies DiagnosticData,
  };
  if (f.related?.length) {
    diagnostic.relatedInformation = f.related.map((r) => ({
      location: { uri: r.path ? fileUri(r.path) : uri, range: r.range },
      message: r.message,
    }));
  }
  return diagnostic;
}

/** Snippet placeholders resolved to their defaults: LSP 3.17 workspace edits carry plain text. */
export function resolveSnippet(text: string): string {
  return text.replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\{\d+\}|\$\d+/g, '');
}

/**
 * @param keepSnippets the client turns `data.snippet` actions into snippet
 *   edits (our VS Code client does); other LSP clients get placeholders
 *   resolved to their default text.
 */
export function toWorkspaceEdit(fix: Fix, uri: string, version: number | null, keepSnippets = false): WorkspaceEdit {
  const edits = fix.edits.map((e) => ({ range: e.range, newText: fix.snippet && !keepSnippets ? resolveSnippet(e.newText) : e.newText }));
  const documentChanges: WorkspaceEdit['documentChanges'] = [];
  for (const c of fix.createFiles ?? []) {
    const target = fileUri(c.path);
    documentChanges.push(CreateFile.create(target, { ignoreIfExists: true }));
    documentChanges.push(
      TextDocumentEdit.create(OptionalVersionedTextDocumentIdentifier.create(target, null), [
        { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: c.content },
      ]),
    );
  }
  if (edits.length) documentChanges.push(TextDocumentEdit.create(OptionalVersionedTextDocumentIdentifier.create(uri, version), edits));
  return { documentChanges };
}

export function toCodeAction(fix: Fix, diagnostic: Diagnostic, uri: string, version: number | null, keepSnippets = false): CodeAction {
  const snippet = fix.snippet === true && keepSnippets;
  const action = CodeAction.create(fix.title, toWorkspaceEdit(fix, uri, version, snippet), CodeActionKind.QuickFix);
  action.diagnostics = [diagnostic];
  if (fix.isPreferred) action.isPreferred = true;
  // Tells our client to apply the edits as snippets (tab stops for the placeholders).
  if (snippet) action.data = { snippet: true };
  return action;
}
