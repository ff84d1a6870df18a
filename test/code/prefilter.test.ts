import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { codeLayer } from '../../server/code';
import { pythonCodeWords } from '../../server/code/python/codeWords';
import { mayHaveFlows, setCodePrefilter } from '../../server/code/prefilter';
import { defaultConfig, mergeConfig } from '../../server/engine/config';
import { FileContext } from '../../server/engine/context';
import { Engine, initEngine } from '../../server/engine/engine';
import { fileKindOf } from '../../server/engine/fileKinds';
import type { FileAnalysis, Finding } from '../../server/engine/types';
import { fixtureFiles } from '../helpers/expectations';

/*
 * The code prefilter must never change a finding: a file it skips must be one
 * where the taint pass reports nothing (for review=false: nothing but review
 * findings, which are not shown).
 */

const ROOT = path.join(__dirname, '..', '..');
const DJANGO = '/usr/lib/python3/dist-packages/django';
const CODE_EXTENSIONS = /\.(py|js|mjs|cjs|jsx|ts|tsx)$/;

async function engineWith(review: boolean, rules = codeLayer.rules): Promise<Engine> {
  await initEngine();
  return new Engine(mergeConfig(defaultConfig(), { review }), rules);
}

function analyse(engine: Engine, file: string, text: string, prefilter: boolean): FileAnalysis {
  setCodePrefilter(prefilter);
  try {
    return engine.analyze({ path: file, text });
  } finally {
    setCodePrefilter(true);
  }
}

function passes(file: string, text: string, review: boolean): boolean {
  const ctx = new FileContext(file, text, fileKindOf(file)!);
  ctx.review = review;
  return mayHaveFlows(ctx);
}

const describe = (findings: Finding[]) => findings.map((f) => `${f.range.start.line + 1}:${f.ruleId}:${f.confidence ?? 'high'}: ${f.message}`);

/**
 * Where the prefilter skips a file, the findings (shown and suppressed) the
 * taint pass gives it without the prefilter must be none. Where it does not
 * skip, the analysis is the same code path, so only skipped files are analysed.
 */
function checkSkips(engine: Engine, file: string, text: string): { skipped: boolean; skippedWithReview: boolean } {
  const skipped = !passes(file, text, false);
  const skippedWithReview = !passes(file, text, true);
  if (skipped || skippedWithReview) {
    const result = analyse(engine, file, text, false);
    const all = [...result.findings, ...result.suppressed].filter((f) => f.layer === 'code');
    if (skippedWithReview) assert.deepEqual(describe(all), [], `${file}: skipped with review on, but it has findings`);
    if (skipped) assert.deepEqual(describe(all.filter((f) => f.confidence !== 'review')), [], `${file}: skipped, but it has findings`);
  }
  return { skipped, skippedWithReview };
}

function listCodeFiles(root: string, limit = Infinity): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    } catch {
      return;
    }
    for (const e of entries) {
      if (out.length >= limit) return;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && CODE_EXTENSIONS.test(e.name) && !e.name.endsWith('.d.ts') && fs.statSync(p).size <= 512 * 1024) out.push(p);
    }
  };
  walk(root);
  return out;
}

const fixtures = fixtureFiles('code').filter((f) => CODE_EXTENSIONS.test(f));

test('the labelled corpus: the same findings with and without the prefilter, review off and on', async () => {
  assert.ok(fixtures.length > 50);
  for (const review of [false, true]) {
    const engine = await engineWith(review, undefined);
    for (const file of fixtures) {
      const text = fs.readFileSync(file, 'utf8');
      const on = analyse(engine, file, text, true);
      const off = analyse(engine, file, text, false);
      assert.deepEqual(on.findings, off.findings, `${file} (review ${review})`);
      assert.deepEqual(on.suppressed, off.suppressed, `${file} (review ${review})`);
    }
  }
});

/**
 * Pieces of each fixture (its imports plus one top-level block), so that a
 * source or sink the prefilter misses cannot hide behind another one in the
 * same file. Pieces are often not valid code: neither may hide a finding.
 */
