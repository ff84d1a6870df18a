// The user-level scenario: VS Code 1.100.3 (code-server) in headless Chromium,
// the packaged dist/fourfold.vsix installed, a fresh copy of examples/ open.
// Every expectation comes from the CLI (`fourfold scan --format json`) run on
// the same files, so the editor is checked against an independent front end.
//
//   npm run package && node --import tsx --test test/e2e/editor.e2e.ts
//   (scripts/e2e.sh does the installs, the build and this.)
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  type CodeServer,
  centre,
  copyExamples,
  launchBrowser,
  repoRoot,
  shot,
  startCodeServer,
  stopCodeServer,
  until,
} from './codeServer';

const VSIX = process.env.FOURFOLD_VSIX ?? path.join(repoRoot, 'dist', 'fourfold.vsix');
const T = 60_000; // bounded waits: first squiggle includes activation + server start on a busy machine
const STEP = { timeout: 180_000 };

interface CliFinding {
  ruleId: string;
  title: string;
  layer: string;
  message: string;
  path: string;
  severity: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  fixes: Array<{ title: string; isPreferred?: boolean; snippet?: boolean; edits: Array<{ range: CliFinding['range']; newText: string }> }>;
}

function cliScan(dir: string): CliFinding[] {
  const out = execFileSync(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), 'scan', '--format', 'json', '--threads', '1', dir], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return (JSON.parse(out) as { findings: CliFinding[] }).findings;
}

/** Apply non-overlapping LSP-style edits to a text (what the fix must write to disk). */
function applyEdits(text: string, edits: CliFinding['fixes'][number]['edits']): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const off = (p: { line: number; character: number }) => (lineStarts[p.line] ?? text.length) + p.character;
  const sorted = [...edits].sort((a, b) => off(b.range.start) - off(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, off(e.range.start)) + e.newText + out.slice(off(e.range.end));
  return out;
}

const LAYER_LABELS: Record<string, string> = { code: 'Code', container: 'Container', cluster: 'Cluster', cloud: 'Cloud' };

