// Runs a scanner as a child process: an argument array, never a shell, with a
// timeout, cancellation, a cap on stdout, and errors the user can act on.
import { spawn } from 'node:child_process';
import type { ScanReport, ScannerKind } from './model';
import { MalformedReportError } from './model';
import { parseScanReport } from './parse';

export type ScannerErrorCode =
  | 'not-installed'
  | 'image-not-found'
  | 'failed'
  | 'timeout'
  | 'cancelled'
  | 'output-too-large'
  | 'malformed-output';

export class ScannerError extends Error {
  constructor(
    readonly code: ScannerErrorCode,
    message: string,
    readonly details: { exitCode?: number | null; signal?: string | null; stderrTail?: string[] } = {},
  ) {
    super(message);
    this.name = 'ScannerError';
  }
}

export interface RunScannerOptions {
  kind: ScannerKind;
  executable: string;
  args: readonly string[];
  /** Kill the scanner after this long (default 10 minutes). */
  timeoutMs?: number;
  /** Aborting kills the scanner. */
  signal?: AbortSignal;
  /** Receives stderr as it arrives (progress and logs go to the output channel). */
  onStderr?: (chunk: string) => void;
  /** Refuse reports larger than this (default 256 MiB). */
  maxStdoutBytes?: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** How long a scanner may ignore SIGTERM before SIGKILL (default 3 s). */
  killGraceMs?: number;
}

export interface ScannerRun {
  report: ScanReport;
  exitCode: number;
  stderrTail: string[];
  durationMs: number;
}

const STDERR_TAIL_LINES = 12;
const STDERR_KEEP_BYTES = 64 * 1024;

/** What scanners print when the image is not there (no daemon copy, no registry manifest). */
const IMAGE_NOT_FOUND =
  /no such image|unable to find the specified image|could not find image|image not found|manifest unknown|MANIFEST_UNKNOWN|repository does not exist|pull access denied|not found: manifest|failed to get image|could not fetch image|unable to load image|no such file or directory.*(?:tar|archive)|name unknown/i;

export function lastLines(text: string, n = STDERR_TAIL_LINES): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '')
    .slice(-n);
}

/** Runs the scanner and parses its JSON report; rejects with a ScannerError. */
export function runScanner(opts: RunScannerOptions): Promise<ScannerRun> {
  const started = Date.now();
  const timeoutMs = opts.timeoutMs ?? 10 * 60_000;
  const maxStdout = opts.maxStdoutBytes ?? 256 * 1024 * 1024;
  return new Promise<ScannerRun>((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(new ScannerError('cancelled', `${opts.kind} scan cancelled`));
      return;
    }
    let child;
    try {
      child = spawn(opts.executable, [...opts.args], {
        shell: false,
        windowsHide: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        cwd: opts.cwd,
        env: opts.env ?? process.env,
      });
    } catch (e) {
      reject(notInstalledOr(opts, e as NodeJS.ErrnoException));
      return;
    }
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = '';
    let settled = false;
    let ended: ScannerError | undefined;
    let killTimer: NodeJS.Timeout | undefined;

    const kill = (why: ScannerError) => {
      if (ended) return;
      ended = why;
      child.kill('SIGTERM');
      // A scanner stuck in I/O may ignore SIGTERM.
      killTimer = setTimeout(() => child.kill('SIGKILL'), opts.killGraceMs ?? 3000);
      killTimer.unref();
    };
    const finish = (err: ScannerError | undefined, run?: ScannerRun) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve(run!);
    };
    const onAbort = () => kill(new ScannerError('cancelled', `${opts.kind} scan cancelled`, { stderrTail: lastLines(stderr) }));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(
      () =>
        kill(
          new ScannerError('timeout', `${opts.kind} did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped`, {
            stderrTail: lastLines(stderr),
          }),
        ),
      timeoutMs,
    );

    child.stdout!.on('data', (chunk: Buffer) => {
      if (ended) return;
      stdoutBytes += chunk.length;
      if (stdoutBytes > maxStdout) {
        kill(new ScannerError('output-too-large', `${opts.kind} wrote more than ${maxStdout} bytes; the report was refused`));
        return;
      }
      stdout.push(chunk);
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      stderr += chunk;
      if (stderr.length > STDERR_KEEP_BYTES) stderr = stderr.slice(-STDERR_KEEP_BYTES / 2);
      try {
        opts.onStderr?.(chunk);
      } catch {
        // a listener's failure must not break the scan
      }
    });
    child.on('error', (e: NodeJS.ErrnoException) => finish(notInstalledOr(opts, e)));
    child.on('close', (code, signal) => {
      if (ended) return finish(ended);
      const tail = lastLines(stderr);
      if (code !== 0) {
        const text = tail.join('\n');
        if (IMAGE_NOT_FOUND.test(stderr)) {
          return finish(
            new ScannerError('image-not-found', `${opts.kind} could not find the image (not pulled, or no such tag/registry)`, {
              exitCode: code,
              signal,
              stderrTail: tail,
            }),
          );
        }
        return finish(
          new ScannerError(
            'failed',
            `${opts.kind} failed with ${code === null ? `signal ${signal}` : `exit code ${code}`}${text ? `:\n${text}` : ''}`,
            { exitCode: code, signal, stderrTail: tail },
          ),
        );
      }
      let report: ScanReport;
      try {
        report = parseScanReport(Buffer.concat(stdout).toString('utf8'));
      } catch (e) {
        const msg = e instanceof MalformedReportError ? e.message : String(e);
        return finish(
          new ScannerError('malformed-output', `${opts.kind} output is not the JSON report expected: ${msg}`, {
            exitCode: code,
            stderrTail: tail,
          }),
        );
      }
      finish(undefined, { report, exitCode: 0, stderrTail: tail, durationMs: Date.now() - started });
    });
  });
}

function notInstalledOr(opts: RunScannerOptions, e: NodeJS.ErrnoException): ScannerError {
  if (e.code === 'ENOENT' || e.code === 'EACCES' || e.code === 'ENOTDIR') {
    return new ScannerError('not-installed', `${opts.kind} is not installed or not executable at "${opts.executable}" (${e.code})`);
  }
  return new ScannerError('failed', `${opts.kind} could not be started: ${e.message}`);
}

/** Where to install the scanners (official pages). */
export const INSTALL_PAGES: Record<ScannerKind, string> = {
  trivy: 'https://trivy.dev/latest/getting-started/installation/',
  grype: 'https://github.com/anchore/grype#installation',
};
