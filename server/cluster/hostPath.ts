import type { FileRule, RawFinding } from '../engine/types';
import { MANIFEST_KINDS } from '../engine/fileKinds';
import { get, getPair, isMap, resolve, seqAt, str } from './manifests';
import { finding, workloadLabel, workloadsOf } from './workloads';

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
        out.push(
          finding(ctx, this.meta, w.annotations, [hp.key.range[0], hp.key.range[1]], {
            message: `${workloadLabel(w)} mounts host path ${path ?? '(unset)'}${name ? ` as volume '${name}'` : ''}${
              sensitive ? ': a sensitive node path, a direct route to the node' : ''
            }. Use a PersistentVolumeClaim, emptyDir or configMap instead.`,
            severity: sensitive ? 'high' : undefined,
          }),
        );
      }
    }
    return out;
  },
};
