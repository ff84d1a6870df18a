import * as fs from 'node:fs';
import { defaultConfig, mergeConfig, type FourfoldConfig } from '../../server/engine/config';
import { Engine, initEngine } from '../../server/engine/engine';
import type { FileAnalysis } from '../../server/engine/types';

/** Analyses a file through the real engine (all layers, default config unless given). */
export async function analyzeFile(
  filePath: string,
  config: Partial<FourfoldConfig> = {},
  text = fs.readFileSync(filePath, 'utf8'),
): Promise<FileAnalysis> {
  await initEngine();
  const engine = new Engine(mergeConfig(defaultConfig(), config));
  return engine.analyze({ path: filePath, text });
}

export async function engineWith(config: Partial<FourfoldConfig> = {}): Promise<Engine> {
  await initEngine();
  return new Engine(mergeConfig(defaultConfig(), config));
}
