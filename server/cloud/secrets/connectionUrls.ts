import type { SecretMatch } from './detectors';
import { isPlaceholder } from './text';

/*
 * Database and message-broker URLs with the password written inline:
 * `postgres://app:<password>@db.internal:5432/app`. Only the password is the
 * secret (masked in the message); the finding covers the whole URL token so a
 * fix can replace the string with an environment read.
 */

/**
 * scheme[+driver]://user:password@host (SQLAlchemy's `postgresql+psycopg2://`, `mongodb+srv://`) — user stops at the first `:`, password at the
 * first `@`, each bounded, so every attempt is linear and starts at a literal
 * scheme.
 */
const CONNECTION_URL =
  /(?<![A-Za-z0-9+.-])(postgres(?:ql)?|mysql|mariadb|mongodb|rediss?|amqps?)(?:\+[A-Za-z0-9]{1,20})?:\/\/([^\s:@/'"`<>]{0,128}):([^\s@/'"`<>]{1,256})@([^\s/:'"`<>?#@]{1,253})/gi;

/** Words people type where a password goes in docs, templates and local setups. */
const TRIVIAL_PASSWORDS = new Set([
  'password', 'passwd', 'pass', 'pwd', 'secret', 'changeme', 'changeit', 'admin', 'root', 'user', 'test',
  'postgres', 'mysql', 'mariadb', 'mongo', 'mongodb', 'redis', 'guest', 'rabbitmq', 'tiger', 'example',
  'pw', 'p', 'x', 'foo', 'bar', 'dev', 'local', 'default', 'db', 'database',
]);

const LOCAL_HOSTS = /^(?:localhost|127\.0\.0\.1|0\.0\.0\.0|host\.docker\.internal)$/i;

/** A password that stands in for one: templating, environment references, masks, well-known defaults. */
export function isPlaceholderPassword(password: string, user: string): boolean {
  const p = password.toLowerCase();
  // Templating and references: $VAR, ${VAR}, $(cmd), %s, %(name)s, {name} (f-strings, format), <password>, {{ .Values }}.
  if (/^[$%{<]|\{\{|\$\{|\$\(|%s|^\*+$|^x+$|^\.+$|^_+$|^:/i.test(password)) return true;
  if (TRIVIAL_PASSWORDS.has(p) || (p.length > 0 && p === user.toLowerCase())) return true;
  if (/^(?:my|your|db|the|some|app)?[_-]?(?:password|passwd|pass|secret|pwd)$/i.test(password)) return true;
  return isPlaceholder(password) || password.length < 3;
}

const ENV_VARS: Record<string, string> = {
  postgres: 'DATABASE_URL',
  postgresql: 'DATABASE_URL',
  mysql: 'DATABASE_URL',
  mariadb: 'DATABASE_URL',
  mongodb: 'MONGODB_URI',
  'mongodb+srv': 'MONGODB_URI',
  redis: 'REDIS_URL',
  rediss: 'REDIS_URL',
  amqp: 'AMQP_URL',
  amqps: 'AMQP_URL',
};

/** End of the URL token: the next quote, space or bracket, bounded. */
function tokenEnd(text: string, from: number): number {
  const max = Math.min(text.length, from + 400);
  let e = from;
  while (e < max && !/[\s"'`<>(){}[\],|\\]/.test(text[e])) e++;
  return e;
}

export function detectConnectionUrls(text: string, out: SecretMatch[], max: number): void {
  if (!text.includes('://')) return;
  let count = 0;
  for (const m of text.matchAll(CONNECTION_URL)) {
    if (count >= max) break;
    const [, schemeRaw, user, password, host] = m;
    if (isPlaceholderPassword(password, user)) continue;
    const scheme = schemeRaw.toLowerCase();
    const local = LOCAL_HOSTS.test(host);
    count++;
    out.push({
      format: 'connection-url-password',
      label: `password in a ${scheme} connection URL${local ? ' (local host)' : ''}`,
      start: m.index!,
      end: tokenEnd(text, m.index! + m[0].length),
      secret: password,
      // A local development database is less exposed, but its password is often reused.
      severity: local ? 'medium' : 'high',
      aliases: [],
      envVar: ENV_VARS[scheme] ?? 'DATABASE_URL',
    });
  }
}
