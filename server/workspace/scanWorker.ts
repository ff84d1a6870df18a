// Worker thread of the workspace scan: one engine per thread, grammars loaded once.
import type { FourfoldConfig } from '../engine/config';
import { Engine, initEngine } from '../engine/engine';
import type { FileAnalysis } from '../engine/types';
import { readTextFile } from './readFile';

export interface ScanTask {
  paths: string[];
  config: FourfoldConfig;
}

let engine: Engine | undefined;
let engineConfig = '';

export function analyzePaths(paths: string[], config: FourfoldConfig, reuse?: Engine): FileAnalysis[] {
  const e = reuse ?? new Engine(config);
  return paths.map((p) => analyzePath(e, p));
}

export function analyzePath(e: Engine, p: string): FileAnalysis {
  const read = readTextFile(p, e.config.maxFileSize);
  if (read.text === undefined) {
    return { path: p, kind: undefined, findings: [], suppressed: [], collected: {}, suppressions: [], notes: [], skipped: read.skipped };
  }
  return e.analyze({ path: p, text: read.text });
}

/** Piscina calls the default export with each task. */
export default async function run(task: ScanTask): Promise<FileAnalysis[]> {
  await initEngine();
  const key = JSON.stringify(task.config);
  if (!engine || key !== engineConfig) {
    engine = new Engine(task.config);
    engineConfig = key;
  }
  return task.paths.map((p) => analyzePath(engine!, p));
}
