import type { LayerModule } from '../engine/layer';
import { capabilities } from './capabilities';
import { hostNamespaces } from './hostNamespaces';
import { hostPath } from './hostPath';
import { hostPort } from './hostPort';
import { imageLatest } from './imageLatest';
import { missingSecurityContext } from './missingSecurityContext';
import { namespaceLimitRange } from './namespaceLimitRange';
import { namespaceNetworkPolicy } from './namespaceNetworkPolicy';
import { namespaceResourceQuota } from './namespaceResourceQuota';
import { privileged } from './privileged';
import { privilegeEscalation } from './privilegeEscalation';
import { rbacClusterAdminBinding } from './rbacClusterAdminBinding';
import { rbacSecretsAccess } from './rbacSecretsAccess';
import { rbacWildcard } from './rbacWildcard';
import { readOnlyRootFs } from './readOnlyRootFs';
import { resources } from './resources';
import { runAsNonRoot } from './runAsNonRoot';
import { seccomp } from './seccomp';
import { secretInManifest } from './secretInManifest';
import { serviceAccountToken } from './serviceAccountToken';

export const clusterLayer: LayerModule = {
  layer: 'cluster',
  rules: [
    missingSecurityContext,
    runAsNonRoot,
    privilegeEscalation,
    privileged,
    readOnlyRootFs,
    capabilities,
    seccomp,
    hostNamespaces,
    hostPath,
    hostPort,
    resources,
    imageLatest,
    serviceAccountToken,
    rbacWildcard,
    rbacClusterAdminBinding,
    rbacSecretsAccess,
    secretInManifest,
    namespaceResourceQuota,
    namespaceLimitRange,
    namespaceNetworkPolicy,
  ],
};
