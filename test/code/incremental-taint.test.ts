import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { editSpan } from '../../server/engine/editSpan';
import { javascriptReuseStats } from '../../server/code/javascript/taint';
import { pythonReuseStats } from '../../server/code/python/taint';
import { forgetDocumentState } from '../../server/engine/documentState';
import type { Engine } from '../../server/engine/engine';
import { bodyEdits } from '../helpers/bodyEdits';
import { engineWith } from '../helpers/engine';

/*
 * Editing one function (Python) or one top-level statement (JS/TS) re-runs
 * only that part of the taint pass and replays the rest: after every edit
 * the findings, fixes and related information must equal a fresh analysis.
 */

const root = path.join(__dirname, '..', 'fixtures', 'code');
const fixtures = (pattern: RegExp) =>
  fs.readdirSync(root).flatMap((d) => (fs.statSync(path.join(root, d)).isDirectory() ? fs.readdirSync(path.join(root, d)).filter((f) => pattern.test(f)).map((f) => path.join(root, d, f)) : []));

function editAndCompare(engine: Engine, file: string, versions: Iterable<string>): number {
  const key = `file://${file}`;
  try {
    engine.analyze({ path: file, text: fs.readFileSync(file, 'utf8'), documentKey: key });
    let i = 0;
    for (const text of versions) {
      const incremental = engine.analyze({ path: file, text, documentKey: key });
      const fresh = engine.analyze({ path: file, text });
      assert.deepEqual(incremental.findings, fresh.findings, `${path.relative(root, file)}, edit ${i++}`);
    }
    return i;
  } finally {
    forgetDocumentState(key);
  }
}

test('Python: edits inside function bodies give what a fresh analysis gives, and most re-analyse one function', async () => {
  const engine = await engineWith();
  const statements = ['q = request.args.get("q")', 'cursor.execute("SELECT * FROM t WHERE a = " + q)', 'os.system("ls " + q)', 'x = 1', 'return q', 'pass', 'data = int(q)', 'self.name = request.form["n"]', 'eval(q)'];
  const before = { ...pythonReuseStats };
  let edits = 0;
  for (const file of fixtures(/\.py$/)) {
    const base = fs.readFileSync(file, 'utf8');
    edits += editAndCompare(engine, file, bodyEdits(base, statements, 30, 11));
  }
  const reused = pythonReuseStats.reused - before.reused;
  // Otherwise the test would pass by always analysing the whole module.
  assert.ok(reused > edits / 2, `${reused} of ${edits} edits reused the other functions`);
});

test('JS/TS: edits inside handlers give what a fresh analysis gives, and many re-run one statement', async () => {
  const engine = await engineWith();
  const statements = ['const q = req.query.q;', 'db.query("SELECT * FROM t WHERE a = " + q);', 'exec("ls " + q);', 'const x = 1;', 'return q;', 'res.send(q);', 'const n = Number(q);', 'el.innerHTML = location.hash;', 'eval(q);'];
  const before = { ...javascriptReuseStats };
  let edits = 0;
  for (const file of fixtures(/\.(js|mjs|cjs|jsx|ts|tsx)$/)) {
    const base = fs.readFileSync(file, 'utf8');
    edits += editAndCompare(engine, file, bodyEdits(base, statements, 30, 11));
  }
  const reused = javascriptReuseStats.reused - before.reused;
  assert.ok(reused > edits / 3, `${reused} of ${edits} edits re-ran one statement`);
});

