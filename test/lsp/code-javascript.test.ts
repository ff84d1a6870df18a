import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspTestClient, uriOf } from '../helpers/lspClient';

/*
 * The JavaScript/TypeScript taint pass through the built language server:
 * a TypeScript buffer gets the SQL injection diagnostic with the source as
 * related information, the preferred quick fix rewrites it to a
 * parameterised query, and the diagnostic goes away. Editing the buffer
 * (incremental reparse) brings it back.
 */

const has = (rule: string) => (d: Diagnostic[]) => d.some((x) => x.code === rule);
const lacks = (rule: string) => (d: Diagnostic[]) => !d.some((x) => x.code === rule);

const TS_HANDLER = [
  "import { Pool } from 'pg';",
  "import type { Request, Response } from 'express';",
  '',
  'const pool = new Pool();',
  '',
  'export async function getAccount(req: Request, res: Response) {',
  '  const id = req.params.id;',
  "  const result = await pool.query(`SELECT * FROM accounts WHERE id = '${id}'`);",
  '  res.json(result.rows);',
  '}',
  '',
].join('\n');

describe('JavaScript/TypeScript code rules through the language server', () => {
  let ws: string;
  let client: LspTestClient;

  before(async () => {
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'ff-lsp-code-js-'));
    client = await LspTestClient.start({ workspaceFolders: [ws] });
  });
  after(async () => {
    await client.stop();
    fs.rmSync(ws, { recursive: true, force: true });
  });

  test('SQL injection in a TypeScript handler: diagnostic, source, quick fix, gone', async () => {
    const uri = uriOf(path.join(ws, 'accounts.ts'));
    await client.open(uri, 'typescript', TS_HANDLER);
    const diags = await client.waitForVersion(uri, has('code/sql-injection'));
    const d = diags.find((x) => x.code === 'code/sql-injection')!;
    assert.equal(d.range.start.line, 7);
    assert.equal(d.source, 'Fourfold');
    assert.equal(d.relatedInformation?.[0].location.range.start.line, 6);
    assert.match(d.relatedInformation?.[0].message ?? '', /user input enters here: req\.params\.id/);

    const actions = await client.codeActions(uri, d.range, [d]);
    const fix = actions.find((a) => a.isPreferred && a.edit);
    assert.ok(fix, `a preferred quick fix among: ${actions.map((a) => a.title).join(' | ')}`);
    const fixed = await client.applyWorkspaceEdit(fix.edit!, uri);
    assert.match(fixed, /pool\.query\(`SELECT \* FROM accounts WHERE id = \$1`, \[id\]\)/);
    await client.waitForVersion(uri, lacks('code/sql-injection'));

    // An edit that reintroduces the concatenation brings the finding back.
    const again = fixed.replace('`SELECT * FROM accounts WHERE id = $1`, [id]', "'SELECT * FROM accounts WHERE id = ' + id");
    await client.change(uri, again);
    await client.waitForVersion(uri, has('code/sql-injection'));
  });

  test('innerHTML in a JavaScript file: the textContent fix removes the XSS finding', async () => {
    const uri = uriOf(path.join(ws, 'page.js'));
    const text = "const q = new URLSearchParams(location.search).get('q');\ndocument.getElementById('out').innerHTML = q;\n";
    await client.open(uri, 'javascript', text);
    const diags = await client.waitForVersion(uri, has('code/xss'));
    const d = diags.find((x) => x.code === 'code/xss')!;
    const actions = await client.codeActions(uri, d.range, [d]);
    const fix = actions.find((a) => a.isPreferred && a.edit);
    assert.ok(fix);
    const fixed = await client.applyWorkspaceEdit(fix.edit!, uri);
    assert.equal(fixed, text.replace('innerHTML', 'textContent'));
    await client.waitForVersion(uri, lacks('code/xss'));
  });
});
