import type { FileRule, Fix, RawFinding } from '../engine/types';
import { MANIFEST_KINDS } from '../engine/fileKinds';
import { get, getPair, isScalar, isSeq, manifestsOf, str, MANIFEST_DOCUMENTS } from '../cluster/manifests';
import { finding } from '../cluster/workloads';
import { insertAfterPair } from '../cluster/yamlEdit';

/** Annotations that make a LoadBalancer internal (private address) on the major clouds. */
const INTERNAL: Array<[string, RegExp]> = [
  ['service.beta.kubernetes.io/aws-load-balancer-internal', /^(true|0\.0\.0\.0\/0)$/i],
  ['service.beta.kubernetes.io/aws-load-balancer-scheme', /^internal$/i],
  ['service.beta.kubernetes.io/azure-load-balancer-internal', /^true$/i],
  ['networking.gke.io/load-balancer-type', /^internal$/i],
  ['cloud.google.com/load-balancer-type', /^internal$/i],
  ['service.beta.kubernetes.io/oci-load-balancer-internal', /^true$/i],
  ['service.beta.kubernetes.io/openstack-internal-load-balancer', /^true$/i],
  ['service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type', /^private$/i],
  ['service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type', /^intranet$/i],
];
const OPEN = new Set(['0.0.0.0/0', '::/0', '0/0']);

/*
 * A Service of type LoadBalancer gets a public address on every major cloud
 * unless it is annotated internal or restricted by loadBalancerSourceRanges
 * (or the equivalent annotation). NodePort opens the port on every node:
 * reported lower, since nodes are often not reachable from the internet.
 */
export const publicLoadBalancer: FileRule = {
  meta: {
    id: 'cloud/public-load-balancer',
    layer: 'cloud',
    title: 'Service exposed to the internet',
    description:
      'A LoadBalancer Service without source ranges is reachable from the whole internet: every scanner finds it within minutes, along with any unauthenticated endpoint behind it.',
    severity: 'medium',
    cwe: ['CWE-284', 'CWE-668'],
    aliases: ['kube-linter:exposed-services'],
    fileKinds: MANIFEST_KINDS,
  },
  pieceWise: { scheme: MANIFEST_DOCUMENTS },
  check(ctx) {
    const out: RawFinding[] = [];
    const { objects, style } = manifestsOf(ctx);
    for (const o of objects) {
      if (o.kind !== 'Service' || o.apiVersion !== 'v1') continue; // Knative and other groups reuse the name
      const spec = get(o.node, 'spec');
      const typePair = getPair(spec as never, 'type');
      const type = str(typePair?.value);
      if (!typePair?.key?.range || (type !== 'LoadBalancer' && type !== 'NodePort')) continue;
      const at: [number, number] = [typePair.key.range[0], (typePair.value as { range?: number[] })?.range?.[1] ?? typePair.key.range[1]];
      const name = o.name ? ` '${o.name}'` : '';
      if (type === 'NodePort') {
        out.push(
          finding(ctx, this.meta, o.annotations, at, {
            message: `Service${name} is a NodePort: it listens on every node's address. Prefer ClusterIP behind an Ingress or an internal load balancer.`,
            severity: 'low',
          }),
        );
        continue;
      }
      if (INTERNAL.some(([key, re]) => re.test(o.annotations[key] ?? ''))) continue;
      const rangesPair = getPair(spec as never, 'loadBalancerSourceRanges');
      const rangesNode = rangesPair?.value;
      const annotated = o.annotations['service.beta.kubernetes.io/load-balancer-source-ranges'];
      const ranges: Array<{ value: string; node?: { range?: number[] } }> = [];
      if (isSeq(rangesNode)) for (const n of rangesNode.items) if (str(n)) ranges.push({ value: str(n)!.trim(), node: n as never });
      if (annotated) for (const v of annotated.split(',')) if (v.trim()) ranges.push({ value: v.trim() });
      const open = ranges.find((r) => OPEN.has(r.value));
      if (open) {
        const nodeRange = open.node?.range;
        out.push(
          finding(ctx, this.meta, o.annotations, nodeRange ? [nodeRange[0], nodeRange[1]] : at, {
            message: `Service${name} allows ${open.value} in its load balancer source ranges: it is open to the whole internet.`,
          }),
        );
        continue;
      }
      if (ranges.length > 0) continue;
      const fixes: Fix[] = [];
      if (o.editable && isScalar(typePair.value)) {
        const edit = insertAfterPair(ctx, typePair as never, 'loadBalancerSourceRanges', ['${1:203.0.113.0/24}'], style);
        if (edit) fixes.push({ title: 'Restrict loadBalancerSourceRanges', edits: [edit], snippet: true, isPreferred: true });
      }
      out.push(
        finding(ctx, this.meta, o.annotations, at, {
          message: `Service${name} of type LoadBalancer has no loadBalancerSourceRanges: it gets a public address open to the whole internet.`,
          fixes,
        }),
      );
    }
    return out;
  },
};
