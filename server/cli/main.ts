// The `fourfold` command line: the same engine and configuration as the
// editor, so CI gives exactly the editor's verdict.
import { Command, CommanderError, Option } from 'commander';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { discoverConfig, mergeConfig, type FourfoldConfig } from '../engine/config';
import { atLeast, Engine } from '../engine/engine';
import { ALL_RULES } from '../engine/registry';
import { SEVERITIES, type FileAnalysis, type Finding, type Severity } from '../engine/types';
import { toSarif } from '../report/sarif';
import { toText } from '../report/text';
import { closeScanPool, scanFiles } from '../workspace/scan';
import { walk } from '../workspace/walk';
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, FAIL_ON_LEVELS } from './exitCodes';
import { registerImageCommand } from './image';
import { IMAGE_RULES } from '../image/findings';

export { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from './exitCodes';

export function parseFailOn(value: string): Severity {
  const s = FAIL_ON_LEVELS[value.toLowerCase()];
  if (!s) throw new CommanderError(EXIT_USAGE, 'fourfold.usage', `--fail-on: expected one of ${Object.keys(FAIL_ON_LEVELS).join(', ')}`);
  return s;
}

function version(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).version;
  } catch {
    return '0.0.0';
  }
}

interface ScanFlags {
  format: 'text' | 'json' | 'sarif';
  output?: string;
  failOn?: Severity;
  config?: string;
  minSeverity?: Severity;
  review?: boolean;
  gitignore: boolean;
  threads?: string;
  workerMemoryMb?: string;
  color?: boolean;
  root?: string;
}

export interface ScanOutcome {
  findings: Finding[];
  suppressed: Finding[];
  analyses: FileAnalysis[];
  skipped: Array<{ path: string; reason: string }>;
  config: FourfoldConfig;
}

/** Walks the paths, analyses every file, then runs the workspace rules: the editor's pipeline. */
export async function scanPaths(paths: string[], config: FourfoldConfig, flags: { gitignore: boolean; threads?: number; workerMemoryMb?: number; onNote?: (n: string) => void }): Promise<ScanOutcome> {
  const files = new Set<string>();
  const skipped: ScanOutcome['skipped'] = [];
  for (const p of paths) {
    const w = await walk(p, { excludes: config.exclude, maxFileSize: config.maxFileSize, honourGitignore: flags.gitignore });
    w.files.forEach((f) => files.add(f));
    skipped.push(...w.skipped);
  }
  const analyses = await scanFiles([...files], { config, threads: flags.threads, workerMemoryMb: flags.workerMemoryMb, onNote: flags.onNote, shareThisThread: true });
  const engine = new Engine(config);
  engine.onNote = flags.onNote ?? (() => {});
  const workspace = engine.analyzeWorkspace(analyses);
  const findings: Finding[] = [];
  const suppressed: Finding[] = [];
  for (const a of analyses) {
    findings.push(...a.findings);
    suppressed.push(...a.suppressed);
    if (a.skipped && a.kind !== undefined) skipped.push({ path: a.path, reason: a.skipped });
    else if (a.skipped && !/not a file kind/.test(a.skipped)) skipped.push({ path: a.path, reason: a.skipped });
  }
  for (const w of workspace.values()) {
    findings.push(...w.findings);
    suppressed.push(...w.suppressed);
  }
  findings.sort((a, b) => a.path.localeCompare(b.path) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.ruleId.localeCompare(b.ruleId));
  return { findings, suppressed, analyses, skipped, config };
}

