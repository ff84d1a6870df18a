import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { Parser } from 'web-tree-sitter';
import { editSpan } from '../../server/engine/editSpan';
import { mirror, mirrorEditedStatement, mirrorIncremental, type Syn } from '../../server/code/javascript/syntax';
import { changesSince, languageOf, reparse } from '../../server/code/parsers';
import { forgetDocumentState } from '../../server/engine/documentState';
import { analyzeFile, engineWith } from '../helpers/engine';
import { findingKeys } from '../helpers/expectations';
import { bodyEdits } from '../helpers/bodyEdits';
import { randomEdits } from '../helpers/randomEdits';

const fixture = (rel: string) => path.join(__dirname, '..', 'fixtures', 'code', rel);

test('re-analysing an edited document (incremental reparse) gives the same findings as a fresh analysis', async () => {
  const engine = await engineWith();
  const file = fixture('sql/express-mysql.js');
  const original = fs.readFileSync(file, 'utf8');
  const key = 'file:///incremental/express-mysql.js';
  const edits = [
    original,
    original.replace("const id = req.query.id;", "const id = Number(req.query.id);"),
    original.replace("app.get('/count'", "app.get('/extra', (req, res) => connection.query('DELETE FROM t WHERE id = ' + req.params.id));\napp.get('/count'"),
    original.slice(0, original.length / 2),
    original,
  ];
  try {
    for (const text of edits) {
      const incremental = engine.analyze({ path: file, text, documentKey: key });
      const fresh = engine.analyze({ path: file, text });
      assert.deepEqual(findingKeys(incremental.findings), findingKeys(fresh.findings));
      assert.deepEqual(incremental.findings.map((f) => f.range), fresh.findings.map((f) => f.range));
      assert.deepEqual(incremental.notes, []);
    }
    // The edits changed what is found: the test would notice a stale tree.
    assert.notDeepEqual(
      findingKeys(engine.analyze({ path: file, text: edits[1], documentKey: key }).findings),
      findingKeys(engine.analyze({ path: file, text: edits[0], documentKey: key }).findings),
    );
  } finally {
    forgetDocumentState(key);
  }
});

const MIRROR_CASES = [['javascript', 'sql/express-mysql.js'], ['typescript', 'sql/nestjs-controller.ts'], ['typescript', 'xss/dom-more.ts']] as const;
const MIRROR_SNIPPETS = ['x', '\n', '  const y = req.query.q;\n', '`', '(', ')', '{', '}', ';', '\nfunction g() { return 1 }\n', '// c\n', '/*', "'", ''];
const shape = (n: Syn): unknown => [n.type, n.start, n.end, n.field, n.children.map(shape)];

/**
 * Edits each case's fixture at random; after every edit the incremental
 * mirror must equal a fresh one. `reparsed`: the tree comes from an
 * incremental reparse, so tree-sitter's changed ranges are known.
 * Returns, per fixture, how many top-level statements were reused.
 */
async function mirrorAfterEdits(seed: number, reparsed: boolean): Promise<Map<string, number>> {
  await engineWith();
  const reusedBy = new Map<string, number>();
  for (const [kind, name] of MIRROR_CASES) {
    const parser = new Parser();
    parser.setLanguage(languageOf(kind)!);
    const base = fs.readFileSync(fixture(name), 'utf8');
    let tree = parser.parse(base)!;
    let previous = { text: base, root: mirror(tree) };
    let reused = 0;
    let i = 0;
    for (const text of randomEdits(base, MIRROR_SNIPPETS, 200, seed)) {
      const next = reparsed ? reparse(parser, previous.text, tree, text)! : parser.parse(text)!;
      const changed = reparsed ? changesSince(next, previous.text) : undefined;
      if (reparsed) assert.ok(changed, 'an incremental reparse records its changed ranges');
      const fresh = mirror(next);
      const oldChildren = new Set(previous.root.children);
      const incremental = mirrorIncremental(next, previous.root, editSpan(previous.text, text), changed);
      reused += incremental.children.filter((c) => oldChildren.has(c)).length;
      assert.deepEqual(shape(incremental), shape(fresh), `${name}, edit ${i++}`);
      tree.delete();
      tree = next;
      previous = { text, root: incremental };
    }
    tree.delete();
    parser.delete();
    reusedBy.set(name, reused);
  }
  return reusedBy;
}

