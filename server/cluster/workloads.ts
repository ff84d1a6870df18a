import type { FileContext } from '../engine/context';
import type { RawFinding, RuleMeta } from '../engine/types';
import {
  get,
  getPair,
  isMap,
  isSeq,
  mapAt,
  manifestsOf,
  pairSpan,
  rangeOf,
  resolve,
  seqAt,
  str,
  stringMap,
  type K8sObject,
  type Node,
  type Pair,
  type YAMLMap,
} from './manifests';

/*
 * Workloads: every object that carries a pod spec, and its containers, with
 * the pod-level securityContext fields Kubernetes inherits into containers.
 */

export type ContainerList = 'containers' | 'initContainers' | 'ephemeralContainers';

export interface Container {
  node: YAMLMap;
  list: ContainerList;
  name?: string;
  image?: string;
  /** The `name: x` pair (or the first pair when there is no name): where findings about the container sit. */
  anchorPair: Pair<Node, Node>;
  /** The securityContext pair, when the key exists (its value may be null or empty). */
  securityContextPair?: Pair<Node, Node>;
  /** The container's securityContext map, when it is a non-empty map. */
  securityContext?: YAMLMap;
}

export interface Workload {
  object: K8sObject;
  podSpec: YAMLMap;
  /** The pod template's metadata (the object's own for a Pod). */
  podMetadata?: YAMLMap;
  podSecurityContext?: YAMLMap;
  containers: Container[];
  /** Annotations of the object and of its pod template: suppressions may sit on either. */
  annotations: Record<string, string>;
}

/** Where the pod spec lives, by kind. */
const POD_SPEC_PATHS: Record<string, string[]> = {
  Pod: [],
  PodTemplate: ['template'],
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
  // Same pod-template shape under other API groups.
  DeploymentConfig: ['spec', 'template'],
  Rollout: ['spec', 'template'],
};

export const WORKLOAD_KINDS = Object.keys(POD_SPEC_PATHS);

export function workloadsOf(ctx: FileContext): Workload[] {
  return ctx.memo('cluster:workloads', () => {
    const out: Workload[] = [];
    for (const obj of manifestsOf(ctx).objects) {
      const w = toWorkload(obj);
      if (w) out.push(w);
    }
    return out;
  });
}

/** Workloads by object: objects (and their nodes) outlive an analysis when an edit reuses their document. */
const workloads = new WeakMap<K8sObject, Workload | null>();

export function toWorkload(object: K8sObject): Workload | undefined {
  let w = workloads.get(object);
  if (w === undefined) workloads.set(object, (w = readWorkload(object) ?? null));
  return w ?? undefined;
}

function readWorkload(object: K8sObject): Workload | undefined {
  const path = POD_SPEC_PATHS[object.kind];
  if (!path) return undefined;
  const holder = path.length === 0 ? object.node : mapAt(object.node, ...path);
  if (!holder) return undefined;
  const podSpec = mapAt(holder, 'spec');
  if (!podSpec) return undefined;
  const podMetadata = mapAt(holder, 'metadata');
  const containers: Container[] = [];
  for (const list of ['containers', 'initContainers', 'ephemeralContainers'] as const) {
    const seq = seqAt(podSpec, list);
    if (!seq) continue;
    for (const item of seq.items) {
      const node = resolve(item);
      if (!isMap(node) || node.items.length === 0) continue;
      const image = str(get(node, 'image'));
      // A container without an image cannot run: it is a Kustomize/strategic-merge patch fragment.
      if (image === undefined) continue;
      const namePair = getPair(node, 'name');
      const anchorPair = (namePair?.key?.range ? namePair : node.items[0]) as Pair<Node, Node>;
      if (!anchorPair.key?.range) continue;
      const scPair = getPair(node, 'securityContext');
      const scValue = resolve(scPair?.value);
      containers.push({
        node,
        list,
        name: str(namePair?.value),
        image,
        anchorPair,
        securityContextPair: scPair,
        securityContext: isMap(scValue) && scValue.items.length > 0 ? scValue : undefined,
      });
    }
  }
  if (containers.length === 0 && !seqAt(podSpec, 'containers')) return undefined;
  const podSc = mapAt(podSpec, 'securityContext');
  return {
    object,
    podSpec,
    podMetadata,
    podSecurityContext: podSc && podSc.items.length > 0 ? podSc : undefined,
    containers,
    annotations: { ...stringMap(podMetadata ? mapAt(podMetadata, 'annotations') : undefined), ...object.annotations },
  };
}

