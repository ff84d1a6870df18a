import type { FileRule, Fix, RawFinding } from '../engine/types';
import { MANIFEST_KINDS } from '../engine/fileKinds';
import { bool, getPair, MANIFEST_DOCUMENTS } from './manifests';
import { finding, pairAnchor, workloadLabel, workloadsOf } from './workloads';
import { deletePairLines } from './yamlEdit';

const NAMESPACES = [
  { key: 'hostNetwork', what: "the node's network stack (it can sniff and bind node ports)", aliases: ['kube-linter:host-network', 'checkov:CKV_K8S_19', 'trivy:KSV009'] },
  { key: 'hostPID', what: "the node's process table (it can see and signal every process)", aliases: ['kube-linter:host-pid', 'checkov:CKV_K8S_17', 'trivy:KSV010'] },
  { key: 'hostIPC', what: "the node's IPC namespace (shared memory of other processes)", aliases: ['kube-linter:host-ipc', 'checkov:CKV_K8S_18', 'trivy:KSV008'] },
];

export const hostNamespaces: FileRule = {
  meta: {
    id: 'cluster/host-namespaces',
    layer: 'cluster',
    title: 'Pod shares host namespaces',
    description:
      "A pod in the node's network, PID or IPC namespace sees and reaches what every other workload on the node does: the container boundary is gone.",
    severity: 'high',
    cwe: ['CWE-653'],
    aliases: NAMESPACES.flatMap((n) => n.aliases),
    fileKinds: MANIFEST_KINDS,
  },
  pieceWise: { scheme: MANIFEST_DOCUMENTS },
  check(ctx) {
    const out: RawFinding[] = [];
    for (const w of workloadsOf(ctx)) {
      for (const ns of NAMESPACES) {
        const pair = getPair(w.podSpec, ns.key);
        if (!pair || bool(pair.value) !== true) continue;
        const edit = !w.object.editable ? undefined : deletePairLines(ctx, pair);
        const fixes: Fix[] = edit ? [{ title: `Remove ${ns.key}: true`, edits: [edit], isPreferred: true }] : [];
        out.push(
          finding(ctx, this.meta, w.annotations, pairAnchor(pair), {
            message: `${workloadLabel(w)} sets ${ns.key}: true: its containers share ${ns.what}.`,
            aliases: ns.aliases,
            fixes,
          }),
        );
      }
    }
    return out;
  },
};
