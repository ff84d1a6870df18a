// Scan results as engine Findings anchored in the workspace: the FROM line of
// a scanned base image, the RUN/COPY line that added a layer, the manifest or
// lockfile line that declares a vulnerable dependency.
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { Finding, Fix, Range, RuleMeta, Severity } from '../engine/types';
import { parseDockerfile, type DockerInstruction, type DockerfileModel, type FromInstruction } from './dockerfile';
import { attributeLayers, type LayerAttribution } from './layers';
import type { ImageVulnerability, ScanReport } from './model';
import { canonicalReference, parseImageReference } from './reference';
import { bestFixedVersion, countBySeverity, sortVulnerabilities, summaryText, vulnerabilityLine, worstSeverity } from './summary';

export const BASE_IMAGE_RULE: RuleMeta = {
  id: 'container/base-image-vulnerabilities',
  layer: 'container',
  title: 'Image has known vulnerabilities',
  description: 'Packages in the image have published vulnerabilities an attacker can look up and exploit.',
  severity: 'high',
  cwe: ['CWE-1395'],
  aliases: [],
  fileKinds: ['dockerfile'],
};

export const LAYER_RULE: RuleMeta = {
  id: 'container/layer-vulnerabilities',
  layer: 'container',
  title: 'Instruction adds vulnerable packages',
  description: 'This instruction installs or copies packages with published vulnerabilities into the image.',
  severity: 'high',
  cwe: ['CWE-1395'],
  aliases: [],
  fileKinds: ['dockerfile'],
};

export const DEPENDENCY_RULE: RuleMeta = {
  id: 'code/vulnerable-dependency',
  layer: 'code',
  title: 'Dependency with known vulnerabilities',
  description: 'A declared dependency has published vulnerabilities (OWASP A06: vulnerable and outdated components).',
  severity: 'high',
  cwe: ['CWE-1395'],
  // The Code layer's answer to OWASP Dependency-Check (no check id of its own to alias).
  fileKinds: ['json', 'text', 'yaml'],
};

export const IMAGE_RULES: readonly RuleMeta[] = [BASE_IMAGE_RULE, LAYER_RULE, DEPENDENCY_RULE];

const MAX_LISTED = 5;

function makeFinding(
  meta: RuleMeta,
  filePath: string,
  range: Range,
  message: string,
  severity: Severity,
  key: string,
  data: Record<string, unknown>,
  fixes: Fix[] = [],
): Finding {
  return {
    ruleId: meta.id,
    layer: meta.layer,
    severity,
    title: meta.title,
    cwe: meta.cwe,
    docs: `docs/rules/${meta.id}.md`,
    path: filePath,
    range,
    message,
    fixes,
    data,
    fingerprint: createHash('sha256').update(`${meta.id}\0${key}`).digest('hex').slice(0, 32),
  };
}

function listed(vulns: readonly ImageVulnerability[]): string {
  const sorted = sortVulnerabilities(vulns);
  const lines = sorted.slice(0, MAX_LISTED).map((v) => `• ${vulnerabilityLine(v)}`);
  if (sorted.length > MAX_LISTED) lines.push(`• … and ${sorted.length - MAX_LISTED} more`);
  return lines.join('\n');
}

/** Names the scanned image goes by, canonicalised, for matching FROM lines. */
function scannedNames(report: ScanReport, imageRef?: string): { refs: Set<string>; digests: Set<string> } {
  const refs = new Set<string>();
  const digests = new Set<string>();
  for (const name of [imageRef, report.artifactName, ...report.repoTags, ...report.repoDigests]) {
    if (!name) continue;
    const p = parseImageReference(name);
    if (!p.ok) continue;
    refs.add(canonicalReference(p.ref));
    if (p.ref.digest) digests.add(p.ref.digest);
    if (p.ref.digest && p.ref.tag) refs.add(canonicalReference({ ...p.ref, digest: undefined }));
  }
  return { refs, digests };
}

export function fromUsesImage(from: FromInstruction, names: { refs: Set<string>; digests: Set<string> }): boolean {
  if (from.fromStage || !from.resolvedImage) return false;
  const p = parseImageReference(from.resolvedImage);
  if (!p.ok) return false;
  if (p.ref.digest && names.digests.has(p.ref.digest)) return true;
  if (names.refs.has(canonicalReference(p.ref))) return true;
  return !!p.ref.digest && !!p.ref.tag && names.refs.has(canonicalReference({ ...p.ref, digest: undefined }));
}

function fromRange(from: FromInstruction): Range {
  const line = from.instruction.startLine;
  return { start: { line, character: from.imageStart }, end: { line, character: from.imageEnd } };
}

