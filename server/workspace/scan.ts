import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Piscina from 'piscina';
import type { FourfoldConfig } from '../engine/config';
import { Engine, initEngine } from '../engine/engine';
import type { FileAnalysis } from '../engine/types';
import { analyzePath } from './scanWorker';

export interface ScanOptions {
  config: FourfoldConfig;
  /** Called as batches finish, for progress reporting. */
  onProgress?: (done: number, total: number) => void;
  /** Called with each batch's analyses as soon as they are ready. */
  onResults?: (results: FileAnalysis[]) => void;
  /** Threads to use; default: the machine's cores. 0 or 1: analyse on this thread. */
  threads?: number;
  signal?: AbortSignal;
  onNote?: (note: string) => void;
  /** Heap cap of each worker thread, so one pathological file cannot take the editor's memory. */
  workerMemoryMb?: number;
  /**
   * This thread analyses files too, taking them from the same queue as the
   * workers (one worker fewer is started): for a process with nothing else to
   * do, the CLI. A language server keeps its thread for requests.
   */
  shareThisThread?: boolean;
}

/** Below this many files, starting threads (and their grammars) costs more than it saves. */
const MIN_FILES_FOR_THREADS = 64;
const BATCH_SIZE = 16;
/** Batches a worker holds: the next one is already there when one ends, even while this thread is busy. */
const TASKS_PER_WORKER = 2;

function workerFile(): string | undefined {
  // Bundled: dist/scanWorker.js beside dist/server.js / dist/cli.js.
  const candidate = path.join(__dirname, 'scanWorker.js');
  return fs.existsSync(candidate) ? candidate : undefined;
}

let pool: Piscina | undefined;
let poolKey = '';
/** Where pool-level failures are reported: the latest scan's note sink. */
let poolNotes: (note: string) => void = () => {};
/** Rejects the running scan's pending batches when workers die outside a task (their promises never settle). */
let poolBroken: (e: Error) => void = () => {};

export const DEFAULT_WORKER_MEMORY_MB = 1024;

function getPool(threads: number, memoryMb: number): Piscina | undefined {
  const file = workerFile();
  if (!file) return undefined;
  const key = `${threads}:${memoryMb}`;
  if (pool && poolKey !== key) {
    void pool.destroy();
    pool = undefined;
  }
  if (!pool) {
    // Piscina replaces a worker that dies (out of memory, crash) with a fresh one.
    pool = new Piscina({ filename: file, minThreads: 0, maxThreads: threads, concurrentTasksPerWorker: TASKS_PER_WORKER, idleTimeout: 5_000, resourceLimits: { maxOldGenerationSizeMb: memoryMb } });
    poolKey = key;
    // A worker dying outside a task (e.g. out of memory while starting) is
    // emitted on the pool: without a listener it would crash the process.
    pool.on('error', (e: Error) => {
      poolNotes(`scan worker died: ${e.message}`);
      poolBroken(e);
    });
  }
  return pool;
}

/** Stops the worker threads (the CLI calls this before exiting). */
export async function closeScanPool(): Promise<void> {
  const p = pool;
  pool = undefined;
  await p?.destroy();
}

/**
 * Analyses many files, on worker threads when there are enough of them.
 * Batches are taken from one queue by each worker (two at a time) and, with
 * `shareThisThread`, by this thread between its other events. A worker that
 * dies fails only its batch: that batch is re-run on this thread, so every
 * file is still analysed and the pool replaces the worker.
 */
export async function scanFiles(paths: readonly string[], options: ScanOptions): Promise<FileAnalysis[]> {
  const threads = options.threads ?? Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  const results: FileAnalysis[] = [];
  let done = 0;
  const deliver = (batch: FileAnalysis[]) => {
    results.push(...batch);
    done += batch.length;
    options.onResults?.(batch);
    options.onProgress?.(done, paths.length);
  };
  let engine: Engine | undefined;
  const thisThreadEngine = async () => {
    if (!engine) {
      await initEngine();
      engine = new Engine(options.config);
      engine.onNote = options.onNote ?? (() => {});
    }
    return engine;
  };
  // File by file, yielding in between: a server answers requests, the workers' results are taken in.
  const analyseHere = async (batch: readonly string[]) => {
    const e = await thisThreadEngine();
    const out: FileAnalysis[] = [];
    for (const f of batch) {
      if (options.signal?.aborted) break;
      out.push(analyzePath(e, f));
      await new Promise((r) => setImmediate(r));
    }
    deliver(out);
  };
  const batches: string[][] = [];
  for (let i = 0; i < paths.length; i += BATCH_SIZE) batches.push(paths.slice(i, i + BATCH_SIZE));
  let next = 0;
  const take = () => (options.signal?.aborted || next >= batches.length ? undefined : batches[next++]);
  const thisThreadLane = async () => {
    for (let batch = take(); batch; batch = take()) await analyseHere(batch);
  };

  const workers = options.shareThisThread ? threads - 1 : threads;
  const p = threads > 1 && paths.length >= MIN_FILES_FOR_THREADS ? getPool(workers, options.workerMemoryMb ?? DEFAULT_WORKER_MEMORY_MB) : undefined;
  if (!p) {
    await thisThreadLane();
    return results;
  }
  if (options.onNote) poolNotes = options.onNote;
  let brokenError: Error | undefined;
  const broken = new Promise<never>((_, reject) => {
    poolBroken = (e) => {
      brokenError ??= e;
      reject(e);
      // The next scan starts from a fresh pool.
      const dead = pool;
      pool = undefined;
      void dead?.destroy().catch(() => undefined);
    };
  });
  broken.catch(() => undefined);
  const workerLane = async () => {
    for (let batch = take(); batch; batch = take()) {
      try {
        if (brokenError) throw brokenError;
        deliver(await Promise.race([p.run({ paths: batch, config: options.config }, { signal: options.signal }), broken]));
      } catch (e) {
        if (options.signal?.aborted) return;
        options.onNote?.(`scan worker failed (${(e as Error).message}); analysing its ${batch.length} files on the main thread`);
        await analyseHere(batch);
      }
    }
  };
  await Promise.all([...Array.from({ length: workers * TASKS_PER_WORKER }, workerLane), ...(options.shareThisThread ? [thisThreadLane()] : [])]);
  return results;
}
