import { cloudLayer } from '../cloud';
import { clusterLayer } from '../cluster';
import { codeLayer } from '../code';
import { containerLayer } from '../container';
import type { LayerModule } from './layer';
import type { Rule, RuleMeta } from './types';

/** Every layer, in 4C order. Adding a rule = adding a file and listing it in its layer's index.ts. */
export const LAYER_MODULES: readonly LayerModule[] = [codeLayer, containerLayer, clusterLayer, cloudLayer];

export const ALL_RULES: readonly Rule[] = LAYER_MODULES.flatMap((m) => m.rules);

const BY_ID = new Map<string, Rule>(ALL_RULES.map((r) => [r.meta.id, r]));

export function ruleById(id: string): Rule | undefined {
  return BY_ID.get(id);
}

export function ruleMeta(id: string): RuleMeta | undefined {
  return BY_ID.get(id)?.meta;
}

/** Where a rule's document lives, relative to the package root. */
export function ruleDocPath(id: string): string {
  return `docs/rules/${id}.md`;
}
