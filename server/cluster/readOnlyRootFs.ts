import type { FileRule, Fix, RawFinding } from '../engine/types';
import { MANIFEST_KINDS } from '../engine/fileKinds';
import { bool, getPair, manifestsOf } from './manifests';
import { addFieldFix } from './securityContextFix';
import { containerAnchor, containerLabel, finding, pairAnchor, workloadsOf } from './workloads';
import { replaceScalar } from './yamlEdit';

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
  check(ctx) {
    const out: RawFinding[] = [];
    const { style } = manifestsOf(ctx);
    for (const w of workloadsOf(ctx)) {
      for (const c of w.containers) {
        if (!c.securityContext) continue; // cluster/missing-security-context reports it
        const pair = getPair(c.securityContext, 'readOnlyRootFilesystem');
        if (pair && bool(pair.value) === true) continue;
        const fixes: Fix[] = [];
        if (w.object.editable) {
          if (pair) {
            const edit = replaceScalar(ctx, pair.value, 'true');
            if (edit) fixes.push({ title: 'Set readOnlyRootFilesystem: true', edits: [edit], isPreferred: true });
          } else {
            const fix = addFieldFix(ctx, c, style, 'readOnlyRootFilesystem', true, 'Add readOnlyRootFilesystem: true');
            if (fix) fixes.push(fix);
          }
        }
        out.push(
          finding(ctx, this.meta, w.annotations, pair ? pairAnchor(pair) : containerAnchor(c), {
            message: `${containerLabel(c)} has a writable root filesystem: set readOnlyRootFilesystem: true and mount an emptyDir where it must write.`,
            fixes,
          }),
        );
      }
    }
    return out;
  },
};