function tempFile(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'ff-incremental-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

test('JS: a handler that reads a module variable assigned after it is re-run with the value it had then', async () => {
  const engine = await engineWith();
  // At the handler's registration `prefix` holds nothing; the argv value (read above it) arrives later.
  const base = [
    "const { exec } = require('child_process');",
    "const app = require('express')();",
    'const fromArgv = process.argv[2];',
    'let prefix;',
    "app.get('/run', (req, res) => {",
    "  exec(prefix + ' --version');",
    '  res.send("ok");',
    '});',
    'prefix = fromArgv;',
    '',
  ].join('\n');
  const file = tempFile('late-assignment.js', base);
  const at = base.indexOf('res.send');
  const versions = [1, 2, 3].map((n) => base.slice(0, at) + ' '.repeat(n) + base.slice(at));
  editAndCompare(engine, file, versions);
  assert.deepEqual(engine.analyze({ path: file, text: versions[2] }).findings, []);
});

test('JS: a handler that starts calling a function declared after it is re-run with the whole module', async () => {
  const engine = await engineWith();
  const base = [
    "const { exec } = require('child_process');",
    "const app = require('express')();",
    "app.get('/run', (req, res) => {",
    '  const name = req.query.name;',
    '  res.send("ok");',
    '});',
    'function helper(v) {',
    "  exec('ls ' + v);",
    '}',
    'helper(process.argv[2]);',
    '',
  ].join('\n');
  const file = tempFile('late-helper.js', base);
  const withCall = base.replace('  res.send("ok");', '  helper(name);\n  res.send("ok");');
  const found = editAndCompare(engine, file, [withCall, withCall.replace('helper(name)', 'helper(name) ')]);
  assert.equal(found, 2);
  assert.ok(engine.analyze({ path: file, text: withCall }).findings.some((f) => f.ruleId === 'code/command-injection'));
});

test('Python: a method whose `self` field writes change makes the class re-analysed as a whole', async () => {
  const engine = await engineWith();
  const base = [
    'import os',
    'from flask import request',
    '',
    'class Job:',
    '    def load(self):',
    '        self.cmd = "ls"',
    '',
    '    def run(self):',
    '        os.system(self.cmd)',
    '',
  ].join('\n');
  const file = tempFile('fields.py', base);
  const tainted = base.replace('self.cmd = "ls"', 'self.cmd = request.args["c"]');
  editAndCompare(engine, file, [base.replace('"ls"', '"ls "'), tainted, tainted.replace('["c"]', '["cc"]')]);
  assert.ok(engine.analyze({ path: file, text: tainted }).findings.some((f) => f.ruleId === 'code/command-injection'));
});

test('Python: module-level findings survive edits inside a function (the module is replayed, not re-run)', async () => {
  const engine = await engineWith();
  const base = [
    'import os',
    'import sys',
    'from flask import Flask, request',
    'app = Flask(__name__)',
    '',
    '@app.route("/a")',
    'def a():',
    '    name = request.args.get("name", "")',
    '    return "hello"',
    '',
    'os.system("echo " + sys.argv[1])',
    '',
  ].join('\n');
  const file = tempFile('module-level.py', base);
  const before = pythonReuseStats.reused;
  const at = base.indexOf('return "hello"');
  const versions = [1, 2, 3].map((n) => base.slice(0, at) + 'x = 1\n    '.repeat(n) + base.slice(at));
  editAndCompare(engine, file, versions);
  assert.equal(pythonReuseStats.reused - before, 3);
  assert.ok(engine.analyze({ path: file, text: versions[2] }).findings.some((f) => f.ruleId === 'code/command-injection'));
});

test('property: the edit span (compared a chunk at a time) is the common prefix and suffix of the two texts', () => {
  const naive = (a: string, b: string) => {
    let start = 0;
    while (start < Math.min(a.length, b.length) && a[start] === b[start]) start++;
    let oldEnd = a.length;
    let newEnd = b.length;
    while (oldEnd > start && newEnd > start && a[oldEnd - 1] === b[newEnd - 1]) {
      oldEnd--;
      newEnd--;
    }
    return { start, oldEnd, newEnd, delta: newEnd - oldEnd };
  };
  fc.assert(
    fc.property(fc.string({ maxLength: 3000 }), fc.nat(3), fc.nat(10_000), fc.nat(40), fc.string({ maxLength: 30 }), (unit, repeat, at, removed, inserted) => {
      const text = unit.repeat(1 + repeat);
      const cut = at % (text.length + 1);
      const edited = text.slice(0, cut) + inserted + text.slice(cut + removed);
      assert.deepEqual(editSpan(text, edited), naive(text, edited));
    }),
    { numRuns: 500 },
  );
});
