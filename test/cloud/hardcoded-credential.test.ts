import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Finding } from '../../server/engine/types';
import { isLockFile } from '../../server/cloud/lockFiles';
import { analyzeFile } from '../helpers/engine';
import { expectedFindings, findingKeys, fixtureFiles } from '../helpers/expectations';
import { FakeCredentials } from './fakeCredentials';

const RULE = 'cloud/hardcoded-credential';
const cred = (findings: readonly Finding[]) => findings.filter((f) => f.ruleId === RULE);

/** JSON has no comments to carry `expect:` labels; its fixtures are labelled here (1-based lines). */
const JSON_EXPECTATIONS: Record<string, string[]> = {
  'gcp-service-account.json': [`5:${RULE}`],
  'gcp-service-account-placeholder.json': [],
  'package-lock.json': [],
};

/*
 * Fixtures are analysed at a project path made of their place in the fixture
 * folder (tests/certdata/… is a test key, examples/… is not): the fixture tree
 * itself lives under test/, which would make every file a test file.
 */
const FIXTURE_ROOT = path.join(__dirname, '..', 'fixtures', 'cloud', 'hardcoded-credential');
const PROJECT = path.join(path.parse(process.cwd()).root, 'nonexistent-fourfold-project');

describe('cloud/hardcoded-credential fixtures', () => {
  const files = fixtureFiles('cloud/hardcoded-credential');
  test('there are fixtures for every format', () => assert.ok(files.length >= 15, `${files.length} fixtures`));
  for (const file of files) {
    const rel = path.relative(FIXTURE_ROOT, file);
    test(path.join('hardcoded-credential', rel), async () => {
      const text = fs.readFileSync(file, 'utf8');
      const analysis = await analyzeFile(path.join(PROJECT, rel), {}, text);
      assert.equal(analysis.skipped, undefined);
      const expected = file.endsWith('.json') ? JSON_EXPECTATIONS[path.basename(file)] : expectedFindings(text);
      assert.ok(expected, `expectations for ${file}`);
      assert.deepEqual(findingKeys(cred(analysis.findings)), [...expected].sort());
      // Fixtures below tests/ are test keys: low severity, said so in the message; the others are not.
      const inTest = rel.split(path.sep)[0] === 'tests';
      for (const f of cred(analysis.findings)) {
        assert.equal(f.message.includes('(in a test fixture)'), inTest, f.message);
        if (inTest) assert.equal(f.severity, 'low');
        else assert.notEqual(f.severity, 'low', f.message);
      }
    });
  }
});

