import type { FileRule, RawFinding } from '../engine/types';
import { MANIFEST_KINDS } from '../engine/fileKinds';
import { getPair, isScalar, manifestsOf, mapAt, str, MANIFEST_DOCUMENTS } from './manifests';
import { finding } from './workloads';

export const rbacClusterAdminBinding: FileRule = {
  meta: {
    id: 'cluster/rbac-cluster-admin-binding',
    layer: 'cluster',
    title: 'Binding to cluster-admin',
    description:
      'cluster-admin can do anything to any resource: a subject bound to it (or a pod running as it) that is compromised is a compromised cluster.',
    severity: 'high',
    cwe: ['CWE-269', 'CWE-250'],
    aliases: ['kube-linter:cluster-admin-role-binding', 'trivy:KSV111'],
    fileKinds: MANIFEST_KINDS,
  },
  pieceWise: { scheme: MANIFEST_DOCUMENTS },
  check(ctx) {
    const out: RawFinding[] = [];
    for (const o of manifestsOf(ctx).objects) {
      if (o.kind !== 'ClusterRoleBinding' && o.kind !== 'RoleBinding') continue;
      const roleRef = mapAt(o.node, 'roleRef');
      if (!roleRef || str(getPair(roleRef, 'kind')?.value) !== 'ClusterRole') continue;
      const nameNode = getPair(roleRef, 'name')?.value;
      if (str(nameNode) !== 'cluster-admin' || !isScalar(nameNode) || !nameNode.range) continue;
      const clusterWide = o.kind === 'ClusterRoleBinding';
      out.push(
        finding(ctx, this.meta, o.annotations, [nameNode.range[0], nameNode.range[1]], {
          message: `${o.kind}${o.name ? ` '${o.name}'` : ''} grants cluster-admin${clusterWide ? ' across the cluster' : ` in namespace ${o.namespace ?? '(its namespace)'}`}. Bind a role with only the permissions needed.`,
          severity: clusterWide ? 'critical' : 'high',
        }),
      );
    }
    return out;
  },
};
