import type { FileContext } from '../engine/context';
import { get, isMap, isSeq, manifestsOf, resolve, seqAt, str, type K8sObject, type Node, type YAMLMap, type YAMLSeq } from './manifests';

/** One `rules:` entry of a Role or ClusterRole. */
export interface PolicyRule {
  role: K8sObject;
  rule: YAMLMap;
  field(name: 'verbs' | 'resources' | 'apiGroups'): { seq?: YAMLSeq; values: Array<{ value: string; node: Node }> };
}

export function policyRules(ctx: FileContext): PolicyRule[] {
  return ctx.memo('cluster:rbac', () => {
    const out: PolicyRule[] = [];
    for (const role of manifestsOf(ctx).objects) {
      if (role.kind !== 'Role' && role.kind !== 'ClusterRole') continue;
      for (const item of seqAt(role.node, 'rules')?.items ?? []) {
        const rule = resolve(item);
        if (!isMap(rule)) continue;
        out.push({
          role,
          rule,
          field(name) {
            const v = get(rule, name);
            if (!isSeq(v)) return { values: [] };
            const values: Array<{ value: string; node: Node }> = [];
            for (const n of v.items) {
              const s = str(n);
              if (s !== undefined && (n as Node).range) values.push({ value: s, node: n as Node });
            }
            return { seq: v, values };
          },
        });
      }
    }
    return out;
  });
}

