/** Small, pure helpers for judging secret-looking strings. */

/** Shannon entropy in bits per character. Random base64 of 40 characters is about 4.9; hex at most 4. */
export function shannonEntropy(s: string): number {
  if (!s) return 0;
  const ascii = new Uint32Array(128);
  let other: Map<number, number> | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 128) ascii[c]++;
    else (other ??= new Map()).set(c, (other.get(c) ?? 0) + 1);
  }
  let h = 0;
  const n = s.length;
  const add = (count: number) => {
    const p = count / n;
    h -= p * Math.log2(p);
  };
  for (let c = 0; c < 128; c++) if (ascii[c]) add(ascii[c]);
  if (other) for (const count of other.values()) add(count);
  return h;
}

export function hasUpper(s: string): boolean {
  return /[A-Z]/.test(s);
}
export function hasLower(s: string): boolean {
  return /[a-z]/.test(s);
}
export function hasDigit(s: string): boolean {
  return /[0-9]/.test(s);
}

/** Words that mark a value as a stand-in rather than a credential. */
const PLACEHOLDER_WORDS = /your|here|example|sample|dummy|fake|placeholder|redacted|changeme|change_me|replace|xxxx|\*\*\*\*|\.\.\.|<|>|\$\{|\{\{|%\(/i;

/** A value that names or stands in for a credential instead of being one. */
export function isPlaceholder(value: string): boolean {
  if (PLACEHOLDER_WORDS.test(value)) return true;
  // One character repeated (0000..., AAAA...) or a short cycle (abcabc...).
  if (/^(.{1,3})\1{5,}$/.test(value)) return true;
  return false;
}

/**
 * Masks a secret for messages: the first and last four characters stay, the
 * middle becomes stars (at most 12), so a reader can tell keys apart without
 * the message leaking the key.
 */
export function maskSecret(secret: string): string {
  if (secret.length <= 8) return '*'.repeat(secret.length);
  const keep = secret.length >= 16 ? 4 : 2;
  const stars = Math.min(12, secret.length - 2 * keep);
  return secret.slice(0, keep) + '*'.repeat(stars) + secret.slice(-keep);
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE 802.3, as zlib) of an ASCII string. */
export function crc32(s: string): number {
  let c = 0xffffffff;
  for (let i = 0; i < s.length; i++) c = CRC_TABLE[(c ^ s.charCodeAt(i)) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function base62(n: number, width: number): string {
  let out = '';
  let v = n;
  while (v > 0) {
    out = BASE62[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out.padStart(width, '0');
}

/**
 * GitHub's token checksum (github.blog, "Behind GitHub's new authentication
 * token formats", 2021): the last six characters of the 36-character body are
 * the base62 CRC-32 of the first thirty. Made-up tokens fail it.
 */
export function githubChecksumValid(body: string): boolean {
  if (body.length !== 36) return false;
  return base62(crc32(body.slice(0, 30)), 6) === body.slice(30);
}

/** Builds a token body with a valid checksum from 30 random base62 characters (tests, examples). */
export function githubTokenBody(random30: string): string {
  return random30 + base62(crc32(random30), 6);
}

/** The name a value is assigned to on its line (`name = "…"`, `name: …`, `"name": "…"`), if any. */
export function assignedName(lineBefore: string): string | undefined {
  const m = /([A-Za-z_][A-Za-z0-9_.-]*)["'`]?\]?\s*(?::=|=>|=|:)\s*\(?\s*$/.exec(lineBefore);
  return m?.[1];
}

/** `secretAccessKey` / `aws-secret` → `SECRET_ACCESS_KEY` / `AWS_SECRET`. */
export function toEnvName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
}
