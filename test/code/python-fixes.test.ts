import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { Parser } from 'web-tree-sitter';
import { languageOf } from '../../server/code/parsers';
import { LineIndex } from '../../server/engine/lineIndex';
import type { Finding, Fix } from '../../server/engine/types';
import { applyFix } from '../helpers/applyFix';
import { analyzeFile } from '../helpers/engine';
import { fixtureFiles } from '../helpers/expectations';

function parsesCleanly(text: string): boolean {
  const parser = new Parser();
  parser.setLanguage(languageOf('python')!);
  const tree = parser.parse(text)!;
  const ok = !tree.rootNode.hasError;
  tree.delete();
  parser.delete();
  return ok;
}

async function codeFindings(file: string, text: string): Promise<Finding[]> {
  return (await analyzeFile(file, {}, text)).findings.filter((f) => f.layer === 'code');
}

/** Text outside the span the edits touch must be byte-identical. */
function assertOnlyEditedSpanChanged(before: string, after: string, fix: Fix): void {
  const lines = new LineIndex(before);
  const starts = fix.edits.map((e) => lines.offsetAt(e.range.start));
  const ends = fix.edits.map((e) => lines.offsetAt(e.range.end));
  const first = Math.min(...starts);
  const last = Math.max(...ends);
  assert.equal(after.slice(0, first), before.slice(0, first));
  assert.equal(after.slice(after.length - (before.length - last)), before.slice(last));
}

async function fixRoundTrip(file: string, text: string, finding: Finding): Promise<string> {
  const fix = finding.fixes.find((f) => f.isPreferred) ?? finding.fixes[0];
  const after = applyFix(text, fix);
  assert.ok(parsesCleanly(after), `fixed file parses:\n${after}`);
  assertOnlyEditedSpanChanged(text, after, fix);
  const again = await codeFindings(file, after);
  const lineShift = after.split('\n').length - text.split('\n').length;
  const gone = !again.some((f) => f.ruleId === finding.ruleId && Math.abs(f.range.start.line - finding.range.start.line - lineShift) === 0 && f.confidence !== 'review');
  assert.ok(gone, `${finding.ruleId} gone after "${fix.title}":\n${after}`);
  // Nothing else appears or disappears.
  const before = await codeFindings(file, text);
  assert.equal(again.length, before.length - 1, `only the fixed finding changes:\n${after}`);
  return after;
}

test('every fix offered on the Python corpus parses, removes its finding and changes nothing else', async () => {
  let fixes = 0;
  for (const file of fixtureFiles('code').filter((f) => f.endsWith('.py'))) {
    const text = fs.readFileSync(file, 'utf8');
    for (const finding of await codeFindings(file, text)) {
      if (!finding.fixes.length) continue;
      fixes++;
      await fixRoundTrip(file, text, finding);
    }
  }
  assert.ok(fixes >= 8, `the corpus exercises fixes (${fixes})`);
});

