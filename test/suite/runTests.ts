// Launches the in-editor suite through @vscode/test-electron's runTests().
//
//   node out/test/suite/runTests.js [--desktop] [--workspace DIR]
//
// Two ways to get an editor:
// - desktop VS Code (a developer's laptop): pass --desktop or set
//   FOURFOLD_VSCODE=desktop; runTests() downloads/caches VS Code 1.100.3 itself,
//   or uses FOURFOLD_VSCODE_EXECUTABLE when set.
// - code-server (CI, machines without a desktop VS Code): the default. The
//   "executable" is ../shared/e2e/vscode-test-shim.sh, which starts code-server
//   on loopback and runs the suite in its extension host.
// The workspace is a fresh temporary copy of examples/, because the quick-fix
// tests edit the files.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

// Compiled to out/test/suite/runTests.js; the repo root is three levels up.
const repoRoot = path.resolve(__dirname, '..', '..', '..');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

export function copyExamples(): string {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'fourfold-suite-ws-'));
  fs.cpSync(path.join(repoRoot, 'examples'), ws, { recursive: true });
  return ws;
}

/** The shim itself, or (when a checkout lost its exec bit) a wrapper that runs it with bash. */
function executable(script: string): string {
  try {
    fs.accessSync(script, fs.constants.X_OK);
    return script;
  } catch {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fourfold-shim-'));
    const wrapper = path.join(dir, 'vscode-test-shim.sh');
    fs.writeFileSync(wrapper, `#!/usr/bin/env bash\nexec bash ${JSON.stringify(script)} "$@"\n`, { mode: 0o755 });
    return wrapper;
  }
}

async function main(): Promise<number> {
  const desktop = process.argv.includes('--desktop') || process.env.FOURFOLD_VSCODE === 'desktop';
  const workspace = arg('--workspace') ?? copyExamples();
  const extensionDevelopmentPath = repoRoot;
  const extensionTestsPath = path.join(__dirname, 'index.js');
  const shared = process.env.FOURFOLD_E2E_SHARED ?? path.resolve(repoRoot, '..', 'shared', 'e2e');
  const shim = path.join(shared, 'vscode-test-shim.sh');
  if (!desktop && !fs.existsSync(shim)) {
    console.error(`no desktop VS Code requested and no shim at ${shim}; pass --desktop`);
    return 2;
  }
  const vscodeExecutablePath = desktop ? process.env.FOURFOLD_VSCODE_EXECUTABLE : executable(shim);
  try {
    return await runTests({
      version: '1.100.3',
      vscodeExecutablePath,
      extensionDevelopmentPath,
      extensionTestsPath,
      // Fresh profile without other extensions on desktop; the shim ignores these.
      launchArgs: [workspace, '--disable-extensions', '--skip-welcome', '--skip-release-notes'],
      extensionTestsEnv: { FOURFOLD_TEST: '1' },
    });
  } catch (err) {
    console.error('in-editor tests failed:', err instanceof Error ? err.message : err);
    return 1;
  } finally {
    if (!arg('--workspace')) fs.rmSync(workspace, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().then((code) => process.exit(code));
}
