// Finds a scanner: the configured path first, else trivy or grype on PATH.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ScannerKind } from './model';

export interface ScannerSettings {
  /** fourfold.scanner.path: an explicit executable. */
  path?: string;
  /** fourfold.scanner.kind: 'trivy' | 'grype' | 'auto'. */
  kind?: ScannerKind | 'auto';
}

export interface DetectedScanner {
  kind: ScannerKind;
  executable: string;
}

export type Detection = { ok: true; scanner: DetectedScanner } | { ok: false; reason: string };

function isExecutableFile(p: string): boolean {
  try {
    const st = fs.statSync(p);
    if (!st.isFile()) return false;
    if (process.platform === 'win32') return true;
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Searches PATH for `name` (with PATHEXT on Windows). */
export function whichOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter(Boolean);
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').filter(Boolean) : [''];
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

function kindFromName(p: string): ScannerKind | undefined {
  const base = path.basename(p).toLowerCase().replace(/\.(exe|cmd|bat)$/, '');
  if (base.startsWith('trivy')) return 'trivy';
  if (base.startsWith('grype')) return 'grype';
  return undefined;
}

export function detectScanner(settings: ScannerSettings = {}, env: NodeJS.ProcessEnv = process.env): Detection {
  const wanted = settings.kind && settings.kind !== 'auto' ? settings.kind : undefined;
  const configured = settings.path?.trim();
  if (configured) {
    const kind = wanted ?? kindFromName(configured);
    if (!kind) {
      return { ok: false, reason: `cannot tell whether "${configured}" is Trivy or Grype: set fourfold.scanner.kind` };
    }
    if (!path.isAbsolute(configured)) {
      const found = whichOnPath(configured, env);
      if (found) return { ok: true, scanner: { kind, executable: found } };
      return { ok: false, reason: `the configured scanner "${configured}" was not found on PATH` };
    }
    if (!isExecutableFile(configured)) {
      return { ok: false, reason: `the configured scanner "${configured}" does not exist or is not executable` };
    }
    return { ok: true, scanner: { kind, executable: configured } };
  }
  const order: ScannerKind[] = wanted ? [wanted] : ['trivy', 'grype'];
  for (const kind of order) {
    const found = whichOnPath(kind, env);
    if (found) return { ok: true, scanner: { kind, executable: found } };
  }
  return {
    ok: false,
    reason: wanted ? `${wanted} was not found on PATH` : 'neither trivy nor grype was found on PATH',
  };
}