describe('Fourfold in VS Code (code-server + Chromium, packaged .vsix)', () => {
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let ws: string;
  let findings: CliFinding[];
  const rel = (p: string) => path.relative(ws, p).split(path.sep).join('/');
  let pyFile = 'code/app.py';
  /** code/app.py (the brief's example), else the first Python example with findings. */
  const pythonExample = (): string => {
    const withFindings = [...new Set(findings.map((f) => rel(f.path)))].filter((f) => f.endsWith('.py')).sort();
    const pick = withFindings.includes('code/app.py') ? 'code/app.py' : withFindings[0];
    assert.ok(pick, 'examples/ has no Python file with findings (code/app.py not landed yet)');
    return pick;
  };
  const activeEditor = () => page.locator('.editor-group-container.active .monaco-editor').first();

  async function quickOpen(file: string): Promise<void> {
    const name = path.posix.basename(file);
    const dir = path.posix.dirname(file);
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: T });
    await input.fill(file);
    // Wait for the file-search result (history rows come first), then open it.
    await page
      .locator(`.quick-input-list .monaco-list-row.focused[aria-label^="${name} "]`, { hasText: dir === '.' ? name : dir })
      .waitFor({ state: 'visible', timeout: T });
    await page.keyboard.press('Enter');
    await page.locator(`.tabs-container .tab.active[aria-label^="${name}"]`).waitFor({ state: 'visible', timeout: T });
  }

  /** Put the caret at a 0-based position with Go to Line (Ctrl+G). */
  async function gotoPosition(line: number, character: number): Promise<void> {
    await page.keyboard.press('Control+G');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: T });
    await input.fill(`:${line + 1}:${character + 1}`);
    await page.keyboard.press('Enter');
    await page
      .locator('#status\\.editor\\.selection', { hasText: `Ln ${line + 1}, Col ${character + 1}` })
      .waitFor({ state: 'visible', timeout: T });
  }

  before(async () => {
    ws = copyExamples();
    findings = cliScan(ws);
    server = startCodeServer(VSIX, ws);
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    page = await context.newPage();
    page.setDefaultTimeout(T);
    await page.goto(`${server.url}/?folder=${encodeURIComponent(ws)}`);
    // The remote extension host is connected once the explorer lists the folder.
    await page.locator('.explorer-folders-view .monaco-list-row[aria-label="container"]').waitFor({ state: 'visible', timeout: 120_000 });
  });

  after(async () => {
    if (page && process.exitCode) await shot(page, 'failure').catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await stopCodeServer(server);
  });

  it('the CLI finds all four layers in examples/ (the scenario\'s premise)', () => {
    const layers = new Set(findings.map((f) => f.layer));
    for (const l of ['code', 'container', 'cluster', 'cloud']) assert.ok(layers.has(l), `no ${l} finding in examples/`);
  });

  it('a Python file shows squiggles, and the hover shows the message and the rule link', STEP, async () => {
    pyFile = pythonExample();
    const file = pyFile;
    const expected = findings.filter((f) => rel(f.path) === file);
    assert.ok(expected.length > 0, `the CLI finds nothing in ${file}`);
    await quickOpen(file);
    const squiggles = activeEditor().locator('[class*="squiggly-"]');
    await squiggles.first().waitFor({ state: 'attached', timeout: T });
    const target = expected.find((f) => f.ruleId === 'code/sql-injection') ?? expected[0];
    // Hover the finding's start (the squiggle sits under the text layer, so use the mouse).
    await gotoPosition(target.range.start.line, target.range.start.character);
    const cursor = await centre(activeEditor().locator('.cursor').first());
    const box = await squiggles.first().boundingBox();
    assert.ok(box);
    await page.mouse.move(cursor.x + 6, cursor.y + 4);
    const hover = page.locator('.monaco-hover', { hasText: target.message.slice(0, 40) });
    await hover.first().waitFor({ state: 'visible', timeout: T });
    const link = hover.first().locator('a', { hasText: target.ruleId });
    await link.first().waitFor({ state: 'visible', timeout: T });
    await shot(page, 'hover');
    await page.keyboard.press('Escape');
  });

  it('the Problems panel lists the findings of the open files', STEP, async () => {
    await quickOpen('container/Dockerfile');
    await activeEditor().locator('[class*="squiggly-"]').first().waitFor({ state: 'attached', timeout: T });
    await page.keyboard.press('Control+Shift+M');
    const files = [pyFile, 'container/Dockerfile'].filter((f) => fs.existsSync(path.join(ws, f)));
    // Filter the panel to the open files, so their rows are rendered (the list is virtual).
    const filter = page.locator('.markers-panel-container .viewpane-filter input, .viewpane-filter-container input').first();
    await filter.waitFor({ state: 'visible', timeout: T });
    await filter.fill(files.map((f) => `**/${f}`).join(', '));
    const open = findings.filter((f) => files.includes(rel(f.path)));
    assert.ok(open.length > 0, 'the CLI finds nothing in the open files');
    for (const f of open) {
      // Row aria-label: "<Severity>: <message> at line L and character C. generated by Fourfold"
      const row = page.locator(`.markers-panel .monaco-list-row[aria-label*="at line ${f.range.start.line + 1} and character ${f.range.start.character + 1}"]`);
      await row.first().waitFor({ state: 'attached', timeout: T }).catch(() => {
        throw new Error(`no Problems row for ${f.ruleId} at ${rel(f.path)}:${f.range.start.line + 1}:${f.range.start.character + 1}`);
      });
    }
    await shot(page, 'problems-panel');
    await page.keyboard.press('Escape');
  });

  it('Ctrl+. offers the fix, and applying and saving it changes the file on disk', STEP, async () => {
    const file = 'container/Dockerfile';
    const abs = path.join(ws, file);
    const original = fs.readFileSync(abs, 'utf8');
    const f = findings.find((x) => rel(x.path) === file && x.ruleId === 'container/latest-tag' && x.fixes.length > 0)
      ?? findings.find((x) => rel(x.path) === file && x.fixes.length > 0);
    assert.ok(f, `the CLI offers no fix in ${file}`);
    const fix = f.fixes.find((x) => x.isPreferred) ?? f.fixes[0];
    await quickOpen(file);
    await gotoPosition(f.range.start.line, f.range.start.character);
    await page.keyboard.press('Control+.');
    const widget = page.locator('.action-widget');
    await widget.locator('.monaco-list-row').first().waitFor({ state: 'visible', timeout: T });
    // Move the focus to the fix's row (clicking the menu is intercepted by its pointer block).
    const focused = widget.locator('.monaco-list-row.focused');
    for (let i = 0; i < 20; i++) {
      const label = (await focused.getAttribute('aria-label').catch(() => null)) ?? '';
      if (label.startsWith(fix.title)) break;
      await page.keyboard.press('ArrowDown');
    }
    await until(`the quick-fix menu to focus "${fix.title}"`, async () => ((await focused.getAttribute('aria-label')) ?? '').startsWith(fix.title), T);
    await shot(page, 'quick-fix');
    await page.keyboard.press('Enter');
    await widget.waitFor({ state: 'hidden', timeout: T });
    await page.keyboard.press('Control+S');
    const want = fix.snippet ? undefined : applyEdits(original, fix.edits);
    const onDisk = await until(
      'the fixed file on disk',
      () => {
        const text = fs.readFileSync(abs, 'utf8');
        return text !== original && (!want || text === want) ? text : undefined;
      },
      T,
    );
    // The finding is gone for the CLI as well.
    const now = cliScan(ws).filter((x) => rel(x.path) === file);
    assert.ok(
      now.filter((x) => x.ruleId === f.ruleId).length < findings.filter((x) => rel(x.path) === file && x.ruleId === f.ruleId).length,
      `${f.ruleId} still reported after "${fix.title}": ${onDisk}`,
    );
    findings = cliScan(ws);
  });

  it('the Fourfold view shows Code, Container, Cluster, Cloud with the right counts', STEP, async () => {
    // The badge (the count) lies over the icon: force the click through to the action.
    await page.locator('.activitybar a.action-label[aria-label^="Fourfold"]').click({ force: true });
    const view = page.locator('[id="workbench.view.extension.fourfold"]');
    await view.waitFor({ state: 'visible', timeout: T });
    const want: Record<string, number> = { Code: 0, Container: 0, Cluster: 0, Cloud: 0 };
    for (const f of findings) want[LAYER_LABELS[f.layer]]++;
    const rows = view.locator('.monaco-list-row');
    // A layer row's aria-label is its tooltip: "Code: 4 findings (2 critical · 2 high)".
    const layerCount = async (label: string): Promise<number | undefined> => {
      const row = rows.and(page.locator(`[aria-level="1"][aria-label^="${label}: "]`)).first();
      if (!(await row.count())) return undefined;
      const m = /^\S+: (\d+) finding/.exec((await row.getAttribute('aria-label')) ?? '');
      return m ? Number(m[1]) : undefined;
    };
    const have = await until(
      `layer counts ${JSON.stringify(want)}`,
      async () => {
        const got: Record<string, number | undefined> = {};
        for (const l of Object.keys(want)) got[l] = await layerCount(l);
        return JSON.stringify(got) === JSON.stringify(want) ? got : undefined;
      },
      T,
    ).catch(async (err) => {
      const got: Record<string, number | undefined> = {};
      for (const l of Object.keys(want)) got[l] = await layerCount(l);
      assert.deepEqual(got, want, String(err));
      return got;
    });
    assert.deepEqual(have, want);
    // Move the pointer off the activity bar so its tooltip does not cover the view.
    await page.mouse.move(900, 600);
    await page.locator('.workbench-hover').first().waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
    await shot(page, 'tree-view');
  });

  it('clicking a finding in the view opens its file at its line', STEP, async () => {
    const view = page.locator('[id="workbench.view.extension.fourfold"]');
    const target = findings.find((f) => f.layer === 'cluster') ?? findings[0];
    // Grouped by rule: a group's aria-label is "<rule title> — <rule id>\n…", a leaf is labelled "path:line".
    const group = view.locator(`.monaco-list-row[aria-level="2"][aria-label*="— ${target.ruleId}"]`).first();
    await group.waitFor({ state: 'visible', timeout: T });
    if ((await group.getAttribute('aria-expanded')) !== 'true') await group.click();
    const leafLabel = `${rel(target.path)}:${target.range.start.line + 1}`;
    const leaf = view
      .locator('.monaco-list-row[aria-level="3"]')
      .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${leafLabel.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) })
      .first();
    await leaf.waitFor({ state: 'visible', timeout: T });
    await leaf.click();
    await page.locator(`.tabs-container .tab.active[aria-label^="${path.basename(target.path)}"]`).waitFor({ state: 'visible', timeout: T });
    // The finding's range is selected; the status bar shows the caret (the selection's end).
    const { start, end } = target.range;
    const at = (p: { line: number; character: number }) => `Ln ${p.line + 1}, Col ${p.character + 1}`;
    await page
      .locator('#status\\.editor\\.selection', { hasText: new RegExp(`^(${at(start)}|${at(end)})\\b`) })
      .waitFor({ state: 'visible', timeout: T });
    await shot(page, 'tree-open-finding');
  });

  it('the status-bar shield shows the total count', STEP, async () => {
    const total = findings.length;
    // The shield's accessible label: "Fourfold: N security findings".
    const item = page.locator('#workbench\\.parts\\.statusbar [aria-label^="Fourfold: "][aria-label$="security findings"], #workbench\\.parts\\.statusbar [aria-label="Fourfold: 1 security finding"]').first();
    await item.waitFor({ state: 'visible', timeout: T });
    const shown = await until(
      `the shield to show ${total}`,
      async () => {
        const m = /Fourfold: (\d+) security/.exec((await item.getAttribute('aria-label')) ?? '');
        return m && Number(m[1]) === total ? Number(m[1]) : undefined;
      },
      T,
    ).catch(async () => (await item.getAttribute('aria-label')) ?? '');
    assert.equal(shown, total, 'status-bar shield vs `fourfold scan`');
    assert.match(await item.innerText(), new RegExp(`\\b${total}\\b`));
  });

  it('the command palette lists the Fourfold commands, and Scan Image without a scanner says so', STEP, async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    const titles = new Map<string, string>(pkg.contributes.commands.map((c: { command: string; title: string; category?: string }) => [c.command, `${c.category ?? ''}: ${c.title}`]));
    const input = page.locator('.quick-input-widget input');
    for (const id of ['fourfold.scanWorkspace', 'fourfold.scanImage', 'fourfold.exportSarif', 'fourfold.showOutput', 'fourfold.openRuleDoc', 'fourfold.restartServer']) {
      const full = titles.get(id);
      assert.ok(full, `${id} is not contributed`);
      await page.keyboard.press('Control+Shift+P');
      await input.waitFor({ state: 'visible', timeout: T });
      await input.fill(`>${full}`);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: full.split(': ')[1].replace(/…$/, '') }).first().waitFor({ state: 'visible', timeout: T });
      await page.keyboard.press('Escape');
    }
    await page.keyboard.press('Control+Shift+P');
    await input.fill(`>Fourfold: `);
    await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ state: 'visible', timeout: T });
    await shot(page, 'command-palette');
    // Run Scan Image from the palette and type an image reference into its picker.
    await input.fill(`>${titles.get('fourfold.scanImage')}`);
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'Scan Image' }).waitFor({ state: 'visible', timeout: T });
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget input[placeholder*="image"], .quick-input-widget input[aria-label*="image"]').first().waitFor({ state: 'visible', timeout: T });
    await input.fill('alpine:3.19');
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'alpine:3.19' }).waitFor({ state: 'visible', timeout: T });
    await page.keyboard.press('Enter');
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: /Trivy/ });
    await toast.first().waitFor({ state: 'visible', timeout: T });
    assert.match((await toast.first().innerText()) ?? '', /Grype/);
    await shot(page, 'scan-image-no-scanner');
  });
});
