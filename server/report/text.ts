import * as path from 'node:path';
import { SEVERITIES, type Finding, type Severity } from '../engine/types';

const COLORS: Record<Severity, string> = { critical: '\x1b[35m', high: '\x1b[31m', medium: '\x1b[33m', low: '\x1b[36m', info: '\x1b[90m' };

/** Human-readable report: findings grouped by file, then a one-line summary. */
export function toText(findings: readonly Finding[], options: { cwd: string; color: boolean; suppressedCount?: number; fileCount?: number }): string {
  const out: string[] = [];
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byFile.get(f.path) ?? [];
    list.push(f);
    byFile.set(f.path, list);
  }
  const paint = (s: Severity, text: string) => (options.color ? `${COLORS[s]}${text}\x1b[0m` : text);
  for (const file of [...byFile.keys()].sort()) {
    out.push(path.relative(options.cwd, file) || file);
    for (const f of byFile.get(file)!) {
      const loc = `${f.range.start.line + 1}:${f.range.start.character + 1}`;
      out.push(`  ${loc.padEnd(8)} ${paint(f.severity, f.severity.padEnd(8))} ${f.ruleId.padEnd(34)} ${f.message}`);
    }
    out.push('');
  }
  const counts = SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
  const summary = findings.length
    ? `${findings.length} finding${findings.length === 1 ? '' : 's'} (${counts.map(([s, n]) => `${n} ${s}`).join(', ')}) in ${byFile.size} file${byFile.size === 1 ? '' : 's'}`
    : 'No findings';
  const extras = [
    options.fileCount !== undefined ? `${options.fileCount} files analysed` : '',
    options.suppressedCount ? `${options.suppressedCount} suppressed` : '',
  ].filter(Boolean);
  out.push(extras.length ? `${summary}; ${extras.join(', ')}.` : `${summary}.`);
  return out.join('\n') + '\n';
}
