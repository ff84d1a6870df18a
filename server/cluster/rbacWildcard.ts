import type { FileRule, RawFinding } from '../engine/types';
import { MANIFEST_KINDS } from '../engine/fileKinds';
import { policyRules } from './rbac';
import { finding } from './workloads';
import { MANIFEST_DOCUMENTS } from './manifests';

export const rbacWildcard: FileRule = {
  meta: {
    id: 'cluster/rbac-wildcard',
    layer: 'cluster',
    title: 'Wildcard in RBAC rule',
    description:
      'A `*` in verbs, resources or apiGroups grants everything, including resources and verbs added later (escalate, impersonate, bind): whoever holds the role can take over what it covers.',
    severity: 'high',
    cwe: ['CWE-269', 'CWE-732'],
    aliases: ['kube-linter:wildcard-in-rules', 'checkov:CKV_K8S_49', 'trivy:KSV044', 'trivy:KSV045', 'trivy:KSV046'],
    fileKinds: MANIFEST_KINDS,
  },
  pieceWise: { scheme: MANIFEST_DOCUMENTS },
  check(ctx) {
    const out: RawFinding[] = [];
    for (const r of policyRules(ctx)) {
      for (const field of ['verbs', 'resources', 'apiGroups'] as const) {
        for (const v of r.field(field).values) {
          if (v.value !== '*') continue;
          out.push(
            finding(ctx, this.meta, r.role.annotations, [v.node.range![0], v.node.range![1]], {
              message: `${r.role.kind}${r.role.name ? ` '${r.role.name}'` : ''} grants '*' in ${field}: list the ${field} it needs.`,
            }),
          );
        }
      }
    }
    return out;
  },
};
