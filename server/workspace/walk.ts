import ignore, { type Ignore } from 'ignore';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileKindOf } from '../engine/fileKinds';

/** Folders no one wants scanned, whatever their depth: dependencies, VCS internals, build output. */
const EXCLUDED_DIRS = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  '__pycache__',
  '.venv',
  'venv',
  '.tox',
  '.mypy_cache',
  '.pytest_cache',
  '.next',
  '.nuxt',
  'coverage',
]);

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
    this.hasRules = excludes.length > 0;
    if (honourGitignore && knownGitignores) {
      this.probe = false;
      // Parents before children, as git reads them.
      for (const f of [...knownGitignores].sort((a, b) => a.length - b.length)) this.addGitignore(path.dirname(f));
    } else if (honourGitignore) this.addGitignore(root);
  }

  private probe = true;
  /** No pattern at all (no excludes, no .gitignore): nothing is excluded, and asking `ignore` costs a path split per file. */
  private hasRules: boolean;

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
    if (lines.length) this.hasRules = true;
  }

  excludes(absPath: string): boolean {
    if (!this.hasRules && !(this.honourGitignore && this.probe)) return false;
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
 * Every regular file below `dir` (symbolic links are not followed), without
 * the excluded folders. One readdir per folder, which also tells file from
 * folder: no stat per entry. Yields now and then so a language server stays responsive.
 */
async function listTree(dir: string): Promise<string[]> {
  const out: string[] = [];
  const stack = [dir];
  for (let n = 1; stack.length; n++) {
    const current = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(current, { withFileTypes: true });
    } catch {
      continue; // unreadable: skipped, as before
    }
    for (const e of entries) {
      if (e.isDirectory()) {
        if (!EXCLUDED_DIRS.has(e.name)) stack.push(path.join(current, e.name));
      } else if (e.isFile()) out.push(path.join(current, e.name));
    }
    if (n % 64 === 0) await new Promise((r) => setImmediate(r));
  }
  return out;
}

/**
 * Lists the files below `root` that Fourfold analyses, by name and size,
 * without reading them.
 */
export async function walk(root: string, options: WalkOptions): Promise<WalkResult> {
  const abs = path.resolve(root);
  const stat = fs.statSync(abs);
  if (stat.isFile()) return { files: fileKindOf(abs) ? [abs] : [], skipped: [] };
  const entries = await listTree(abs);
  const gitignores = entries.filter((p) => path.basename(p) === '.gitignore');
  const filter = new ExclusionFilter(abs, options.excludes, options.honourGitignore ?? true, gitignores);
  const files: string[] = [];
  const skipped: WalkResult['skipped'] = [];
  for (const p of entries) {
    if (!fileKindOf(p) || isLockFile(p)) continue;
    if (filter.excludes(p)) continue;
    const size = fs.statSync(p, { throwIfNoEntry: false })?.size ?? 0;
    if (size > options.maxFileSize) {
      skipped.push({ path: p, reason: `larger than the ${Math.round(options.maxFileSize / 1024)} KiB limit (maxFileSize)` });
      continue;
    }
    files.push(p);
  }
  files.sort();
  return { files, skipped };
}
