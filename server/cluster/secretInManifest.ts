import type { Pair } from 'yaml';
import type { FileContext } from '../engine/context';
import type { FileRule, RawFinding, RuleMeta } from '../engine/types';
import { MANIFEST_KINDS } from '../engine/fileKinds';
import { get, getPair, isMap, resolve, str, manifestsOf, type K8sObject, MANIFEST_DOCUMENTS } from './manifests';
import { finding } from './workloads';

/** Values that are clearly not the secret itself: substituted later, empty or a stand-in. */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  return (
    v === '' ||
    /^\$\{[^}]*\}$|^\$\([^)]*\)$|^\$[A-Za-z_][A-Za-z0-9_]*$/.test(v) ||
    /^\{\{.*\}\}$/s.test(v) ||
    /^<[^>]*>$/.test(v) ||
    /^%\([^)]*\)s?$|^%[A-Za-z_]+%$|^#\{[^}]*\}$|^@[A-Za-z_]+@$/.test(v) ||
    /^(?:REPLACE[_-]?ME|CHANGE[_-]?ME|CHANGE[_-]?IT|TODO|TBD|FIXME|PLACEHOLDER|xxx+|\*+|\.\.\.|null|none|nil|~)$/i.test(v)
  );
}

/** Words of a key name: `DB_PASSWORD`, `db.password`, `dbPassword` → db, password. */
function wordsOf(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const SECRET_WORD = /pass|pwd|secret|token|key|cred|auth|private|cookie|salt|signature|dsn/;

/** Last words of keys that name connection coordinates, not credentials. */
const COORDINATE_WORDS = new Set([
  'user', 'username', 'usr', 'login', 'email', 'host', 'hostname', 'server', 'port', 'database', 'db', 'dbname', 'schema',
  'name', 'region', 'namespace', 'bucket', 'cluster', 'realm', 'tenant', 'domain', 'id', 'account', 'project', 'scope', 'sslmode',
  'protocol', 'scheme', 'driver', 'dialect', 'version',
]);
const URL_WORDS = new Set(['url', 'uri', 'endpoint', 'address', 'addr']);

function isCertificate(value: string): boolean {
  return /-----BEGIN [A-Z ]*CERTIFICATE-----/.test(value) && !/PRIVATE KEY-----/.test(value);
}

/** A `data:` value decoded from base64, or undefined when it is not base64. */
function decodeBase64(value: string): string | undefined {
  const compact = value.replace(/\s+/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return undefined;
  return Buffer.from(compact, 'base64').toString('utf8');
}

/**
 * Whether a Secret entry carries a secret: not a coordinate (user, host, port,
 * database), not a public certificate, not a placeholder, not an empty
 * registry config.
 */
function isSecretEntry(key: string, value: string, encoded: boolean): boolean {
  if (isPlaceholder(value)) return false;
  const plain = encoded ? (decodeBase64(value) ?? value) : value;
  if (isPlaceholder(plain) || isCertificate(plain)) return false;
  const lower = key.toLowerCase();
  if (/\.(crt|cer|pub)$/.test(lower)) return false;
  if (lower === '.dockerconfigjson' || lower === '.dockercfg') return /"(?:auth|password|identitytoken|registrytoken)"\s*:\s*"[^"]+"/.test(plain);
  const words = wordsOf(key);
  const last = words.at(-1) ?? '';
  if (!words.some((w) => SECRET_WORD.test(w))) {
    if (COORDINATE_WORDS.has(last)) return false;
    // A URL is a secret only with credentials in it (postgres://user:password@host).
    if (URL_WORDS.has(last)) return /:\/\/[^/\s:@]+:[^/\s@]+@/.test(plain);
  }
  return true;
}

/** ConfigMap keys that name a credential (DB_PASSWORD, apiKey, client-secret). */
const CONFIGMAP_SECRET_KEY = /password|passwd|secret|token|api[_-]?key|private[_-]?key|access[_-]?key/i;
/** ...unless the name says the value is about the credential, not the credential (TOKEN_URL, SECRET_NAME, PASSWORD_FILE). */
const REFERENCE_WORDS = new Set([
  'file', 'path', 'dir', 'name', 'ref', 'url', 'uri', 'endpoint', 'ttl', 'expiry', 'expiration', 'expires', 'timeout', 'length',
  'size', 'enabled', 'enable', 'disabled', 'mode', 'type', 'header', 'policy', 'rotation', 'interval', 'lifetime', 'duration', 'format',
  'algorithm', 'issuer', 'audience', 'id', 'env', 'var', 'key', 'keys', 'field', 'prefix', 'count', 'min', 'max', 'store', 'provider', 'source',
]);

/** A ConfigMap value that looks like a literal credential rather than a setting, path or file. */
function isLiteralCredential(key: string, value: string): boolean {
  const words = wordsOf(key);
  if (!CONFIGMAP_SECRET_KEY.test(key) || words.length === 0) return false;
  const last = words.at(-1)!;
  // `apiKey`, `access_key`, `private-key` end in "key", which is the credential itself there.
  const endsInCredentialKey = last === 'key' && /api|access|private|secret/.test(words.at(-2) ?? '');
  if (REFERENCE_WORDS.has(last) && !endsInCredentialKey && !(last === 'key' && words.length === 1)) return false;
  const v = value.trim();
  if (isPlaceholder(v) || v.length < 4 || /[\r\n]/.test(v)) return false;
  if (/^(?:true|false|yes|no|on|off|\d+[smhd]?)$/i.test(v)) return false;
  // A path, a URL without credentials, a reference to a mounted file or an env var.
  if (/^(?:\/|\.\.?\/|~\/|[A-Za-z]:\\)/.test(v) || /^(?:file|vault|secret|ref|env|arn|projects):/i.test(v)) return false;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v) && !/:\/\/[^/\s:@]+:[^/\s@]+@/.test(v)) return false;
  return true;
}

