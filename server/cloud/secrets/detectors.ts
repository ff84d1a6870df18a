import type { Severity } from '../../engine/types';
import { detectConnectionUrls } from './connectionUrls';
import { detectServiceTokens } from './serviceTokens';
import { githubChecksumValid, hasDigit, hasLower, hasUpper, isPlaceholder, shannonEntropy } from './text';

/*
 * Credential formats. Each detector finds candidates with a linear-time regex
 * (literal prefixes, bounded character classes, no nested quantifiers) after a
 * cheap `includes` pre-check, then validates them: published checksums where a
 * format has one (GitHub), structure (Slack, Azure, private keys), and an
 * entropy threshold for the random part so placeholders and prose stay quiet.
 */

export type SecretFormat =
  | 'aws-access-key-id'
  | 'aws-secret-access-key'
  | 'gcp-service-account-key'
  | 'azure-storage-connection-string'
  | 'azure-service-bus-connection-string'
  | 'azure-sas-token'
  | 'github-token'
  | 'gitlab-token'
  | 'slack-token'
  | 'slack-webhook'
  | 'private-key'
  | 'google-api-key'
  | 'stripe-key'
  | 'npm-token'
  | 'pypi-token'
  | 'sendgrid-api-key'
  | 'openai-api-key'
  | 'connection-url-password';

export interface SecretMatch {
  format: SecretFormat;
  /** What it is, for the message: "AWS access key id". */
  label: string;
  /** Offsets of the text the finding covers (the credential, or the whole connection string / key block). */
  start: number;
  end: number;
  /** The secret part, masked in messages. */
  secret: string;
  severity: Severity;
  /** Other tools' ids for this format (their suppressions silence it). */
  aliases: string[];
  /** The environment variable a fix reads instead. */
  envVar: string;
  /** A documented example credential (reported only with `includeExamples`). */
  example?: boolean;
  /** Offset of a related credential (the access key id paired with a secret key). */
  pairedWith?: { start: number; end: number; label: string };
}

export interface DetectOptions {
  includeExamples: boolean;
}

/** Characters that end a token in any of the languages we read (connection strings hold `;`). */
const TOKEN_DELIMITERS = new Set([...' \t\r\n"\'`<>(){}[],|\\'].map((c) => c.charCodeAt(0)));

/** Extends [start, end) to the surrounding token (connection strings, URLs), bounded either side. */
function expandToken(text: string, start: number, end: number, max = 400): { start: number; end: number } {
  let s = start;
  const minS = Math.max(0, start - max);
  while (s > minS && !TOKEN_DELIMITERS.has(text.charCodeAt(s - 1))) s--;
  let e = end;
  const maxE = Math.min(text.length, end + max);
  while (e < maxE && !TOKEN_DELIMITERS.has(text.charCodeAt(e))) e++;
  return { start: s, end: e };
}

function isBase64Char(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 43 || c === 47 || c === 61;
}

// ---------------------------------------------------------------- AWS

const AWS_KEY_ID = /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Za-z0-9])/g;
const AWS_EXAMPLE_IDS = new Set(['AKIAIOSFODNN7EXAMPLE', 'ASIAIOSFODNN7EXAMPLE']);
const AWS_EXAMPLE_SECRETS = new Set(['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY']);
const AWS_ID_ALIASES = ['checkov:CKV_SECRET_2', 'trivy:aws-access-key-id', 'gitleaks:aws-access-token'];
const AWS_SECRET_ALIASES = ['checkov:CKV_SECRET_2', 'trivy:aws-secret-access-key'];

/** Names that hold an AWS secret access key whatever the file. */
const AWS_SECRET_NAME = /(?:aws[_.-]?)?secret[_.-]?access[_.-]?key|aws[_.-]?secret(?:[_.-]?key)?/gi;
/** `secret_key` / `secretKey`: an AWS secret only with AWS nearby (Terraform's aws provider, boto3 calls). */
const WEAK_SECRET_NAME = /secret[_.-]?key/gi;
const AWS_NEARBY = /aws|amazon|boto|AKIA|ASIA/gi;
/** A 40-character base64 run standing alone: the shape of an AWS secret access key. */
const AWS_SECRET_SHAPE = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;

function awsSecretLooksReal(v: string, strict: boolean): boolean {
  if (!hasUpper(v) || !hasLower(v) || !hasDigit(v)) return false;
  if (isPlaceholder(v)) return false;
  const h = shannonEntropy(v);
  if (h < (strict ? 4.3 : 4.0)) return false;
  // Paths and URLs share the alphabet; keys rarely hold three slashes.
  if (strict && (v.split('/').length > 3 || v.includes('//'))) return false;
  return true;
}