function instructionRange(instr: DockerInstruction): Range {
  return {
    start: { line: instr.startLine, character: instr.keywordStart },
    end: { line: instr.startLine, character: instr.firstLineEnd },
  };
}

export interface ImageFindingsInput {
  report: ScanReport;
  dockerfilePath: string;
  dockerfileText: string;
  /** The reference the user scanned (report names may be archive paths). */
  imageRef?: string;
  /**
   * The image was built from this Dockerfile (CLI --dockerfile): vulnerabilities
   * no instruction claims go on the final FROM line rather than nowhere.
   */
  builtFromDockerfile?: boolean;
  buildArgs?: Record<string, string>;
}

export interface ImageFindingsResult {
  findings: Finding[];
  /** Where each anchored vulnerability landed (for SARIF results per vulnerability). */
  placements: Map<ImageVulnerability, { path: string; range: Range }>;
  attribution: LayerAttribution;
  dockerfile: DockerfileModel;
}

function baseMessage(image: string, vulns: readonly ImageVulnerability[], report: ScanReport, ownLayers: boolean): string {
  const c = countBySeverity(vulns);
  const osFixable = vulns.filter((v) => v.fixedVersion && v.class === 'os').length;
  const langFixable = c.fixable - osFixable;
  const parts: string[] = [];
  parts.push(`${image}${ownLayers ? ' (base layers)' : ''}: ${c.total} known ${c.total === 1 ? 'vulnerability' : 'vulnerabilities'} (${summaryText(vulns)}).`);
  if (report.os?.eosl) parts.push(`${report.os.family} ${report.os.name} is end-of-life: no more fixes will come; move to a supported release.`);
  if (osFixable) parts.push(`${osFixable} fixed by upgrading to a newer tag (or upgrading the OS packages).`);
  if (langFixable) parts.push(`${langFixable} fixed by upgrading the application packages.`);
  if (!c.fixable) parts.push('No fixed versions are available yet.');
  return `${parts.join(' ')}\n${listed(vulns)}`;
}

/** Findings on a Dockerfile for one image scan. */
export function imageFindings(input: ImageFindingsInput): ImageFindingsResult {
  const { report } = input;
  const dockerfile = parseDockerfile(input.dockerfileText, input.buildArgs);
  const attribution = attributeLayers(report.history, report.diffIds, dockerfile);
  const findings: Finding[] = [];
  const placements = new Map<ImageVulnerability, { path: string; range: Range }>();
  const vulns = report.vulnerabilities;
  const finalFrom = dockerfile.froms[dockerfile.froms.length - 1];
  const imageName = input.imageRef ?? (report.repoTags[0] || report.artifactName || 'the image');

  const byInstruction = new Map<DockerInstruction, ImageVulnerability[]>();
  const onBase: ImageVulnerability[] = [];
  const built = attribution.builtFromDockerfile || !!input.builtFromDockerfile;
  if (built) {
    for (const v of vulns) {
      const origin = v.layerDiffId ? attribution.byDiffId.get(v.layerDiffId) : undefined;
      if (origin?.origin === 'instruction' && origin.instruction) {
        let list = byInstruction.get(origin.instruction);
        if (!list) byInstruction.set(origin.instruction, (list = []));
        list.push(v);
      } else onBase.push(v);
    }
    for (const [instr, list] of byInstruction) {
      for (const v of list) placements.set(v, { path: input.dockerfilePath, range: instructionRange(instr) });
      const fixable = list.filter((v) => v.fixedVersion).length;
      const msg =
        `${instr.keyword} adds ${list.length} vulnerable ${list.length === 1 ? 'package version' : 'package versions'} to ${imageName} (${summaryText(list)}).` +
        (fixable ? ` ${fixable} fixed by newer package versions.` : '') +
        `\n${listed(list)}`;
      findings.push(
        makeFinding(LAYER_RULE, input.dockerfilePath, instructionRange(instr), msg, worstSeverity(list)!, `${instr.keyword} ${instr.args}\0${ids(list)}`, {
          image: imageName,
          vulnerabilities: list.map((v) => v.id),
          summary: summaryText(list),
        }),
      );
    }
  }
  const anchors = new Set<FromInstruction>();
  if (built && finalFrom && !finalFrom.fromStage) anchors.add(finalFrom);
  const names = scannedNames(report, input.imageRef);
  for (const f of dockerfile.froms) if (fromUsesImage(f, names)) anchors.add(f);
  for (const from of anchors) {
    const list = built && from === finalFrom ? onBase : vulns;
    if (!list.length) continue;
    const image = from.resolvedImage ?? from.image;
    for (const v of list) if (!placements.has(v)) placements.set(v, { path: input.dockerfilePath, range: fromRange(from) });
    findings.push(
      makeFinding(BASE_IMAGE_RULE, input.dockerfilePath, fromRange(from), baseMessage(image, list, report, built && from === finalFrom && byInstruction.size > 0), worstSeverity(list)!, `${image}\0${ids(list)}`, {
        image,
        scanned: imageName,
        vulnerabilities: list.map((v) => v.id),
        summary: summaryText(list),
      }),
    );
  }
  findings.sort((a, b) => a.range.start.line - b.range.start.line || a.ruleId.localeCompare(b.ruleId));
  return { findings, placements, attribution, dockerfile };
}

