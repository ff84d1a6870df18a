import type { FileRule, RawFinding } from '../engine/types';
import { MANIFEST_KINDS } from '../engine/fileKinds';
import { manifestsOf, MANIFEST_DOCUMENTS } from './manifests';
import { restrictedSecurityContextFix } from './securityContextFix';
import { containerAnchor, containerLabel, finding, workloadsOf } from './workloads';

/**
 * One finding per container with no securityContext (absent, null or `{}`),
 * whose fix inserts the whole restricted profile. The field-by-field rules
 * stay quiet for such a container, so it gets one diagnostic, not eight.
 */
/**
 * The field checks of other tools this one finding stands for (a container
 * with no context fails all of them), so reports that map other tools' ids
 * find it. Annotations naming one of them do not silence it: the other
 * fields are still missing.
 */
const SUBSUMED = [
  'kube-linter:run-as-non-root',
  'kube-linter:privilege-escalation-container',
  'kube-linter:no-read-only-root-fs',
  'checkov:CKV_K8S_20',
  'checkov:CKV_K8S_22',
  'checkov:CKV_K8S_23',
  'checkov:CKV_K8S_28',
  'checkov:CKV_K8S_31',
  'checkov:CKV_K8S_37',
  'trivy:KSV001',
  'trivy:KSV003',
  'trivy:KSV012',
  'trivy:KSV014',
  'trivy:KSV030',
];

export const missingSecurityContext: FileRule = {
  meta: {
    id: 'cluster/missing-security-context',
    layer: 'cluster',
    title: 'Container without securityContext',
    description:
      'A container without a securityContext runs with the runtime defaults: as the image user (often root), with privilege escalation allowed, a writable root filesystem and the default capabilities.',
    severity: 'medium',
    cwe: ['CWE-250', 'CWE-1188'],
    aliases: ['checkov:CKV_K8S_30', 'checkov:CKV_K8S_29'],
    fileKinds: MANIFEST_KINDS,
  },
  pieceWise: { scheme: MANIFEST_DOCUMENTS },
  check(ctx) {
    const out: RawFinding[] = [];
    const { style } = manifestsOf(ctx);
    for (const w of workloadsOf(ctx)) {
      for (const c of w.containers) {
        if (c.securityContext) continue;
        const fix = !w.object.editable ? undefined : restrictedSecurityContextFix(ctx, c, style);
        const inherited = w.podSecurityContext ? ' (the pod-level one does not set allowPrivilegeEscalation, readOnlyRootFilesystem or capabilities)' : '';
        const raw = finding(ctx, this.meta, w.annotations, containerAnchor(c), {
          message: `${containerLabel(c)} has no securityContext${inherited}: it may run as root, escalate privileges and write its root filesystem. Add the restricted profile.`,
          fixes: fix ? [fix] : [],
        });
        raw.aliases = SUBSUMED;
        out.push(raw);
      }
    }
    return out;
  },
};