function pieces(text: string): string[] {
  const lines = text.split('\n');
  const header = lines.filter((l) => /^(import\s|from\s|const .*require\(|var .*require\(|let .*require\()/.test(l));
  const blocks: string[][] = [];
  let block: string[] = [];
  lines.forEach((l, i) => {
    if (/^\S/.test(l) && (i === 0 || lines[i - 1].trim() === '') && block.length) {
      blocks.push(block);
      block = [];
    }
    block.push(l);
  });
  if (block.length) blocks.push(block);
  return blocks.map((b) => [...header, ...b].join('\n'));
}

test('pieces of the labelled corpus: the prefilter skips none that has findings', async () => {
  const engine = await engineWith(true);
  let count = 0;
  for (const file of fixtures) {
    for (const piece of pieces(fs.readFileSync(file, 'utf8'))) {
      checkSkips(engine, file, piece);
      count++;
    }
  }
  assert.ok(count > 500, `${count} pieces`);
});

test('Django (Python and its vendored JavaScript): the prefilter skips no file with findings, and skips most', { skip: !fs.existsSync(DJANGO) && 'python3-django is not installed' }, async (t) => {
  const engine = await engineWith(true);
  const files = listCodeFiles(DJANGO);
  let skipped = 0;
  let skippedWithReview = 0;
  const python = files.filter((f) => f.endsWith('.py'));
  for (const file of files) {
    const r = checkSkips(engine, file, fs.readFileSync(file, 'utf8'));
    if (file.endsWith('.py')) {
      skipped += +r.skipped;
      skippedWithReview += +r.skippedWithReview;
    }
  }
  const share = (n: number) => `${((100 * n) / python.length).toFixed(1)}%`;
  t.diagnostic(`Django: ${python.length} Python files, the prefilter skips ${skipped} (${share(skipped)}), with review findings on ${skippedWithReview} (${share(skippedWithReview)})`);
  assert.ok(skipped / python.length > 0.8, share(skipped));
});

test('a sample of node_modules (JavaScript and TypeScript): the prefilter skips no file with findings', async (t) => {
  const engine = await engineWith(true);
  const all = listCodeFiles(path.join(ROOT, 'node_modules'));
  // Every fourth file: many packages, in bounded time.
  const files = all.filter((_, i) => i % 4 === 0);
  let skipped = 0;
  for (const file of files) skipped += +checkSkips(engine, file, fs.readFileSync(file, 'utf8')).skipped;
  t.diagnostic(`node_modules: ${files.length} files, the prefilter skips ${skipped} (${((100 * skipped) / files.length).toFixed(1)}%)`);
  assert.ok(files.length > 500);
});

test('Python code words: comments and plain strings are left out, f-strings and code kept', () => {
  const w = pythonCodeWords(['import os  # subprocess', 's = "eval(x)"', "doc = '''open(\"#\")'''", 'f"{request.GET[\'q\']} #"', 'y = rb"\\"system"', 'exec_(z)'].join('\n'));
  assert.deepEqual([...w.code].sort(), ['GET', 'doc', 'exec_', 'import', 'os', 'q', 'request', 's', 'y', 'z'].sort());
});

test('Python code words: functions the pass may take as entry points, module code, decorators', () => {
  const text = [
    'import subprocess as sp',
    'from db import run',
    'ALIAS = run',
    '',
    '@app.route("/<name>")',
    'def public(cmd):',
    '    def nested(x):',
    '        cursor.execute(x)',
    '    class Local:',
    '        query = 1',
    '        def method(self):',
    '            cursor.fetch(self)',
    '    sp.call(cmd)',
    'def _private(q): conn.mogrify(q)',
    'def one_line(q): conn.executemany(q)',
    'class A:',
    '    def m(self):',
    '        conn.executescript(self)',
  ].join('\n');
  const w = pythonCodeWords(text);
  const has = (set: Set<string>, ...words: string[]) => words.filter((x) => set.has(x));
  assert.deepEqual(has(w.entry, 'call', 'query', 'executemany', 'execute', 'fetch', 'mogrify', 'executescript'), ['call', 'query', 'executemany']);
  assert.deepEqual(has(w.entryAttributes, 'call', 'query', 'executemany', 'execute'), ['call', 'executemany']);
  assert.deepEqual(has(w.attributes, 'route', 'execute', 'query', 'call', 'cmd'), ['route', 'execute', 'call']);
  assert.deepEqual(has(w.signatures, 'cmd', 'x', 'q', 'self', 'sp'), ['cmd', 'x', 'q', 'self']);
  assert.deepEqual(has(w.module, 'ALIAS', 'run', 'subprocess', 'public'), ['ALIAS', 'run']);
  assert.equal(w.importAlias, true);
  assert.deepEqual([...w.decorators].sort(), ['app', 'route']);
  assert.equal(w.decoratorText, '@app.route("/<name>")\n');
});

test('Python code words: an unclear layout (indentation Python rejects, an unterminated string) counts every word everywhere', () => {
  for (const text of ['x = 1\n  def f(c):\n    conn.execute(c)\n', 'class A:\n    def m(self): pass\n  def f(c):\n    conn.execute(c)\n', 'x = "abc\ndef f(c): conn.execute(c)\n', 'f(\n']) {
    const w = pythonCodeWords(text);
    assert.equal(w.entry, w.code, JSON.stringify(text));
    assert.equal(w.decorators, w.code, JSON.stringify(text));
  }
});

/**
 * One source or sink form each, with no other word the prefilter could pass
 * the file for: each must have a finding, and keep it with the prefilter.
 * (Forms the taint passes recognise in code rather than in the model tables.)
 */
const FORMS: Array<{ name: string; file: string; text: string; review?: boolean }> = [
  { name: 'Flask route parameter', file: 'a.py', text: 'from flask import Flask\napp = Flask(__name__)\n\n@app.route("/page/<name>")\ndef page(name):\n    return open(name).read()\n' },
  { name: 'FastAPI parameter', file: 'a.py', text: 'from fastapi import FastAPI\napp = FastAPI()\n\n@app.get("/items")\ndef read(path: str):\n    return open(path).read()\n' },
  { name: 'Flask view returning HTML', file: 'a.py', text: 'from flask import Flask, request\napp = Flask(__name__)\n\n@app.route("/hello")\ndef hello():\n    return "<h1>" + request.args.get("n") + "</h1>"\n' },
  { name: 'yaml.load without a source', file: 'a.py', text: 'import yaml\nconfig = yaml.load(open("c.yml"))\n' },
  { name: 'entry function, command through an import alias', file: 'a.py', text: 'from os import system as shell_out\n\ndef go(cmd):\n    shell_out("ls " + cmd)\n' },
  { name: 'entry function, command through a module-level alias', file: 'a.py', text: 'import os\nrun_shell = os.system\n\ndef go(cmd):\n    run_shell("ls " + cmd)\n' },
  { name: 'entry function, one-line body', file: 'a.py', text: 'import sqlite3\ncur = sqlite3.connect("x").cursor()\ndef find(name): cur.execute("SELECT * FROM t WHERE n = \'%s\'" % name)\n' },
  { name: 'entry function, a method name after a comment and a line break', file: 'a.py', text: 'import sqlite3\ncur = sqlite3.connect("x").cursor()\n\ndef find(name):\n    (cur.  # the cursor\n        execute("SELECT * FROM t WHERE n = \'%s\'" % name))\n' },
  { name: 'a request attribute read in an f-string', file: 'a.py', text: 'from django.http import HttpResponse\n\ndef view(req):\n    return HttpResponse(f"<p>{req.GET[\'x\']}</p>")\n' },
  { name: 'Django view, request parameter named req', file: 'a.py', text: 'from django.http import HttpResponse\n\ndef view(req):\n    return HttpResponse(req.GET["x"])\n' },
  { name: 'a parameter annotated HttpRequest', file: 'a.py', text: 'from django.http import HttpRequest, HttpResponse\n\ndef view(r: HttpRequest):\n    return HttpResponse(r.GET["x"])\n' },
  { name: 'a parameter annotated with a type named *Request', file: 'a.py', text: 'from myapp.http import MyRequest\n\ndef view(r: MyRequest):\n    return open(r.args["f"]).read()\n' },
  { name: 'Tornado self.get_argument', file: 'a.py', text: 'import os\nimport tornado.web\n\nclass H(tornado.web.RequestHandler):\n    def get(self):\n        os.system(self.get_argument("c"))\n' },
  { name: 'environment variable into pickle', file: 'a.py', text: 'import os\nimport pickle\npickle.loads(os.environ["STATE"])\n' },
  { name: 'Koa context, ctx.body', file: 'a.js', text: "router.get('/', async (ctx) => {\n  ctx.body = '<p>' + ctx.params.q + '</p>';\n});\n" },
  { name: 'a handler whose second parameter is the response', file: 'a.js', text: "function handle(a, reply) {\n  eval(a.query.code);\n}\nmodule.exports = handle;\n" },
  { name: 'the response parameter after a line comment', file: 'a.js', text: "function handle(a, // the reply\n  reply) {\n  eval(a.query.code);\n}\nmodule.exports = handle;\n" },
  { name: 'the response parameter after a decorator and a modifier', file: 'a.ts', text: "export class C {\n  run(q: any, @Res({ passthrough: true }) readonly reply: any) {\n    eval(q.query.code);\n  }\n}\n" },
  { name: 'a request parameter where routes are registered', file: 'a.js', text: "app.get('/x', function (request) {\n  eval(request.query.code);\n});\n" },
  { name: 'a Next.js request type', file: 'a.ts', text: "export default function handler(r: NextApiRequest, s: unknown) {\n  eval(r.query.code as string);\n}\n" },
  { name: 'NestJS @Req()', file: 'a.ts', text: "import { Controller, Get, Req } from '@nestjs/common';\n@Controller()\nexport class C {\n  @Get()\n  run(@Req() r: any) {\n    eval(r.query.code);\n  }\n}\n" },
  { name: 'a request parameter in server code', file: 'a.js', text: "const express = require('express');\nfunction h(request) {\n  eval(request.query.code);\n}\nmodule.exports = h;\n" },
  { name: 'query() with SQL text on any receiver', file: 'a.js', text: "function h(req, res) {\n  search.query('SELECT * FROM t WHERE id = ' + req.params.id);\n}\nmodule.exports = h;\n" },
  { name: 'sqlite3 db.all', file: 'a.js', text: "const sqlite3 = require('sqlite3');\nconst db = new sqlite3.Database(':memory:');\nfunction h(req, res) {\n  db.all('SELECT ' + req.params.c);\n}\nmodule.exports = h;\n" },
  { name: 'TypeORM query builder', file: 'a.ts', text: "function h(req: any, res: any) {\n  repo.createQueryBuilder('u').where(\"u.name = '\" + req.query.n + \"'\");\n}\nexport default h;\n" },
  { name: 'Sequelize.literal', file: 'a.js', text: "const { Sequelize } = require('sequelize');\nfunction h(req, res) {\n  Sequelize.literal(req.body.x);\n}\nmodule.exports = h;\n" },
  { name: 'res.sendFile', file: 'a.js', text: "function h(req, res) {\n  res.sendFile(req.params.f);\n}\nmodule.exports = h;\n" },
  { name: 'a package named after its module (lodash.template)', file: 'a.js', text: "const template = require('lodash.template');\nfunction h(req, res) {\n  template(req.body.t)();\n}\nmodule.exports = h;\n" },
  { name: 'a package the pass takes for its module (fs.extra is fs)', file: 'a.js', text: "const fsx = require('fs.extra');\nfunction h(req, res) {\n  fsx.readFile(req.params.f, () => {});\n}\nmodule.exports = h;\n" },
  { name: 'a message handler assigned to onmessage', file: 'a.js', text: "window.onmessage = (e) => {\n  document.getElementById('out').innerHTML = e.data;\n};\n" },
  { name: 'a message listener', file: 'a.js', text: "window.addEventListener('message', (e) => {\n  document.getElementById('out').innerHTML = e.data;\n});\n" },
  { name: 'argv into exec', file: 'a.js', text: "const { exec } = require('child_process');\nexec('ls ' + process.argv[2]);\n" },
  { name: 'review: SQL built from a parameter', file: 'a.js', text: "const mysql = require('mysql');\nconst db = mysql.createConnection({});\nfunction f(x) {\n  db.query('SELECT * FROM t WHERE a = ' + x);\n}\nmodule.exports = f;\n", review: true },
  { name: 'review: subprocess with a built command', file: 'a.py', text: 'import subprocess\n\nclass Tool:\n    def run(self, x):\n        subprocess.call("ls " + x, shell=True)\n', review: true },
];

for (const form of FORMS) {
  test(`a single form keeps its finding: ${form.name}`, async () => {
    const engine = await engineWith(form.review ?? false);
    const file = path.join(ROOT, 'virtual', form.file);
    const off = analyse(engine, file, form.text, false);
    assert.ok(off.findings.some((f) => f.layer === 'code'), `no finding to keep: ${JSON.stringify(describe(off.findings))}`);
    assert.deepEqual(analyse(engine, file, form.text, true).findings, off.findings);
  });
}
