// `fourfold image`: scan an image (or import a Trivy/Grype report) and print
// it like `scan` does, with the Dockerfile attribution when --dockerfile is given.
import { CommanderError, Option, type Command } from 'commander';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SEVERITIES, type Finding, type Severity } from '../engine/types';
import {
  dependencyFindings,
  detectScanner,
  imageFindings,
  imageSarifRun,
  INSTALL_PAGES,
  parseScanReport,
  scanTarget,
  checkTarget,
  ScannerError,
  sortVulnerabilities,
  summaryText,
  InvalidTargetError,
  MalformedReportError,
  type ImageVulnerability,
  type ScanReport,
  type ScanTarget,
  type ScannerKind,
} from '../image';
import { toText } from '../report/text';
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_USAGE, FAIL_ON_LEVELS } from './exitCodes';

const FAIL_ON = FAIL_ON_LEVELS;

function usage(message: string): CommanderError {
  return new CommanderError(EXIT_USAGE, 'fourfold.usage', message);
}

function parseFailOn(value: string): Severity {
  const s = FAIL_ON[value.toLowerCase()];
  if (!s) throw usage(`--fail-on: expected one of ${Object.keys(FAIL_ON).join(', ')}`);
  return s;
}

interface ImageFlags {
  archive?: string;
  ociDir?: string;
  report?: string;
  dockerfile?: string;
  format: 'text' | 'json' | 'sarif';
  output?: string;
  failOn?: Severity;
  scanner?: ScannerKind | 'auto';
  scannerPath?: string;
  timeout?: string;
  buildArg?: string[];
  root?: string;
  color?: boolean;
}

const rank = (s: Severity) => SEVERITIES.indexOf(s);

function textReport(scanned: string, report: ScanReport, findings: Finding[], color: boolean): string {
  const out: string[] = [];
  const os = report.os ? ` ${report.os.family} ${report.os.name}${report.os.eosl ? ' (end-of-life)' : ''}` : '';
  out.push(`${scanned} (${report.scanner}${os}): ${summaryText(report.vulnerabilities)}`);
  const groups = new Map<Severity, ImageVulnerability[]>();
  for (const v of sortVulnerabilities(report.vulnerabilities)) {
    const list = groups.get(v.severity) ?? [];
    list.push(v);
    groups.set(v.severity, list);
  }
  for (const [sev, list] of groups) {
    out.push('', `  ${sev.toUpperCase()} (${list.length})`);
    for (const v of list) {
      const fix = v.fixedVersion ? `→ ${v.fixedVersion}` : `(no fix${v.status ? `: ${v.status}` : ''})`;
      out.push(`    ${v.id.padEnd(20)} ${`${v.pkgName}@${v.installedVersion}`.padEnd(40)} ${fix}${v.title ? `  ${v.title}` : ''}`);
    }
  }
  out.push('');
  if (findings.length) out.push(toText(findings, { cwd: process.cwd(), color }));
  return out.join('\n') + (findings.length ? '' : '\n');
}

function readText(file: string, what: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw usage(`cannot read the ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? e}`);
  }
}

