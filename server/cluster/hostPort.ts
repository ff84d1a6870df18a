import type { FileRule, Fix, RawFinding } from '../engine/types';
import { MANIFEST_KINDS } from '../engine/fileKinds';
import { getPair, isMap, num, resolve, seqAt, MANIFEST_DOCUMENTS } from './manifests';
import { containerLabel, finding, pairAnchor, workloadsOf } from './workloads';
import { deletePairLines } from './yamlEdit';

export const hostPort: FileRule = {
  meta: {
    id: 'cluster/host-port',
    layer: 'cluster',
    title: 'Container binds a host port',
    description:
      "A hostPort opens the port on the node's own address, bypassing Services and most NetworkPolicies, and ties the pod to nodes where the port is free.",
    severity: 'low',
    cwe: ['CWE-668'],
    aliases: ['checkov:CKV_K8S_26', 'trivy:KSV024'],
    fileKinds: MANIFEST_KINDS,
  },
  pieceWise: { scheme: MANIFEST_DOCUMENTS },
  check(ctx) {
    const out: RawFinding[] = [];
    for (const w of workloadsOf(ctx)) {
      for (const c of w.containers) {
        const ports = seqAt(c.node, 'ports');
        if (!ports) continue;
        for (const item of ports.items) {
          const port = resolve(item);
          if (!isMap(port)) continue;
          const pair = getPair(port, 'hostPort');
          const value = num(pair?.value);
          if (!pair || value === undefined || value <= 0) continue;
          const edit = !w.object.editable || port.items.length < 2 ? undefined : deletePairLines(ctx, pair);
          const fixes: Fix[] = edit ? [{ title: 'Remove hostPort (expose it through a Service)', edits: [edit] }] : [];
          out.push(
            finding(ctx, this.meta, w.annotations, pairAnchor(pair), {
              message: `${containerLabel(c)} binds host port ${value} on the node. Expose it through a Service instead.`,
              fixes,
            }),
          );
        }
      }
    }
    return out;
  },
};
