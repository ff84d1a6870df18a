import type { FileContext } from '../engine/context';
import type { Fix, RawFinding, RuleMeta } from '../engine/types';
import { bool, getPair, manifestsOf } from './manifests';
import { addFieldFix } from './securityContextFix';
import { containerAnchor, containerLabel, finding, pairAnchor, workloadsOf, type Container } from './workloads';
import { replaceScalar } from './yamlEdit';

/**
 * The shared check of a container-only securityContext boolean that must have
 * one value (allowPrivilegeEscalation: false, readOnlyRootFilesystem: true).
 * Containers without any securityContext are cluster/missing-security-context's.
 */
export function checkContainerBoolean(
  ctx: FileContext,
  meta: RuleMeta,
  field: string,
  required: boolean,
  message: (container: string, present: boolean) => string,
): RawFinding[] {
  const out: RawFinding[] = [];
  const { style } = manifestsOf(ctx);
  for (const w of workloadsOf(ctx)) {
    for (const c of w.containers as Container[]) {
      if (!c.securityContext) continue;
      const pair = getPair(c.securityContext, field);
      if (pair && bool(pair.value) === required) continue;
      const fixes: Fix[] = [];
      if (w.object.editable) {
        if (pair) {
          const edit = replaceScalar(ctx, pair.value, String(required));
          if (edit) fixes.push({ title: `Set ${field}: ${required}`, edits: [edit], isPreferred: true });
        } else {
          const fix = addFieldFix(ctx, c, style, field, required, `Add ${field}: ${required}`);
          if (fix) fixes.push(fix);
        }
      }
      out.push(
        finding(ctx, meta, w.annotations, pair ? pairAnchor(pair) : containerAnchor(c), {
          message: message(containerLabel(c), pair !== undefined),
          fixes,
        }),
      );
    }
  }
  return out;
}
