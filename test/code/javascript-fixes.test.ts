import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { Parser } from 'web-tree-sitter';
import { initCodeParsers, languageOf, type CodeKind } from '../../server/code/parsers';
import { fileKindOf } from '../../server/engine/fileKinds';
import { LineIndex } from '../../server/engine/lineIndex';
import type { Finding } from '../../server/engine/types';
import { analyzeFile } from '../helpers/engine';
import { applyFix } from '../helpers/applyFix';
import { findingKeys, fixtureFiles } from '../helpers/expectations';

const files = fixtureFiles('code').filter((f) => /\.(js|mjs|cjs|jsx|ts|mts|cts|tsx)$/.test(f));

/** ERROR and MISSING nodes of a parse: a fix must not add any. */
async function syntaxErrors(file: string, text: string): Promise<number> {
  await initCodeParsers();
  const parser = new Parser();
  parser.setLanguage(languageOf(fileKindOf(file) as CodeKind)!);
  const tree = parser.parse(text)!;
  let count = 0;
  const cursor = tree.walk();
  const visit = (): void => {
    if (cursor.nodeType === 'ERROR' || cursor.nodeIsMissing) count++;
    if (cursor.gotoFirstChild()) {
      do visit();
      while (cursor.gotoNextSibling());
      cursor.gotoParent();
    }
  };
  visit();
  cursor.delete();
  tree.delete();
  parser.delete();
  return count;
}

/** Applies a finding's fix and checks: still parses, finding gone, nothing else changed. */
async function checkRoundTrip(file: string, text: string, finding: Finding, all: Finding[]): Promise<string> {
  const fix = finding.fixes[0];
  const fixed = applyFix(text, fix);
  assert.notEqual(fixed, text);
  assert.equal(await syntaxErrors(file, fixed), await syntaxErrors(file, text), `${fix.title} introduced a syntax error:\n${fixed}`);
  // Outside the edited spans the file is byte-identical.
  const lines = new LineIndex(text);
  const starts = fix.edits.map((e) => lines.offsetAt(e.range.start));
  const ends = fix.edits.map((e) => lines.offsetAt(e.range.end));
  const first = Math.min(...starts);
  const lastEnd = Math.max(...ends);
  assert.equal(fixed.slice(0, first), text.slice(0, first));
  assert.equal(fixed.slice(fixed.length - (text.length - lastEnd)), text.slice(lastEnd));
  // The finding is gone; every other finding stays (fixes do not add or remove lines).
  const after = (await analyzeFile(file, {}, fixed)).findings.filter((f) => f.layer === 'code');
  const key = findingKeys([finding])[0];
  const expected = findingKeys(all).filter((k, i, arr) => k !== key || arr.indexOf(k) !== i);
  assert.deepEqual(findingKeys(after), expected, `after "${fix.title}"`);
  return fixed;
}

for (const file of files) {
  test(`fixes round-trip in ${path.relative(path.join(__dirname, '..', 'fixtures', 'code'), file)}`, async () => {
    const text = fs.readFileSync(file, 'utf8');
    const all = (await analyzeFile(file, {}, text)).findings.filter((f) => f.layer === 'code');
    for (const f of all.filter((x) => x.fixes.length > 0)) await checkRoundTrip(file, text, f, all);
  });
}

/** The fixed text of the single finding on `line` (1-based) of a fixture. */
async function fixedLine(rel: string, line: number): Promise<string> {
  const file = path.join(__dirname, '..', 'fixtures', 'code', rel);
  const text = fs.readFileSync(file, 'utf8');
  const all = (await analyzeFile(file, {}, text)).findings.filter((f) => f.layer === 'code');
  const finding = all.find((f) => f.range.start.line === line - 1);
  assert.ok(finding, `no finding on ${rel}:${line}`);
  assert.ok(finding.fixes.length > 0, `no fix on ${rel}:${line}`);
  const fixed = await checkRoundTrip(file, text, finding, all);
  return fixed.split(/\r?\n/)[line - 1].replace(/\s*\/\/ expect:.*$/, '').trim();
}

test('mysql2 concatenation becomes a ? placeholder with a values array, callback kept', async () => {
  assert.equal(await fixedLine('sql/express-mysql.js', 9), "connection.query('SELECT * FROM users WHERE id = ?', [id], (err, rows) => {");
});

