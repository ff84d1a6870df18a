/**
 * The `fourfold.*` settings as the language server receives them
 * (initializationOptions and workspace/didChangeConfiguration). Values are
 * validated here so a typo in settings.json degrades to the default instead
 * of confusing the server. No 'vscode' import: the reader is passed in.
 */
import { SEVERITIES, type Severity } from '../server/engine/types';
import type { FourfoldSettings } from '../server/lsp/protocol';

/** `vscode.workspace.getConfiguration('fourfold').get`, or a fake in tests. */
export type ConfigGetter = <T>(key: string) => T | undefined;

function isSeverity(v: unknown): v is Severity {
  return typeof v === 'string' && (SEVERITIES as readonly string[]).includes(v);
}

export function readSettings(get: ConfigGetter): FourfoldSettings {
  const settings: FourfoldSettings = {};
  const enable = get<Record<string, unknown>>('enable');
  if (enable && typeof enable === 'object') {
    settings.enable = {};
    for (const layer of ['code', 'container', 'cluster', 'cloud'] as const) {
      if (typeof enable[layer] === 'boolean') settings.enable[layer] = enable[layer] as boolean;
    }
  }
  const minSeverity = get<string>('minSeverity');
  if (isSeverity(minSeverity)) settings.minSeverity = minSeverity;
  const rules = get<Record<string, unknown>>('rules');
  if (rules && typeof rules === 'object' && !Array.isArray(rules)) {
    settings.rules = {};
    for (const [id, value] of Object.entries(rules)) {
      if (value === 'off' || value === 'on' || isSeverity(value)) settings.rules[id] = value;
    }
  }
  const exclude = get<unknown[]>('exclude');
  if (Array.isArray(exclude)) settings.exclude = exclude.filter((g): g is string => typeof g === 'string' && g.length > 0);
  const maxFileSize = get<number>('maxFileSize');
  if (typeof maxFileSize === 'number' && Number.isFinite(maxFileSize) && maxFileSize > 0) settings.maxFileSize = maxFileSize;
  const review = get<boolean>('review');
  if (typeof review === 'boolean') settings.review = review;
  const run = get<string>('run');
  if (run === 'onType' || run === 'onSave') settings.run = run;
  return settings;
}

/** Scanner settings, read by the image scanner (never sent to the server). */
export interface ScannerSettings {
  path: string;
  kind: 'auto' | 'trivy' | 'grype';
  timeoutSeconds: number;
}

export function readScannerSettings(get: ConfigGetter): ScannerSettings {
  const kind = get<string>('scanner.kind');
  const timeout = get<number>('scanner.timeoutSeconds');
  const p = get<string>('scanner.path');
  return {
    path: typeof p === 'string' ? p.trim() : '',
    kind: kind === 'trivy' || kind === 'grype' ? kind : 'auto',
    timeoutSeconds: typeof timeout === 'number' && timeout > 0 ? timeout : 300,
  };
}
