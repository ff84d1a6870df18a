import { execFile } from 'node:child_process';
import type { Fix, Range } from '../engine/types';
import { canonicalRepository, parseImageRef } from './dockerfileModel';

/*
 * "Pin to digest" for container/latest-tag. Asking the local container
 * engine is I/O, so it never runs inside a rule's check(): the language
 * server calls resolveLocalDigest lazily when the user opens the code
 * actions of a latest-tag finding, then builds the edit with digestPinFix.
 * The engine runs through execFile with an argument array (no shell), with
 * a short timeout, and only looks at images already pulled (no network).
 */

export interface DigestLookupOptions {
  engine: 'docker' | 'podman';
  /** Milliseconds before the engine is given up on. */
  timeoutMs?: number;
}

/** Image references we are willing to hand to the engine: no option-like or odd characters. */
const SAFE_REFERENCE = /^[A-Za-z0-9][A-Za-z0-9._\/:@-]{0,254}$/;

/**
 * The repository digest (`sha256:...`) the local engine recorded for `image`,
 * or undefined when the engine is missing, the image is not pulled, it has
 * no repo digest (built locally), or anything goes wrong.
 */
export function resolveLocalDigest(image: string, options: DigestLookupOptions): Promise<string | undefined> {
  const ref = parseImageRef(image);
  if (!ref || !SAFE_REFERENCE.test(image) || (options.engine !== 'docker' && options.engine !== 'podman')) {
    return Promise.resolve(undefined);
  }
  const args = ['image', 'inspect', '--format', '{{json .RepoDigests}}', '--', image];
  return new Promise((resolve) => {
    try {
      execFile(
        options.engine,
        args,
        { timeout: options.timeoutMs ?? 3000, maxBuffer: 256 * 1024, windowsHide: true, shell: false },
        (error, stdout) => {
          if (error) return resolve(undefined);
          resolve(pickDigest(String(stdout), image));
        },
      );
    } catch {
      resolve(undefined);
    }
  });
}

/** The digest among `RepoDigests` ("node@sha256:...", "docker.io/library/node@sha256:...") that belongs to the image's repository. */
export function pickDigest(inspectOutput: string, image: string): string | undefined {
  const ref = parseImageRef(image);
  if (!ref) return undefined;
  let list: unknown;
  try {
    list = JSON.parse(inspectOutput.trim().split('\n')[0] || 'null');
  } catch {
    return undefined;
  }
  if (!Array.isArray(list)) return undefined;
  const wanted = canonicalRepository(ref);
  for (const entry of list) {
    if (typeof entry !== 'string') continue;
    const candidate = parseImageRef(entry);
    if (candidate?.digest && /^sha256:[0-9a-f]{64}$/.test(candidate.digest) && canonicalRepository(candidate) === wanted) {
      return candidate.digest;
    }
  }
  return undefined;
}

/**
 * The edit for a latest-tag finding once a digest is known: the FROM image
 * argument becomes `repository@sha256:...` (registry kept as written, the
 * floating tag dropped). Only for literal FROM arguments (no variables).
 */
export function digestPinFix(finding: { range: Range; data?: Record<string, unknown> }, digest: string): Fix | undefined {
  const image = finding.data?.image;
  if (typeof image !== 'string' || finding.data?.literal !== true || !/^sha256:[0-9a-f]{64}$/.test(digest)) return undefined;
  const ref = parseImageRef(image);
  if (!ref) return undefined;
  const name = ref.registry ? `${ref.registry}/${ref.repository}` : ref.repository;
  return {
    title: `Pin the base image to its local digest (${digest.slice(0, 19)}…)`,
    edits: [{ range: finding.range, newText: `${name}@${digest}` }],
  };
}
