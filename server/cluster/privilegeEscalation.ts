import type { FileRule, Fix, RawFinding } from '../engine/types';
import { MANIFEST_KINDS } from '../engine/fileKinds';
import { bool, getPair, manifestsOf } from './manifests';
import { addFieldFix } from './securityContextFix';
import { containerAnchor, containerLabel, finding, pairAnchor, workloadsOf } from './workloads';
import { replaceScalar } from './yamlEdit';

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
  check(ctx) {
    const out: RawFinding[] = [];
    const { style } = manifestsOf(ctx);
    for (const w of workloadsOf(ctx)) {
      for (const c of w.containers) {
        if (!c.securityContext) continue; // cluster/missing-security-context reports it
        const pair = getPair(c.securityContext, 'allowPrivilegeEscalation');
        if (pair && bool(pair.value) === false) continue;
        const fixes: Fix[] = [];
        if (w.object.editable) {
          if (pair) {
            const edit = replaceScalar(ctx, pair.value, 'false');
            if (edit) fixes.push({ title: 'Set allowPrivilegeEscalation: false', edits: [edit], isPreferred: true });
          } else {
            const fix = addFieldFix(ctx, c, style, 'allowPrivilegeEscalation', false, 'Add allowPrivilegeEscalation: false');
            if (fix) fixes.push(fix);
          }
        }
        out.push(
          finding(ctx, this.meta, w.annotations, pair ? pairAnchor(pair) : containerAnchor(c), {
            message: `${containerLabel(c)} ${pair ? 'allows' : 'does not forbid'} privilege escalation: set allowPrivilegeEscalation: false.`,
            fixes,
          }),
        );
      }
    }
    return out;
  },
};
