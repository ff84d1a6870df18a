// fourfold-ignore-file cloud/metadata-endpoint: this file is the table of endpoints the rule detects
import * as path from 'node:path';
import type { FileContext } from '../engine/context';
import { ALL_KINDS } from '../engine/fileKinds';
import type { FileRule, RawFinding } from '../engine/types';
import { lexedOf } from './fixes';
import { spanAt } from './lexer';
import { isLockFile } from './lockFiles';
import { isDeclarationFile, isMinified, isTestFixturePath } from './testPaths';

export const METADATA_RULE_ID = 'cloud/metadata-endpoint';

/*
 * Instance metadata services hand out the machine's cloud credentials to
 * anything that can send it an HTTP request. Code or manifests that address
 * them are worth knowing about (an SSRF bug there is a credential leak), but
 * reaching them is often legitimate: informational.
 *
 * Not reported: test and fixture files, TypeScript declarations and minified
 * bundles (no production request of their own), comments and Markdown (documentation, not requests), CIDR
 * forms (`169.254.169.254/32` is a NetworkPolicy or firewall rule), and lines
 * that block or compare against the address (SSRF deny-lists, iptables DROP).
 */

interface Endpoint {
  provider: string;
}

const ENDPOINTS: Record<string, Endpoint> = {
  '169.254.169.254': { provider: 'the AWS / Azure / GCP / OpenStack instance metadata service' },
  'fd00:ec2::254': { provider: 'the AWS instance metadata service (IPv6)' },
  'metadata.google.internal': { provider: 'the GCP metadata server' },
  '100.100.100.200': { provider: 'the Alibaba Cloud metadata service' },
  '169.254.170.2': { provider: 'the AWS ECS task metadata / credentials endpoint' },
};

// Boundaries are checked by hand below: an address inside a longer number (1169.254.169.2545) is not one.
const ENDPOINT_RE = /169\.254\.169\.254|169\.254\.170\.2|100\.100\.100\.200|fd00:ec2::254|metadata\.google\.internal/gi;

/** Words that mark a line as a defence against the endpoint, not a use of it. */
const DEFENSIVE = /\b(?:block\w*|den(?:y|ied)\w*|forbid\w*|disallow\w*|reject\w*|blacklist\w*|blocklist\w*|drop|except|prevent\w*|not[ _]allowed|banned|unsafe_hosts?|ssrf)\b/i;
const COMPARISON = /===?|!==?|\bin\s*[[({]|["']\s+(?:not\s+)?in\s+[\w.]|\.includes\(|\.startsWith\(|\.has\(/;

const HASH_COMMENT_KINDS = new Set(['python', 'dockerfile', 'yaml', 'text']);

function isCommentLine(ctx: FileContext, lineText: string): boolean {
  const t = lineText.trimStart();
  if (HASH_COMMENT_KINDS.has(ctx.kind) && (t.startsWith('#') || t.startsWith(';'))) return true;
  return t.startsWith('//') || t.startsWith('/*') || t.startsWith('*') || t.startsWith('<!--') || t.startsWith('REM ');
}

function isDigitOrDot(c: string | undefined): boolean {
  return c !== undefined && /[0-9.]/.test(c);
}

export const metadataEndpoint: FileRule = {
  meta: {
    id: METADATA_RULE_ID,
    layer: 'cloud',
    title: 'Reaches the cloud instance metadata service',
    description:
      'The instance metadata service hands out the machine role\'s credentials to any request; code that fetches from it is the target an SSRF bug turns into a cloud account takeover.',
    severity: 'info',
    cwe: ['CWE-918'],
    aliases: [],
    fileKinds: ALL_KINDS,
  },
  check(ctx: FileContext): RawFinding[] {
    if (isLockFile(ctx.path) || /\.(md|markdown|rst|txt)$/i.test(path.basename(ctx.path))) return [];
    const text = ctx.text;
    if (!/169\.254\.1[67]|100\.100\.100\.200|fd00:ec2|metadata\.google\.internal/i.test(text)) return [];
    // Declarations, minified duplicates of sources, and test cases (SSRF test strings, IMDS mocks) make no request in production.
    if (isDeclarationFile(ctx.path) || isMinified(ctx.path, text, ctx.kind) || isTestFixturePath(ctx.path)) return [];
    const lexed = lexedOf(ctx);
    const out: RawFinding[] = [];
    const reportedLines = new Set<number>();
    for (const m of text.matchAll(ENDPOINT_RE)) {
      const start = m.index!;
      const end = start + m[0].length;
      const literal = m[0].toLowerCase();
      // Part of a longer address or number.
      if (/^\d/.test(literal) && (isDigitOrDot(text[start - 1]) || /[0-9]/.test(text[end] ?? '') || /^\.\d/.test(text.slice(end, end + 2)))) continue;
      if (/[\w.-]/.test(text[start - 1] ?? '') && !/^\d/.test(literal) && text[start - 1] !== '/') continue;
      // A CIDR: a network rule about the address.
      if (/^\/\d{1,3}\b/.test(text.slice(end, end + 4))) continue;
      const pos = ctx.lines.positionAt(start);
      if (reportedLines.has(pos.line)) continue;
      // The line around the match, bounded so minified single-line files stay linear.
      const lineStart = ctx.lines.lineStarts[pos.line];
      const lineEnd = ctx.lines.lineEnd(pos.line);
      const around = text.slice(Math.max(lineStart, start - 200), Math.min(lineEnd, end + 200));
      if (lexed) {
        if (spanAt(lexed.comments, start)) continue;
      } else if (isCommentLine(ctx, text.slice(lineStart, Math.min(lineEnd, lineStart + 200)))) continue;
      if (DEFENSIVE.test(around) || COMPARISON.test(around)) continue;
      reportedLines.add(pos.line);
      const endpoint = ENDPOINTS[literal];
      out.push({
        range: ctx.lines.range(start, end),
        message:
          `Reaches ${endpoint.provider} (${m[0]}). It serves the instance's cloud credentials to any local request: ` +
          'make sure no user-controlled URL can reach it (SSRF), require IMDSv2 / metadata headers, and block it for workloads that do not need it.',
        data: { endpoint: literal },
      });
    }
    return out;
  },
};
