/**
 * "Copy as SARIF" for a tree node: the server's SARIF export (the same
 * document CI produces) narrowed to the findings under the node. No 'vscode'
 * import: unit-tested under Node.
 */
import type { WireFinding } from '../../server/lsp/protocol';

interface SarifRegion {
  startLine?: number;
  startColumn?: number;
}
interface SarifResult {
  ruleId?: string;
  ruleIndex?: number;
  rule?: { id?: string };
  locations?: Array<{ physicalLocation?: { artifactLocation?: { uri?: string; uriBaseId?: string }; region?: SarifRegion } }>;
  partialFingerprints?: Record<string, string>;
  fingerprints?: Record<string, string>;
}
interface SarifLog {
  runs?: Array<{
    results?: SarifResult[];
    originalUriBaseIds?: Record<string, { uri?: string }>;
    tool?: { driver?: { rules?: Array<{ id?: string }> } };
  }>;
}

function pathTail(uri: string): string {
  try {
    return decodeURIComponent(uri).replace(/^file:\/\//, '').replace(/\\/g, '/');
  } catch {
    return uri;
  }
}

/** Whether the SARIF result location denotes the finding's file (absolute or relative URIs). */
function sameFile(resultUri: string | undefined, baseUri: string | undefined, finding: WireFinding): boolean {
  if (!resultUri) return false;
  const full = pathTail(baseUri && !/^[a-z]+:/i.test(resultUri) ? baseUri.replace(/\/?$/, '/') + resultUri : resultUri);
  const target = pathTail(finding.uri);
  return full === target || target.endsWith('/' + full.replace(/^\.?\//, ''));
}

function matches(result: SarifResult, run: NonNullable<SarifLog['runs']>[number], finding: WireFinding): boolean {
  const fps = { ...result.partialFingerprints, ...result.fingerprints };
  if (finding.fingerprint && Object.values(fps).includes(finding.fingerprint)) return true;
  const ruleId = result.ruleId ?? result.rule?.id;
  if (ruleId !== finding.ruleId) return false;
  const loc = result.locations?.[0]?.physicalLocation;
  const region = loc?.region;
  if (!region || region.startLine !== finding.range.start.line + 1) return false;
  if (region.startColumn !== undefined && region.startColumn !== finding.range.start.character + 1) return false;
  const base = loc?.artifactLocation?.uriBaseId;
  const baseUri = base ? run.originalUriBaseIds?.[base]?.uri : undefined;
  return sameFile(loc?.artifactLocation?.uri, baseUri, finding);
}

/**
 * Keeps only the results that stand for `findings` (by fingerprint, else by
 * rule, file and start position), and only the rules those results use, with
 * `ruleIndex` renumbered to match.
 */
export function narrowSarif(sarifText: string, findings: readonly WireFinding[]): string {
  const log = JSON.parse(sarifText) as SarifLog;
  for (const run of log.runs ?? []) {
    if (!Array.isArray(run.results)) continue;
    run.results = run.results.filter((r) => findings.some((f) => matches(r, run, f)));
    const driver = run.tool?.driver;
    if (driver && Array.isArray(driver.rules)) {
      const used = new Set(run.results.map((r) => r.ruleId ?? r.rule?.id));
      const rules = driver.rules.filter((rule) => used.has(rule.id));
      const index = new Map(rules.map((rule, i) => [rule.id, i]));
      driver.rules = rules;
      for (const r of run.results) {
        if (r.ruleIndex === undefined) continue;
        const i = index.get(r.ruleId ?? r.rule?.id);
        if (i === undefined) delete r.ruleIndex;
        else r.ruleIndex = i;
      }
    }
  }
  return JSON.stringify(log, null, 2);
}

/** Unique file URIs of the findings, to ask the server for just those files. */
export function urisOf(findings: readonly WireFinding[]): string[] {
  return [...new Set(findings.map((f) => f.uri))];
}
