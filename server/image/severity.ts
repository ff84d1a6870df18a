import { SEVERITIES, type Severity } from '../engine/types';

/** Maps a scanner's severity word onto the engine's scale (case-insensitive). */
export function normaliseSeverity(word: unknown): Severity {
  switch (String(word ?? '').trim().toLowerCase()) {
    case 'critical':
      return 'critical';
    case 'high':
      return 'high';
    case 'medium':
    case 'moderate':
      return 'medium';
    case 'low':
      return 'low';
    default:
      // negligible, unknown, anything new
      return 'info';
  }
}

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

export function mostSevere(list: Iterable<Severity>): Severity | undefined {
  let best: Severity | undefined;
  for (const s of list) if (best === undefined || severityRank(s) < severityRank(best)) best = s;
  return best;
}
