import type { FileContext } from '../engine/context';
import type { FileRule, RawFinding } from '../engine/types';
import { CREDENTIAL_RULE_ID as CLOUD_CREDENTIAL_RULE, credentialMatches } from '../cloud/credentialMatches';
import type { SecretMatch } from '../cloud/secrets/detectors';
import { DOCKERFILE, maskedLength } from './common';
import { dockerfileModel, properties } from './dockerfileModel';

/*
 * ENV / ARG that bake a literal secret into the image: ENV values are in the
 * image config for anyone who can pull it, and ARG defaults are in the
 * build history (`docker history`). Only a secret-looking NAME with a
 * literal VALUE counts: `ARG NPM_TOKEN` (supplied at build time), values
 * that are variable references, file paths (`*_PASSWORD_FILE=/run/secrets/x`)
 * and names like GPG_KEY or TOKEN_URL are not secrets. Values are never
 * echoed in messages.
 *
 * A value cloud/hardcoded-credential recognises by its format (an AWS key,
 * a GitHub/GitLab/Slack token, a private key, an Azure connection string) is
 * left to that rule: it names the provider and rates the credential, and one
 * secret should give one finding. Only when that rule runs on the file.
 */


const SECRET_WORDS = new Set(['PASSWORD', 'PASSWD', 'PASSPHRASE', 'SECRET', 'SECRETS', 'TOKEN', 'APIKEY', 'CREDENTIALS', 'CREDENTIAL', 'PRIVATEKEY', 'SECRETKEY', 'ACCESSKEY', 'AUTHTOKEN']);
/** Only secret with a prefix: DB_PASS, MYSQL_PWD (but PWD alone is the working directory). */
const PREFIXED_SECRET_WORDS = new Set(['PASS', 'PWD']);
/** KEY is a secret when it is one of these kinds of key (not GPG_KEY, PUBLIC_KEY, SORT_KEY). */
const SECRET_KEY_KINDS = new Set(['API', 'ACCESS', 'SECRET', 'PRIVATE', 'AUTH', 'ENCRYPTION', 'SIGNING', 'MASTER', 'SESSION', 'JWT', 'HMAC', 'CLIENT', 'APP']);

export function nameTokens(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((t) => t.toUpperCase());
}

export function isSecretName(name: string): boolean {
  const tokens = nameTokens(name);
  if (tokens.length === 0) return false;
  const last = tokens[tokens.length - 1];
  const prev = tokens[tokens.length - 2];
  if (SECRET_WORDS.has(last)) return true;
  if (PREFIXED_SECRET_WORDS.has(last) && tokens.length > 1) return true;
  if (last === 'KEY' && prev && SECRET_KEY_KINDS.has(prev)) return true;
  // Rails' SECRET_KEY_BASE, Django's SECRET_KEY handled above.
  if (last === 'BASE' && prev === 'KEY' && tokens[tokens.length - 3] === 'SECRET') return true;
  return false;
}

/** A value someone typed, as opposed to a reference, a path or a switch. */
export function isLiteralSecretValue(value: string): boolean {
  const v = value.trim();
  if (v.length < 2) return false;
  // References (and $(...), which ENV does not run) are not literals.
  if (/\$[({A-Za-z_]/.test(v)) return false;
  if (/^(?:true|false|yes|no|on|off|null|none|nil|0|1)$/i.test(v)) return false;
  if (/^(?:\/|\.\/|~\/)/.test(v)) return false;
  // Template placeholders and build-time dummies, not credentials: <token>, {{ .Token }}, %TOKEN%, xxxx, dummy, placeholder.
  if (/^(?:<[^>]*>|\{\{.*\}\}|%[A-Za-z_]+%|\*+|x{3,}|X{3,}|(?:dummy|placeholder|build[-_]?time|not[-_]?a[-_]?secret|unused)\b.*|.*[-_]dummy)$/i.test(v)) return false;
  return true;
}

/** Every name isSecretName accepts ends in a token containing one of these. */
const SECRET_NAME_PARTS = /PASS|PWD|SECRET|TOKEN|KEY|CREDENTIAL/i;

/**
 * A cheap test on an instruction's raw text, so most ENV/ARG are never split
 * into properties: false only when no name in it can be a secret's. A name is
 * the raw text minus quotes, escapes and line continuations; comment lines
 * inside continuations are dropped too, so any `#` means "cannot tell".
 */
function mayNameSecret(raw: string, escapeChar: string): boolean {
  if (raw.includes('#')) return true;
  let joined = raw.replace(/[\s"'\\`]/g, '');
  if (escapeChar !== '\\' && escapeChar !== '`') joined = joined.split(escapeChar).join('');
  return SECRET_NAME_PARTS.test(joined);
}

export const secretInEnv: FileRule = {
  meta: {
    id: 'container/secret-in-env',
    layer: 'container',
    title: 'Secret hard-coded in ENV or ARG',
    description:
      'ENV values ship in the image config and ARG defaults in its build history: anyone who can pull the image can read the credential.',
    severity: 'high',
    cwe: ['CWE-798'],
    aliases: ['trivy:DS031'],
    fileKinds: DOCKERFILE,
  },
  check(ctx: FileContext): RawFinding[] {
    const model = dockerfileModel(ctx);
    const out: RawFinding[] = [];
    let credentials: readonly SecretMatch[] | undefined;
    for (const instr of model.instructions) {
      if (instr.keyword !== 'ENV' && instr.keyword !== 'ARG') continue;
      if (!mayNameSecret(model.text.slice(instr.argsOffset, instr.endOffset), model.escapeChar)) continue;
      for (const p of properties(model, instr)) {
        if (!p.value || !isSecretName(p.name) || !isLiteralSecretValue(p.value.value)) continue;
        credentials ??= cloudCredentials(ctx);
        const value = p.valueRange ?? p.range;
        if (overlapsAny(credentials, model.lines.offsetAt(value.start), model.lines.offsetAt(value.end))) continue;
        const where = instr.keyword === 'ENV' ? 'is stored in the image config' : 'is recorded in the image build history';
        const fix =
          instr.keyword === 'ENV'
            ? 'Pass it at run time (orchestrator secret, env file) instead'
            : 'Use a BuildKit secret mount (RUN --mount=type=secret,id=...) instead';
        out.push({
          range: p.range,
          message: `${instr.keyword} ${p.name} sets a literal secret (value masked, ${maskedLength(p.value.value)}) that ${where}. ${fix}.`,
        });
      }
    }
    return out;
  },
};

/** The credentials cloud/hardcoded-credential reports in this file (none when it does not run). */
function cloudCredentials(ctx: FileContext): readonly SecretMatch[] {
  if (!ctx.runsRule(CLOUD_CREDENTIAL_RULE)) return [];
  return credentialMatches(ctx);
}

/** Matches are sorted by offset and do not overlap (the detectors de-duplicate them). */
function overlapsAny(matches: readonly SecretMatch[], start: number, end: number): boolean {
  let lo = 0;
  let hi = matches.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (matches[mid].end <= start) lo = mid + 1;
    else hi = mid;
  }
  return lo < matches.length && matches[lo].start < end;
}
