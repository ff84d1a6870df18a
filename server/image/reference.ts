// The OCI image reference grammar of github.com/distribution/reference
// (what docker, podman, trivy and grype accept). A reference that passes can
// only be a name, a tag and a digest: no spaces, no shell syntax, no leading '-'
// (so it can never be read as an option), no path traversal.

export interface ImageReference {
  /** The reference as given (validated). */
  raw: string;
  /** Registry host[:port], if the reference names one. */
  domain?: string;
  /** Repository path without the domain, e.g. library/alpine or alpine. */
  path: string;
  tag?: string;
  digest?: string;
}

export type ReferenceCheck = { ok: true; ref: ImageReference } | { ok: false; reason: string };

export const NAME_TOTAL_LENGTH_MAX = 255;
/** Beyond this nothing is even looked at (keeps every check linear and cheap). */
const INPUT_MAX = 512;

const DOMAIN_COMPONENT = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const PORT = /^[0-9]+$/;
const IPV6 = /^\[[0-9a-fA-F:.]+\]$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

function checkDomain(domain: string): string | undefined {
  let host = domain;
  const ipv6 = domain.startsWith('[');
  if (ipv6) {
    const close = domain.indexOf(']');
    if (close < 0) return 'unterminated IPv6 address';
    host = domain.slice(0, close + 1);
    if (!IPV6.test(host)) return 'malformed IPv6 address';
    const rest = domain.slice(close + 1);
    if (rest && !(rest.startsWith(':') && PORT.test(rest.slice(1)))) return 'malformed registry port';
    return undefined;
  }
  const colon = domain.indexOf(':');
  if (colon >= 0) {
    host = domain.slice(0, colon);
    if (!PORT.test(domain.slice(colon + 1))) return 'malformed registry port';
  }
  if (!host.split('.').every((c) => DOMAIN_COMPONENT.test(c))) return `malformed registry host "${host}"`;
  return undefined;
}

/** Validates an image reference; `reason` says in words what is wrong. */
export function parseImageReference(input: unknown): ReferenceCheck {
  if (typeof input !== 'string') return { ok: false, reason: 'the reference is not text' };
  if (input.length === 0) return { ok: false, reason: 'the reference is empty' };
  if (input.length > INPUT_MAX) return { ok: false, reason: `the reference is longer than ${INPUT_MAX} characters` };
  // Anything outside the grammar's alphabet is refused before parsing, with a clear reason.
  const bad = /[^A-Za-z0-9._\-/:@[\]]/.exec(input);
  if (bad) {
    const ch = bad[0];
    const shown = /\s/.test(ch) ? (ch === '\n' || ch === '\r' ? 'a line break' : 'whitespace') : `"${ch}"`;
    return { ok: false, reason: `the reference contains ${shown}, which no image reference can contain` };
  }
  if (input.startsWith('-')) return { ok: false, reason: 'the reference starts with "-" (it would be read as an option)' };

  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return { ok: false, reason: `malformed digest "${digest}" (expected algorithm:hex)` };
    const [alg, hex] = digest.split(':');
    if (alg === 'sha256' && hex.length !== 64) return { ok: false, reason: 'a sha256 digest has 64 hex digits' };
    if (alg === 'sha512' && hex.length !== 128) return { ok: false, reason: 'a sha512 digest has 128 hex digits' };
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > lastSlash) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (!TAG.test(tag)) return { ok: false, reason: `malformed tag "${tag}"` };
  }
  const name = rest;
  if (!name) return { ok: false, reason: 'the reference has no repository name' };
  if (name.length > NAME_TOTAL_LENGTH_MAX) {
    return { ok: false, reason: `the repository name is longer than ${NAME_TOTAL_LENGTH_MAX} characters` };
  }
  const parts = name.split('/');
  let domain: string | undefined;
  // As in distribution/reference: the first component is a registry when it
  // has a dot or a port, is localhost, or has upper-case letters.
  if (parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === 'localhost' || /[A-Z]/.test(parts[0]) || parts[0].startsWith('['))) {
    domain = parts.shift()!;
    const why = checkDomain(domain);
    if (why) return { ok: false, reason: why };
  }
  for (const p of parts) {
    if (!p) return { ok: false, reason: 'the repository name has an empty path component' };
    if (/[A-Z]/.test(p)) return { ok: false, reason: `repository names must be lower-case ("${p}")` };
    if (!PATH_COMPONENT.test(p)) return { ok: false, reason: `malformed repository name component "${p}"` };
  }
  return { ok: true, ref: { raw: input, domain, path: parts.join('/'), tag, digest } };
}

export function isValidImageReference(input: unknown): input is string {
  return parseImageReference(input).ok;
}

/**
 * The reference in Docker's canonical form (docker.io/library/alpine:latest),
 * for comparing what a Dockerfile says with what a report names.
 */
export function canonicalReference(ref: ImageReference): string {
  let domain = ref.domain ?? 'docker.io';
  if (domain === 'index.docker.io') domain = 'docker.io';
  const path = domain === 'docker.io' && !ref.path.includes('/') ? `library/${ref.path}` : ref.path;
  const tag = ref.tag ?? (ref.digest ? undefined : 'latest');
  return `${domain}/${path}${tag ? `:${tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** domain/path only, for "same repository, any tag" comparisons. */
export function canonicalRepository(ref: ImageReference): string {
  const c = canonicalReference({ ...ref, tag: undefined, digest: undefined });
  return c.replace(/:latest$/, '');
}
