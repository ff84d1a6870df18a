import { MANIFEST_KINDS } from '../engine/fileKinds';
import { postureRule, registerPostureMeta } from './namespacePosture';

export const namespaceResourceQuota = postureRule(
  registerPostureMeta({
    id: 'cluster/namespace-resource-quota',
    layer: 'cluster',
    title: 'Namespace without ResourceQuota',
    description:
      'Without a ResourceQuota a compromised or runaway workload can consume the whole cluster (crypto-mining, denial of service for every other tenant).',
    severity: 'low',
    cwe: ['CWE-770'],
    aliases: [],
    fileKinds: MANIFEST_KINDS,
  }),
  'quota',
);
