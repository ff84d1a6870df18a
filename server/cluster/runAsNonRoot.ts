import type { FileRule, Fix, RawFinding } from '../engine/types';
import { MANIFEST_KINDS } from '../engine/fileKinds';
import { bool, manifestsOf, num, MANIFEST_DOCUMENTS } from './manifests';
import { addFieldFix } from './securityContextFix';
import { containerAnchor, containerLabel, effectiveField, finding, pairAnchor, workloadLabel, workloadsOf } from './workloads';
import { replaceScalar } from './yamlEdit';

/*
 * runAsNonRoot and runAsUser are inherited from the pod's securityContext and
 * overridden per container, exactly as the kubelet resolves them. A container
 * passes when it must run as non-root (runAsNonRoot: true) or runs as an
 * explicit non-zero UID; `runAsUser: 0` fails even with runAsNonRoot.
 * An explicit bad pod-level value is reported once, on the pod-level key.
 */
export const runAsNonRoot: FileRule = {
  meta: {
    id: 'cluster/run-as-non-root',
    layer: 'cluster',
    title: 'Container may run as root',
    description:
      'A process running as UID 0 in the container is root on the node as soon as it escapes the container, and can rewrite anything in its image.',
    severity: 'medium',
    cwe: ['CWE-250'],
    aliases: ['kube-linter:run-as-non-root', 'checkov:CKV_K8S_23', 'trivy:KSV012'],
    fileKinds: MANIFEST_KINDS,
  },
  pieceWise: { scheme: MANIFEST_DOCUMENTS },
  check(ctx) {
    const out: RawFinding[] = [];
    const { style } = manifestsOf(ctx);
    for (const w of workloadsOf(ctx)) {
      const reported = new Set<number>();
      for (const c of w.containers) {
        const user = effectiveField(w, c, 'runAsUser');
        const nonRoot = effectiveField(w, c, 'runAsNonRoot');
        const uid = num(user?.value);
        const explicit = [uid === 0 ? user : undefined, bool(nonRoot?.value) === false ? nonRoot : undefined].filter(
          (e): e is NonNullable<typeof e> => e !== undefined,
        );
        for (const e of explicit) {
          const at = pairAnchor(e.pair);
          // A key (pod-level, or a container's own) is reported once however many containers inherit it.
          if (reported.has(at[0])) continue;
          reported.add(at[0]);
          const isUser = e === user;
          const fixes: Fix[] = [];
          if (w.object.editable) {
            const edit = replaceScalar(ctx, e.pair.value, isUser ? '10001' : 'true');
            if (edit) {
              fixes.push({ title: isUser ? 'Run as UID 10001 instead of root' : 'Set runAsNonRoot: true', edits: [edit], isPreferred: !isUser });
            }
          }
          const who = e.from === 'pod' ? `${workloadLabel(w)} (pod securityContext)` : containerLabel(c);
          out.push(
            finding(ctx, this.meta, w.annotations, at, {
              message: isUser
                ? `${who} runs as root (runAsUser: 0). Use a non-zero UID and runAsNonRoot: true.`
                : `${who} sets runAsNonRoot: false: the container may run as root.`,
              fixes,
            }),
          );
        }
        if (explicit.length > 0) continue;
        if (bool(nonRoot?.value) === true || (uid !== undefined && uid > 0)) continue;
        if (!c.securityContext) continue; // cluster/missing-security-context reports it
        const fix = !w.object.editable ? undefined : addFieldFix(ctx, c, style, 'runAsNonRoot', true, 'Add runAsNonRoot: true');
        out.push(
          finding(ctx, this.meta, w.annotations, containerAnchor(c), {
            message: `${containerLabel(c)} may run as root: neither it nor the pod sets runAsNonRoot: true or a non-zero runAsUser.`,
            fixes: fix ? [fix] : [],
          }),
        );
      }
    }
    return out;
  },
};
