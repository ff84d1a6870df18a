import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspTestClient, uriOf } from '../helpers/lspClient';

/*
 * The Python taint pass through the built language server: a Flask view gets
 * the SQL injection diagnostic with the source as related information, the
 * preferred quick fix parameterises the query, and the diagnostic goes away;
 * an edit that reintroduces the f-string brings it back (incremental reparse).
 */

const has = (rule: string) => (d: Diagnostic[]) => d.some((x) => x.code === rule);
const lacks = (rule: string) => (d: Diagnostic[]) => !d.some((x) => x.code === rule);

const FLASK_VIEW = [
  'import sqlite3',
  '',
  'from flask import Flask, jsonify, request',
  '',
  'app = Flask(__name__)',
  '',
  '',
  '@app.route("/users")',
  'def users():',
  '    name = request.args.get("name", "")',
  '    conn = sqlite3.connect("app.db")',
  '    rows = conn.execute(f"SELECT * FROM users WHERE name = \'{name}\'").fetchall()',
  '    return jsonify(rows)',
  '',
].join('\n');

describe('Python code rules through the language server', () => {
  let ws: string;
  let client: LspTestClient;

  before(async () => {
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'ff-lsp-code-py-'));
    client = await LspTestClient.start({ workspaceFolders: [ws] });
  });
  after(async () => {
    await client.stop();
    fs.rmSync(ws, { recursive: true, force: true });
  });

  test('SQL injection in a Flask view: diagnostic, source, parameterise fix, gone', async () => {
    const uri = uriOf(path.join(ws, 'app.py'));
    await client.open(uri, 'python', FLASK_VIEW);
    const diags = await client.waitForVersion(uri, has('code/sql-injection'));
    const d = diags.find((x) => x.code === 'code/sql-injection')!;
    assert.equal(d.range.start.line, 11);
    assert.equal(d.relatedInformation?.[0].location.range.start.line, 9);
    assert.match(d.relatedInformation?.[0].message ?? '', /user input enters here: request\.args/);

    const actions = await client.codeActions(uri, d.range, [d]);
    const fix = actions.find((a) => a.isPreferred && a.edit);
    assert.ok(fix, `a preferred quick fix among: ${actions.map((a) => a.title).join(' | ')}`);
    const fixed = await client.applyWorkspaceEdit(fix.edit!, uri);
    assert.equal(fixed, FLASK_VIEW.replace(`f"SELECT * FROM users WHERE name = '{name}'"`, '"SELECT * FROM users WHERE name = ?", (name,)'));
    await client.waitForVersion(uri, lacks('code/sql-injection'));

    await client.change(uri, FLASK_VIEW);
    await client.waitForVersion(uri, has('code/sql-injection'));
  });

  test('yaml.load: the safe_load fix removes the deserialization finding', async () => {
    const uri = uriOf(path.join(ws, 'settings.py'));
    const text = 'import yaml\n\n\ndef load(path):\n    with open(path) as fh:\n        return yaml.load(fh, Loader=yaml.Loader)\n';
    await client.open(uri, 'python', text);
    const diags = await client.waitForVersion(uri, has('code/unsafe-deserialization'));
    const d = diags.find((x) => x.code === 'code/unsafe-deserialization')!;
    const actions = await client.codeActions(uri, d.range, [d]);
    const fix = actions.find((a) => a.isPreferred && a.edit);
    assert.ok(fix);
    const fixed = await client.applyWorkspaceEdit(fix.edit!, uri);
    assert.equal(fixed, text.replace('yaml.load(fh, Loader=yaml.Loader)', 'yaml.safe_load(fh)'));
    await client.waitForVersion(uri, lacks('code/unsafe-deserialization'));
  });
});