function detectAws(text: string, opts: DetectOptions, out: SecretMatch[], lineBounds: LineBounds): void {
  const ids: SecretMatch[] = [];
  if (/A(?:KIA|SIA|BIA|CCA)/.test(text)) {
    for (const m of text.matchAll(AWS_KEY_ID)) {
      if (ids.length >= MAX_MATCHES_PER_FILE) break;
      const id = m[0];
      const example = AWS_EXAMPLE_IDS.has(id) || id.endsWith('EXAMPLE');
      if (example && !opts.includeExamples) continue;
      // Low entropy: AKIAXXXXXXXXXXXXXXXX, AKIAAAAAAAAAAAAAAAAA.
      if (!example && (shannonEntropy(id.slice(4)) < 3 || isPlaceholder(id.slice(4)))) continue;
      const match: SecretMatch = {
        format: 'aws-access-key-id',
        label: id.startsWith('ASIA') ? 'AWS temporary (STS) access key id' : 'AWS access key id',
        start: m.index!,
        end: m.index! + id.length,
        secret: id,
        severity: 'high',
        aliases: AWS_ID_ALIASES,
        envVar: 'AWS_ACCESS_KEY_ID',
        example,
      };
      ids.push(match);
      out.push(match);
    }
  }

  const secrets = new Map<number, SecretMatch>();
  const addSecret = (start: number, value: string, strict: boolean) => {
    if (secrets.has(start) || secrets.size >= MAX_MATCHES_PER_FILE) return;
    // The region was cut out of the text: make sure the run does not continue outside it.
    const before = text.charCodeAt(start - 1);
    if ((isBase64Char(before) && before !== 61) || isBase64Char(text.charCodeAt(start + value.length))) return;
    const example = AWS_EXAMPLE_SECRETS.has(value) || value.endsWith('EXAMPLEKEY');
    if (example && !opts.includeExamples) return;
    if (!example && !awsSecretLooksReal(value, strict)) return;
    const near = nearestId(ids, start);
    secrets.set(start, {
      format: 'aws-secret-access-key',
      label: 'AWS secret access key',
      start,
      end: start + value.length,
      secret: value,
      severity: 'critical',
      aliases: AWS_SECRET_ALIASES,
      envVar: 'AWS_SECRET_ACCESS_KEY',
      example,
      pairedWith: near ? { start: near.start, end: near.end, label: near.label } : undefined,
    });
  };

  // 1. A 40-character value assigned to a name that says it is an AWS secret key,
  //    on the same line or the next (YAML `- name: AWS_SECRET_ACCESS_KEY` / `value: ...`).
  let scannedTo = 0;
  const scanAfterName = (nameEnd: number, strict: boolean) => {
    const lineEnd = lineBounds.endOfNextLine(nameEnd);
    const from = Math.max(nameEnd, scannedTo - 40);
    const to = Math.min(lineEnd, nameEnd + 300);
    if (to <= from) return;
    scannedTo = Math.max(scannedTo, to);
    const region = text.slice(from, to);
    for (const v of region.matchAll(AWS_SECRET_SHAPE)) addSecret(from + v.index!, v[0], strict);
  };
  if (/secret/i.test(text)) {
    for (const m of text.matchAll(AWS_SECRET_NAME)) scanAfterName(m.index! + m[0].length, false);
    scannedTo = 0;
    // Offsets of AWS words, walked with a moving pointer as the names come in order.
    const awsWords = [...text.matchAll(AWS_NEARBY)].map((w) => w.index!);
    let w = 0;
    for (const m of text.matchAll(WEAK_SECRET_NAME)) {
      while (w < awsWords.length && awsWords[w] < m.index! - 400) w++;
      if (w < awsWords.length && awsWords[w] <= m.index! + 200) scanAfterName(m.index! + m[0].length, true);
    }
  }

  // 2. A standalone 40-character value within three lines of an access key id (ini, CSV, .env pairs).
  scannedTo = 0;
  for (const id of ids) {
    const from = Math.max(lineBounds.startOfLineAround(id.start, -3), id.start - 400, scannedTo - 40);
    const to = Math.min(lineBounds.endOfLineAround(id.end, 3), id.end + 400);
    if (to <= from) continue;
    scannedTo = Math.max(scannedTo, to);
    const region = text.slice(from, to);
    for (const v of region.matchAll(AWS_SECRET_SHAPE)) addSecret(from + v.index!, v[0], true);
  }
  out.push(...secrets.values());
}

