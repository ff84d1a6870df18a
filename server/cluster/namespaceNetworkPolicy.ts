import { MANIFEST_KINDS } from '../engine/fileKinds';
import { postureRule, registerPostureMeta } from './namespacePosture';

export const namespaceNetworkPolicy = postureRule(
  registerPostureMeta({
    id: 'cluster/namespace-network-policy',
    layer: 'cluster',
    title: 'Pods not covered by a NetworkPolicy',
    description:
      'Pods no NetworkPolicy selects accept traffic from every pod in the cluster: one compromised workload can reach databases and internal APIs anywhere (lateral movement).',
    severity: 'medium',
    cwe: ['CWE-923', 'CWE-284'],
    aliases: ['kube-linter:non-isolated-pod', 'checkov:CKV2_K8S_6'],
    fileKinds: MANIFEST_KINDS,
  }),
  'networkPolicy',
);
