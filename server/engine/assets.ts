import * as fs from 'node:fs';
import * as path from 'node:path';

let root: string | undefined;

/**
 * The package root: the folder holding `grammars/` and `docs/`. Found by
 * walking up from this module, so it works from sources (tests run through
 * tsx) and from the bundle in dist/ alike.
 */
export function packageRoot(): string {
  if (root) return root;
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(dir, 'grammars')) && fs.existsSync(path.join(dir, 'package.json'))) return (root = dir);
    dir = path.dirname(dir);
  }
  throw new Error(`Fourfold: cannot find the grammars folder above ${__dirname}`);
}

/** The tree-sitter grammars; FOURFOLD_GRAMMARS_DIR points elsewhere (packagers, fault tests). */
export function grammarsDir(): string {
  return process.env.FOURFOLD_GRAMMARS_DIR || path.join(packageRoot(), 'grammars');
}