/** The access key id closest to offset (within 600 characters); ids are sorted by offset. */
function nearestId(ids: readonly SecretMatch[], offset: number): SecretMatch | undefined {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ids[mid].start < offset) lo = mid + 1;
    else hi = mid;
  }
  let best: SecretMatch | undefined;
  for (const id of [ids[lo - 1], ids[lo]]) {
    if (!id) continue;
    const d = Math.abs(id.start - offset);
    if (d <= 600 && (!best || d < Math.abs(best.start - offset))) best = id;
  }
  return best;
}

// ---------------------------------------------------------------- GitHub, GitLab

const GITHUB_TOKEN = /(?<![A-Za-z0-9_])(gh[pousr])_([A-Za-z0-9]{36,80})(?![A-Za-z0-9_])/g;
const GITHUB_FINE_GRAINED = /(?<![A-Za-z0-9_])github_pat_([A-Za-z0-9]{22})_([A-Za-z0-9]{59})(?![A-Za-z0-9_])/g;
const GITHUB_KINDS: Record<string, { label: string; id: string }> = {
  ghp: { label: 'GitHub personal access token', id: 'github-pat' },
  gho: { label: 'GitHub OAuth access token', id: 'github-oauth' },
  ghu: { label: 'GitHub user-to-server token', id: 'github-app-token' },
  ghs: { label: 'GitHub server-to-server (app installation) token', id: 'github-app-token' },
  ghr: { label: 'GitHub refresh token', id: 'github-refresh-token' },
};

function detectGitHub(text: string, out: SecretMatch[]): void {
  if (/gh[pousr]_/.test(text)) {
    for (const m of text.matchAll(GITHUB_TOKEN)) {
      const body = m[2];
      const kind = GITHUB_KINDS[m[1]];
      // Every token GitHub has issued since 2021 carries the checksum; a body
      // that fails it was typed by hand. Long refresh tokens carry no checksum we
      // can verify, so they need a random-looking body instead.
      const valid =
        body.length === 36 ? githubChecksumValid(body) : m[1] === 'ghr' && body.length >= 70 && shannonEntropy(body) >= 4.5;
      if (!valid) continue;
      out.push({
        format: 'github-token',
        label: kind.label,
        start: m.index!,
        end: m.index! + m[0].length,
        secret: m[0],
        severity: 'high',
        aliases: [`trivy:${kind.id}`, `gitleaks:${kind.id}`],
        envVar: 'GITHUB_TOKEN',
      });
    }
  }
  if (text.includes('github_pat_')) {
    for (const m of text.matchAll(GITHUB_FINE_GRAINED)) {
      const random = m[2];
      if (shannonEntropy(random) < 4.3 || isPlaceholder(random) || !hasDigit(random + m[1])) continue;
      out.push({
        format: 'github-token',
        label: 'GitHub fine-grained personal access token',
        start: m.index!,
        end: m.index! + m[0].length,
        secret: m[0],
        severity: 'high',
        aliases: ['trivy:github-fine-grained-pat', 'gitleaks:github-fine-grained-pat'],
        envVar: 'GITHUB_TOKEN',
      });
    }
  }
}

const GITLAB_TOKEN = /(?<![A-Za-z0-9_-])(glpat|glrt|gldt)-([A-Za-z0-9_-]{20,64})(?![A-Za-z0-9_-])/g;
const GITLAB_LABELS: Record<string, string> = {
  glpat: 'GitLab personal access token',
  glrt: 'GitLab runner authentication token',
  gldt: 'GitLab deploy token',
};

function detectGitLab(text: string, out: SecretMatch[]): void {
  if (!/gl(?:pat|rt|dt)-/.test(text)) return;
  for (const m of text.matchAll(GITLAB_TOKEN)) {
    const body = m[2];
    if (shannonEntropy(body) < 3.5 || isPlaceholder(body)) continue;
    if (!(hasDigit(body) || (hasUpper(body) && hasLower(body)))) continue;
    out.push({
      format: 'gitlab-token',
      label: GITLAB_LABELS[m[1]],
      start: m.index!,
      end: m.index! + m[0].length,
      secret: m[0],
      severity: 'high',
      aliases: m[1] === 'glpat' ? ['trivy:gitlab-pat', 'gitleaks:gitlab-pat'] : [],
      envVar: 'GITLAB_TOKEN',
    });
  }
}

