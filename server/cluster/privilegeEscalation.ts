import type { FileRule } from '../engine/types';
import { MANIFEST_KINDS } from '../engine/fileKinds';
import { checkContainerBoolean } from './containerBooleanField';
import { MANIFEST_DOCUMENTS } from './manifests';

/** allowPrivilegeEscalation is container-only: a pod-level value does not exist in the API. */
export const privilegeEscalation: FileRule = {
  meta: {
    id: 'cluster/privilege-escalation',
    layer: 'cluster',
    title: 'Privilege escalation allowed',
    description:
      'Unless allowPrivilegeEscalation is false, a process can gain more privileges than its parent through setuid binaries or file capabilities.',
    severity: 'medium',
    cwe: ['CWE-269'],
    aliases: ['kube-linter:privilege-escalation-container', 'checkov:CKV_K8S_20', 'trivy:KSV001'],
    fileKinds: MANIFEST_KINDS,
  },
  pieceWise: { scheme: MANIFEST_DOCUMENTS },
  check(ctx) {
    return checkContainerBoolean(ctx, this.meta, 'allowPrivilegeEscalation', false, (container, present) => `${container} ${present ? 'allows' : 'does not forbid'} privilege escalation: set allowPrivilegeEscalation: false.`);
  },
};