test('the incremental mirror of an edited document equals a fresh mirror (random edits, JS and TS)', async () => {
  // Otherwise the test would pass by never reusing anything.
  for (const [name, reused] of await mirrorAfterEdits(7, false)) assert.ok(reused > 0, `${name}: no statement was reused`);
});

test('the incremental mirror equals a fresh mirror when tree-sitter reports the changed ranges (incremental reparse)', async () => {
  for (const [name, reused] of await mirrorAfterEdits(3, true)) assert.ok(reused > 200, `${name}: ${reused} statements reused`);
});

const codeFixtures = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? codeFixtures(path.join(dir, e.name)) : /\.(js|mjs|cjs|jsx|ts|tsx)$/.test(e.name) ? [path.join(dir, e.name)] : []);
const grammarOf = (file: string) => (file.endsWith('.tsx') ? 'tsx' : /\.ts$/.test(file) ? 'typescript' : 'javascript');
const IN_STATEMENT = ['x', ' ', 'req.query.q + ', "'", '`', '(', ')', '{', '}', '};', ';', ';\n(', ' /*', '//', '\n', ' = {}', ' ? a', ' as any', '<T>', '=>'];

/**
 * An edit inside one statement is mirrored by parsing that statement alone:
 * after every edit (typing, brackets, quotes, comments, lines added and
 * removed, on every JS/TS fixture) the result, when the statement path
 * accepts the edit, must equal a fresh mirror of the whole file.
 */
test('the mirror of an edit inside one statement, parsed alone, equals a fresh mirror of the file', async () => {
  await engineWith();
  let accepted = 0;
  let refused = 0;
  for (const file of codeFixtures(path.join(__dirname, '..', 'fixtures', 'code'))) {
    const kind = grammarOf(file);
    const parser = new Parser();
    parser.setLanguage(languageOf(kind)!);
    const base = fs.readFileSync(file, 'utf8');
    for (const edits of [randomEdits(base, IN_STATEMENT, 60, 5), bodyEdits(base, ['const z = req.body.z;', 'run(z);', 'if (a) {', '}'], 60, 9)]) {
      let previous = { text: base, root: mirror(parser.parse(base)!) };
      let i = 0;
      for (const text of edits) {
        const tree = parser.parse(text)!;
        const fresh = mirror(tree);
        tree.delete();
        const spliced = mirrorEditedStatement(previous.root, previous.text, text, editSpan(previous.text, text), (snippet) => parser.parse(snippet) ?? undefined);
        if (spliced) {
          accepted++;
          assert.deepEqual(shape(spliced), shape(fresh), `${path.relative(__dirname, file)}, edit ${i}`);
        } else refused++;
        i++;
        previous = { text, root: spliced ?? fresh };
      }
    }
    parser.delete();
  }
  // Otherwise the test would pass by refusing every edit.
  assert.ok(accepted > 1000, `only ${accepted} edits took the statement path (${refused} refused)`);
});

/** Edits the statement path must refuse: the result depends on text outside the statement. */
test('an edited statement is not parsed alone when the text around it decides its extent', async () => {
  await engineWith();
  const parser = new Parser();
  parser.setLanguage(languageOf('typescript')!);
  const cases: Array<[string, string, string]> = [
    // The statement before ends by automatic semicolon insertion, which `++` allows and `+` does not: `a = b + c`.
    ['previous statement without a semicolon', 'a = b\n++c;\n', 'a = b\n+c;\n'],
    // The edited statement now ends in an object literal: the next `(` would call it.
    ['statement ends in an expression brace', 'if (a) {x}\n(g)();\n', 'if (a) y={x}\n(g)();\n'],
    // A missing token elsewhere in the file: the old tree was not clean.
    ['old file had an error', 'f(a;\ng(b);\n', 'f(a;\ng(bc);\n'],
    // The statement no longer parses alone.
    ['statement broken by the edit', 'f(a);\ng(b);\n', 'f(a);\ng(`b);\n'],
  ];
  for (const [name, before, after] of cases) {
    const tree = parser.parse(before)!;
    const root = mirror(tree);
    tree.delete();
    const spliced = mirrorEditedStatement(root, before, after, editSpan(before, after), (snippet) => parser.parse(snippet) ?? undefined);
    assert.equal(spliced, undefined, name);
  }
  // And the plain case is accepted, or the refusals above prove nothing.
  const before = 'a = b;\nf(x);\ng(y);\n';
  const after = 'a = b;\nf(x + req.query.q);\ng(y);\n';
  const tree = parser.parse(before)!;
  const spliced = mirrorEditedStatement(mirror(tree), before, after, editSpan(before, after), (snippet) => parser.parse(snippet) ?? undefined);
  tree.delete();
  const fresh = parser.parse(after)!;
  assert.deepEqual(shape(spliced!), shape(mirror(fresh)));
  fresh.delete();
  parser.delete();
});