// ---------------------------------------------------------------- Slack

const SLACK_TOKEN = /(?<![A-Za-z0-9-])xox([abprs])-((?:[A-Za-z0-9]{1,40}-){1,5}[A-Za-z0-9]{8,80})(?![A-Za-z0-9-])/g;
const SLACK_WEBHOOK = /https?:\/\/hooks\.slack\.com\/(services|workflows|triggers)\/([A-Za-z0-9_/+-]{20,160})/g;

function detectSlack(text: string, out: SecretMatch[]): void {
  if (text.includes('xox')) {
    for (const m of text.matchAll(SLACK_TOKEN)) {
      const parts = m[2].split('-');
      const last = parts[parts.length - 1];
      // Real tokens carry team and user ids of many digits and a long random tail
      // (bot: xoxb-<digits>-<digits>-<24>, user: xoxp-<digits>-<digits>-<digits>-<32 hex>).
      if (parts.filter((p) => /^\d{8,}$/.test(p)).length < 2) continue;
      if (last.length < 20 || shannonEntropy(last) < 3.5 || isPlaceholder(last) || /^\d+$/.test(last)) continue;
      const kind = m[1];
      out.push({
        format: 'slack-token',
        label: kind === 'b' ? 'Slack bot token' : kind === 'p' ? 'Slack user token' : 'Slack token',
        start: m.index!,
        end: m.index! + m[0].length,
        secret: m[0],
        severity: 'high',
        aliases: [
          'checkov:CKV_SECRET_14',
          'trivy:slack-access-token',
          ...(kind === 'b' ? ['gitleaks:slack-bot-token'] : kind === 'p' ? ['gitleaks:slack-user-token'] : []),
        ],
        envVar: kind === 'b' ? 'SLACK_BOT_TOKEN' : 'SLACK_TOKEN',
      });
    }
  }
  if (text.includes('hooks.slack.com')) {
    for (const m of text.matchAll(SLACK_WEBHOOK)) {
      const path = m[2];
      const services = /^(T[A-Z0-9]{6,12})\/(B[A-Z0-9]{6,12})\/([A-Za-z0-9]{20,32})(?![A-Za-z0-9])/.exec(path);
      const workflows = /^(T[A-Z0-9]{6,12})\/(A[A-Z0-9]{6,12})\/\d{6,}\/([A-Za-z0-9]{20,40})(?![A-Za-z0-9])/.exec(path);
      const parsed = m[1] === 'services' ? services : workflows;
      if (!parsed) continue;
      const secretPart = parsed[3];
      // The documentation's T00000000/B00000000/XXXXXXXX... and friends.
      if (/^T0+$/.test(parsed[1]) || shannonEntropy(secretPart) < 3.5 || isPlaceholder(secretPart)) continue;
      const end = m.index! + m[0].length - path.length + parsed[0].length;
      out.push({
        format: 'slack-webhook',
        label: 'Slack incoming webhook URL',
        start: m.index!,
        end,
        secret: text.slice(m.index!, end),
        severity: 'medium',
        aliases: ['checkov:CKV_SECRET_14', 'trivy:slack-web-hook', 'gitleaks:slack-webhook-url'],
        envVar: 'SLACK_WEBHOOK_URL',
      });
    }
  }
}

// ---------------------------------------------------------------- Azure

const AZURE_ACCOUNT_KEY = /(?<![A-Za-z])AccountKey=([A-Za-z0-9+/]{40,100}={0,2})/g;
const AZURE_SHARED_ACCESS_KEY = /(?<![A-Za-z])SharedAccessKey=([A-Za-z0-9+/]{40,60}={0,2})/g;
/** Azurite / the storage emulator's well-known key, published in Microsoft's documentation. */
const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const SAS_SIGNATURE = /(?<=[?&;])sig=([A-Za-z0-9%+/=]{30,140})/g;

