import type { FourfoldConfig, RuleSetting } from '../engine/config';
import { SEVERITIES, type Layer, type Severity } from '../engine/types';
import type { FourfoldSettings } from './protocol';

function isSeverity(v: unknown): v is Severity {
  return typeof v === 'string' && (SEVERITIES as readonly string[]).includes(v);
}

/** VS Code settings (`fourfold.*`) as a configuration layer over `.fourfold.yaml`. */
export function settingsToConfig(s: FourfoldSettings | undefined): Partial<FourfoldConfig> {
  if (!s || typeof s !== 'object') return {};
  const out: Partial<FourfoldConfig> = {};
  if (s.enable && typeof s.enable === 'object') {
    const layers: Partial<Record<Layer, boolean>> = {};
    for (const l of ['code', 'container', 'cluster', 'cloud'] as const) {
      if (typeof s.enable[l] === 'boolean') layers[l] = s.enable[l];
    }
    out.layers = layers;
  }
  if (isSeverity(s.minSeverity)) out.minSeverity = s.minSeverity;
  if (s.rules && typeof s.rules === 'object') {
    const rules: Record<string, RuleSetting> = {};
    for (const [id, v] of Object.entries(s.rules)) {
      if (v === 'off') rules[id] = { enabled: false };
      else if (v === 'on') rules[id] = { enabled: true };
      else if (isSeverity(v)) rules[id] = { enabled: true, severity: v };
    }
    out.rules = rules;
  }
  if (Array.isArray(s.exclude)) out.exclude = s.exclude.filter((e): e is string => typeof e === 'string');
  if (typeof s.maxFileSize === 'number' && s.maxFileSize > 0) out.maxFileSize = s.maxFileSize;
  if (typeof s.review === 'boolean') out.review = s.review;
  return out;
}
