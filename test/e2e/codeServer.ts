// Starting and stopping code-server (VS Code 1.100.3 served on loopback) and
// headless Chromium for the user-level scenario. Uses the verified recipe in
// ../shared/e2e (install, flags, fresh state per server).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const sharedE2e = process.env.FOURFOLD_E2E_SHARED ?? path.resolve(repoRoot, '..', 'shared', 'e2e');
export const resultsDir = process.env.FOURFOLD_E2E_RESULTS ?? path.join(repoRoot, 'test-results', 'e2e');

export interface CodeServer {
  url: string;
  pid: number;
  state: string;
  workspace: string;
}

/** A fresh temporary copy of examples/: the quick fix edits files on disk. */
export function copyExamples(): string {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'fourfold-e2e-ws-'));
  fs.cpSync(path.join(repoRoot, 'examples'), ws, { recursive: true });
  return ws;
}

/** Start code-server with the packaged extension installed, serving `workspace`. */
export function startCodeServer(vsix: string, workspace: string): CodeServer {
  if (!fs.existsSync(vsix)) throw new Error(`no packaged extension at ${vsix}: run \`npm run package\` first`);
  const out = execFileSync('bash', [path.join(sharedE2e, 'start-code-server.sh'), '--vsix', vsix, workspace], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, FORCE_COLOR: '0' },
    timeout: 300_000,
  });
  const kv = Object.fromEntries(
    out
      .trim()
      .split('\n')
      .map((l) => l.split(/=(.*)/s).slice(0, 2) as [string, string]),
  );
  const pid = Number(kv.CODE_SERVER_PID);
  if (!kv.CODE_SERVER_URL || !pid) throw new Error(`start-code-server.sh printed no server: ${out}`);
  return { url: kv.CODE_SERVER_URL, pid, state: kv.CODE_SERVER_STATE, workspace };
}

/** Stop the server's whole process group (extension hosts, language servers) and remove its state. */
export async function stopCodeServer(s: CodeServer | undefined): Promise<void> {
  if (!s) return;
  try {
    process.kill(-s.pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
  // Wait (bounded) until the group is gone, then force it.
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && groupAlive(s.pid)) await new Promise((r) => setTimeout(r, 100));
  if (groupAlive(s.pid)) {
    try {
      process.kill(-s.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  if (!process.env.FOURFOLD_E2E_KEEP) {
    fs.rmSync(s.state, { recursive: true, force: true });
    fs.rmSync(s.workspace, { recursive: true, force: true });
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    // Everything stays on loopback: no DNS at all except 127.0.0.1.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
    ],
  });
}

export async function shot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${name}.png`);
  await page.screenshot({ path: file, animations: 'disabled' });
  return file;
}

/**
 * Poll an observable condition (DOM text, file on disk) until it holds, at a
 * short interval and with a bounded timeout. Not a sleep: it returns as soon
 * as the state is there.
 */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
      last = v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Centre of an element that lies under the editor's text layer (squiggles). */
export async function centre(loc: Locator): Promise<{ x: number; y: number }> {
  const box = await loc.boundingBox();
  if (!box) throw new Error('element has no box (not visible)');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 - 4 };
}
