// Scan results as nodes of the 4C's tree (Container → image → severity →
// vulnerability; Code → dependencies → file → package → vulnerability).
// No 'vscode' import, so it is unit-testable under plain Node.
import { pathToFileURL } from 'node:url';
import { SEVERITIES, type Finding, type Range, type Severity } from '../../server/engine/types';
import { sortVulnerabilities, summaryText, type ImageVulnerability, type ScanReport } from '../../server/image';
import type { ImageScanNode } from '../tree/imageResults';

export interface ImageScanEntry {
  /** Cache key (targetKey or local image id). */
  key: string;
  /** What the user scanned, as shown. */
  label: string;
  report: ScanReport;
  /** Where vulnerabilities landed in workspace Dockerfiles. */
  placements: Map<ImageVulnerability, { path: string; range: Range }>;
  scannedAt: number;
}

const SEVERITY_LABEL: Record<Severity, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low', info: 'Negligible / unknown' };

function safeId(s: string): string {
  return s.replace(/[^\w.:@/-]/g, '_');
}

function vulnNode(prefix: string, v: ImageVulnerability, placed?: { path: string; range: Range }): ImageScanNode {
  const fix = v.fixedVersion ? `→ ${v.fixedVersion}` : `no fix${v.status ? ` (${v.status})` : ''}`;
  const tooltip = [
    `**${v.id}** (${v.severity})${v.title ? ` — ${v.title}` : ''}`,
    '',
    `Package: \`${v.pkgName}@${v.installedVersion}\`${v.pkgPath ? ` in \`${v.pkgPath}\`` : ''}`,
    v.fixedVersion ? `Fixed in: \`${v.fixedVersion}\`` : `No fixed version${v.status ? ` (${v.status})` : ''}`,
    v.primaryUrl ? `\n[${v.primaryUrl}](${v.primaryUrl})` : '',
  ].join('\n');
  const node: ImageScanNode = {
    id: `${prefix}/vuln:${safeId(`${v.id}/${v.pkgName}@${v.installedVersion}/${v.pkgPath ?? ''}`)}`,
    label: v.id,
    description: `${v.pkgName}@${v.installedVersion} ${fix}`,
    tooltip,
    severity: v.severity,
    icon: 'bug',
    contextValue: 'vulnerability',
  };
  if (placed) node.location = { uri: pathToFileURL(placed.path).href, range: placed.range };
  else if (v.primaryUrl && /^https?:\/\//.test(v.primaryUrl)) node.command = { command: 'vscode.open', title: 'Open advisory', arguments: [v.primaryUrl] };
  return node;
}

function severityGroups(prefix: string, vulns: readonly ImageVulnerability[], placements?: ImageScanEntry['placements']): ImageScanNode[] {
  const out: ImageScanNode[] = [];
  for (const sev of SEVERITIES) {
    const list = sortVulnerabilities(vulns.filter((v) => v.severity === sev));
    if (!list.length) continue;
    const id = `${prefix}/sev:${sev}`;
    out.push({
      id,
      label: SEVERITY_LABEL[sev],
      description: `${list.length}`,
      severity: sev,
      children: list.map((v) => vulnNode(id, v, placements?.get(v))),
    });
  }
  return out;
}

export function imageNodes(entries: readonly ImageScanEntry[]): ImageScanNode[] {
  return entries.map((e) => {
    const prefix = `image:${safeId(e.key)}`;
    const os = e.report.os ? `${e.report.os.family} ${e.report.os.name}${e.report.os.eosl ? ' — end-of-life' : ''}` : '';
    return {
      id: prefix,
      label: e.label,
      description: summaryText(e.report.vulnerabilities),
      tooltip: `Scanned with ${e.report.scanner}${e.report.scannerVersion ? ` ${e.report.scannerVersion}` : ''}${os ? `\n\n${os}` : ''}\n\n${new Date(e.scannedAt).toLocaleString()}`,
      icon: 'package',
      contextValue: 'scannedImage',
      expanded: true,
      children: e.report.vulnerabilities.length
        ? severityGroups(prefix, e.report.vulnerabilities, e.placements)
        : [{ id: `${prefix}/clean`, label: 'No known vulnerabilities', icon: 'pass' }],
    };
  });
}

export interface DependencyScanEntry {
  root: string;
  report: ScanReport;
  findings: Finding[];
  scannedAt: number;
}

/** Code → dependencies: one node per lockfile/manifest target, then packages. */
export function dependencyNodes(entry: DependencyScanEntry | undefined): ImageScanNode[] {
  if (!entry) return [];
  const prefix = 'deps';
  const byTarget = new Map<string, ImageVulnerability[]>();
  for (const v of entry.report.vulnerabilities) {
    const t = (v.location?.path ?? v.target) || '(unknown)';
    const list = byTarget.get(t) ?? [];
    list.push(v);
    byTarget.set(t, list);
  }
  const children: ImageScanNode[] = [...byTarget.entries()].map(([target, list]) => ({
    id: `${prefix}/file:${safeId(target)}`,
    label: target,
    description: summaryText(list),
    icon: 'file',
    children: severityGroups(`${prefix}/file:${safeId(target)}`, list),
  }));
  return [
    {
      id: prefix,
      label: 'Dependencies',
      description: summaryText(entry.report.vulnerabilities),
      tooltip: `Scanned ${entry.root} with ${entry.report.scanner}`,
      icon: 'library',
      expanded: true,
      children: children.length ? children : [{ id: `${prefix}/clean`, label: 'No known vulnerabilities', icon: 'pass' }],
    },
  ];
}
