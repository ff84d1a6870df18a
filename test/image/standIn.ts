// A stand-in scanner for the runner tests: a Node script made executable in a
// temp dir. FAKE_MODE picks its behaviour; every invocation is appended to FAKE_LOG.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const SCRIPT = String.raw`
const fs = require('node:fs');
const args = process.argv.slice(2);
if (process.env.FAKE_LOG) fs.appendFileSync(process.env.FAKE_LOG, JSON.stringify(args) + '\n');
if (process.env.FAKE_PID) fs.writeFileSync(process.env.FAKE_PID, String(process.pid));
const mode = process.env.FAKE_MODE || 'ok';
switch (mode) {
  case 'ok':
    process.stderr.write('2026-01-01T00:00:00Z INFO scanning\n');
    process.stdout.write(fs.readFileSync(process.env.FAKE_REPORT));
    break;
  case 'echo-args':
    process.stdout.write(JSON.stringify({ SchemaVersion: 2, ArtifactName: args[args.length - 1], Results: [] }));
    break;
  case 'hang':
    process.stderr.write('started\n');
    setInterval(() => {}, 1000);
    break;
  case 'ignore-term':
    process.on('SIGTERM', () => {});
    process.stderr.write('started\n');
    setInterval(() => {}, 1000);
    break;
  case 'fail':
    for (let i = 1; i <= 20; i++) process.stderr.write('log line ' + i + '\n');
    process.stderr.write('FATAL fatal error: database download failed\n');
    process.exitCode = 3;
    break;
  case 'not-found':
    process.stderr.write("FATAL image scan error: unable to find the specified image \"nosuch:1\" in [\"docker\" \"remote\"]\n");
    process.exitCode = 1;
    break;
  case 'huge': {
    const chunk = Buffer.alloc(1024 * 1024, 97);
    let n = 0;
    const write = () => {
      while (n < 64) {
        n++;
        if (!process.stdout.write(chunk)) return process.stdout.once('drain', write);
      }
    };
    write();
    break;
  }
  case 'malformed':
    process.stdout.write('Results: this is the table format, not JSON\n');
    break;
}
`;

export interface StandIn {
  dir: string;
  executable: string;
  log: string;
  invocations(): string[][];
  cleanup(): void;
}

export function makeStandIn(name = 'trivy'): StandIn {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fourfold-scanner-'));
  const executable = path.join(dir, name);
  fs.writeFileSync(executable, `#!${process.execPath}\n${SCRIPT}`);
  fs.chmodSync(executable, 0o755);
  const log = path.join(dir, 'invocations.log');
  return {
    dir,
    executable,
    log,
    invocations: () =>
      fs.existsSync(log)
        ? fs
            .readFileSync(log, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as string[])
        : [],
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
