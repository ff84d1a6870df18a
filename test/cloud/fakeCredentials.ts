import { githubTokenBody } from '../../server/cloud/secrets/text';

/*
 * Fake credentials for tests: well-formed (right alphabet, length, checksum)
 * but random, so they are nobody's key. Seeded, so every run produces the
 * same values and failures reproduce.
 */

export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    // mulberry32
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE64 = `${BASE62}+/`;
const DIGITS = '0123456789';
const HEX = '0123456789abcdef';

export function pick(alphabet: string, n: number, rnd: () => number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
  return s;
}

export class FakeCredentials {
  private readonly rnd: () => number;
  constructor(seed = 7) {
    this.rnd = seededRandom(seed);
  }
  awsAccessKeyId(prefix = 'AKIA'): string {
    return prefix + pick(BASE32, 16, this.rnd);
  }
  awsSecretAccessKey(): string {
    for (;;) {
      const s = pick(BASE64, 40, this.rnd);
      if (/[A-Z]/.test(s) && /[a-z]/.test(s) && /\d/.test(s) && s.split('/').length <= 3) return s;
    }
  }
  githubToken(prefix: 'ghp' | 'gho' | 'ghu' | 'ghs' | 'ghr' = 'ghp'): string {
    return `${prefix}_${githubTokenBody(pick(BASE62, 30, this.rnd))}`;
  }
  /** Same shape, last character changed: the checksum fails. */
  githubTokenBadChecksum(): string {
    const t = this.githubToken();
    const last = t[t.length - 1];
    return t.slice(0, -1) + (last === 'a' ? 'b' : 'a');
  }
  githubFineGrained(): string {
    return `github_pat_11${pick(BASE62, 20, this.rnd)}_${pick(BASE62, 59, this.rnd)}`;
  }
  gitlabPat(): string {
    return `glpat-${pick(BASE62, 20, this.rnd)}`;
  }
  slackBotToken(): string {
    return `xoxb-${pick(DIGITS, 12, this.rnd)}-${pick(DIGITS, 13, this.rnd)}-${pick(BASE62, 24, this.rnd)}`;
  }
  slackUserToken(): string {
    return `xoxp-${pick(DIGITS, 11, this.rnd)}-${pick(DIGITS, 12, this.rnd)}-${pick(DIGITS, 13, this.rnd)}-${pick(HEX, 32, this.rnd)}`;
  }
  slackWebhook(): string {
    const up = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
    return `https://hooks.slack.com/services/T${pick(up, 10, this.rnd)}/B${pick(up, 10, this.rnd)}/${pick(BASE62, 24, this.rnd)}`;
  }
  azureAccountKey(): string {
    return `${pick(BASE64, 86, this.rnd)}==`;
  }
  azureConnectionString(account = 'fourfolddemo'): string {
    return `DefaultEndpointsProtocol=https;AccountName=${account};AccountKey=${this.azureAccountKey()};EndpointSuffix=core.windows.net`;
  }
  azureSasQuery(): string {
    const sig = encodeURIComponent(`${pick(BASE64, 43, this.rnd)}=`);
    return `sv=2022-11-02&ss=b&srt=sco&sp=rwdlacupiytfx&se=2031-01-01T00:00:00Z&st=2024-01-01T00:00:00Z&spr=https&sig=${sig}`;
  }
  /** A PEM block with a random (not a real key, not even valid DER) body. */
  privateKeyPem(kind = 'RSA', eol = '\n'): string {
    const body = `MIIEpAIBAAKCAQEA${pick(BASE64, 1200, this.rnd)}`;
    const lines = body.match(/.{1,64}/g)!;
    return [`-----BEGIN ${kind ? `${kind} ` : ''}PRIVATE KEY-----`, ...lines, `-----END ${kind ? `${kind} ` : ''}PRIVATE KEY-----`].join(eol);
  }
  googleApiKey(): string {
    return `AIza${pick(`${BASE62}_-`, 35, this.rnd)}`;
  }
  stripeKey(kind: 'sk' | 'rk' = 'sk', mode: 'live' | 'test' = 'live'): string {
    return `${kind}_${mode}_${pick(BASE62, 24, this.rnd)}`;
  }
  npmToken(): string {
    return `npm_${githubTokenBody(pick(BASE62, 30, this.rnd))}`;
  }
  pypiToken(): string {
    return `pypi-AgEIcHlwaS5vcmc${pick(`${BASE62}_-`, 120, this.rnd)}`;
  }
  sendgridKey(): string {
    return `SG.${pick(`${BASE62}_-`, 22, this.rnd)}.${pick(`${BASE62}_-`, 43, this.rnd)}`;
  }
  openaiKey(project = false): string {
    return project
      ? `sk-proj-${pick(`${BASE62}_-`, 74, this.rnd)}T3BlbkFJ${pick(`${BASE62}_-`, 74, this.rnd)}`
      : `sk-${pick(BASE62, 20, this.rnd)}T3BlbkFJ${pick(BASE62, 20, this.rnd)}`;
  }
  password(n = 16): string {
    return pick(BASE62, n, this.rnd);
  }
  base64(n: number): string {
    return pick(BASE64, n, this.rnd);
  }
  hex(n: number): string {
    return pick(HEX, n, this.rnd);
  }
}
