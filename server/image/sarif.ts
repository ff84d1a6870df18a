// An image scan as a SARIF run: one rule per vulnerability id, one result per
// vulnerable package, placed on the Dockerfile line when attribution found one.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import type { Range, Severity } from '../engine/types';
import type { ImageVulnerability, ScanReport } from './model';

function level(s: Severity): Sarif.Result.level {
  return s === 'critical' || s === 'high' ? 'error' : s === 'medium' ? 'warning' : 'note';
}

/** GitHub code scanning's numeric severity for ordering (0–10). */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '2.0', info: '0.0' };

function uriOf(p: string, root: string): Sarif.ArtifactLocation {
  const rel = path.relative(root, p);
  if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return { uri: rel.split(path.sep).join('/'), uriBaseId: '%SRCROOT%' };
  return { uri: pathToFileURL(p).href };
}

export interface ImageSarifOptions {
  root: string;
  /** The scanned image / archive as the user named it. */
  scanned: string;
  placements?: ReadonlyMap<ImageVulnerability, { path: string; range: Range }>;
  version?: string;
}

export function imageSarifRun(report: ScanReport, options: ImageSarifOptions): Sarif.Run {
  const rules = new Map<string, Sarif.ReportingDescriptor>();
  const results: Sarif.Result[] = [];
  for (const v of report.vulnerabilities) {
    if (!rules.has(v.id)) {
      rules.set(v.id, {
        id: v.id,
        shortDescription: { text: v.title ?? v.id },
        helpUri: v.primaryUrl,
        help: { text: `${v.id}${v.title ? `: ${v.title}` : ''}${v.primaryUrl ? `\n${v.primaryUrl}` : ''}` },
        properties: { 'security-severity': SECURITY_SEVERITY[v.severity], tags: ['security', 'vulnerability', report.scanner] },
      });
    }
    const placed = options.placements?.get(v);
    const fix = v.fixedVersion ? `fixed in ${v.fixedVersion}` : 'no fixed version';
    const location: Sarif.Location = placed
      ? {
          physicalLocation: {
            artifactLocation: uriOf(placed.path, options.root),
            region: {
              startLine: placed.range.start.line + 1,
              startColumn: placed.range.start.character + 1,
              endLine: placed.range.end.line + 1,
              endColumn: placed.range.end.character + 1,
            },
          },
        }
      : { physicalLocation: { artifactLocation: { uri: encodeURI(v.location?.path ?? v.pkgPath ?? v.target ?? options.scanned) } } };
    results.push({
      ruleId: v.id,
      level: level(v.severity),
      message: { text: `${options.scanned}: ${v.pkgName}@${v.installedVersion} has ${v.id} (${v.severity}), ${fix}.${v.title ? ` ${v.title}` : ''}` },
      locations: [location],
      partialFingerprints: { 'fourfold-image/v1': `${v.id}/${v.pkgName}/${v.installedVersion}/${v.pkgPath ?? ''}` },
      properties: {
        severity: v.severity,
        pkgName: v.pkgName,
        installedVersion: v.installedVersion,
        ...(v.fixedVersion ? { fixedVersion: v.fixedVersion } : {}),
        ...(v.layerDiffId ? { layerDiffId: v.layerDiffId } : {}),
        image: options.scanned,
      },
    });
  }
  return {
    tool: {
      driver: {
        name: `Fourfold image scan (${report.scanner})`,
        informationUri: 'https://github.com/fourfold/fourfold',
        version: options.version ?? '0.1.0',
        rules: [...rules.values()],
      },
    },
    originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(options.root + path.sep).href } },
    columnKind: 'utf16CodeUnits',
    results,
    properties: { scanner: report.scanner, scannerVersion: report.scannerVersion, artifact: options.scanned },
  };
}
