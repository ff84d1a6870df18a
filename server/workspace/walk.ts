import fg from 'fast-glob';
import ignore, { type Ignore } from 'ignore';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileKindOf } from '../engine/fileKinds';

/** Folders no one wants scanned: dependencies, VCS internals, build output. */
export const ALWAYS_EXCLUDED = [
  '**/node_modules/**',
  '**/.git/**',
  '**/.hg/**',
  '**/.svn/**',
  '**/__pycache__/**',
  '**/.venv/**',
  '**/venv/**',
  '**/.tox/**',
  '**/.mypy_cache/**',
  '**/.pytest_cache/**',
  '**/.next/**',
  '**/.nuxt/**',
  '**/coverage/**',
];

/** Lock files: huge, never hand-written, and full of hashes that look like secrets. */
const LOCK_FILES = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'poetry.lock',
  'pipfile.lock',
  'cargo.lock',
  'go.sum',
  'composer.lock',
  'gemfile.lock',
  'bun.lockb',
]);

export function isLockFile(filePath: string): boolean {
  return LOCK_FILES.has(path.basename(filePath).toLowerCase());
}

/**
 * Decides whether a path below a root is excluded: the repository's
 * .gitignore files and the configuration's `exclude` globs (gitignore syntax).
 */
export class ExclusionFilter {
  private readonly ig: Ignore;

  constructor(
    readonly root: string,
    excludes: readonly string[],
    /** Whether to read .gitignore files (the root's and nested ones are read lazily). */
    private readonly honourGitignore = true,
    /**
     * The .gitignore files below root when already known (a folder walk lists
     * them), so no folder has to be probed for one.
     */
    knownGitignores?: readonly string[],
  ) {
    this.ig = ignore().add([...excludes]);
    if (honourGitignore && knownGitignores) {
      this.probe = false;
      // Parents before children, as git reads them.
      for (const f of [...knownGitignores].sort((a, b) => a.length - b.length)) this.addGitignore(path.dirname(f));
    } else if (honourGitignore) this.addGitignore(root);
  }

  private probe = true;

  private readonly loadedDirs = new Set<string>();

  private addGitignore(dir: string): void {
    if (this.loadedDirs.has(dir)) return;
    this.loadedDirs.add(dir);
    let text: string;
    try {
      text = fs.readFileSync(path.join(dir, '.gitignore'), 'utf8');
    } catch {
      return;
    }
    const rel = path.relative(this.root, dir).split(path.sep).join('/');
    const lines = text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => {
        if (!rel) return l;
        // Patterns of a nested .gitignore are relative to its folder.
        const negated = l.startsWith('!');
        const body = negated ? l.slice(1) : l;
        const anchored = body.startsWith('/') ? body.slice(1) : body.includes('/') && !body.endsWith('/') ? body : `**/${body}`;
        return `${negated ? '!' : ''}${rel}/${anchored}`;
      });
    this.ig.add(lines);
  }

  excludes(absPath: string): boolean {
    const rel = path.relative(this.root, absPath);
    if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return false;
    const posix = rel.split(path.sep).join('/');
    if (this.honourGitignore && this.probe) {
      // Load .gitignore files of every folder on the way down.
      let dir = path.dirname(absPath);
      const chain: string[] = [];
      while (dir.startsWith(this.root) && dir !== this.root) {
        chain.push(dir);
        dir = path.dirname(dir);
      }
      for (const d of chain.reverse()) this.addGitignore(d);
    }
    return this.ig.ignores(posix);
  }
}

export interface WalkOptions {
  excludes: readonly string[];
  maxFileSize: number;
  honourGitignore?: boolean;
}

export interface WalkResult {
  files: string[];
  /** Files left out before reading, with the reason (too large). */
  skipped: Array<{ path: string; reason: string }>;
}

/**
 * Lists the files below `root` that Fourfold analyses, by name and size,
 * without reading them.
 */
export async function walk(root: string, options: WalkOptions): Promise<WalkResult> {
  const abs = path.resolve(root);
  const stat = fs.statSync(abs);
  if (stat.isFile()) return { files: fileKindOf(abs) ? [abs] : [], skipped: [] };
  const entries = await fg('**/*', {
    cwd: abs,
    absolute: true,
    dot: true,
    onlyFiles: true,
    followSymbolicLinks: false,
    suppressErrors: true,
    ignore: ALWAYS_EXCLUDED,
    stats: true,
  });
  const gitignores = entries.filter((e) => e.name === '.gitignore').map((e) => path.normalize(e.path));
  const filter = new ExclusionFilter(abs, options.excludes, options.honourGitignore ?? true, gitignores);
  const files: string[] = [];
  const skipped: WalkResult['skipped'] = [];
  for (const e of entries) {
    const p = path.normalize(e.path);
    if (!fileKindOf(p) || isLockFile(p)) continue;
    if (filter.excludes(p)) continue;
    if (e.stats && e.stats.size > options.maxFileSize) {
      skipped.push({ path: p, reason: `larger than the ${Math.round(options.maxFileSize / 1024)} KiB limit (maxFileSize)` });
      continue;
    }
    files.push(p);
  }
  files.sort();
  return { files, skipped };
}
