import type { FileRule, RawFinding } from '../engine/types';
import { MANIFEST_KINDS } from '../engine/fileKinds';
import { get, MANIFEST_DOCUMENTS } from './manifests';
import { policyRules } from './rbac';
import { finding } from './workloads';

const READ_VERBS = new Set(['get', 'list', 'watch', '*']);

/*
 * A ClusterRole that reads `secrets` in the core API group. Rules limited by
 * resourceNames are scoped to named secrets and pass; `resources: ['*']` is
 * left to cluster/rbac-wildcard (one finding per mistake).
 */
export const rbacSecretsAccess: FileRule = {
  meta: {
    id: 'cluster/rbac-secrets-access',
    layer: 'cluster',
    title: 'ClusterRole reads Secrets',
    description:
      "Reading Secrets cluster-wide hands over every credential in the cluster, including other service accounts' tokens: one compromised pod becomes all of them.",
    severity: 'high',
    cwe: ['CWE-522', 'CWE-269'],
    aliases: ['kube-linter:access-to-secrets', 'trivy:KSV041'],
    fileKinds: MANIFEST_KINDS,
  },
  pieceWise: { scheme: MANIFEST_DOCUMENTS },
  check(ctx) {
    const out: RawFinding[] = [];
    for (const r of policyRules(ctx)) {
      if (r.role.kind !== 'ClusterRole') continue;
      if (get(r.rule, 'resourceNames')) continue;
      const groups = r.field('apiGroups').values.map((v) => v.value);
      if (!groups.some((g) => g === '' || g === '*')) continue;
      const verbs = r.field('verbs').values.map((v) => v.value.toLowerCase()).filter((v) => READ_VERBS.has(v));
      if (verbs.length === 0) continue;
      for (const res of r.field('resources').values) {
        if (res.value !== 'secrets') continue;
        out.push(
          finding(ctx, this.meta, r.role.annotations, [res.node.range![0], res.node.range![1]], {
            message: `ClusterRole${r.role.name ? ` '${r.role.name}'` : ''} can ${verbs.join('/')} Secrets in every namespace. Use a namespaced Role limited by resourceNames.`,
          }),
        );
      }
    }
    return out;
  },
};