function ids(list: readonly ImageVulnerability[]): string {
  return [...new Set(list.map((v) => `${v.id}/${v.pkgName}`))].sort().join(',');
}

// ---------------------------------------------------------------- dependencies

const NPM_LOCKFILES = new Set(['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml']);
const PIP_MANIFESTS = /^requirements.*\.txt$/i;

export interface DependencyFindingsInput {
  report: ScanReport;
  /** The directory that was scanned (targets are relative to it). */
  rootDir: string;
  /** Reads a workspace file (undefined when missing). */
  readFile: (absPath: string) => string | undefined;
}

/** PEP 503 name normalisation. */
export function normalisePythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

interface Declaration {
  line: number;
  /** Character span of the version text to replace (undefined: no safe edit). */
  versionStart?: number;
  versionEnd?: number;
  /** Operator kept in front of the new version (^, ~, ==, >=…). */
  operator?: string;
  lineText: string;
}

const PLAIN_VERSION = /^v?\d+(?:\.\d+)*(?:[-+.][0-9A-Za-z.-]+)?$/;

/** The line of package.json that declares `name` in a dependency block. */
export function findPackageJsonDeclaration(text: string, name: string): Declaration | undefined {
  const lines = text.split(/\r\n|\r|\n/);
  let depth = 0;
  let blockDepth = -1;
  const key = JSON.stringify(name);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (blockDepth < 0 && depth === 1 && /^\s*"(?:dependencies|devDependencies|optionalDependencies|peerDependencies)"\s*:\s*\{/.test(line)) {
      blockDepth = depth + 1;
    } else if (blockDepth >= 0 && depth === blockDepth) {
      const m = /^(\s*)("(?:[^"\\]|\\.)*")\s*:\s*"([^"\\]*)"/.exec(line);
      if (m && m[2] === key) {
        const spec = m[3];
        const valueStart = m[0].length - spec.length - 1;
        const op = /^(\^|~|>=|=)?/.exec(spec)![0];
        const ver = spec.slice(op.length);
        const decl: Declaration = { line: i, lineText: line };
        if (PLAIN_VERSION.test(ver)) {
          decl.versionStart = valueStart + op.length;
          decl.versionEnd = valueStart + spec.length;
          decl.operator = op;
        }
        return decl;
      }
    }
    // Brace depth outside strings, so the block ends where it ends.
    let inString = false;
    for (let k = 0; k < line.length; k++) {
      const ch = line[k];
      if (inString) {
        if (ch === '\\') k++;
        else if (ch === '"') inString = false;
      } else if (ch === '"') inString = true;
      else if (ch === '{' || ch === '[') depth++;
      else if (ch === '}' || ch === ']') {
        depth--;
        if (blockDepth >= 0 && depth < blockDepth) blockDepth = -1;
      }
    }
  }
  return undefined;
}

/** The requirements.txt line that pins `name` (name==1.0, name>=1.0, name~=1.0). */
export function findRequirementDeclaration(text: string, name: string): Declaration | undefined {
  const want = normalisePythonName(name);
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$/.exec(line);
    if (!m || normalisePythonName(m[1]) !== want) continue;
    const decl: Declaration = { line: i, lineText: line };
    const spec = /^(===|==|>=|~=)\s*([0-9][0-9A-Za-z.!+-]*)\s*(?:(?:;|#).*)?$/.exec(m[3]);
    if (spec) {
      const at = line.indexOf(spec[2], line.length - m[3].length + spec[0].indexOf(spec[2]));
      decl.versionStart = at;
      decl.versionEnd = at + spec[2].length;
      decl.operator = spec[1];
    }
    return decl;
  }
  return undefined;
}

/** In a lockfile without line ranges: the first line that names the package. */
/** Lines of a file, split once per dependency scan even when hundreds of packages look them up. */
function linesOf(text: string, cache: Map<string, string[]>): string[] {
  let lines = cache.get(text);
  if (!lines) cache.set(text, (lines = text.split(/\r\n|\r|\n/)));
  return lines;
}
function findInLockfile(lines: readonly string[], name: string, version: string): number | undefined {
  const needles = [`"node_modules/${name}"`, `"${name}@${version}"`, `${name}@${version}`, `"${name}": {`, `/${name}@${version}`, `${name}==${version}`];
  for (const n of needles) {
    const i = lines.findIndex((l) => l.includes(n));
    if (i >= 0) return i;
  }
  return undefined;
}

function lineRange(lines: readonly string[], line: number, endLine = line): Range {
  const l = Math.min(Math.max(line, 0), lines.length - 1);
  const e = Math.min(Math.max(endLine, l), lines.length - 1);
  const indent = lines[l].length - lines[l].trimStart().length;
  return { start: { line: l, character: indent }, end: { line: e, character: lines[e].length } };
}

function dependencyMessage(name: string, version: string, list: readonly ImageVulnerability[], fixed?: string): string {
  return (
    `${name}@${version} has ${list.length} known ${list.length === 1 ? 'vulnerability' : 'vulnerabilities'} (${summaryText(list)}).` +
    (fixed ? ` Upgrade to ${fixed} to fix ${list.filter((v) => v.fixedVersion).length === list.length ? 'all of them' : 'the fixable ones'}.` : ' No fixed version is available yet.') +
    `\n${listed(list)}`
  );
}

/** Diagnostics on lockfile and manifest lines for a `trivy fs` / `grype dir:` report. */
export function dependencyFindings(input: DependencyFindingsInput): Finding[] {
  const findings: Finding[] = [];
  const groups = new Map<string, ImageVulnerability[]>();
  for (const v of input.report.vulnerabilities) {
    if (v.class !== 'lang') continue;
    const file = (v.location?.path ?? v.target).replace(/^\/+/, '');
    if (!file) continue;
    const key = `${file}\0${v.pkgName}\0${v.installedVersion}`;
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(v);
  }
  const manifestDone = new Set<string>();
  const split = new Map<string, string[]>();
  for (const [key, list] of groups) {
    const [file, name, version] = key.split('\0');
    const abs = path.resolve(input.rootDir, file);
    const fixed = bestFixedVersion(list);
    const severity = worstSeverity(list)!;
    const data = { pkgName: name, installedVersion: version, fixedVersion: fixed, vulnerabilities: list.map((v) => v.id) };
    const base = path.basename(abs);
    const text = input.readFile(abs);
    const isManifest = base === 'package.json' || PIP_MANIFESTS.test(base);
    if (text !== undefined && !isManifest) {
      const loc = list.find((v) => v.location?.startLine)?.location;
      const lines = linesOf(text, split);
      const line = loc?.startLine ? loc.startLine - 1 : findInLockfile(lines, name, version);
      if (line !== undefined) {
        findings.push(
          makeFinding(DEPENDENCY_RULE, abs, lineRange(lines, line, loc?.endLine ? loc.endLine - 1 : line), dependencyMessage(name, version, list, fixed), severity, `${file}\0${name}@${version}\0${ids(list)}`, data),
        );
      }
    }
    // The manifest that declares it directly gets the diagnostic with the quick fix.
    let manifest: string | undefined;
    if (isManifest) manifest = abs;
    else if (NPM_LOCKFILES.has(base)) manifest = path.join(path.dirname(abs), 'package.json');
    if (!manifest) continue;
    const mtext = manifest === abs ? text : input.readFile(manifest);
    if (mtext === undefined) continue;
    const decl = path.basename(manifest) === 'package.json' ? findPackageJsonDeclaration(mtext, name) : findRequirementDeclaration(mtext, name);
    if (!decl) continue;
    const mkey = `${manifest}\0${name}`;
    if (manifestDone.has(mkey)) continue;
    manifestDone.add(mkey);
    const fixes: Fix[] = [];
    if (fixed && decl.versionStart !== undefined && decl.versionEnd !== undefined && PLAIN_VERSION.test(fixed)) {
      fixes.push({
        title: `Upgrade ${name} to ${fixed}`,
        isPreferred: true,
        edits: [
          {
            range: { start: { line: decl.line, character: decl.versionStart }, end: { line: decl.line, character: decl.versionEnd } },
            newText: fixed,
          },
        ],
      });
    }
    findings.push(
      makeFinding(DEPENDENCY_RULE, manifest, lineRange(linesOf(mtext, split), decl.line), dependencyMessage(name, version, list, fixed), severity, `${path.basename(manifest)}\0${name}\0${ids(list)}`, data, fixes),
    );
  }
  findings.sort((a, b) => a.path.localeCompare(b.path) || a.range.start.line - b.range.start.line);
  return findings;
}
