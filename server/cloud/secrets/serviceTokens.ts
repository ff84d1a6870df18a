import type { SecretMatch } from './detectors';
import { githubChecksumValid, hasDigit, hasLower, hasUpper, isPlaceholder, shannonEntropy } from './text';

/*
 * API tokens of non-cloud services that carry a fixed, published prefix:
 * Google API keys, Stripe, npm, PyPI, SendGrid, OpenAI. Every regex starts with
 * a literal, uses bounded classes and is gated by an `includes` pre-check; the
 * random part must look random (entropy, no placeholder words), so docs
 * examples (`sk_live_xxxxxxxx…`, `AIzaSy…EXAMPLE…`) and truncated keys stay quiet.
 */

const GOOGLE_API_KEY = /(?<![A-Za-z0-9_-])AIza([0-9A-Za-z_-]{35})(?![A-Za-z0-9_-])/g;
const STRIPE_KEY = /(?<![A-Za-z0-9_])([sr]k)_(live|test)_([A-Za-z0-9]{24,99})(?![A-Za-z0-9_])/g;
const NPM_TOKEN = /(?<![A-Za-z0-9_])npm_([A-Za-z0-9]{36})(?![A-Za-z0-9_])/g;
/** `pypi-` + base64url of a macaroon whose location is pypi.org (hence the fixed `AgEIcHlwaS5vcmc`). */
const PYPI_TOKEN = /(?<![A-Za-z0-9_-])pypi-AgEIcHlwaS5vcmc([A-Za-z0-9_-]{50,1000})(?![A-Za-z0-9_-])/g;
const SENDGRID_KEY = /(?<![A-Za-z0-9_.-])SG\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})(?![A-Za-z0-9_.-])/g;
/** `T3BlbkFJ` is base64 of "OpenAI": legacy `sk-<20>T3BlbkFJ<20>` and project/service-account/admin keys. */
const OPENAI_KEY =
  /(?<![A-Za-z0-9_-])sk-(?:[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}|(?:proj|svcacct|admin)-[A-Za-z0-9_-]{58,74}T3BlbkFJ[A-Za-z0-9_-]{58,74})(?![A-Za-z0-9_-])/g;

/** Random-looking: not a placeholder, entropy at least `min`, and more than one kind of character. */
function looksRandom(body: string, min: number): boolean {
  if (isPlaceholder(body) || /example|test(?:ing)?key|fake|sample/i.test(body)) return false;
  if (shannonEntropy(body) < min) return false;
  const kinds = Number(hasUpper(body)) + Number(hasLower(body)) + Number(hasDigit(body));
  return kinds >= 2;
}

function push(out: SecretMatch[], m: RegExpMatchArray, fields: Omit<SecretMatch, 'start' | 'end' | 'secret'>): void {
  out.push({ start: m.index!, end: m.index! + m[0].length, secret: m[0], ...fields });
}

export function detectServiceTokens(text: string, out: SecretMatch[]): void {
  if (text.includes('AIza')) {
    for (const m of text.matchAll(GOOGLE_API_KEY)) {
      if (!looksRandom(m[1], 3.8)) continue;
      // Medium: browser/Firebase keys are meant to ship in client code, restricted by referrer and API;
      // an unrestricted server key is still billable by whoever holds it.
      push(out, m, {
        format: 'google-api-key',
        label: 'Google API key',
        severity: 'medium',
        aliases: ['gitleaks:gcp-api-key'],
        envVar: 'GOOGLE_API_KEY',
      });
    }
  }
  if (text.includes('k_live_') || text.includes('k_test_')) {
    for (const m of text.matchAll(STRIPE_KEY)) {
      if (!looksRandom(m[3], 3.5)) continue;
      const live = m[2] === 'live';
      const restricted = m[1] === 'rk';
      push(out, m, {
        format: 'stripe-key',
        label: `Stripe ${restricted ? 'restricted' : 'secret'} key${live ? '' : ' (test mode)'}`,
        // A test-mode key moves no money; it still reads and writes the test account.
        severity: live ? 'critical' : 'low',
        aliases: [...(restricted ? [] : ['trivy:stripe-secret-token']), 'gitleaks:stripe-access-token'],
        envVar: 'STRIPE_SECRET_KEY',
      });
    }
  }
  if (text.includes('npm_')) {
    for (const m of text.matchAll(NPM_TOKEN)) {
      // npm's 2021 format ("Announcing npm's new access token format") carries GitHub's
      // checksum: the last six base62 characters are the CRC-32 of the first thirty.
      // Without it, the token must be random-looking *and* named as an npm credential
      // (NPM_TOKEN, NODE_AUTH_TOKEN, an .npmrc `_authToken`) earlier on its line.
      if (!githubChecksumValid(m[1])) {
        if (!looksRandom(m[1], 4.0) || !hasDigit(m[1])) continue;
        const from = Math.max(0, m.index! - 80);
        const window = text.slice(from, m.index!);
        const before = window.slice(window.lastIndexOf('\n') + 1);
        if (!/npm|auth_?token/i.test(before)) continue;
      }
      push(out, m, {
        format: 'npm-token',
        label: 'npm access token',
        severity: 'high',
        aliases: ['gitleaks:npm-access-token'],
        envVar: 'NPM_TOKEN',
      });
    }
  }
  if (text.includes('pypi-AgEIcHlwaS5vcmc')) {
    for (const m of text.matchAll(PYPI_TOKEN)) {
      if (!looksRandom(m[1], 4.0)) continue;
      push(out, m, {
        format: 'pypi-token',
        label: 'PyPI upload token',
        severity: 'high',
        aliases: ['trivy:pypi-upload-token', 'gitleaks:pypi-upload-token'],
        envVar: 'PYPI_TOKEN',
      });
    }
  }
  if (text.includes('SG.')) {
    for (const m of text.matchAll(SENDGRID_KEY)) {
      if (!looksRandom(m[1], 3.5) || !looksRandom(m[2], 4.0)) continue;
      push(out, m, {
        format: 'sendgrid-api-key',
        label: 'SendGrid API key',
        severity: 'high',
        aliases: ['trivy:sendgrid-api-token', 'gitleaks:sendgrid-api-token'],
        envVar: 'SENDGRID_API_KEY',
      });
    }
  }
  if (text.includes('T3BlbkFJ')) {
    for (const m of text.matchAll(OPENAI_KEY)) {
      const body = m[0].slice(m[0].indexOf('-') + 1).replace('T3BlbkFJ', '');
      if (!looksRandom(body, 4.0)) continue;
      push(out, m, {
        format: 'openai-api-key',
        label: 'OpenAI API key',
        severity: 'high',
        aliases: ['gitleaks:openai-api-key'],
        envVar: 'OPENAI_API_KEY',
      });
    }
  }
}
