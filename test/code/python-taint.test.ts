import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { Parser } from 'web-tree-sitter';
import { changesSince, languageOf, reparse } from '../../server/code/parsers';
import { mirrorTree, mirrorTreeIncremental, type PyNode } from '../../server/code/python/syntax';
import type { Finding } from '../../server/engine/types';
import { engineWith } from '../helpers/engine';
import { findingKeys, fixtureFiles } from '../helpers/expectations';
import { randomEdits } from '../helpers/randomEdits';

const FILE = path.join(__dirname, 'virtual', 'app.py');

async function code(text: string, options: { review?: boolean; documentKey?: string } = {}): Promise<Finding[]> {
  const engine = await engineWith({ review: options.review ?? false });
  const result = engine.analyze({ path: FILE, text, documentKey: options.documentKey });
  assert.deepEqual(result.notes, []);
  return result.findings.filter((f) => f.layer === 'code');
}

const APP = `import sqlite3
from flask import Flask, request

app = Flask(__name__)
conn = sqlite3.connect("app.db")


@app.route("/user")
def user():
    name = request.args.get("name", "")
    return str(conn.execute("SELECT * FROM users WHERE name = '" + name + "'").fetchall())
`;

test('a finding points at the sink and names the source in related information', async () => {
  const [f] = await code(APP);
  assert.equal(f.ruleId, 'code/sql-injection');
  assert.equal(f.severity, 'critical');
  assert.equal(f.range.start.line, 10);
  assert.equal(f.related?.length, 1);
  assert.match(f.related![0].message, /^user input enters here: request\.args/);
  assert.equal(f.related![0].range.start.line, 9);
});

test('incremental re-analysis of an edited document equals a fresh analysis', async () => {
  const key = 'file:///virtual/app.py';
  await code(APP, { documentKey: key });
  const edits = [
    APP.replace('name = request.args.get("name", "")', 'name = int(request.args.get("name", "0"))'),
    APP.replace('def user():', 'def user():\n    import os\n    os.system("ls " + request.args["d"])'),
    APP.replace('return str(', 'return str(  # comment\n        ').replace('"SELECT', '"SELECT'),
    APP + '\n\n@app.route("/x")\ndef x():\n    return eval(request.form["e"])\n',
    APP.slice(0, APP.length - 30),
  ];
  for (const text of edits) {
    const incremental = await code(text, { documentKey: key });
    const fresh = await code(text);
    assert.deepEqual(findingKeys(incremental), findingKeys(fresh));
    assert.deepEqual(incremental.map((f) => f.range), fresh.map((f) => f.range));
  }
});

test('analysis continues around syntax errors', async () => {
  const broken = `import os
from flask import request

def broken(:
    x = = 1

def view():
    os.system("ls " + request.args["dir"])
    class C(
`;
  const findings = await code(broken);
  assert.deepEqual(findingKeys(findings), ['8:code/command-injection']);
});

test('hostile input never throws out of the analysis', async () => {
  const samples = [
    '',
    '\u0000\u0001\u0002binary\uFFFD'.repeat(200),
    '('.repeat(5000),
    'x = ' + '['.repeat(3000) + ']'.repeat(3000),
    'def f():\n' + '    if a:\n'.repeat(1).repeat(1) + Array.from({ length: 400 }, (_, i) => `${'    '.repeat(i + 1)}if x${i}:`).join('\n') + '\n' + '    '.repeat(402) + 'os.system(request.args["a"])\n',
    'a = b +\n',
    'x = "' + 'a'.repeat(200000) + '"\n',
    Array.from({ length: 2000 }, (_, i) => `v${i} = v${i - 1} + request.args["q"]`).join('\n') + '\nimport os\nos.system(v1999)\n',
    'import os\nfrom flask import request\nos.system("a" + ' + Array.from({ length: 20000 }, (_, i) => `x${i}`).join(' + ') + ' + request.args["q"])\n',
    'import os\nx = a' + '.b'.repeat(20000) + '\nos.system(x' + '.c'.repeat(5000) + ')\n',
    'import os\n' + 'x = (' .repeat(1) + 'lambda: '.repeat(3000) + '1)\n',
  ];
  for (const text of samples) await code(text);
});

