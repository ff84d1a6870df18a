// The status-bar shield's text, as plain data (no 'vscode' import: unit-tested).
import { LAYERS, SEVERITIES } from '../../server/engine/types';
import { LAYER_LABELS, type FindingsTreeModel } from './model';

/** What the shield says: the count the 4C's view shows (at or above the configured and filtered severity). */
export function statusText(model: FindingsTreeModel): { text: string; tooltip: string; label: string; count: number } {
  const counts = model.counts();
  const count = counts.total;
  const spinning = model.scanning && model.loaded;
  const text = `$(shield) ${count}${spinning ? ' $(sync~spin)' : ''}`;
  const lines = [
    `Fourfold: ${count} finding${count === 1 ? '' : 's'} at or above ${model.minSeverity}`,
    ...LAYERS.map((l) => `${LAYER_LABELS[l]}: ${counts.byLayer[l]?.total ?? 0}`),
  ];
  const sev = SEVERITIES.filter((s) => counts.bySeverity[s] > 0).map((s) => `${counts.bySeverity[s]} ${s}`);
  if (sev.length) lines.push(sev.join(' · '));
  if (spinning) lines.push('Scanning the workspace…');
  if (model.lastError) lines.push(`Language server: ${model.lastError.message}`);
  const label = `Fourfold: ${count} security finding${count === 1 ? '' : 's'}`;
  return { text, tooltip: lines.join('\n'), label, count };
}