export function containerLabel(c: Container): string {
  const what = c.list === 'containers' ? 'Container' : c.list === 'initContainers' ? 'Init container' : 'Ephemeral container';
  return c.name ? `${what} '${c.name}'` : what;
}

export function workloadLabel(w: { object: K8sObject }): string {
  return `${w.object.kind}${w.object.name ? ` '${w.object.name}'` : ''}`;
}

/**
 * The value of a securityContext field a container gets: its own, else the
 * pod's for fields Kubernetes inherits (runAsNonRoot, runAsUser, runAsGroup,
 * seccompProfile, seLinuxOptions, windowsOptions).
 */
export function effectiveField(
  w: Workload,
  c: Container,
  field: string,
): { pair: Pair<Node, Node>; value: Node | undefined; from: 'container' | 'pod' } | undefined {
  const own = getPair(c.securityContext, field);
  if (own) return { pair: own, value: resolve(own.value), from: 'container' };
  const pod = getPair(w.podSecurityContext, field);
  if (pod) return { pair: pod, value: resolve(pod.value), from: 'pod' };
  return undefined;
}

// ---- reporting ---------------------------------------------------------------

const KUBE_LINTER_IGNORE = 'ignore-check.kube-linter.io/';
const FOURFOLD_IGNORE = 'ignore-check.fourfold.dev/';
const CHECKOV_SKIP = /^checkov\.io\/skip\d*$/;

/**
 * A finding on a Kubernetes object, marked suppressed when the object carries
 * an annotation that silences the rule: kube-linter's
 * `ignore-check.kube-linter.io/<check>: reason`, Checkov's
 * `checkov.io/skip1: CKV_K8S_20=reason`, or ours
 * `ignore-check.fourfold.dev/<rule-name>: reason`.
 */
export function finding(
  ctx: FileContext,
  meta: RuleMeta,
  annotations: Record<string, string>,
  at: [number, number],
  raw: Omit<RawFinding, 'range'>,
): RawFinding {
  const out: RawFinding = { ...raw, range: rangeOf(ctx, at) };
  const suppressedBy = annotationSuppression(meta, raw.aliases ?? [], annotations, OCCURRENCE_SPECIFIC.has(meta.id));
  if (suppressedBy) out.suppressedBy = suppressedBy;
  return out;
}

/**
 * Rules whose aliases are a family of distinct checks (hostNetwork, hostPID,
 * hostIPC): an annotation silencing one check silences only its occurrences.
 */
const OCCURRENCE_SPECIFIC = new Set(['cluster/host-namespaces']);

export function annotationSuppression(
  meta: RuleMeta,
  occurrenceAliases: readonly string[],
  annotations: Record<string, string>,
  occurrenceOnly = false,
): string | undefined {
  const ids = new Set([...(occurrenceOnly && occurrenceAliases.length > 0 ? [] : (meta.aliases ?? [])), ...occurrenceAliases]);
  const ruleName = meta.id.slice(meta.id.indexOf('/') + 1);
  for (const [key, value] of Object.entries(annotations)) {
    if (key.startsWith(KUBE_LINTER_IGNORE)) {
      const check = key.slice(KUBE_LINTER_IGNORE.length);
      if (ids.has(`kube-linter:${check}`)) return `annotation ${key}${value ? `: ${value}` : ''}`;
    } else if (key.startsWith(FOURFOLD_IGNORE)) {
      const check = key.slice(FOURFOLD_IGNORE.length);
      if (check === ruleName || check === meta.id) return `annotation ${key}${value ? `: ${value}` : ''}`;
    } else if (CHECKOV_SKIP.test(key)) {
      const m = /^\s*([A-Z0-9_]+)\s*(?:=\s*(.*))?$/.exec(value);
      if (m && ids.has(`checkov:${m[1]}`)) return `annotation ${key}: ${value}`;
    }
  }
  return undefined;
}

/** Where a finding about a container sits: its `name: x`. */
export function containerAnchor(c: Container): [number, number] {
  return pairSpan(c.anchorPair);
}

export function pairAnchor(p: Pair<Node, Node>): [number, number] {
  return pairSpan(p);
}

/** A pod-spec level finding with no key of its own sits on the object's name. */
export function objectAnchor(o: K8sObject): [number, number] {
  return o.anchor;
}

export { isSeq };