test('review findings (dynamic SQL not traced to a source) appear only when review is on', async () => {
  const text = `import sqlite3
conn = sqlite3.connect("a.db")

def count(table):
    return conn.execute("SELECT COUNT(*) FROM " + table).fetchone()

def report():
    return count("orders")
`;
  assert.deepEqual(await code(text), []);
  const review = await code(text, { review: true });
  assert.deepEqual(findingKeys(review), ['5:code/sql-injection']);
  assert.equal(review[0].confidence, 'review');
  assert.equal(review[0].severity, 'low');
});

test('a string built from a parameter of a function no code in the file calls is reported at medium', async () => {
  const text = `import os
import sqlite3
conn = sqlite3.connect("a.db")

def remove_user(username):
    conn.execute("DELETE FROM users WHERE username = '%s'" % username)

def archive(path):
    os.system("tar czf backup.tgz " + path)

def _private(name):
    conn.execute("DELETE FROM users WHERE username = '%s'" % name)

def passthrough(sql):
    conn.execute(sql)

class Store:
    def delete(self, name):
        conn.execute("DELETE FROM users WHERE username = '%s'" % name)
`;
  const findings = await code(text);
  assert.deepEqual(findingKeys(findings), ['6:code/sql-injection', '9:code/command-injection']);
  assert.ok(findings.every((f) => f.severity === 'medium' && f.confidence === 'high'));
  assert.match(findings[0].related![0].message, /parameter username of remove_user\(\)/);
});

test('input from argv and the environment is reported at medium severity', async () => {
  const text = `import os, sys, subprocess
subprocess.run("rsync -a src/ " + sys.argv[1], shell=True)
os.system(os.environ["EDITOR"] + " notes.txt")
`;
  const findings = await code(text);
  assert.deepEqual(findingKeys(findings), ['2:code/command-injection', '3:code/command-injection']);
  assert.ok(findings.every((f) => f.severity === 'medium'));
});

test('import aliases resolve to the library they name', async () => {
  const text = `from subprocess import run as r
import subprocess as sp
from os import system as sh
import pickle as pk
from flask import request as rq

def view():
    a = rq.args["a"]
    r(a, shell=True)
    sp.Popen(a, shell=True)
    sh(a)
    pk.loads(rq.data)
`;
  assert.deepEqual(findingKeys(await code(text)), ['10:code/command-injection', '11:code/command-injection', '12:code/unsafe-deserialization', '9:code/command-injection']);
});

test('a local function that shadows a library name is not a sink', async () => {
  const text = `from flask import request

def open(name):
    return name

def eval(expr):
    return expr

def view():
    return [open(request.args["f"]), eval(request.args["e"])]
`;
  assert.deepEqual(await code(text), []);
});

test('suppression comments silence a finding: ours and bandit nosec', async () => {
  const text = `import os
from flask import request

def view():
    os.system("ls " + request.args["a"])  # fourfold-ignore code/command-injection: admin-only endpoint
    os.system("ls " + request.args["b"])  # nosec
    # fourfold-ignore code/command-injection: input validated by the gateway
    os.system("ls " + request.args["c"])
    os.system("ls " + request.args["d"])
`;
  assert.deepEqual(findingKeys(await code(text)), ['9:code/command-injection']);
});

test('summaries carry taint through helpers: parameter to return and parameter to sink', async () => {
  const text = `import os
from flask import request

def clean(value):
    return value.strip()

def build(prefix, value):
    return prefix + " " + clean(value)

def run(cmd):
    os.system(cmd)

def view():
    run(build("ls", request.args["d"]))
    run("uptime")
`;
  const findings = await code(text);
  assert.deepEqual(findingKeys(findings), ['11:code/command-injection']);
  assert.equal(findings[0].related![0].range.start.line, 13);
});

