// The one entry point that runs a scan: validate the target, build the
// argument array, run. Nothing reaches a process before validation passes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildScanArgs, InvalidTargetError, type ScanTarget } from './args';
import type { DetectedScanner } from './detect';
import { parseImageReference } from './reference';
import { runScanner, type RunScannerOptions, type ScannerRun } from './runner';

/** Why a target cannot be scanned, or undefined when it can. */
export function checkTarget(target: ScanTarget): string | undefined {
  if (target.type === 'reference') {
    const r = parseImageReference(target.ref);
    return r.ok ? undefined : `"${printable(target.ref)}" is not a valid image reference: ${r.reason}`;
  }
  if (typeof target.path !== 'string' || !target.path || /[\0\r\n]/.test(target.path)) return 'invalid path';
  const abs = path.resolve(target.path);
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch {
    return `${abs} does not exist`;
  }
  if (target.type === 'archive' && !st.isFile()) return `${abs} is not a file (expected a docker save / OCI archive)`;
  if (target.type === 'oci-dir') {
    if (!st.isDirectory()) return `${abs} is not a directory`;
    if (!fs.existsSync(path.join(abs, 'oci-layout')) || !fs.existsSync(path.join(abs, 'index.json'))) {
      return `${abs} is not an OCI image layout (no oci-layout / index.json)`;
    }
  }
  if (target.type === 'directory' && !st.isDirectory()) return `${abs} is not a directory`;
  return undefined;
}

/** Shows control characters visibly in messages. */
export function printable(s: string, max = 80): string {
  const shown = s.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return shown.length > max ? `${shown.slice(0, max)}…` : shown;
}

export type ScanOptions = Omit<RunScannerOptions, 'kind' | 'executable' | 'args'> & {
  scanner: DetectedScanner;
  target: ScanTarget;
};

export async function scanTarget(opts: ScanOptions): Promise<ScannerRun> {
  const problem = checkTarget(opts.target);
  if (problem) throw new InvalidTargetError(problem);
  const { scanner, target, ...rest } = opts;
  return runScanner({ ...rest, kind: scanner.kind, executable: scanner.executable, args: buildScanArgs(scanner.kind, target) });
}