export function registerImageCommand(program: Command): void {
  program
    .command('image')
    .description('scan a container image with Trivy or Grype (or import their JSON report) and tie the results to a Dockerfile')
    .argument('[ref]', 'image reference, e.g. alpine:3.19 or ghcr.io/org/app@sha256:…')
    .option('--archive <file>', 'scan a `docker save` / OCI archive instead of a reference')
    .option('--oci-dir <dir>', 'scan an OCI image layout folder')
    .option('--report <file>', 'import an existing Trivy or Grype JSON report instead of running a scanner')
    .option('--dockerfile <path>', 'the Dockerfile the image was built from (or uses it as a base): findings on its lines')
    .option('--build-arg <name=value...>', 'ARG values for resolving FROM lines')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--fail-on <level>', 'exit 1 when a vulnerability is at or above this severity', parseFailOn)
    .addOption(new Option('--scanner <kind>', 'which scanner to run').choices(['auto', 'trivy', 'grype']).default('auto'))
    .option('--scanner-path <file>', 'the scanner executable (default: trivy or grype on PATH)')
    .option('--timeout <seconds>', 'stop the scanner after this long', '600')
    .option('--root <dir>', 'paths in the report are relative to this folder (default: the current folder)')
    .option('--no-color', 'plain text output')
    .action(async (ref: string | undefined, flags: ImageFlags) => {
      const sources = [ref, flags.archive, flags.ociDir, flags.report].filter((x) => x !== undefined);
      if (sources.length !== 1) throw usage('give exactly one of: an image reference, --archive FILE, --oci-dir DIR, --report FILE');
      const buildArgs: Record<string, string> = {};
      for (const a of flags.buildArg ?? []) {
        const eq = a.indexOf('=');
        if (eq <= 0) throw usage(`--build-arg ${a}: expected NAME=VALUE`);
        buildArgs[a.slice(0, eq)] = a.slice(eq + 1);
      }
      const root = path.resolve(flags.root ?? process.cwd());
      let report: ScanReport;
      let scanned: string;
      if (flags.report) {
        scanned = flags.report;
        try {
          report = parseScanReport(readText(flags.report, 'report'));
        } catch (e) {
          if (e instanceof MalformedReportError) throw usage(`${flags.report}: ${e.message}`);
          throw e;
        }
        scanned = report.repoTags[0] || report.artifactName || flags.report;
      } else {
        const target: ScanTarget = flags.archive
          ? { type: 'archive', path: flags.archive }
          : flags.ociDir
            ? { type: 'oci-dir', path: flags.ociDir }
            : { type: 'reference', ref: ref! };
        scanned = ref ?? flags.archive ?? flags.ociDir!;
        // Refuse a bad reference or path before anything else (no scanner lookup, no process).
        const problem = checkTarget(target);
        if (problem) throw usage(problem);
        const detected = detectScanner({ path: flags.scannerPath, kind: flags.scanner });
        if (!detected.ok) {
          process.stderr.write(
            `fourfold: ${detected.reason}. Install Trivy (${INSTALL_PAGES.trivy}) or Grype (${INSTALL_PAGES.grype}), or pass --scanner-path.\n`,
          );
          process.exitCode = EXIT_ERROR;
          return;
        }
        const timeout = Number(flags.timeout);
        if (!Number.isFinite(timeout) || timeout <= 0) throw usage('--timeout: expected a number of seconds');
        const controller = new AbortController();
        const onSignal = () => controller.abort();
        process.once('SIGINT', onSignal);
        try {
          const run = await scanTarget({
            scanner: detected.scanner,
            target,
            timeoutMs: timeout * 1000,
            signal: controller.signal,
            onStderr: (chunk) => process.stderr.write(chunk),
          });
          report = run.report;
        } catch (e) {
          if (e instanceof InvalidTargetError) throw usage(e.message);
          if (e instanceof ScannerError) {
            process.stderr.write(`fourfold: ${e.message}\n`);
            if (e.details.stderrTail?.length && e.code !== 'failed') process.stderr.write(`${e.details.stderrTail.join('\n')}\n`);
            process.exitCode = EXIT_ERROR;
            return;
          }
          throw e;
        } finally {
          process.removeListener('SIGINT', onSignal);
        }
      }

      let findings: Finding[] = [];
      let placements: ReturnType<typeof imageFindings>['placements'] | undefined;
      if (flags.dockerfile) {
        const dockerfilePath = path.resolve(flags.dockerfile);
        const result = imageFindings({
          report,
          dockerfilePath,
          dockerfileText: readText(dockerfilePath, 'Dockerfile'),
          imageRef: ref,
          builtFromDockerfile: true,
          buildArgs,
        });
        findings = result.findings;
        placements = result.placements;
      }
      if (!report.history && !report.diffIds.length && report.vulnerabilities.some((v) => v.class === 'lang')) {
        // A `trivy fs` / `grype dir:` report: findings on the manifests under --root.
        findings.push(
          ...dependencyFindings({
            report,
            rootDir: root,
            readFile: (p) => {
              try {
                return fs.readFileSync(p, 'utf8');
              } catch {
                return undefined;
              }
            },
          }),
        );
      }

      let text: string;
      if (flags.format === 'json') {
        text =
          JSON.stringify(
            {
              image: scanned,
              scanner: report.scanner,
              scannerVersion: report.scannerVersion,
              os: report.os,
              summary: summaryText(report.vulnerabilities),
              vulnerabilities: sortVulnerabilities(report.vulnerabilities),
              findings,
            },
            null,
            2,
          ) + '\n';
      } else if (flags.format === 'sarif') {
        const run = imageSarifRun(report, { root, scanned, placements });
        text = JSON.stringify({ $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0', runs: [run] }, null, 2) + '\n';
      } else {
        const color = flags.color !== false && !flags.output && process.stdout.isTTY === true;
        text = textReport(scanned, report, findings, color);
      }
      if (flags.output) fs.writeFileSync(flags.output, text);
      else process.stdout.write(text);
      if (flags.failOn && report.vulnerabilities.some((v) => rank(v.severity) <= rank(flags.failOn!))) process.exitCode = EXIT_FINDINGS;
    });
}
