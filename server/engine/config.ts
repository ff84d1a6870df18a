import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { SEVERITIES, type Layer, type Severity } from './types';

/**
 * The configuration both the editor and the CLI obey. It comes from
 * `.fourfold.yaml` at the root of the repository, so CI and the editor read
 * the same file; editor settings are layered on top (see mergeConfig).
 */
export interface RuleSetting {
  enabled?: boolean;
  severity?: Severity;
  options?: Record<string, unknown>;
}

export interface FourfoldConfig {
  /** Per-rule settings, keyed by rule id. */
  rules: Record<string, RuleSetting>;
  /** Layers switched off entirely. */
  layers: Partial<Record<Layer, boolean>>;
  /** Globs (gitignore syntax) of paths never analysed, relative to the root. */
  exclude: string[];
  /** Files larger than this are skipped with a note. */
  maxFileSize: number;
  /** Show sinks that are built dynamically but not traced to untrusted input. */
  review: boolean;
  /** Findings below this severity are not reported. */
  minSeverity: Severity;
  /** Honour other tools' suppression comments (nosec, nosemgrep, hadolint, checkov, kube-linter). */
  foreignSuppressions: boolean;
}

export const DEFAULT_MAX_FILE_SIZE = 1024 * 1024;

export function defaultConfig(): FourfoldConfig {
  return {
    rules: {},
    layers: {},
    exclude: [],
    maxFileSize: DEFAULT_MAX_FILE_SIZE,
    review: false,
    minSeverity: 'info',
    foreignSuppressions: true,
  };
}

export const CONFIG_FILE_NAMES = ['.fourfold.yaml', '.fourfold.yml', 'fourfold.config.yaml'];

export class ConfigError extends Error {}

/** Reads the configuration file that governs `root`, if any. */
export function loadConfig(root: string): { config: FourfoldConfig; file?: string; problems: string[] } {
  for (const name of CONFIG_FILE_NAMES) {
    const file = path.join(root, name);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const problems: string[] = [];
    const config = parseConfig(text, problems);
    return { config, file, problems: problems.map((p) => `${name}: ${p}`) };
  }
  return { config: defaultConfig(), problems: [] };
}

function isSeverity(v: unknown): v is Severity {
  return typeof v === 'string' && (SEVERITIES as readonly string[]).includes(v);
}

/**
 * Parses the YAML configuration. Unknown or malformed entries become problems
 * (reported to the user) rather than exceptions, so a typo never disables the tool.
 */
export function parseConfig(text: string, problems: string[] = []): FourfoldConfig {
  const config = defaultConfig();
  let raw: unknown;
  try {
    raw = parseYaml(text, { maxAliasCount: 100 });
  } catch (e) {
    problems.push(`not valid YAML: ${(e as Error).message.split('\n')[0]}`);
    return config;
  }
  if (raw == null) return config;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push('expected a mapping at the top level');
    return config;
  }
  const obj = raw as Record<string, unknown>;
  for (const [key, value] of Object.entries(obj)) {
    switch (key) {
      case 'rules':
        if (value && typeof value === 'object' && !Array.isArray(value)) {
          for (const [id, setting] of Object.entries(value as Record<string, unknown>)) {
            const parsed = parseRuleSetting(setting);
            if (parsed) config.rules[id] = parsed;
            else problems.push(`rules.${id}: expected off, on, a severity, or {enabled, severity, options}`);
          }
        } else problems.push('rules: expected a mapping of rule id to setting');
        break;
      case 'layers':
        if (value && typeof value === 'object') {
          for (const [layer, on] of Object.entries(value as Record<string, unknown>)) {
            if (!['code', 'container', 'cluster', 'cloud'].includes(layer)) problems.push(`layers.${layer}: unknown layer`);
            else config.layers[layer as Layer] = on !== false && on !== 'off';
          }
        }
        break;
      case 'exclude':
        if (Array.isArray(value) && value.every((v) => typeof v === 'string')) config.exclude = value as string[];
        else problems.push('exclude: expected a list of globs');
        break;
      case 'maxFileSize':
        if (typeof value === 'number' && value > 0) config.maxFileSize = value;
        else problems.push('maxFileSize: expected a positive number of bytes');
        break;
      case 'review':
        config.review = value === true;
        break;
      case 'minSeverity':
        if (isSeverity(value)) config.minSeverity = value;
        else problems.push(`minSeverity: expected one of ${SEVERITIES.join(', ')}`);
        break;
      case 'foreignSuppressions':
        config.foreignSuppressions = value !== false;
        break;
      default:
        problems.push(`${key}: unknown setting`);
    }
  }
  return config;
}

function parseRuleSetting(value: unknown): RuleSetting | undefined {
  if (value === false || value === 'off') return { enabled: false };
  if (value === true || value === 'on') return { enabled: true };
  if (isSeverity(value)) return { enabled: true, severity: value };
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    const setting: RuleSetting = {};
    if (v.enabled !== undefined) setting.enabled = v.enabled !== false && v.enabled !== 'off';
    if (v.severity !== undefined) {
      if (!isSeverity(v.severity)) return undefined;
      setting.severity = v.severity;
    }
    if (v.options && typeof v.options === 'object') setting.options = v.options as Record<string, unknown>;
    return setting;
  }
  return undefined;
}

/** Editor settings win over the repository file, field by field. */
export function mergeConfig(base: FourfoldConfig, over: Partial<FourfoldConfig>): FourfoldConfig {
  const rules: Record<string, RuleSetting> = { ...base.rules };
  for (const [id, s] of Object.entries(over.rules ?? {})) rules[id] = { ...rules[id], ...s };
  return {
    rules,
    layers: { ...base.layers, ...over.layers },
    exclude: [...base.exclude, ...(over.exclude ?? [])],
    maxFileSize: over.maxFileSize ?? base.maxFileSize,
    review: over.review ?? base.review,
    minSeverity: over.minSeverity ?? base.minSeverity,
    foreignSuppressions: over.foreignSuppressions ?? base.foreignSuppressions,
  };
}

/**
 * The configuration governing a folder: the nearest configuration file in it
 * or above it, stopping at the repository root (a folder holding .git).
 * The CLI and the language server both use this, so they agree.
 */
export function discoverConfig(start: string): { config: FourfoldConfig; file?: string; problems: string[] } {
  let dir = path.resolve(start);
  try {
    if (fs.statSync(dir).isFile()) dir = path.dirname(dir);
  } catch {
    // A path that does not exist yet: look from its folder.
    dir = path.dirname(dir);
  }
  for (;;) {
    const found = loadConfig(dir);
    if (found.file) return found;
    if (fs.existsSync(path.join(dir, '.git'))) break;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return { config: defaultConfig(), problems: [] };
}
