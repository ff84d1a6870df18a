import { MANIFEST_KINDS } from '../engine/fileKinds';
import { postureRule, registerPostureMeta } from './namespacePosture';

export const namespaceLimitRange = postureRule(
  registerPostureMeta({
    id: 'cluster/namespace-limit-range',
    layer: 'cluster',
    title: 'Namespace without LimitRange',
    description:
      'A LimitRange gives containers that set no resources a default request and limit; without it they run unbounded and can starve their node.',
    severity: 'low',
    cwe: ['CWE-770'],
    aliases: [],
    fileKinds: MANIFEST_KINDS,
  }),
  'limitRange',
);
