import * as path from 'node:path';

/**
 * Dependency lock files: machine-written, often megabytes of integrity hashes
 * (sha512 base64, sha256 hex) that look like keys and never hold credentials.
 * Skipped by name, before reading a character.
 */
const LOCK_FILE_NAMES = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lock',
  'poetry.lock',
  'pipfile.lock',
  'pdm.lock',
  'uv.lock',
  'go.sum',
  'cargo.lock',
  'composer.lock',
  'gemfile.lock',
  'packages.lock.json',
  'gradle.lockfile',
  'flake.lock',
  'mix.lock',
  'pubspec.lock',
  'podfile.lock',
  'chart.lock',
]);

export function isLockFile(filePath: string): boolean {
  return LOCK_FILE_NAMES.has(path.basename(filePath).toLowerCase());
}
