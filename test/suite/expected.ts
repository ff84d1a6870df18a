// What each examples/ file was written to show, and the CLI's independent
// verdict on the same files (the editor must agree with CI).
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { extensionRoot, listFiles, workspaceRoot } from './helpers';

/**
 * Rule ids each example must raise in the editor: the findings its comments
 * say it exists to show. The parity tests check the full set against the CLI.
 */
export const EXPECTED: Record<string, string[]> = {
  'code/app.py': ['code/sql-injection', 'code/command-injection'],
  'code/server.js': ['code/sql-injection', 'code/command-injection'],
  'container/Dockerfile': ['container/root-user', 'container/latest-tag', 'container/curl-pipe-shell'],
  'cluster/deployment.yaml': [
    'cluster/privileged',
    'cluster/host-path',
    'cluster/host-namespaces',
    'cluster/image-latest',
    'cluster/missing-security-context',
    'cluster/service-account-token',
  ],
  'cluster/secret.yaml': ['cluster/secret-in-manifest'],
  'cluster/service.yaml': ['cloud/public-load-balancer'],
  'cluster/ingress.yaml': ['cloud/ingress-without-tls'],
  'cloud/instance_role.py': ['cloud/metadata-endpoint', 'cloud/hardcoded-credential'],
  'cloud/settings.env': ['cloud/hardcoded-credential'],
};

/** Files of the workspace copy the engine reads (everything but docs). */
export function exampleFiles(): string[] {
  return listFiles().filter((f) => !/(^|\/)README\.md$/i.test(f) && !f.endsWith('.md'));
}

export interface CliFinding {
  ruleId: string;
  /** 1-based start line. */
  line: number;
}

/** `fourfold scan --format json` over the workspace, grouped by relative path. */
export function cliFindings(): Map<string, CliFinding[]> {
  const root = workspaceRoot();
  const cli = path.join(extensionRoot(), 'dist', 'cli.js');
  // In desktop VS Code process.execPath is Electron: run it as plain Node.
  const out = execFileSync(process.execPath, [cli, 'scan', '--format', 'json', '--threads', '1', root], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', FORCE_COLOR: '0' },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
  });
  const report = JSON.parse(out) as {
    findings: Array<{ ruleId: string; path: string; range: { start: { line: number } } }>;
  };
  const byFile = new Map<string, CliFinding[]>();
  for (const f of report.findings) {
    const rel = path.relative(root, f.path).split(path.sep).join('/');
    const list = byFile.get(rel) ?? [];
    list.push({ ruleId: f.ruleId, line: f.range.start.line + 1 });
    byFile.set(rel, list);
  }
  return byFile;
}