function detectAzure(text: string, opts: DetectOptions, out: SecretMatch[]): void {
  let tokenEnd = -1;
  if (text.includes('AccountKey=')) {
    for (const m of text.matchAll(AZURE_ACCOUNT_KEY)) {
      if (m.index! < tokenEnd) continue; // same connection string as the previous match
      const key = m[1];
      const span = expandToken(text, m.index!, m.index! + m[0].length);
      tokenEnd = span.end;
      // Start at the connection string itself, not at a `NAME=` in front of it (.env files).
      const first = /(?:DefaultEndpointsProtocol|AccountName|BlobEndpoint)=/.exec(text.slice(span.start, span.end));
      if (first) span.start += first.index;
      const conn = text.slice(span.start, span.end);
      if (!/AccountName=/.test(conn)) continue;
      const example = key === AZURITE_KEY;
      if (example && !opts.includeExamples) continue;
      if (!example && (shannonEntropy(key) < 4.5 || isPlaceholder(key))) continue;
      out.push({
        format: 'azure-storage-connection-string',
        label: 'Azure storage account key (connection string)',
        start: span.start,
        end: span.end,
        secret: key,
        severity: 'critical',
        aliases: ['checkov:CKV_SECRET_3'],
        envVar: 'AZURE_STORAGE_CONNECTION_STRING',
        example,
      });
    }
  }
  tokenEnd = -1;
  if (text.includes('SharedAccessKey=')) {
    for (const m of text.matchAll(AZURE_SHARED_ACCESS_KEY)) {
      if (m.index! < tokenEnd) continue;
      const key = m[1];
      const span = expandToken(text, m.index!, m.index! + m[0].length);
      tokenEnd = span.end;
      const first = /Endpoint=sb:/i.exec(text.slice(span.start, span.end));
      if (first) span.start += first.index;
      const conn = text.slice(span.start, span.end);
      if (!/Endpoint=sb:\/\//i.test(conn) || !/SharedAccessKeyName=/.test(conn)) continue;
      if (shannonEntropy(key) < 4.3 || isPlaceholder(key)) continue;
      out.push({
        format: 'azure-service-bus-connection-string',
        label: 'Azure Service Bus / Event Hubs shared access key',
        start: span.start,
        end: span.end,
        secret: key,
        severity: 'high',
        aliases: [],
        envVar: 'AZURE_SERVICEBUS_CONNECTION_STRING',
      });
    }
  }
  tokenEnd = -1;
  if (text.includes('sig=')) {
    for (const m of text.matchAll(SAS_SIGNATURE)) {
      if (m.index! < tokenEnd) continue;
      const span = expandToken(text, m.index!, m.index! + m[0].length);
      tokenEnd = span.end;
      const first = /https?:\/\/|\?sv=|sv=/.exec(text.slice(span.start, m.index!));
      if (first) span.start += first.index + (first[0] === '?sv=' ? 1 : 0);
      const token = text.slice(span.start, span.end);
      // A storage SAS names its service version (sv=YYYY-MM-DD) and an expiry or permissions.
      if (!/(?:^|[?&;])sv=\d{4}-\d{2}-\d{2}(?:&|$)/.test(token) || !/[?&;]s[ep]=/.test(token)) continue;
      const sig = decodePercent(m[1]);
      if (sig.length < 40 || shannonEntropy(sig) < 4.2 || isPlaceholder(sig)) continue;
      out.push({
        format: 'azure-sas-token',
        label: 'Azure shared access signature (SAS) token',
        start: span.start,
        end: span.end,
        secret: sig,
        severity: 'high',
        aliases: [],
        envVar: 'AZURE_STORAGE_SAS_TOKEN',
      });
    }
  }
}

function decodePercent(s: string): string {
  return s.replace(/%2B/gi, '+').replace(/%2F/gi, '/').replace(/%3D/gi, '=');
}

// ---------------------------------------------------------------- private keys, GCP service accounts

const PRIVATE_KEY_BEGIN = /-----BEGIN ((?:[A-Z0-9]{1,12} ){0,3})PRIVATE KEY( BLOCK)?-----/g;

function detectPrivateKeys(text: string, out: SecretMatch[]): void {
  if (!text.includes('PRIVATE KEY')) return;
  const serviceAccountFile = /["']type["']\s{0,5}:\s{0,5}["']service_account["']/.test(text);
  // The next END marker, found once and reused while markers stay before it (keeps the scan linear).
  let nextEnd = -2;
  // Where the previous marker's body window ended: a marker inside it was already judged as body text.
  let windowEnd = -1;
  for (const m of text.matchAll(PRIVATE_KEY_BEGIN)) {
    const begin = m.index!;
    if (begin < windowEnd) continue;
    const bodyStart = begin + m[0].length;
    if (nextEnd !== -1 && nextEnd < bodyStart) nextEnd = text.indexOf('-----END ', bodyStart);
    let bodyEnd: number;
    let blockEnd: number;
    if (nextEnd >= 0 && nextEnd - bodyStart <= 20000) {
      bodyEnd = nextEnd;
      const close = text.indexOf('-----', nextEnd + 9);
      blockEnd = close >= 0 && close - nextEnd < 80 ? close + 5 : nextEnd + 9;
    } else {
      // No END marker: judge the text that follows (up to the next marker), and cover only the marker.
      bodyEnd = Math.min(text.length, bodyStart + 4000);
      const marker = text.slice(bodyStart, bodyEnd).indexOf('-----');
      if (marker >= 0) bodyEnd = bodyStart + marker;
      blockEnd = bodyStart;
    }
    windowEnd = bodyEnd;
    const rawBody = text.slice(bodyStart, bodyEnd);
    // A key body starts on the next line (or after an escaped \n, or a space in a flattened
    // value) with a run of base64, or with a PEM header; anything else is prose about keys.
    if (!/^(?:\s|\\[nr]|["'+,])*(?:[A-Za-z0-9+/]{40}|(?:Proc-Type|Version|Comment|DEK-Info):)/.test(rawBody)) continue;
    if (rawBody.includes('...') || rawBody.includes('…') || /<[^>]*>/.test(rawBody)) continue;
    const body = rawBody
      .replace(/\\[nr]/g, '\n')
      .replace(/^[ \t"'+,]*[A-Za-z-]+: .*$/gm, '') // PEM headers: Proc-Type, DEK-Info, Version, Comment
      .replace(/[^A-Za-z0-9+/=]/g, '');
    if (body.length < 64 || shannonEntropy(body) < 4.5 || /^(.{1,3})\1{5,}/.test(body)) continue;
    const kind = m[1].trim();
    const before = text.slice(Math.max(0, begin - 40), begin);
    const inServiceAccount = serviceAccountFile && /["']private_key["']\s{0,5}:\s{0,5}["']$/.test(before);
    const encrypted = kind === 'ENCRYPTED' || /Proc-Type: 4,ENCRYPTED/.test(rawBody);
    out.push({
      format: inServiceAccount ? 'gcp-service-account-key' : 'private-key',
      label: inServiceAccount
        ? 'GCP service-account key (private_key of a service_account JSON)'
        : `${encrypted ? 'encrypted ' : ''}${kind ? `${kind} ` : ''}private key`,
      start: begin,
      end: blockEnd,
      secret: body,
      severity: inServiceAccount ? 'critical' : encrypted ? 'medium' : 'high',
      aliases: inServiceAccount
        ? ['trivy:gcp-service-account', 'gitleaks:gcp-service-account-key', 'checkov:CKV_SECRET_13']
        : ['checkov:CKV_SECRET_13', 'trivy:private-key', 'gitleaks:private-key'],
      envVar: inServiceAccount ? 'GCP_SERVICE_ACCOUNT_PRIVATE_KEY' : 'PRIVATE_KEY',
    });
  }
}

// ---------------------------------------------------------------- all

/** Line lookups the AWS pairing needs, computed lazily from the text. */
export interface LineBounds {
  /** End offset of the line after the one containing offset (or of that line if it is the last). */
  endOfNextLine(offset: number): number;
  startOfLineAround(offset: number, deltaLines: number): number;
  endOfLineAround(offset: number, deltaLines: number): number;
}

/**
 * More findings than this in one file is a data dump (a key list, a test
 * corpus): the first ones make the point, and the rest would only cost time.
 */
export const MAX_MATCHES_PER_FILE = 1000;

export function detectSecrets(text: string, opts: DetectOptions, lines: LineBounds): SecretMatch[] {
  const out: SecretMatch[] = [];
  const detectors = [
    () => detectAws(text, opts, out, lines),
    () => detectGitHub(text, out),
    () => detectGitLab(text, out),
    () => detectSlack(text, out),
    () => detectAzure(text, opts, out),
    () => detectPrivateKeys(text, out),
    () => detectServiceTokens(text, out),
    () => detectConnectionUrls(text, out, MAX_MATCHES_PER_FILE),
  ];
  for (const detect of detectors) {
    if (out.length >= MAX_MATCHES_PER_FILE) break;
    detect();
  }
  return dedupe(out).slice(0, MAX_MATCHES_PER_FILE);
}

/** Overlapping matches (an access key id inside a connection string) keep the widest. */
function dedupe(matches: SecretMatch[]): SecretMatch[] {
  const sorted = [...matches].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: SecretMatch[] = [];
  for (const m of sorted) {
    const prev = kept[kept.length - 1];
    if (prev && m.start < prev.end) continue;
    kept.push(m);
  }
  return kept;
}