test('TypeScript 5 syntax that yields ERROR nodes does not stop the analysis elsewhere', async () => {
  const text = [
    "export type * from './types';",
    "import express from 'express';",
    "import { exec } from 'child_process';",
    'const app = express();',
    "app.get('/x', (req, res) => {",
    '  exec(`ls ${req.query.dir}`);',
    '});',
    'const broken = (a: number => {;',
    "app.get('/y', (req, res) => res.send('<b>' + req.query.q + '</b>'));",
    '',
  ].join('\n');
  const r = await analyzeFile('/virtual/ts5.ts', {}, text);
  assert.deepEqual(r.notes, []);
  assert.deepEqual(findingKeys(r.findings), ['6:code/command-injection', '9:code/xss']);
});

test('a JavaScript file with a syntax error still reports the sinks after it', async () => {
  const text = "const cp = require('child_process');\nfunction (\nrequire('express')().get('/', (req, res) => { cp.exec('x ' + req.query.a); });\n";
  const r = await analyzeFile('/virtual/broken.js', {}, text);
  assert.deepEqual(r.notes, []);
  assert.deepEqual(findingKeys(r.findings), ['3:code/command-injection']);
});

test('JSX in a .js file is analysed with the javascript grammar', async () => {
  const text = "export const A = () => <div dangerouslySetInnerHTML={{ __html: location.hash }} />;\n";
  const r = await analyzeFile('/virtual/component.jsx', {}, text);
  assert.deepEqual(findingKeys(r.findings), ['1:code/xss']);
});

test('review findings: a dynamic SQL string not traced to a source shows only with review on', async () => {
  const text = "const mysql = require('mysql');\nconst db = mysql.createConnection({});\nexport function list(table) {\n  return db.query('SELECT * FROM ' + table);\n}\n";
  const off = await analyzeFile('/virtual/review.js', {}, text);
  assert.deepEqual(findingKeys(off.findings), []);
  const on = await analyzeFile('/virtual/review.js', { review: true }, text);
  assert.deepEqual(findingKeys(on.findings), ['4:code/sql-injection']);
  assert.equal(on.findings[0].severity, 'low');
  assert.equal(on.findings[0].confidence, 'review');
});

test('process.env reaching a shell is reported at medium severity; argv into a file path is not reported', async () => {
  const text = "const { execSync } = require('child_process');\nconst fs = require('fs');\nexecSync('deploy ' + process.env.TARGET);\nfs.readFileSync(process.argv[2]);\n";
  const r = await analyzeFile('/virtual/cli.js', {}, text);
  assert.deepEqual(findingKeys(r.findings), ['3:code/command-injection']);
  assert.equal(r.findings[0].severity, 'medium');
  assert.match(r.findings[0].related?.[0].message ?? '', /user input enters here: process\.env\.TARGET/);
});

test('the source is reported as related information', async () => {
  const r = await analyzeFile(fixture('sql/express-mysql.js'));
  const f = r.findings.find((x) => x.range.start.line === 8)!;
  assert.equal(f.related?.[0].range.start.line, 7);
  assert.equal(f.related?.[0].message, 'user input enters here: req.query.id');
});

