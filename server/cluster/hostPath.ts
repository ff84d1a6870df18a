import type { FileRule, RawFinding } from '../engine/types';
import { MANIFEST_KINDS } from '../engine/fileKinds';
import { bool, get, getPair, isMap, resolve, seqAt, str, MANIFEST_DOCUMENTS } from './manifests';
import { finding, workloadLabel, workloadsOf, type Workload } from './workloads';

/** Host paths whose mount hands over the node (runtime sockets, kubelet state, system config). */
const SENSITIVE = [
  /^\/$/,
  /^\/(etc|proc|sys|root|boot|dev|bin|sbin|lib|lib64|usr|home)(\/|$)/,
  /^\/var\/run\/?$/,
  /^\/run\/?$/,
  /(docker|containerd|crio|cri-dockerd|podman)\.sock$/,
  /^\/(var\/)?run\/(docker|containerd|crio|cri-o)(\/|$)/,
  /^\/var\/lib\/(kubelet|docker|containerd|etcd)(\/|$)/,
  /^\/etc\/kubernetes(\/|$)/,
];

/**
 * Sensitive paths that, mounted read-only, let the pod read node information
 * (kernel, hardware, process list: what node agents such as node-exporter
 * read) without a write path or a credential to steal. Not /etc, /root,
 * kubelet state (credentials), /dev (raw disks) or sockets (connect works on a
 * read-only mount).
 */
const READ_ONLY_INFORMATIONAL = /^\/(proc|sys|usr|lib|lib64|bin|sbin|boot)(\/|$)/;

/** Every volumeMount of the volume in every container says readOnly: true (and there is at least one). */
function mountedReadOnly(w: Workload, volume: string): boolean {
  let mounts = 0;
  for (const c of w.containers) {
    for (const item of seqAt(c.node, 'volumeMounts')?.items ?? []) {
      const m = resolve(item);
      if (!isMap(m) || str(get(m, 'name')) !== volume) continue;
      mounts++;
      if (bool(get(m, 'readOnly')) !== true) return false;
    }
  }
  return mounts > 0;
}

export const hostPath: FileRule = {
  meta: {
    id: 'cluster/host-path',
    layer: 'cluster',
    title: 'hostPath volume',
    description:
      "A hostPath volume mounts the node's filesystem into the pod: with the runtime socket or system directories it is a direct escape to the node.",
    severity: 'medium',
    cwe: ['CWE-668'],
    aliases: ['kube-linter:sensitive-host-mounts', 'checkov:CKV_K8S_27', 'trivy:KSV023'],
    fileKinds: MANIFEST_KINDS,
  },
  pieceWise: { scheme: MANIFEST_DOCUMENTS },
  check(ctx) {
    const out: RawFinding[] = [];
    for (const w of workloadsOf(ctx)) {
      const volumes = seqAt(w.podSpec, 'volumes');
      if (!volumes) continue;
      for (const item of volumes.items) {
        const vol = resolve(item);
        if (!isMap(vol)) continue;
        const hp = getPair(vol, 'hostPath');
        if (!hp?.key?.range) continue;
        const hpValue = resolve(hp.value);
        const path = isMap(hpValue) ? str(get(hpValue, 'path')) : undefined;
        const normalised = path?.replace(/\/+$/, '') || (path ? '/' : undefined);
        const sensitive = normalised !== undefined && SENSITIVE.some((re) => re.test(normalised));
        const name = str(get(vol, 'name'));
        const readOnly = name !== undefined && mountedReadOnly(w, name);
        const informational = sensitive && readOnly && READ_ONLY_INFORMATIONAL.test(normalised!);
        const what = informational
          ? ': read-only, it exposes node information (kernel, hardware, host processes) to the pod, not a write path to the node'
          : sensitive
            ? `: a sensitive node path, a direct route to the node${readOnly ? ' even read-only' : ''}`
            : readOnly
              ? ' (read-only)'
              : '';
        out.push(
          finding(ctx, this.meta, w.annotations, [hp.key.range[0], hp.key.range[1]], {
            message: `${workloadLabel(w)} mounts host path ${path ?? '(unset)'}${name ? ` as volume '${name}'` : ''}${what}. ${
              informational
                ? 'Keep it read-only and only on node agents that need it.'
                : 'Use a PersistentVolumeClaim, emptyDir or configMap instead.'
            }`,
            severity: sensitive && !informational ? 'high' : undefined,
          }),
        );
      }
    }
    return out;
  },
};
