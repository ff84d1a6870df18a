// The extension manifest (package.json `contributes`, activation, capabilities)
// agrees with the client code: every command shown is registered, every
// setting read is declared and documented, every file it points to exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const contributes = pkg.contributes;

function clientSources(dir = path.join(ROOT, 'client'), skip?: string): string {
  let text = '';
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) text += entry.name === skip ? '' : clientSources(p, skip);
    else if (entry.name.endsWith('.ts')) text += fs.readFileSync(p, 'utf8') + '\n';
  }
  return text;
}

const REGISTRATION = /register(?:Command)?\(\s*'(fourfold\.[\w.]+)'/g;
const declared = new Set<string>(contributes.commands.map((c: { command: string }) => c.command));
const registered = new Set([...clientSources().matchAll(REGISTRATION)].map((m) => m[1]));
// The image scanner may register internal commands (tests, other callers) that need no manifest entry.
const registeredByClient = new Set([...clientSources(path.join(ROOT, 'client'), 'scanImage').matchAll(REGISTRATION)].map((m) => m[1]));

test('every declared command is registered, and every client command is declared', () => {
  assert.ok(registeredByClient.size >= 15, `found ${registeredByClient.size} registrations`);
  for (const id of registeredByClient) assert.ok(declared.has(id), `${id} is registered but not declared`);
  for (const id of declared) assert.ok(registered.has(id), `${id} is declared but never registered`);
});

test('commands carry the Fourfold category and a codicon', () => {
  for (const c of contributes.commands) {
    assert.equal(c.category, 'Fourfold', c.command);
    assert.match(c.icon, /^\$\([a-z-]+\)$/, c.command);
    assert.ok(c.title && !c.title.startsWith('Fourfold'), c.command);
  }
  for (const id of ['fourfold.scanWorkspace', 'fourfold.scanImage', 'fourfold.exportSarif', 'fourfold.showOutput', 'fourfold.openRuleDoc', 'fourfold.restartServer']) {
    assert.ok(declared.has(id), id);
  }
});

test('menus, welcome views and walkthroughs only use known commands', () => {
  const used: string[] = [];
  for (const items of Object.values(contributes.menus) as Array<Array<{ command: string }>>) used.push(...items.map((i) => i.command));
  const links = JSON.stringify([contributes.viewsWelcome, contributes.walkthroughs]);
  used.push(...[...links.matchAll(/command:([\w.]+)/g)].map((m) => m[1]));
  used.push(...[...links.matchAll(/onCommand:([\w.]+)/g)].map((m) => m[1]));
  for (const id of used) {
    if (id.startsWith('workbench.')) continue; // built-in
    assert.ok(declared.has(id), `${id} is used but not declared`);
  }
  // Tree-only commands stay out of the palette.
  const hidden = new Set(contributes.menus.commandPalette.filter((m: { when: string }) => m.when === 'false').map((m: { command: string }) => m.command));
  for (const id of declared) if (/^fourfold\.tree\.(applyFix|suppress|copySarif|openFinding|openLocation)$/.test(id)) assert.ok(hidden.has(id), id);
});

test('the 4C view lives in its own activity-bar container with a shield icon', () => {
  const container = contributes.viewsContainers.activitybar.find((c: { id: string }) => c.id === 'fourfold');
  assert.ok(container);
  const svg = fs.readFileSync(path.join(ROOT, container.icon), 'utf8');
  assert.match(svg, /<svg[\s\S]*<path/);
  const views = contributes.views.fourfold;
  assert.deepEqual(views.map((v: { id: string }) => v.id), ['fourfold.findings']);
  assert.match(fs.readFileSync(path.join(ROOT, 'client/tree/provider.ts'), 'utf8'), /VIEW_ID = 'fourfold\.findings'/);
  const welcome = contributes.viewsWelcome.filter((w: { view: string }) => w.view === 'fourfold.findings');
  const noFolder = welcome.find((w: { when: string }) => w.when === 'workbenchState == empty');
  const nothingFound = welcome.find((w: { when: string }) => /!fourfold\.scanning/.test(w.when));
  for (const w of [noFolder, nothingFound]) assert.match(w.contents, /\(command:fourfold\.scanImage\)/);
  assert.match(nothingFound.contents, /\(command:fourfold\.scanWorkspace\)/);
  for (const layer of ['Code', 'Container', 'Cluster', 'Cloud']) assert.match(nothingFound.contents, new RegExp(`${layer}:`));
});

test('settings: every one documented with a default; the client reads only declared ones', () => {
  const props = contributes.configuration.properties as Record<string, { default?: unknown; markdownDescription?: string; description?: string; scope?: string }>;
  for (const [key, p] of Object.entries(props)) {
    assert.ok(key.startsWith('fourfold.'), key);
    assert.ok('default' in p, `${key} has no default`);
    assert.ok((p.markdownDescription ?? p.description ?? '').length > 20, `${key} is not documented`);
  }
  for (const key of [
    'fourfold.enable.code', 'fourfold.enable.container', 'fourfold.enable.cluster', 'fourfold.enable.cloud',
    'fourfold.minSeverity', 'fourfold.rules', 'fourfold.exclude', 'fourfold.maxFileSize', 'fourfold.review',
    'fourfold.run', 'fourfold.scanner.path', 'fourfold.scanner.kind', 'fourfold.scanner.timeoutSeconds',
  ]) assert.ok(props[key], key);
  // A workspace must not choose which program runs.
  assert.equal(props['fourfold.scanner.path'].scope, 'machine');
  const settingsSource = fs.readFileSync(path.join(ROOT, 'client/settings.ts'), 'utf8');
  const read = [...settingsSource.matchAll(/get<[^>]+>\('([\w.]+)'\)/g)].map((m) => `fourfold.${m[1]}`);
  assert.ok(read.length >= 8);
  for (const key of read) {
    const known = props[key] || Object.keys(props).some((k) => k.startsWith(key + '.'));
    assert.ok(known, `${key} is read but not declared`);
  }
});

test('activation, engine and trust are declared honestly', () => {
  assert.equal(pkg.engines.vscode, '^1.100.0');
  assert.equal(pkg.main, './dist/extension.js');
  assert.ok(!pkg.activationEvents.includes('*'));
  for (const lang of ['python', 'javascript', 'typescript', 'dockerfile', 'yaml']) assert.ok(pkg.activationEvents.includes(`onLanguage:${lang}`), lang);
  assert.ok(pkg.activationEvents.some((e: string) => e.startsWith('workspaceContains:') && e.includes('Dockerfile')));
  const trust = pkg.capabilities.untrustedWorkspaces;
  assert.equal(trust.supported, 'limited');
  for (const key of trust.restrictedConfigurations) assert.ok(contributes.configuration.properties[key], key);
  assert.ok(trust.restrictedConfigurations.includes('fourfold.scanner.path'));
  assert.equal(typeof pkg.capabilities.virtualWorkspaces.supported, 'boolean');
  assert.ok(pkg.capabilities.virtualWorkspaces.description);
});

test('walkthrough: three steps with their media', () => {
  const [walkthrough] = contributes.walkthroughs;
  assert.deepEqual(walkthrough.steps.map((s: { id: string }) => s.id), ['openSample', 'fixFinding', 'scanImage']);
  for (const step of walkthrough.steps) {
    const md = fs.readFileSync(path.join(ROOT, step.media.markdown), 'utf8');
    assert.match(md, /^# /);
    assert.ok(step.completionEvents.length > 0);
  }
});

test('snippets are registered for Dockerfile and YAML', (t) => {
  const byLang = Object.fromEntries(contributes.snippets.map((s: { language: string; path: string }) => [s.language, s.path]));
  assert.equal(byLang.dockerfile, './snippets/dockerfile.json');
  assert.equal(byLang.yaml, './snippets/kubernetes.json');
  for (const p of Object.values(byLang) as string[]) {
    const file = path.join(ROOT, p);
    if (!fs.existsSync(file)) {
      t.diagnostic(`${p} not written yet`);
      continue;
    }
    const snippets = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.ok(Object.keys(snippets).length > 0, p);
  }
});
