import * as fs from 'node:fs';
import { parseConfig, type FourfoldConfig } from '../engine/config';

/** Reads an explicitly named configuration file (`--config`). */
export function loadConfigFile(file: string): { config: FourfoldConfig; file: string; problems: string[] } {
  const problems: string[] = [];
  const config = parseConfig(fs.readFileSync(file, 'utf8'), problems);
  return { config, file, problems };
}