function secretFindings(ctx: FileContext, meta: RuleMeta, o: K8sObject, out: RawFinding[]): void {
  for (const field of ['stringData', 'data']) {
    const map = get(o.node, field);
    if (!isMap(map)) continue;
    const keys: string[] = [];
    for (const p of map.items as Pair[]) {
      const v = str(resolve(p.value as never));
      const key = str(p.key) ?? '?';
      if (v !== undefined && isSecretEntry(key, v, field === 'data')) keys.push(key);
    }
    const pair = getPair(o.node, field);
    if (keys.length === 0 || !pair?.key?.range) continue;
    out.push(
      finding(ctx, meta, o.annotations, [pair.key.range[0], pair.key.range[1]], {
        message: `Secret${o.name ? ` '${o.name}'` : ''} commits ${keys.length === 1 ? 'a value' : `${keys.length} values`} in ${field} (${keyList(
          keys,
        )}). Keep secrets out of the repository: Sealed Secrets, SOPS, External Secrets or a secret store CSI driver.`,
      }),
    );
  }
}

function keyList(keys: string[]): string {
  return `${keys.slice(0, 5).join(', ')}${keys.length > 5 ? ', …' : ''}`;
}

/**
 * Filed under the cluster layer (the issue lets us choose): the finding is
 * about a Kubernetes object committed to the repository, and the annotation
 * suppressions and object anchors of this layer apply. Plain credentials in
 * other text files are cloud/hardcoded-credential. ConfigMaps are covered
 * too: a literal under a credential-named key is the same leak, in an object
 * with even less protection.
 */
export const secretInManifest: FileRule = {
  meta: {
    id: 'cluster/secret-in-manifest',
    layer: 'cluster',
    title: 'Secret values committed in a manifest',
    description:
      'A Secret with literal data (or a ConfigMap holding a password) in the repository is readable by everyone with the repository (base64 is an encoding, not encryption) and stays in its history.',
    severity: 'high',
    cwe: ['CWE-798', 'CWE-312'],
    aliases: [],
    fileKinds: MANIFEST_KINDS,
  },
  pieceWise: { scheme: MANIFEST_DOCUMENTS },
  check(ctx) {
    const out: RawFinding[] = [];
    for (const o of manifestsOf(ctx).objects) {
      if (o.apiVersion !== 'v1') continue;
      if (o.kind === 'Secret') secretFindings(ctx, this.meta, o, out);
      else if (o.kind === 'ConfigMap') {
        const map = get(o.node, 'data');
        if (!isMap(map)) continue;
        for (const p of map.items as Pair[]) {
          const key = str(p.key);
          const value = str(resolve(p.value as never));
          const keyNode = p.key as { range?: [number, number, number] } | null;
          if (key === undefined || value === undefined || !keyNode?.range || !isLiteralCredential(key, value)) continue;
          out.push(
            finding(ctx, this.meta, o.annotations, [keyNode.range[0], keyNode.range[1]], {
              message: `ConfigMap${o.name ? ` '${o.name}'` : ''} holds a literal credential in ${key}. ConfigMaps are plain configuration, readable by anyone who can read the repository or get configmaps: keep it out of the repository (Sealed Secrets, SOPS, External Secrets) and reference a Secret.`,
            }),
          );
        }
      }
    }
    return out;
  },
};