const cases: Array<{ name: string; source: string; rule: string; expected: string | null }> = [
  {
    name: 'sqlite3 f-string → ? placeholders',
    rule: 'code/sql-injection',
    source: `import sqlite3\nfrom flask import request\n\ndef view():\n    name = request.args["name"]\n    conn = sqlite3.connect("a.db")\n    conn.execute(f"SELECT * FROM users WHERE name = '{name}' AND age > {int(request.args['age'])}")\n`,
    expected: `import sqlite3\nfrom flask import request\n\ndef view():\n    name = request.args["name"]\n    conn = sqlite3.connect("a.db")\n    conn.execute("SELECT * FROM users WHERE name = ? AND age > ?", (name, int(request.args['age'])))\n`,
  },
  {
    name: 'psycopg2 concatenation → %s, literal % doubled',
    rule: 'code/sql-injection',
    source: `import psycopg2\nfrom flask import request\n\ndef view():\n    cur = psycopg2.connect("").cursor()\n    cur.execute("SELECT * FROM t WHERE a LIKE 'x%' AND b = '" + request.form["b"] + "'")\n`,
    expected: `import psycopg2\nfrom flask import request\n\ndef view():\n    cur = psycopg2.connect("").cursor()\n    cur.execute("SELECT * FROM t WHERE a LIKE 'x%%' AND b = %s", (request.form["b"],))\n`,
  },
  {
    name: 'query built with % on the line before',
    rule: 'code/sql-injection',
    source: `import pymysql\nfrom flask import request\n\ndef view():\n    db = pymysql.connect()\n    cur = db.cursor()\n    u = request.args["u"]\n    q = "SELECT * FROM users WHERE id = %s AND name = '%s'" % (u, u)\n    cur.execute(q)\n`,
    expected: `import pymysql\nfrom flask import request\n\ndef view():\n    db = pymysql.connect()\n    cur = db.cursor()\n    u = request.args["u"]\n    q = "SELECT * FROM users WHERE id = %s AND name = %s"\n    cur.execute(q, (u, u))\n`,
  },
  {
    name: 'SQLAlchemy text() → bound parameters',
    rule: 'code/sql-injection',
    source: `from sqlalchemy import text\nfrom flask import request\n\ndef view(session):\n    sku = request.args["sku"]\n    return session.execute(text("SELECT * FROM items WHERE sku = '{}'".format(sku)))\n`,
    expected: `from sqlalchemy import text\nfrom flask import request\n\ndef view(session):\n    sku = request.args["sku"]\n    return session.execute(text("SELECT * FROM items WHERE sku = :sku").bindparams(sku=sku))\n`,
  },
  {
    name: 'an identifier position (ORDER BY) gets no fix',
    rule: 'code/sql-injection',
    source: `import sqlite3\nfrom flask import request\n\ndef view():\n    conn = sqlite3.connect("a.db")\n    conn.execute(f"SELECT * FROM users ORDER BY {request.args['col']}")\n`,
    expected: null,
  },
  {
    name: "a value inside a larger quoted literal ('%{x}%') gets no fix",
    rule: 'code/sql-injection',
    source: `import sqlite3\nfrom flask import request\n\ndef view():\n    conn = sqlite3.connect("a.db")\n    conn.execute(f"SELECT * FROM users WHERE name LIKE '%{request.args['q']}%'")\n`,
    expected: null,
  },
  {
    name: 'subprocess shell=True → argument list, shell=False',
    rule: 'code/command-injection',
    source: `import subprocess\nfrom flask import request\n\ndef view():\n    host = request.args["host"]\n    return subprocess.check_output(f"ping -c 1 {host}", shell=True, timeout=5)\n`,
    expected: `import subprocess\nfrom flask import request\n\ndef view():\n    host = request.args["host"]\n    return subprocess.check_output(["ping", "-c", "1", str(host)], shell=False, timeout=5)\n`,
  },
  {
    name: 'a shell pipeline gets no fix',
    rule: 'code/command-injection',
    source: `import subprocess\nfrom flask import request\n\ndef view():\n    subprocess.run("cat " + request.args["f"] + " | wc -l", shell=True)\n`,
    expected: null,
  },
  {
    name: 'os.system → subprocess.run with import added',
    rule: 'code/command-injection',
    source: `"""Doc."""\nimport os\nfrom flask import request\n\n\ndef view():\n    os.system("convert " + request.args["src"] + " out.png")\n`,
    expected: `"""Doc."""\nimport subprocess\nimport os\nfrom flask import request\n\n\ndef view():\n    subprocess.run(["convert", str(request.args["src"]), "out.png"], check=True)\n`,
  },
  {
    name: 'os.system whose status is used gets no fix',
    rule: 'code/command-injection',
    source: `import os\nfrom flask import request\n\ndef view():\n    rc = os.system("convert " + request.args["src"])\n    return str(rc)\n`,
    expected: null,
  },
  {
    name: 'eval → ast.literal_eval with import added',
    rule: 'code/code-injection',
    source: `from flask import request\n\ndef view():\n    return str(eval(request.args["v"]))\n`,
    expected: `import ast\nfrom flask import request\n\ndef view():\n    return str(ast.literal_eval(request.args["v"]))\n`,
  },
  {
    name: 'yaml.load(Loader=yaml.Loader) → yaml.safe_load',
    rule: 'code/unsafe-deserialization',
    source: `import yaml\n\ndef load(path):\n    with open(path) as fh:\n        return yaml.load(fh, Loader=yaml.Loader)\n`,
    expected: `import yaml\n\ndef load(path):\n    with open(path) as fh:\n        return yaml.safe_load(fh)\n`,
  },
];

for (const c of cases) {
  test(`fix: ${c.name}`, async () => {
    const file = path.join(__dirname, 'virtual', 'fix_case.py');
    const findings = (await codeFindings(file, c.source)).filter((f) => f.ruleId === c.rule);
    assert.equal(findings.length, 1, `one ${c.rule} finding`);
    if (c.expected === null) {
      assert.equal(findings[0].fixes.length, 0, 'no fix offered');
      return;
    }
    assert.equal(findings[0].fixes.length, 1);
    const after = await fixRoundTrip(file, c.source, findings[0]);
    assert.equal(after, c.expected);
  });
}
