import type { FileContext } from '../engine/context';
import { ALL_KINDS } from '../engine/fileKinds';
import { SEVERITIES, type FileRule, type Fix, type RawFinding, type Severity } from '../engine/types';
import { environmentFix, secretKeyRefFix } from './fixes';
import { isLockFile } from './lockFiles';
import { CREDENTIAL_RULE_ID, credentialMatches } from './credentialMatches';
import type { SecretMatch } from './secrets/detectors';
import { maskSecret } from './secrets/text';
import { isTestFixturePath } from './testPaths';

export const RULE_ID = CREDENTIAL_RULE_ID;

function messageOf(ctx: FileContext, m: SecretMatch, inTest: boolean): string {
  let msg = `${capitalise(m.label)} ${maskSecret(m.secret)} is hard-coded${inTest ? ' (in a test fixture)' : ''}`;
  if (m.pairedWith) msg += ` next to its access key id (line ${ctx.lines.positionAt(m.pairedWith.start).line + 1})`;
  msg += ': anyone who can read this file (repository, image, package) can use it. Load it from the environment or a secret store, and rotate it.';
  if (m.example) msg += ' (A documented example credential, reported because includeExamples is on.)';
  return msg;
}

function lower(a: Severity, b: Severity): Severity {
  return SEVERITIES.indexOf(a) >= SEVERITIES.indexOf(b) ? a : b;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function fixesOf(ctx: FileContext, m: SecretMatch): Fix[] {
  const fix = ctx.kind === 'yaml' ? secretKeyRefFix(ctx, m) : environmentFix(ctx, m);
  return fix ? [fix] : [];
}

export const hardcodedCredential: FileRule = {
  meta: {
    id: RULE_ID,
    layer: 'cloud',
    title: 'Hard-coded cloud credential',
    description:
      'A cloud or platform credential (AWS, GCP, Azure, GitHub, GitLab, Slack, Google API, Stripe, npm, PyPI, SendGrid, OpenAI, a private key, a database URL password) committed in a file lets anyone who reads the file act as its owner.',
    severity: 'high',
    cwe: ['CWE-798'],
    // Per-format ids of Checkov, Trivy and gitleaks are attached to each finding (RawFinding.aliases).
    aliases: [],
    fileKinds: ALL_KINDS,
  },
  check(ctx: FileContext): RawFinding[] {
    if (isLockFile(ctx.path)) return [];
    const matches = credentialMatches(ctx);
    if (matches.length === 0) return [];
    // Test keys and fixture certificates (test/certdata/*.pem) are usually throwaway: still shown, at low severity.
    const inTest = isTestFixturePath(ctx.path);
    return matches.map((m) => ({
      range: ctx.lines.range(m.start, m.end),
      message: messageOf(ctx, m, inTest),
      severity: inTest ? lower(m.severity ?? 'high', 'low') : m.severity,
      aliases: m.aliases,
      fixes: fixesOf(ctx, m),
      related: m.pairedWith
        ? [{ range: ctx.lines.range(m.pairedWith.start, m.pairedWith.end), message: `The ${m.pairedWith.label} this secret key belongs to` }]
        : undefined,
      data: { format: m.format, envVar: m.envVar },
    }));
  },
};