test('the plain-JavaScript tree mirror has the offsets tree-sitter reports', async () => {
  await engineWith();
  const parser = new Parser();
  parser.setLanguage(languageOf('python')!);
  const samples = [
    ...fixtureFiles('code').filter((f) => f.endsWith('.py')).map((f) => fs.readFileSync(f, 'utf8')),
    'x = f"{a:>{w}} {b!r:10} {{c}}" "\\n\\t\\u00e9" r"\\d+"\nif x:\n    # comment first\n    y = 1  # trailing\n\n# dedented comment\n    \n',
    'def f(:\n  x = = 1\n  "é😀" + y\nclass C(\n',
    '\ufeffimport os # c\r\n\r\nprint(os.sep)\r\n',
  ];
  let nodes = 0;
  for (const text of samples) {
    const tree = parser.parse(text)!;
    type TsNode = { type: string; startIndex: number; endIndex: number; childCount: number; child(i: number): TsNode | null };
    const walk = (m: { type: string; start: number; end: number; children: unknown[] }, n: TsNode) => {
      nodes++;
      assert.deepEqual([m.type, m.start, m.end], [n.type, n.startIndex, n.endIndex]);
      assert.equal(m.children.length, n.childCount);
      m.children.forEach((c, i) => walk(c as typeof m, n.child(i)!));
    };
    walk(mirrorTree(tree), tree.rootNode as unknown as TsNode);
    tree.delete();
  }
  parser.delete();
  assert.ok(nodes > 1000);
});

const PY_MIRROR_SNIPPETS = ['x', '\n', '    y = request.args["q"]\n', '"""', '(', ')', ':', '\n\ndef g():\n    pass\n', '# c\n', ''];
const pyShape = (n: PyNode): unknown => [n.type, n.start, n.end, n.field, n.named, n.children.map(pyShape)];

/**
 * Edits three fixtures at random; after every edit the incremental mirror
 * must equal a fresh one. `reparsed`: the tree comes from an incremental
 * reparse, so tree-sitter's changed ranges are known. Returns, per fixture,
 * how many top-level statements were reused and how many edits had ranges.
 */
async function pythonMirrorAfterEdits(snippets: readonly string[], seed: number, reparsed: boolean): Promise<Map<string, { reused: number; withRanges: number }>> {
  await engineWith();
  const parser = new Parser();
  parser.setLanguage(languageOf('python')!);
  const out = new Map<string, { reused: number; withRanges: number }>();
  for (const name of ['flask-sqlite.py', 'benchmark-style.py', 'drf-and-helpers.py']) {
    const base = fs.readFileSync(fixtureFiles('code').find((f) => f.endsWith(name))!, 'utf8');
    let tree = parser.parse(base)!;
    let previous = { text: base, root: mirrorTree(tree) };
    let withRanges = 0;
    let reused = 0;
    let i = 0;
    for (const text of randomEdits(base, snippets, 200, seed)) {
      const next = reparsed ? reparse(parser, previous.text, tree, text)! : parser.parse(text)!;
      const changed = reparsed ? changesSince(next, previous.text) : undefined;
      if (changed) withRanges++;
      const fresh = mirrorTree(next);
      const oldChildren = new Set(previous.root.children);
      const incremental = mirrorTreeIncremental(next, text, previous, undefined, undefined, changed);
      reused += incremental.children.filter((c) => oldChildren.has(c)).length;
      assert.deepEqual(pyShape(incremental), pyShape(fresh), `${name}, edit ${i++}`);
      tree.delete();
      tree = next;
      previous = { text, root: incremental };
    }
    tree.delete();
    out.set(name, { reused, withRanges });
  }
  parser.delete();
  return out;
}

test('the incremental mirror equals a fresh mirror when tree-sitter reports the changed ranges (incremental reparse)', async () => {
  const withClass = [...PY_MIRROR_SNIPPETS, 'class C:\n    def m(self):\n        return 1\n'];
  for (const [name, { reused, withRanges }] of await pythonMirrorAfterEdits(withClass, 5, true)) {
    assert.equal(withRanges, 200);
    // Otherwise the test would pass by never reusing anything.
    assert.ok(reused > 200, `${name}: ${reused} statements reused`);
  }
});

test('the incremental mirror of an edited document equals a fresh mirror', async () => {
  await pythonMirrorAfterEdits(PY_MIRROR_SNIPPETS, 42, false);
});