/** Writes a temporary file and analyses it through the engine. */
async function analyzeText(name: string, text: string, config = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ff-cloud-'));
  try {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return await analyzeFile(file, config);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('cloud/hardcoded-credential formats (generated at run time)', () => {
  const fake = new FakeCredentials(99);

  test('GitHub tokens with a valid checksum are reported, made-up ones are not', async () => {
    const good = (['ghp', 'gho', 'ghu', 'ghs', 'ghr'] as const).map((p) => fake.githubToken(p));
    const bad = [fake.githubTokenBadChecksum(), fake.githubTokenBadChecksum()];
    const lines = [...good.map((t, i) => `TOKEN_${i} = "${t}"`), ...bad.map((t, i) => `BAD_${i} = "${t}"`)];
    const a = await analyzeText('tokens.py', lines.join('\n') + '\n');
    assert.deepEqual(cred(a.findings).map((f) => f.range.start.line), [0, 1, 2, 3, 4]);
    const pat = cred(a.findings)[0];
    assert.ok(pat.aliases?.includes('trivy:github-pat') && pat.aliases.includes('gitleaks:github-pat'));
    assert.equal(pat.severity, 'high');
  });

  test('fine-grained GitHub, GitLab and Slack tokens', async () => {
    const fg = fake.githubFineGrained();
    const gl = fake.gitlabPat();
    const bot = fake.slackBotToken();
    const user = fake.slackUserToken();
    const hook = fake.slackWebhook();
    const text = `const a = "${fg}";\nconst b = "${gl}";\nconst c = "${bot}";\nconst d = "${user}";\nconst e = "${hook}";\n`;
    const a = await analyzeText('tokens.js', text);
    const found = cred(a.findings);
    assert.deepEqual(found.map((f) => f.range.start.line), [0, 1, 2, 3, 4]);
    assert.deepEqual(
      found.map((f) => f.data?.format),
      ['github-token', 'gitlab-token', 'slack-token', 'slack-token', 'slack-webhook'],
    );
    assert.equal(found[4].severity, 'medium');
  });

  test('messages mask the secret: no message, title or fix carries it', async () => {
    const secrets = [fake.awsAccessKeyId(), fake.awsSecretAccessKey(), fake.githubToken(), fake.slackBotToken(), fake.gitlabPat()];
    const text = `aws_access_key_id = "${secrets[0]}"\naws_secret_access_key = "${secrets[1]}"\ngh = "${secrets[2]}"\nsl = "${secrets[3]}"\ngl = "${secrets[4]}"\n`;
    const a = await analyzeText('leak.py', text);
    const found = cred(a.findings);
    assert.equal(found.length, 5);
    for (const f of found) {
      const visible = JSON.stringify({ message: f.message, title: f.title, fixes: f.fixes.map((x) => x.title), data: f.data, related: f.related });
      for (const s of secrets) assert.ok(!visible.includes(s), `${f.message} leaks a secret`);
      assert.match(f.message, /\*{6,}/);
    }
    assert.match(found[0].message, new RegExp(`^AWS access key id ${secrets[0].slice(0, 4)}\\*{12}${secrets[0].slice(-4)} `));
    // The secret key names the access key id it pairs with.
    assert.equal(found[1].related?.[0].range.start.line, 0);
    assert.equal(found[1].severity, 'critical');
  });

  test('documented example keys are skipped unless includeExamples is on', async () => {
    const text = 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n';
    assert.deepEqual(cred((await analyzeText('credentials', text)).findings), []);
    const on = await analyzeText('credentials', text, { rules: { [RULE]: { options: { includeExamples: true } } } });
    assert.deepEqual(findingKeys(cred(on.findings)), [`1:${RULE}`, `2:${RULE}`]);
    assert.match(cred(on.findings)[0].message, /documented example/);
  });

  test('a secret key needs AWS context: a lone 40-character base64 value is not one', async () => {
    const lone = fake.awsSecretAccessKey();
    const a = await analyzeText('settings.env', `CACHE_SALT=${lone}\nSECRET_KEY=${fake.awsSecretAccessKey()}\n`);
    assert.deepEqual(cred(a.findings), []);
    const b = await analyzeText('settings.env', `# aws\nSECRET_KEY=${lone}\n`);
    assert.deepEqual(findingKeys(cred(b.findings)), [`2:${RULE}`]);
  });

  test('ASIA temporary keys and access key ids inside URLs', async () => {
    const sts = fake.awsAccessKeyId('ASIA');
    const a = await analyzeText('run.sh', `curl "https://bucket.s3.amazonaws.com/x?AWSAccessKeyId=${sts}&Signature=abc"\n`);
    const found = cred(a.findings);
    assert.equal(found.length, 1);
    assert.match(found[0].message, /temporary/);
  });

  test('other tools\' suppression comments silence the matching format only', async () => {
    const id = fake.awsAccessKeyId();
    const token = fake.githubToken();
    const text = `# trivy:ignore:aws-access-key-id\nKEY_ID = "${id}"\n# trivy:ignore:aws-access-key-id\nGH = "${token}"\nGH2 = "${token}"  # fourfold-ignore cloud/hardcoded-credential: test token\n`;
    const a = await analyzeText('config.py', text);
    assert.deepEqual(findingKeys(cred(a.findings)), [`4:${RULE}`]);
    assert.equal(cred(a.suppressed).length, 2);
  });

  test('service tokens: Google, Stripe, npm, PyPI, SendGrid, OpenAI', async () => {
    const tokens = [
      ['google-api-key', fake.googleApiKey(), 'gitleaks:gcp-api-key', 'medium'],
      ['stripe-key', fake.stripeKey('sk'), 'trivy:stripe-secret-token', 'critical'],
      ['stripe-key', fake.stripeKey('rk'), 'gitleaks:stripe-access-token', 'critical'],
      ['npm-token', fake.npmToken(), 'gitleaks:npm-access-token', 'high'],
      ['pypi-token', fake.pypiToken(), 'trivy:pypi-upload-token', 'high'],
      ['sendgrid-api-key', fake.sendgridKey(), 'gitleaks:sendgrid-api-token', 'high'],
      ['openai-api-key', fake.openaiKey(), 'gitleaks:openai-api-key', 'high'],
      ['openai-api-key', fake.openaiKey(true), 'gitleaks:openai-api-key', 'high'],
    ] as const;
    const text = tokens.map(([, t], i) => `const k${i} = '${t}';\n`).join('');
    const found = cred((await analyzeText('keys.ts', text)).findings);
    assert.deepEqual(found.map((f) => f.range.start.line), tokens.map((_, i) => i));
    found.forEach((f, i) => {
      const [format, token, alias, severity] = tokens[i];
      assert.equal(f.data?.format, format);
      assert.ok(f.aliases?.includes(alias), `${format}: ${f.aliases}`);
      assert.equal(f.severity, severity);
      assert.equal(f.range.end.character - f.range.start.character, token.length, 'the finding covers the token');
      assert.ok(!f.message.includes(token.slice(8, -4)), f.message);
      assert.match(f.message, /\*{6,}/);
    });
    // The same tokens cut short, or with one character class only, are not keys.
    const cut = tokens.map(([, t], i) => `const c${i} = '${t.slice(0, 30)}';\n`).join('');
    assert.deepEqual(cred((await analyzeText('cut.ts', cut)).findings), []);
  });

  test('npm tokens: a valid checksum anywhere; otherwise only where the name says npm', async () => {
    const valid = fake.npmToken();
    const bad = valid.slice(0, -1) + (valid.endsWith('a') ? 'b' : 'a');
    const text = `const a = '${valid}';\nconst b = '${bad}';\nNPM_TOKEN = '${bad}'\n//registry.npmjs.org/:_authToken=${bad}\n`;
    const found = cred((await analyzeText('publish.ts', text)).findings);
    assert.deepEqual(found.map((f) => f.range.start.line), [0, 2, 3]);
  });

  test('a Stripe test-mode key is reported at low severity', async () => {
    const found = cred((await analyzeText('billing.py', `stripe.api_key = "${fake.stripeKey('sk', 'test')}"\n`)).findings);
    assert.equal(found.length, 1);
    assert.equal(found[0].severity, 'low');
    assert.match(found[0].message, /test mode/);
  });

  test('connection URLs: the password only is masked; local hosts are medium; placeholders are skipped', async () => {
    const pw = fake.password();
    const pw2 = fake.password(12);
    const text = `DB=postgres://orders:${pw}@db.internal:5432/orders\nLOCAL=mysql://shop:${pw2}@127.0.0.1/shop\nTPL=postgres://orders:\${PGPASS}@db/orders\n`;
    const found = cred((await analyzeText('app.env', text)).findings);
    assert.deepEqual(found.map((f) => f.range.start.line), [0, 1]);
    assert.deepEqual(found.map((f) => f.severity), ['high', 'medium']);
    assert.deepEqual(found.map((f) => f.data?.envVar), ['DATABASE_URL', 'DATABASE_URL']);
    assert.ok(!found[0].message.includes(pw) && !found[1].message.includes(pw2));
    assert.match(found[0].message, new RegExp(`${pw.slice(0, 4)}\\*{8}${pw.slice(-4)}`));
    // The finding covers the whole URL token (to the end of the line here).
    assert.equal(found[0].range.start.character, 3);
    assert.equal(found[0].range.end.character, text.split('\n')[0].length);
  });

  test('adversarial connection-URL and token input stays linear', async () => {
    const big = [
      'postgres://a:'.repeat(80_000),
      `mongodb://${'u'.repeat(200)}:${'p'.repeat(300)}`.repeat(3000),
      'sk-'.repeat(100_000) + 'T3BlbkFJ',
      'SG.'.repeat(100_000),
      'AIza'.repeat(100_000),
    ];
    for (const s of big) {
      const t0 = performance.now();
      const a = await analyzeText('big.txt', s);
      assert.deepEqual(a.notes.filter((n) => n.startsWith('cloud/')), []);
      assert.ok(performance.now() - t0 < 3000, `${s.slice(0, 20)}… took ${performance.now() - t0} ms`);
    }
  });

  test('hostile input: malformed, binary-looking and truncated text never throws', async () => {
    const samples = [
      '-----BEGIN RSA PRIVATE KEY-----',
      '-----BEGIN PRIVATE KEY-----\n' + 'A'.repeat(5000),
      `"private_key": "-----BEGIN PRIVATE KEY-----\\n${fake.base64(600)}`,
      'AccountKey=' + 'a'.repeat(200),
      'sig=' + '%'.repeat(300) + '&sv=2020-01-01',
      'xoxb-' + '1-'.repeat(500),
      'aws_secret_access_key' + '='.repeat(100),
      '\uFFFD\u0001\u0002 AKIA' + '\uD800'.repeat(20),
      '`${`${`${"',
      '"""unterminated ' + fake.githubToken(),
    ];
    for (const s of samples) {
      for (const name of ['x.py', 'x.ts', 'x.yaml', 'x.json', 'Dockerfile', 'x.env']) {
        const a = await analyzeText(name, s);
        assert.deepEqual(a.notes.filter((n) => n.startsWith('cloud/')), [], `${name}: ${a.notes.join('\n')}`);
      }
    }
  });
});

describe('lock files', () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ff-lock-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('are skipped by name, even when they contain a key id', async () => {
    const fake = new FakeCredentials(5);
    const body = `{"packages": {"x": {"integrity": "sha512-${fake.base64(86)}==", "resolved": "https://r.example.com/x?k=${fake.awsAccessKeyId()}"}}}\n`;
    for (const name of ['package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml', 'packages.lock.json']) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, body);
      const a = await analyzeFile(file, {}, body);
      assert.equal(a.skipped, undefined, `${name} is a kind the engine reads`);
      assert.deepEqual(cred(a.findings), [], name);
    }
    // Lock files of other ecosystems: the rule skips them too if a language id makes them analysable.
    for (const name of ['yarn.lock', 'Cargo.lock', 'poetry.lock', 'Pipfile.lock', 'go.sum', 'composer.lock', 'Gemfile.lock']) {
      assert.ok(isLockFile(path.join(dir, name)), name);
    }
    assert.ok(!isLockFile(path.join(dir, 'lock.json')));
    // The same content under another name is read.
    const other = path.join(dir, 'packages.json');
    fs.writeFileSync(other, body);
    assert.equal(cred((await analyzeFile(other)).findings).length, 1);
  });
});