test('pg template literal becomes $1 with the quotes around the value removed', async () => {
  assert.equal(await fixedLine('sql/pg-pool.ts', 8), 'const result = await pool.query(`SELECT * FROM accounts WHERE id = $1`, [accountId]);');
});

test('Sequelize query gets named replacements in its existing options object', async () => {
  assert.equal(
    await fixedLine('sql/orm-raw.js', 10),
    'const rows = await sequelize.query(`SELECT * FROM projects WHERE owner = :owner`, { replacements: { owner }, type: QueryTypes.SELECT });',
  );
});

test('knex.raw concatenation gets ? bindings', async () => {
  assert.equal(await fixedLine('sql/orm-raw.js', 22), "const raw = await knex.raw('select * from items where id = ?', [req.params.id]);");
});

test('Prisma $queryRawUnsafe becomes the tagged $queryRaw template', async () => {
  assert.equal(await fixedLine('sql/orm-raw.js', 29), 'const users = await prisma.$queryRaw`SELECT * FROM "User" WHERE email = ${email}`;');
});

test('a LIKE pattern around the value is left alone (no safe mechanical rewrite)', async () => {
  const file = path.join(__dirname, '..', 'fixtures', 'code', 'sql', 'orm-raw.js');
  const all = (await analyzeFile(file)).findings.filter((f) => f.range.start.line === 19);
  assert.equal(all.length, 1);
  assert.deepEqual(all[0].fixes, []);
});

test('exec with a template literal becomes execFile with an argument list, keeping the callback', async () => {
  assert.equal(await fixedLine('command/child-process.js', 11), "execFile('ping', ['-c', '1', host], (err, stdout) => {");
});

test('execSync via a module object becomes execFileSync', async () => {
  assert.equal(await fixedLine('command/child-process.js', 17), "const out = cp.execFileSync('nslookup', [req.query.domain]);");
});

test('a named import of exec gains execFile next to it', async () => {
  const file = path.join(__dirname, '..', 'fixtures', 'code', 'command', 'nextjs-api.ts');
  const text = fs.readFileSync(file, 'utf8');
  const all = (await analyzeFile(file, {}, text)).findings.filter((f) => f.layer === 'code');
  const fixed = await checkRoundTrip(file, text, all[0], all);
  assert.match(fixed, /^import \{ exec, execFile \} from 'child_process';$/m);
  assert.match(fixed, /execFile\('convert', \[file, 'out\.png'\], \(err\) => \{/);
});

test('eval of data becomes JSON.parse', async () => {
  assert.equal(await fixedLine('code/eval.js', 6), 'const result = JSON.parse(req.body.expression);');
});

test('innerHTML assignment becomes textContent', async () => {
  assert.equal(await fixedLine('xss/dom-sinks.js', 3), "document.getElementById('results').textContent = 'Results for ' + q;");
});

test('a command with shell syntax in its constant part gets no execFile fix', async () => {
  const file = '/virtual/pipe.js';
  const text = "const { exec } = require('child_process');\nrequire('express')().get('/', (req, res) => exec('ls ' + req.query.d + ' | wc -l'));\n";
  const r = await analyzeFile(file, {}, text);
  assert.deepEqual(findingKeys(r.findings), ['2:code/command-injection']);
  assert.deepEqual(r.findings[0].fixes, []);
});

test('an SQL value in identifier position (ORDER BY) gets no placeholder fix', async () => {
  const text = "const mysql = require('mysql');\nconst db = mysql.createConnection({});\nrequire('express')().get('/', (req, res) => db.query('SELECT * FROM t ORDER BY ' + req.query.col));\n";
  const r = await analyzeFile('/virtual/order.js', {}, text);
  assert.deepEqual(findingKeys(r.findings), ['3:code/sql-injection']);
  assert.deepEqual(r.findings[0].fixes, []);
});

test('eval of code assembled around the data gets no JSON.parse fix', async () => {
  const file = path.join(__dirname, '..', 'fixtures', 'code', 'code', 'concat-eval.js');
  const f = (await analyzeFile(file)).findings.find((x) => x.range.start.line === 6);
  assert.ok(f);
  assert.deepEqual(f.fixes, []);
});
