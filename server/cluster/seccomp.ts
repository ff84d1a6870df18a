import type { FileRule, Fix, RawFinding } from '../engine/types';
import { MANIFEST_KINDS } from '../engine/fileKinds';
import { getPair, isMap, manifestsOf, str, MANIFEST_DOCUMENTS } from './manifests';
import { addFieldFix } from './securityContextFix';
import {
  containerAnchor,
  containerLabel,
  effectiveField,
  finding,
  pairAnchor,
  workloadLabel,
  workloadsOf,
  type Container,
  type Workload,
} from './workloads';
import { replaceScalar } from './yamlEdit';

const GOOD_TYPES = new Set(['RuntimeDefault', 'Localhost']);
const GOOD_ANNOTATION = /^(runtime\/default|docker\/default|localhost\/.+)$/;

/** The pre-1.19 seccomp annotations still count where no field is set (the kubelet honoured them until 1.27). */
function annotatedProfile(w: Workload, c: Container): string | undefined {
  if (c.name) {
    const own = w.annotations[`container.seccomp.security.alpha.kubernetes.io/${c.name}`];
    if (own !== undefined) return own;
  }
  return w.annotations['seccomp.security.alpha.kubernetes.io/pod'];
}

/*
 * seccompProfile is inherited from the pod securityContext and overridden per
 * container. RuntimeDefault or Localhost pass; Unconfined or no profile fail.
 */
export const seccomp: FileRule = {
  meta: {
    id: 'cluster/seccomp',
    layer: 'cluster',
    title: 'No seccomp profile',
    description:
      'Without a seccomp profile every system call is open to the container, including the ones most kernel exploits used to escape.',
    severity: 'medium',
    cwe: ['CWE-693'],
    aliases: ['checkov:CKV_K8S_31', 'trivy:KSV030'],
    fileKinds: MANIFEST_KINDS,
  },
  pieceWise: { scheme: MANIFEST_DOCUMENTS },
  check(ctx) {
    const out: RawFinding[] = [];
    const { style } = manifestsOf(ctx);
    for (const w of workloadsOf(ctx)) {
      const reportedPodKeys = new Set<number>();
      for (const c of w.containers) {
        const profile = effectiveField(w, c, 'seccompProfile');
        if (profile) {
          const typePair = isMap(profile.value) ? getPair(profile.value, 'type') : undefined;
          const type = str(typePair?.value);
          if (type && GOOD_TYPES.has(type)) continue;
          const at = pairAnchor(typePair ?? profile.pair);
          if (profile.from === 'pod') {
            if (reportedPodKeys.has(at[0])) continue;
            reportedPodKeys.add(at[0]);
          }
          const fixes: Fix[] = [];
          const edit = typePair && w.object.editable ? replaceScalar(ctx, typePair.value, 'RuntimeDefault') : undefined;
          if (edit) fixes.push({ title: 'Use the RuntimeDefault seccomp profile', edits: [edit], isPreferred: true });
          const who = profile.from === 'pod' ? `${workloadLabel(w)} (pod securityContext)` : containerLabel(c);
          out.push(
            finding(ctx, this.meta, w.annotations, at, {
              message: `${who} uses seccomp profile ${type ?? '(no type)'}: every system call is allowed. Use RuntimeDefault.`,
              fixes,
            }),
          );
          continue;
        }
        const annotated = annotatedProfile(w, c);
        if (annotated !== undefined && GOOD_ANNOTATION.test(annotated)) continue;
        if (!c.securityContext) continue; // cluster/missing-security-context reports it
        const fix = !w.object.editable
          ? undefined
          : addFieldFix(ctx, c, style, 'seccompProfile', { type: 'RuntimeDefault' }, 'Add seccompProfile RuntimeDefault');
        out.push(
          finding(ctx, this.meta, w.annotations, containerAnchor(c), {
            message: `${containerLabel(c)} has no seccomp profile (neither it nor the pod sets seccompProfile): set type RuntimeDefault.`,
            fixes: fix ? [fix] : [],
          }),
        );
      }
    }
    return out;
  },
};