test('hostile input: deep nesting, binary noise and long lines never throw out of a rule', async () => {
  const engine = await engineWith();
  const deep = "require('express')().get('/', (req, res) => { eval(" + '('.repeat(3000) + 'req.query.x' + ')'.repeat(3000) + '); });\n';
  // One term per line: on one line, 80 KB would be a minified file, which is not analysed for flows.
  const chain = "const cp = require('child_process');\nrequire('express')().get('/', (req, res) => cp.exec('a' + " + Array.from({ length: 5000 }, (_, i) => `req.query.p${i}`).join(' +\n  ') + '));\n';
  for (const text of [deep, chain, '\u0000\u0001\u0002'.repeat(1000), 'x'.repeat(200_000), '`${'.repeat(2000)]) {
    const r = engine.analyze({ path: '/virtual/hostile.js', text });
    assert.deepEqual(r.notes, []);
  }
  const r = engine.analyze({ path: '/virtual/chain.js', text: chain });
  assert.deepEqual(findingKeys(r.findings), ['2:code/command-injection']);
});

test('property: arbitrary JavaScript-like text never makes a code rule throw', async () => {
  const engine = await engineWith();
  const tokens = ['req.query.x', 'exec(', 'eval(', ')', '(', '{', '}', '`${', '}`', "'a'", '+', '=', 'const a', ';', '\n', 'db.query(', 'function f(p)', 'return p', '=>', ',', '[', ']', 'innerHTML', '.', 'if (', 'x'];
  await fc.assert(
    fc.asyncProperty(fc.array(fc.constantFrom(...tokens), { maxLength: 60 }), async (parts) => {
      for (const ext of ['js', 'ts', 'tsx']) {
        const r = engine.analyze({ path: `/virtual/prop.${ext}`, text: "const { exec } = require('child_process');\n" + parts.join(' ') });
        assert.deepEqual(r.notes, []);
      }
    }),
    { numRuns: 150 },
  );
});

test('the bundled Express example has its four findings and no finding on the safe look-alike', async () => {
  const r = await analyzeFile(path.join(__dirname, '..', '..', 'examples', 'code', 'server.js'));
  assert.deepEqual(findingKeys(r.findings.filter((f) => f.layer === 'code')), [
    '17:code/sql-injection',
    '34:code/command-injection',
    '41:code/path-traversal',
    '49:code/xss',
  ].sort());
  for (const f of r.findings.filter((x) => x.ruleId === 'code/sql-injection' || x.ruleId === 'code/command-injection')) assert.ok(f.fixes.length > 0, f.ruleId);
});

test('with review on, a traced sink is reported once (high), not twice', async () => {
  const r = await analyzeFile(fixture('sql/express-mysql.js'), { review: true });
  const keys = findingKeys(r.findings.filter((f) => f.layer === 'code'));
  assert.equal(new Set(keys).size, keys.length, keys.join(' '));
  assert.ok(r.findings.filter((f) => f.ruleId === 'code/sql-injection' && f.confidence !== 'review').length >= 3);
});

test('hostile conditions: a deeply negated guard does not overflow the stack', async () => {
  const engine = await engineWith();
  const text = "const cp = require('child_process');\nrequire('express')().get('/', (req, res) => {\n  if (" + '!'.repeat(20000) + "req.query.x) return;\n  cp.exec('x ' + req.query.y);\n});\n";
  const r = engine.analyze({ path: '/virtual/negated.js', text });
  assert.deepEqual(r.notes, []);
  assert.deepEqual(findingKeys(r.findings), ['4:code/command-injection']);
});

test('hostile structure: deeply nested blocks and patterns do not overflow the stack', async () => {
  const engine = await engineWith();
  const blocks = 'if (a) ' + '{'.repeat(30000) + 'return;' + '}'.repeat(30000) + '\n';
  const patterns = 'const ' + '['.repeat(30000) + 'x' + ']'.repeat(30000) + ' = y;\n';
  for (const text of [blocks, patterns]) {
    for (const p of ['/virtual/deep.js', '/virtual/deep.ts']) assert.deepEqual(engine.analyze({ path: p, text }).notes, []);
  }
});