export function writeOutput(text: string, output: string | undefined): void {
  if (output) fs.writeFileSync(output, text);
  else process.stdout.write(text);
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('fourfold')
    .description("Cloud-native security for the 4C's: Code, Container, Cluster, Cloud")
    .version(version())
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program
    .command('scan')
    .description('analyse files and folders (honours .gitignore and the configuration excludes)')
    .argument('[paths...]', 'files or folders to scan', ['.'])
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--fail-on <level>', 'exit 1 when a finding is at or above this level (error|warning|note or a severity)', parseFailOn)
    .option('-c, --config <file>', 'configuration file (default: the nearest .fourfold.yaml)')
    .addOption(new Option('--min-severity <severity>', 'hide findings below this severity').choices([...SEVERITIES]))
    .option('--review', 'also report sinks built dynamically but not traced to untrusted input')
    .option('--no-gitignore', 'do not honour .gitignore files')
    .option('--threads <n>', 'worker threads (default: number of cores)')
    .option('--worker-memory-mb <n>', 'heap cap of each worker thread in MiB (default: 1024)')
    .option('--root <dir>', 'paths in the report are relative to this folder (default: the current folder)')
    .option('--no-color', 'plain text output')
    .action(async (paths: string[], flags: ScanFlags) => {
      for (const p of paths) {
        if (!fs.existsSync(p)) throw new CommanderError(EXIT_USAGE, 'fourfold.usage', `no such file or folder: ${p}`);
      }
      const notes: string[] = [];
      let found;
      if (flags.config) {
        if (!fs.existsSync(flags.config)) throw new CommanderError(EXIT_USAGE, 'fourfold.usage', `no such configuration file: ${flags.config}`);
        const { loadConfigFile } = await import('./loadConfigFile');
        found = loadConfigFile(flags.config);
      } else {
        found = discoverConfig(paths[0]);
      }
      for (const p of found.problems) process.stderr.write(`fourfold: configuration: ${p}\n`);
      const config = mergeConfig(found.config, {
        ...(flags.minSeverity ? { minSeverity: flags.minSeverity } : {}),
        ...(flags.review ? { review: true } : {}),
      });
      // No initEngine here: scanFiles loads the parsers where files are analysed (worker threads, or this one).
      const threads = flags.threads ? Number(flags.threads) : undefined;
      const workerMemoryMb = flags.workerMemoryMb ? Number(flags.workerMemoryMb) : undefined;
      let outcome: ScanOutcome;
      try {
        outcome = await scanPaths(paths, config, { gitignore: flags.gitignore, threads, workerMemoryMb, onNote: (n) => notes.push(n) });
      } finally {
        // Worker threads keep the process alive until they idle out.
        await closeScanPool();
      }
      const root = path.resolve(flags.root ?? process.cwd());
      let report: string;
      if (flags.format === 'json') {
        // info: files (or documents in them) the analysers read only in part, e.g. Helm templates.
        const info = outcome.analyses.flatMap((a) => (a.info ?? []).map((message) => ({ path: a.path, message })));
        report = JSON.stringify({ version: version(), findings: outcome.findings, suppressed: outcome.suppressed, skipped: outcome.skipped, info, notes }, null, 2) + '\n';
      } else if (flags.format === 'sarif') {
        report = JSON.stringify(toSarif(outcome.findings, { root, suppressed: outcome.suppressed, version: version() }), null, 2) + '\n';
      } else {
        const color = flags.color !== false && !flags.output && process.stdout.isTTY === true;
        report = toText(outcome.findings, { cwd: process.cwd(), color, suppressedCount: outcome.suppressed.length, fileCount: outcome.analyses.filter((a) => !a.skipped).length });
      }
      writeOutput(report, flags.output);
      for (const s of outcome.skipped) process.stderr.write(`fourfold: skipped ${path.relative(process.cwd(), s.path) || s.path}: ${s.reason}\n`);
      for (const n of notes.concat(...outcome.analyses.map((a) => a.notes))) process.stderr.write(`fourfold: ${n.split('\n')[0]}\n`);
      for (const a of outcome.analyses) for (const i of a.info ?? []) process.stderr.write(`fourfold: ${path.relative(process.cwd(), a.path) || a.path}: ${i}\n`);
      if (process.env.FOURFOLD_STATS) {
        // For the benchmark: what was read, and the peak memory of the process (worker threads included).
        const analysed = outcome.analyses.filter((a) => !a.skipped);
        const bytes = analysed.reduce((s, a) => s + (fs.statSync(a.path, { throwIfNoEntry: false })?.size ?? 0), 0);
        process.stderr.write(`fourfold-stats ${JSON.stringify({ files: analysed.length, bytes, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
      }
      if (flags.failOn && outcome.findings.some((f) => atLeast(f.severity, flags.failOn!))) process.exitCode = EXIT_FINDINGS;
    });

  program
    .command('rules')
    .description('list the rules')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((flags: { format: string }) => {
      // Rules of the file analysers, then the rules image and dependency scans report under.
      const metas = [...ALL_RULES.map((r) => r.meta), ...IMAGE_RULES];
      if (flags.format === 'json') process.stdout.write(JSON.stringify(metas, null, 2) + '\n');
      else for (const m of metas) process.stdout.write(`${m.id.padEnd(40)} ${m.severity.padEnd(8)} ${m.title}${m.defaultEnabled === false ? ' (off by default)' : ''}\n`);
    });

  registerImageCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT_OK;
      if (e.code === 'fourfold.usage') process.stderr.write(`fourfold: ${e.message}\n`);
      return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    process.stderr.write(`fourfold: ${(e as Error)?.stack ?? e}\n`);
    return EXIT_ERROR;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
