// The palette commands, run through vscode.commands.executeCommand the way
// the palette runs them: scan workspace, export SARIF (to a temp file through
// the command's target-URI argument instead of the save dialog), scan image
// with no scanner installed, open a rule document, restart the server.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import * as vscode from 'vscode';
import type { FourfoldApi } from '../../client/extension';
import { cliFindings } from './expected';
import { activate, extensionRoot, openDoc, ruleIdOf, waitForEvent, waitForDiagnostics, exists } from './helpers';

/** The commands the product brief names; all in the "Fourfold" category. */
const REQUIRED = [
  'fourfold.scanWorkspace',
  'fourfold.scanImage',
  'fourfold.exportSarif',
  'fourfold.showOutput',
  'fourfold.openRuleDoc',
  'fourfold.restartServer',
];

interface Contributed {
  command: string;
  title: string;
  category?: string;
}

function contributedCommands(): Contributed[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(extensionRoot(), 'package.json'), 'utf8'));
  return pkg.contributes?.commands ?? [];
}

/** The parts of SARIF 2.1.0 that GitHub code scanning and other consumers rely on. */
const SARIF_SCHEMA = {
  type: 'object',
  required: ['version', 'runs'],
  properties: {
    version: { const: '2.1.0' },
    $schema: { type: 'string', pattern: 'sarif' },
    runs: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['tool', 'results'],
        properties: {
          tool: {
            type: 'object',
            required: ['driver'],
            properties: {
              driver: {
                type: 'object',
                required: ['name', 'rules'],
                properties: {
                  name: { type: 'string', minLength: 1 },
                  rules: {
                    type: 'array',
                    items: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
                  },
                },
              },
            },
          },
          results: {
            type: 'array',
            items: {
              type: 'object',
              required: ['ruleId', 'message', 'locations'],
              properties: {
                ruleId: { type: 'string', pattern: '^(code|container|cluster|cloud)/' },
                level: { enum: ['error', 'warning', 'note', 'none'] },
                message: { type: 'object', required: ['text'], properties: { text: { type: 'string', minLength: 1 } } },
                locations: {
                  type: 'array',
                  minItems: 1,
                  items: {
                    type: 'object',
                    required: ['physicalLocation'],
                    properties: {
                      physicalLocation: {
                        type: 'object',
                        required: ['artifactLocation', 'region'],
                        properties: {
                          artifactLocation: { type: 'object', required: ['uri'] },
                          region: {
                            type: 'object',
                            required: ['startLine'],
                            properties: { startLine: { type: 'integer', minimum: 1 }, startColumn: { type: 'integer', minimum: 1 } },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

suite('commands', () => {
  let api: FourfoldApi;
  let tmp: string;

  suiteSetup(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fourfold-suite-'));
    api = await activate<FourfoldApi>();
    await api.ready;
  });
  suiteTeardown(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('the brief\'s commands are contributed under "Fourfold" and registered', async () => {
    const contributed = contributedCommands();
    const byId = new Map(contributed.map((c) => [c.command, c]));
    const missing = REQUIRED.filter((id) => !byId.has(id));
    assert.deepEqual(missing, [], 'not contributed in package.json');
    for (const id of REQUIRED) assert.equal(byId.get(id)!.category, 'Fourfold', `${id} category`);
    const registered = new Set(await vscode.commands.getCommands(true));
    const unregistered = contributed.map((c) => c.command).filter((id) => !registered.has(id));
    assert.deepEqual(unregistered, [], 'contributed but not registered by activate()');
  });

  test('Fourfold: Scan Workspace rescans and the tree agrees with the CLI', async () => {
    const result = await vscode.commands.executeCommand<{ fileCount?: number } | undefined>('fourfold.scanWorkspace');
    assert.ok(result, 'scanWorkspace returned nothing (did it fail? see the Fourfold output)');
    assert.ok((result.fileCount ?? 0) > 0, `scanned ${result.fileCount} files`);
    await api.whenIndexed();
    const cliTotal = [...cliFindings().values()].reduce((n, l) => n + l.length, 0);
    assert.equal(api.treeModel.counts().total, cliTotal);
  });

  test('Fourfold: Export SARIF writes a valid SARIF 2.1.0 log of the workspace findings', async () => {
    await api.whenIndexed();
    const target = vscode.Uri.file(path.join(tmp, 'fourfold.sarif'));
    const written = await vscode.commands.executeCommand<vscode.Uri | undefined>('fourfold.exportSarif', target);
    assert.ok(written, 'exportSarif returned nothing (did it fail? see the Fourfold output)');
    assert.ok(fs.existsSync(target.fsPath), 'no file written');
    const log = JSON.parse(fs.readFileSync(target.fsPath, 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: false });
    const valid = ajv.validate(SARIF_SCHEMA, log);
    assert.ok(valid, `invalid SARIF: ${ajv.errorsText(ajv.errors)}`);
    const run = log.runs[0];
    const ruleIds = new Set(run.tool.driver.rules.map((r: { id: string }) => r.id));
    for (const r of run.results) assert.ok(ruleIds.has(r.ruleId), `result rule ${r.ruleId} is not in tool.driver.rules`);
    // Same findings as the editor's index: rule and line per file.
    const want = api.treeModel.allFindings.map((f) => `${path.basename(f.path)}:${f.range.start.line + 1} ${f.ruleId}`).sort();
    const have = run.results
      .map(
        (r: { ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }) =>
          `${path.posix.basename(r.locations[0].physicalLocation.artifactLocation.uri)}:${r.locations[0].physicalLocation.region.startLine} ${r.ruleId}`,
      )
      .sort();
    assert.deepEqual(have, want);
  });

  test('Fourfold: Scan Image with no scanner installed explains what is missing', async () => {
    // The premise: neither Trivy nor Grype is on this machine's PATH.
    for (const bin of ['trivy', 'grype']) {
      for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
        assert.ok(!fs.existsSync(path.join(dir, bin)), `${bin} is installed at ${dir}; this test needs a machine without it`);
      }
    }
    const result = await vscode.commands.executeCommand<unknown>('fourfold.scanImage', 'alpine:3.19');
    // The command must settle (not hang) and must not claim a result.
    const text = JSON.stringify(result ?? null);
    assert.doesNotMatch(text, /"vulnerabilities":\s*\[\s*\{/, 'a scan result without a scanner');
    const messages = scanMessages(result);
    assert.ok(
      messages.some((m) => /trivy|grype/i.test(m) && /(not (installed|found)|install|missing|unavailable|no scanner)/i.test(m)),
      `no clear "no scanner installed" message; the command returned ${text}`,
    );
  });

  test('Fourfold: Open Rule Documentation opens the rule page', async () => {
    await vscode.commands.executeCommand('fourfold.openRuleDoc', 'container/root-user');
    const tab = await waitForEvent(
      vscode.window.tabGroups.onDidChangeTabs as vscode.Event<unknown>,
      () => {
        const t = vscode.window.tabGroups.activeTabGroup.activeTab;
        return t && /root-user/.test(t.label) ? t : undefined;
      },
      'a tab on root-user.md',
      30_000,
    );
    assert.match(tab.label, /root-user/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('Fourfold: Show Output runs', async () => {
    await vscode.commands.executeCommand('fourfold.showOutput');
  });

  test('Fourfold: Restart Language Server brings diagnostics back', async () => {
    const file = 'container/Dockerfile';
    assert.ok(exists(file), `examples/${file} does not exist (not landed yet)`);
    await vscode.commands.executeCommand('fourfold.restartServer');
    const c = api.client();
    assert.ok(c && c.isRunning(), 'the client is not running after a restart');
    const doc = await openDoc(file);
    await waitForDiagnostics(doc.uri, (ds) => ds.some((d) => ruleIdOf(d) === 'container/latest-tag'), 'latest-tag after restart');
    await api.whenIndexed();
    assert.ok(api.treeModel.counts().total > 0);
  });
});

/** Messages a scan-image result carries (the command returns the scanner API's result). */
function scanMessages(result: unknown): string[] {
  const out: string[] = [];
  const visit = (v: unknown, depth: number) => {
    if (depth > 4 || v == null) return;
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach((x) => visit(x, depth + 1));
    else if (typeof v === 'object') Object.values(v as Record<string, unknown>).forEach((x) => visit(x, depth + 1));
  };
  visit(result, 0);
  return out;
}
