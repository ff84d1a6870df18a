// Command lines for each scanner and target. Everything is an argument array;
// references are validated and paths made absolute, so nothing can be read as an option.
import * as path from 'node:path';
import type { ScannerKind } from './model';
import { parseImageReference } from './reference';

export type ScanTarget =
  | { type: 'reference'; ref: string }
  /** A `docker save` / `podman save` tarball. */
  | { type: 'archive'; path: string }
  /** An OCI image layout directory. */
  | { type: 'oci-dir'; path: string }
  /** A source tree, for the dependency scan. */
  | { type: 'directory'; path: string };

export class InvalidTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTargetError';
  }
}

/** Grype reads `scheme:rest` as a source scheme, so `docker:latest` would not mean the image "docker". */
const GRYPE_SCHEMES = new Set([
  'docker', 'podman', 'containerd', 'registry', 'docker-archive', 'oci-archive', 'oci-dir', 'singularity', 'dir', 'file', 'sbom', 'purl', 'cpe',
]);

function safePath(p: string): string {
  if (typeof p !== 'string' || p.length === 0 || /[\0\r\n]/.test(p)) throw new InvalidTargetError('invalid path');
  return path.resolve(p);
}

function grypeReference(ref: string): string {
  const scheme = /^([a-z-]+):/.exec(ref)?.[1];
  if (!scheme || !GRYPE_SCHEMES.has(scheme)) return ref;
  // e.g. "docker:24" → fully qualified, so grype sees an image, not a scheme.
  const parsed = parseImageReference(ref);
  if (parsed.ok && !parsed.ref.domain) {
    const repo = parsed.ref.path.includes('/') ? parsed.ref.path : `library/${parsed.ref.path}`;
    return `docker.io/${repo}${parsed.ref.tag ? `:${parsed.ref.tag}` : ''}${parsed.ref.digest ? `@${parsed.ref.digest}` : ''}`;
  }
  return `registry:${ref}`;
}

export function buildScanArgs(kind: ScannerKind, target: ScanTarget): string[] {
  switch (target.type) {
    case 'reference': {
      const check = parseImageReference(target.ref);
      if (!check.ok) throw new InvalidTargetError(`not a valid image reference: ${check.reason}`);
      return kind === 'trivy'
        ? ['image', '--format', 'json', '--quiet', target.ref]
        : [grypeReference(target.ref), '-o', 'json'];
    }
    case 'archive': {
      const p = safePath(target.path);
      return kind === 'trivy' ? ['image', '--format', 'json', '--quiet', '--input', p] : [`docker-archive:${p}`, '-o', 'json'];
    }
    case 'oci-dir': {
      const p = safePath(target.path);
      return kind === 'trivy' ? ['image', '--format', 'json', '--quiet', '--input', p] : [`oci-dir:${p}`, '-o', 'json'];
    }
    case 'directory': {
      const p = safePath(target.path);
      // --list-all-pkgs: Packages[] carry the lockfile line ranges the diagnostics need.
      return kind === 'trivy'
        ? ['fs', '--scanners', 'vuln', '--format', 'json', '--quiet', '--list-all-pkgs', p]
        : [`dir:${p}`, '-o', 'json'];
    }
  }
}

/** A stable key for the session cache. */
export function targetKey(target: ScanTarget): string {
  return target.type === 'reference' ? `ref:${target.ref}` : `${target.type}:${path.resolve(target.path)}`;
}

export function describeTarget(target: ScanTarget): string {
  return target.type === 'reference' ? target.ref : `${target.type} ${target.path}`;
}
