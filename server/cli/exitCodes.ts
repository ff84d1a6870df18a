import type { Severity } from '../engine/types';

/** Exit codes of every `fourfold` command. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
export const EXIT_ERROR = 3;

/** `--fail-on` levels: SARIF levels or severities (Grype's "negligible" too), as the lowest severity that fails. */
export const FAIL_ON_LEVELS: Record<string, Severity> = {
  error: 'high',
  warning: 'medium',
  note: 'info',
  critical: 'critical',
  high: 'high',
  medium: 'medium',
  low: 'low',
  info: 'info',
  negligible: 'info',
};
