import type { FileRule, Fix, RawFinding } from '../engine/types';
import { MANIFEST_KINDS } from '../engine/fileKinds';
import { bool, getPair, MANIFEST_DOCUMENTS } from './manifests';
import { containerLabel, finding, pairAnchor, workloadsOf } from './workloads';
import { deletePairLines, replaceScalar } from './yamlEdit';

export const privileged: FileRule = {
  meta: {
    id: 'cluster/privileged',
    layer: 'cluster',
    title: 'Privileged container',
    description:
      'A privileged container has every capability and all host devices: escaping to the node is a matter of mounting its disk.',
    severity: 'critical',
    cwe: ['CWE-250'],
    aliases: ['kube-linter:privileged-container', 'checkov:CKV_K8S_16', 'trivy:KSV017'],
    fileKinds: MANIFEST_KINDS,
  },
  pieceWise: { scheme: MANIFEST_DOCUMENTS },
  check(ctx) {
    const out: RawFinding[] = [];
    for (const w of workloadsOf(ctx)) {
      for (const c of w.containers) {
        const pair = getPair(c.securityContext, 'privileged');
        if (!pair || bool(pair.value) !== true) continue;
        const fixes: Fix[] = [];
        if (w.object.editable) {
          const edit =
            c.securityContext!.items.length > 1 ? deletePairLines(ctx, pair) : replaceScalar(ctx, pair.value, 'false');
          if (edit) fixes.push({ title: 'Remove privileged: true', edits: [edit], isPreferred: true });
        }
        out.push(
          finding(ctx, this.meta, w.annotations, pairAnchor(pair), {
            message: `${containerLabel(c)} runs privileged: it has full access to the node. Grant only the capabilities it needs.`,
            fixes,
          }),
        );
      }
    }
    return out;
  },
};
