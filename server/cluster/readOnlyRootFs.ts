import type { FileRule } from '../engine/types';
import { MANIFEST_KINDS } from '../engine/fileKinds';
import { checkContainerBoolean } from './containerBooleanField';
import { MANIFEST_DOCUMENTS } from './manifests';

export const readOnlyRootFs: FileRule = {
  meta: {
    id: 'cluster/read-only-root-fs',
    layer: 'cluster',
    title: 'Writable root filesystem',
    description:
      'A writable root filesystem lets an attacker who gets code execution drop tools and persist changes to binaries inside the container.',
    severity: 'low',
    cwe: ['CWE-732'],
    aliases: ['kube-linter:no-read-only-root-fs', 'checkov:CKV_K8S_22', 'trivy:KSV014'],
    fileKinds: MANIFEST_KINDS,
  },
  pieceWise: { scheme: MANIFEST_DOCUMENTS },
  check(ctx) {
    return checkContainerBoolean(ctx, this.meta, 'readOnlyRootFilesystem', true, (container) => `${container} has a writable root filesystem: set readOnlyRootFilesystem: true and mount an emptyDir where it must write.`);
  },
};
