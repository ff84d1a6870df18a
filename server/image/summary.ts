// Words for results: the summary line ("2 critical · 7 high · 31 fixable") and version order.
import { SEVERITIES, type Severity } from '../engine/types';
import type { ImageVulnerability } from './model';
import { mostSevere, severityRank } from './severity';

export interface SeverityCounts {
  critical: number;
  high: number;
  medium: number;
  low: number;
  info: number;
  fixable: number;
  total: number;
}

export function countBySeverity(vulns: readonly ImageVulnerability[]): SeverityCounts {
  const c: SeverityCounts = { critical: 0, high: 0, medium: 0, low: 0, info: 0, fixable: 0, total: vulns.length };
  for (const v of vulns) {
    c[v.severity]++;
    if (v.fixedVersion) c.fixable++;
  }
  return c;
}

const WORD: Record<Severity, string> = { critical: 'critical', high: 'high', medium: 'medium', low: 'low', info: 'negligible/unknown' };

/** "2 critical · 7 high · 31 fixable"; "no known vulnerabilities" when empty. */
export function summaryText(vulns: readonly ImageVulnerability[]): string {
  if (!vulns.length) return 'no known vulnerabilities';
  const c = countBySeverity(vulns);
  const parts = SEVERITIES.filter((s) => c[s] > 0).map((s) => `${c[s]} ${WORD[s]}`);
  parts.push(`${c.fixable} fixable`);
  return parts.join(' · ');
}

/** Most severe first, then fixable first, then by id (stable output). */
export function sortVulnerabilities(vulns: readonly ImageVulnerability[]): ImageVulnerability[] {
  return [...vulns].sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      Number(!a.fixedVersion) - Number(!b.fixedVersion) ||
      a.id.localeCompare(b.id) ||
      a.pkgName.localeCompare(b.pkgName),
  );
}

export function worstSeverity(vulns: readonly ImageVulnerability[]): Severity | undefined {
  return mostSevere(vulns.map((v) => v.severity));
}

/** Compares dotted versions numerically where both parts are numbers (1.10 > 1.9; 1.1.20-r5 > 1.1.20-r4). */
export function compareVersions(a: string, b: string): number {
  const pa = a.replace(/^v/, '').split(/[.\-+_~:]/);
  const pb = b.replace(/^v/, '').split(/[.\-+_~:]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    if (x === y) continue;
    const nx = /^\d+$/.test(x) ? Number(x) : NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : NaN;
    if (!Number.isNaN(nx) && !Number.isNaN(ny)) return nx - ny;
    const dx = /^(\D*)(\d+)/.exec(x);
    const dy = /^(\D*)(\d+)/.exec(y);
    if (dx && dy && dx[1] === dy[1]) return Number(dx[2]) - Number(dy[2]);
    if (x === '') return -1;
    if (y === '') return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** The version that fixes every listed vulnerability of one package (the highest first-fixed version). */
export function bestFixedVersion(vulns: readonly ImageVulnerability[]): string | undefined {
  let best: string | undefined;
  for (const v of vulns) if (v.fixedVersion && (!best || compareVersions(v.fixedVersion, best) > 0)) best = v.fixedVersion;
  return best;
}

/** One line per vulnerability: "CVE-… (critical) spring-beans 5.3.15 → fixed in 5.3.18". */
export function vulnerabilityLine(v: ImageVulnerability): string {
  const fix = v.fixedVersion ? `fixed in ${v.fixedVersion}` : v.status ? `no fix (${v.status})` : 'no fix';
  return `${v.id} (${v.severity}) ${v.pkgName}@${v.installedVersion} → ${fix}${v.title ? `: ${v.title}` : ''}`;
}
