// The extension's own security: no shell, no exec, no network modules,
// machine-scoped executable settings, honest workspace-trust declaration.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

const ROOT = path.join(__dirname, '..', '..');

function sources(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|mjs|js)$/.test(e.name)) out.push(p);
    }
  };
  for (const d of ['server', 'client']) walk(path.join(ROOT, d));
  return out;
}

/** Code lines only: comment lines are skipped (rule tables document `shell: true` as what they detect). */
function codeLines(text: string): string[] {
  return text.split('\n').filter((l) => !/^\s*(\/\/|\*|\/\*)/.test(l));
}

const ALLOWED_PROCESS_API = new Set(['spawn', 'spawnSync', 'execFile', 'execFileSync', 'fork', 'ChildProcess', 'SpawnOptions', 'ExecFileOptions', 'ChildProcessWithoutNullStreams', 'type']);

test('sources never use exec/execSync or a shell', () => {
  for (const file of sources()) {
    const text = fs.readFileSync(file, 'utf8');
    const rel = path.relative(ROOT, file);
    for (const m of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*['"](?:node:)?child_process['"]/g)) {
      for (const name of m[1].split(',').map((s) => s.trim().split(/\s+as\s+/)[0].replace(/^type\s+/, '')).filter(Boolean)) {
        assert.ok(ALLOWED_PROCESS_API.has(name), `${rel} imports ${name} from child_process`);
      }
    }
    assert.doesNotMatch(text, /import\s+\*\s+as\s+\w+\s+from\s+['"](?:node:)?child_process['"]/, `${rel}: import named functions from child_process`);
    // Process options can only be written where processes are started; elsewhere
    // (the taint models) `shell: true` is data describing what is detected.
    const startsProcesses = /['"](?:node:)?child_process['"]/.test(text);
    for (const l of codeLines(text)) {
      if (startsProcesses) assert.doesNotMatch(l, /\bshell\s*:\s*(true|['"`])/, `${rel}: ${l.trim()}`);
      assert.doesNotMatch(l, /require\(['"](?:node:)?child_process['"]\)\.exec(Sync)?\b/, `${rel}: ${l.trim()}`);
    }
  }
});

test('sources import no network module', () => {
  for (const file of sources()) {
    const text = fs.readFileSync(file, 'utf8');
    assert.doesNotMatch(text, /(?:from\s+|require\()\s*['"](?:node:)?(https?|http2|net|tls|dgram|undici)['"]/, path.relative(ROOT, file));
  }
});

test('the bundles call no exec/execSync on child_process', () => {
  const dist = path.join(ROOT, 'dist');
  const bundles = fs.readdirSync(dist).filter((f) => f.endsWith('.js'));
  assert.ok(bundles.includes('server.js') && bundles.includes('extension.js') && bundles.includes('cli.js'), 'npm run build first');
  for (const b of bundles) {
    const text = fs.readFileSync(path.join(dist, b), 'utf8');
    for (const m of text.matchAll(/(?:var|const|let)\s+([\w$]+)\s*=\s*(?:__toESM\()?require\("(?:node:)?child_process"\)/g)) {
      const v = m[1].replace(/\$/g, '\\$');
      assert.doesNotMatch(text, new RegExp(`\\b${v}\\.exec(Sync)?\\b`), `${b}: ${m[1]}.exec`);
    }
    assert.doesNotMatch(text, /\bshell\s*:\s*(true|!0)\b/, `${b} sets shell: true`);
  }
});

test('settings that name executables are machine-scoped; untrusted workspaces are declared limited', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const config = pkg.contributes?.configuration;
  const props = Object.assign({}, ...(Array.isArray(config) ? config : [config]).map((c: { properties?: object }) => c?.properties ?? {}));
  assert.ok(props['fourfold.scanner.path'], 'the scanner path setting exists');
  assert.equal(props['fourfold.scanner.path'].scope, 'machine');
  const trust = pkg.capabilities?.untrustedWorkspaces;
  assert.equal(trust?.supported, 'limited');
  assert.ok(trust.restrictedConfigurations?.includes('fourfold.scanner.path'));
  assert.ok(!(pkg.activationEvents ?? []).includes('*'), 'never activates on *');
  assert.ok(/^\^1\.(\d+)\./.test(pkg.engines.vscode) && Number(/^\^1\.(\d+)/.exec(pkg.engines.vscode)![1]) <= 100, 'engines.vscode ≤ 1.100');
});
