import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import { packageRoot } from '../engine/assets';
import { ALL_RULES, ruleDocPath, ruleMeta } from '../engine/registry';
import type { Finding, Fix, Range, RuleMeta, Severity } from '../engine/types';

export const TOOL_NAME = 'Fourfold';
export const TOOL_URI = 'https://github.com/fourfold/fourfold';
export const DOCS_BASE_URL = `${TOOL_URI}/blob/main/`;

export function sarifLevel(s: Severity): Sarif.Result.level {
  return s === 'critical' || s === 'high' ? 'error' : s === 'medium' ? 'warning' : 'note';
}

/** GitHub code scanning ranks security results by this CVSS-like score. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '1.0' };

function region(r: Range): Sarif.Region {
  // SARIF lines and columns are 1-based; columns count UTF-16 code units (declared on the run).
  return { startLine: r.start.line + 1, startColumn: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1 };
}

function readDoc(id: string): string | undefined {
  try {
    return fs.readFileSync(path.join(packageRoot(), ruleDocPath(id)), 'utf8');
  } catch {
    return undefined;
  }
}

function sarifRule(meta: RuleMeta, docsBaseUrl: string): Sarif.ReportingDescriptor {
  const tags = ['security', meta.layer, ...(meta.cwe ?? []).map((c) => `external/cwe/${c.toLowerCase()}`)];
  const markdown = readDoc(meta.id);
  return {
    id: meta.id,
    name: meta.id.split('/')[1].replace(/-(\w)/g, (_, c: string) => c.toUpperCase()).replace(/^\w/, (c) => c.toUpperCase()),
    shortDescription: { text: meta.title },
    fullDescription: { text: meta.description },
    helpUri: `${docsBaseUrl}${ruleDocPath(meta.id)}`,
    help: { text: meta.description, ...(markdown ? { markdown } : {}) },
    defaultConfiguration: { level: sarifLevel(meta.severity), enabled: meta.defaultEnabled !== false },
    properties: { tags, 'security-severity': SECURITY_SEVERITY[meta.severity], layer: meta.layer },
  };
}

function artifactUri(filePath: string, root: string): Sarif.ArtifactLocation {
  const rel = path.relative(root, filePath);
  if (!rel.startsWith('..') && !path.isAbsolute(rel)) return { uri: rel.split(path.sep).join('/'), uriBaseId: '%SRCROOT%' };
  return { uri: pathToFileURL(filePath).href };
}

function sarifFix(fix: Fix, filePath: string, root: string): Sarif.Fix {
  const changes: Sarif.ArtifactChange[] = [];
  // A fix that only creates files (namespace posture) leaves the analysed file alone: SARIF wants no empty change.
  if (fix.edits.length > 0) {
    changes.push({
      artifactLocation: artifactUri(filePath, root),
      replacements: fix.edits.map((e) => ({ deletedRegion: region(e.range), insertedContent: { text: e.newText } })),
    });
  }
  for (const c of fix.createFiles ?? []) {
    changes.push({
      artifactLocation: artifactUri(c.path, root),
      replacements: [{ deletedRegion: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 }, insertedContent: { text: c.content } }],
    });
  }
  return { description: { text: fix.title }, artifactChanges: changes };
}

export interface SarifOptions {
  /** Paths in the log are relative to this folder (%SRCROOT%). */
  root: string;
  /** Findings silenced in source, reported with `suppressions`. */
  suppressed?: readonly Finding[];
  docsBaseUrl?: string;
  version?: string;
  /** Extra runs (e.g. an image scan) to include in the same log. */
  extraRuns?: Sarif.Run[];
}

/** A SARIF 2.1.0 log of the findings, with every rule of the registry described. */
export function toSarif(findings: readonly Finding[], options: SarifOptions): Sarif.Log {
  const docsBaseUrl = options.docsBaseUrl ?? DOCS_BASE_URL;
  const rules = ALL_RULES.map((r) => sarifRule(r.meta, docsBaseUrl));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const toResult = (f: Finding, suppressed: boolean): Sarif.Result => {
    const result: Sarif.Result = {
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId),
      level: sarifLevel(f.severity),
      message: { text: f.message },
      locations: [{ physicalLocation: { artifactLocation: artifactUri(f.path, options.root), region: region(f.range) } }],
      partialFingerprints: { 'fourfold/v1': f.fingerprint },
      properties: { severity: f.severity, layer: f.layer, ...(f.confidence ? { confidence: f.confidence } : {}) },
    };
    if (f.related?.length) {
      result.relatedLocations = f.related.map((r, i) => ({
        id: i + 1,
        message: { text: r.message },
        physicalLocation: { artifactLocation: artifactUri(r.path ?? f.path, options.root), region: region(r.range) },
      }));
    }
    if (f.fixes.length) result.fixes = f.fixes.map((fix) => sarifFix(fix, f.path, options.root));
    if (suppressed) result.suppressions = [{ kind: 'inSource', justification: f.suppressedBy ?? 'suppressed' }];
    if (!ruleMeta(f.ruleId)) delete result.ruleIndex;
    return result;
  };
  const run: Sarif.Run = {
    tool: {
      driver: {
        name: TOOL_NAME,
        informationUri: TOOL_URI,
        version: options.version ?? '0.1.0',
        semanticVersion: options.version ?? '0.1.0',
        rules,
      },
    },
    originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(options.root + path.sep).href } },
    columnKind: 'utf16CodeUnits',
    results: [...findings.map((f) => toResult(f, false)), ...(options.suppressed ?? []).map((f) => toResult(f, true))],
  };
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [run, ...(options.extraRuns ?? [])],
  };
}
