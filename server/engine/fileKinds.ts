import * as path from 'node:path';
import type { FileKind } from './types';

const BY_EXTENSION: Record<string, FileKind> = {
  '.py': 'python',
  '.pyw': 'python',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascript',
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'tsx',
  '.yaml': 'yaml',
  '.yml': 'yaml',
  '.json': 'json',
  // Text files where cloud credentials and endpoints turn up.
  '.env': 'text',
  '.tf': 'text',
  '.tfvars': 'text',
  '.hcl': 'text',
  '.properties': 'text',
  '.ini': 'text',
  '.cfg': 'text',
  '.conf': 'text',
  '.toml': 'text',
  '.sh': 'text',
  '.bash': 'text',
  '.zsh': 'text',
  '.ps1': 'text',
  '.xml': 'text',
  '.txt': 'text',
  '.config': 'text',
  '.pem': 'text',
  '.key': 'text',
  '.npmrc': 'text',
  '.pypirc': 'text',
  '.netrc': 'text',
  '.go': 'text',
  '.java': 'text',
  '.rb': 'text',
  '.php': 'text',
  '.cs': 'text',
  '.kt': 'text',
  '.rs': 'text',
  '.md': 'text',
};

/** Dotfiles and extension-less names worth reading. */
const BY_NAME: Record<string, FileKind> = {
  '.env': 'text',
  '.npmrc': 'text',
  '.pypirc': 'text',
  '.netrc': 'text',
  credentials: 'text',
};

/** VS Code language ids, for documents the editor has already classified. */
const BY_LANGUAGE_ID: Record<string, FileKind> = {
  python: 'python',
  javascript: 'javascript',
  javascriptreact: 'javascript',
  typescript: 'typescript',
  typescriptreact: 'tsx',
  dockerfile: 'dockerfile',
  yaml: 'yaml',
  json: 'json',
  jsonc: 'json',
};

export function isDockerfileName(base: string): boolean {
  const lower = base.toLowerCase();
  return (
    lower === 'dockerfile' ||
    lower === 'containerfile' ||
    lower.endsWith('.dockerfile') ||
    lower.endsWith('.containerfile') ||
    lower.startsWith('dockerfile.') ||
    lower.startsWith('containerfile.')
  );
}

/**
 * The kind of a file from its name, or from the editor's language id when the
 * name says nothing. undefined: not a file Fourfold reads.
 */
export function fileKindOf(filePath: string, languageId?: string): FileKind | undefined {
  const base = path.basename(filePath);
  if (isDockerfileName(base)) return 'dockerfile';
  const lower = base.toLowerCase();
  if (BY_NAME[lower]) return BY_NAME[lower];
  if (lower.startsWith('.env.')) return 'text';
  const ext = path.extname(lower);
  if (BY_EXTENSION[ext]) return BY_EXTENSION[ext];
  if (languageId && BY_LANGUAGE_ID[languageId]) return BY_LANGUAGE_ID[languageId];
  return undefined;
}

export const CODE_KINDS: readonly FileKind[] = ['python', 'javascript', 'typescript', 'tsx'];
export const MANIFEST_KINDS: readonly FileKind[] = ['yaml', 'json'];
export const ALL_KINDS: readonly FileKind[] = [
  'python',
  'javascript',
  'typescript',
  'tsx',
  'dockerfile',
  'yaml',
  'json',
  'text',
];
