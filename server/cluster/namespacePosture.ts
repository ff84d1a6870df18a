import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import type { FileContext } from '../engine/context';
import { MANIFEST_KINDS } from '../engine/fileKinds';
import type { Range, RuleMeta, WorkspaceCheckOptions, WorkspaceFinding, WorkspaceRule } from '../engine/types';
import { get, isMap, isSeq, manifestsOf, mapAt, rangeOf, resolve, str, stringMap, type K8sObject } from './manifests';
import { annotationSuppression, toWorkload } from './workloads';

/*
 * Namespace posture: what a single-file linter cannot see. Each file reports
 * the namespaces its workloads use and the ResourceQuotas, LimitRanges and
 * NetworkPolicies it defines; the workspace check joins them. An object
 * without metadata.namespace lives in the namespace a kustomization.yaml in
 * its folder (or above) sets, else in `defaultNamespace` (option, 'default').
 */

export interface LabelSelector {
  matchLabels: Record<string, string>;
  matchExpressions: Array<{ key: string; operator: string; values: string[] }>;
}

interface Located {
  namespace?: string;
  kind: string;
  name?: string;
  range: Range;
  /** Rule ids the object's annotations silence. */
  suppressed: Record<string, string>;
}

export interface NamespaceFacts {
  workloads: Array<Located & { podLabels: Record<string, string> }>;
  namespaces: Located[];
  quotas: Array<{ namespace?: string }>;
  limitRanges: Array<{ namespace?: string }>;
  networkPolicies: Array<{ namespace?: string; podSelector: LabelSelector }>;
  /** `namespace:` of a kustomization file: applies to the manifests of its folder and below. */
  kustomizeNamespace?: string;
  /** The file is a kustomization: its folder and below are a Kustomize base or overlay. */
  kustomization?: boolean;
}

/**
 * Namespace names Kustomize bases use as stand-ins for the real one, which an
 * overlay (often in a sibling folder) sets: kubebuilder's `system`, or an
 * explicit placeholder. Judged only inside a Kustomize folder: elsewhere a
 * namespace called `system` is just a namespace.
 */
export function isPlaceholderNamespace(ns: string): boolean {
  return /^(?:system|placeholder|namespace|namespace-placeholder|your-namespace|my-namespace|change-?me|replace-?me)$/i.test(ns) || /[${}<>]/.test(ns);
}

const KUSTOMIZATION = /^(kustomization\.ya?ml|Kustomization)$/;

export function namespaceFacts(ctx: FileContext, metas: readonly RuleMeta[]): NamespaceFacts | undefined {
  return ctx.memo('cluster:namespace-facts', () => computeFacts(ctx, metas));
}

function computeFacts(ctx: FileContext, metas: readonly RuleMeta[]): NamespaceFacts | undefined {
  const facts: NamespaceFacts = { workloads: [], namespaces: [], quotas: [], limitRanges: [], networkPolicies: [] };
  if (KUSTOMIZATION.test(path.basename(ctx.path))) {
    try {
      const doc = parseDocument(ctx.text, { prettyErrors: false });
      const root = doc.contents;
      if (doc.errors.length === 0 && isMap(root)) facts.kustomizeNamespace = str(get(root, 'namespace'));
    } catch {
      // Not our file to complain about: kustomize will.
    }
    facts.kustomization = true;
    return facts;
  }
  for (const o of manifestsOf(ctx).objects) {
    switch (o.kind) {
      case 'Namespace':
        if (o.name) {
          facts.namespaces.push({ namespace: o.name, kind: o.kind, name: o.name, range: rangeOf(ctx, o.anchor), suppressed: factsOfObject(o, metas).suppressed });
        }
        break;
      case 'ResourceQuota':
        facts.quotas.push({ namespace: o.namespace });
        break;
      case 'LimitRange':
        facts.limitRanges.push({ namespace: o.namespace });
        break;
      case 'NetworkPolicy':
        facts.networkPolicies.push({ namespace: o.namespace, podSelector: factsOfObject(o, metas).podSelector! });
        break;
      default: {
        const of = factsOfObject(o, metas);
        if (!of.podLabels) break;
        facts.workloads.push({
          namespace: o.namespace,
          kind: o.kind,
          name: o.name,
          range: rangeOf(ctx, o.anchor),
          suppressed: of.suppressed,
          podLabels: of.podLabels,
        });
      }
    }
  }
  const empty = !facts.workloads.length && !facts.namespaces.length && !facts.quotas.length && !facts.limitRanges.length && !facts.networkPolicies.length;
  return empty ? undefined : facts;
}

/**
 * What an object contributes besides its position, once per object: objects
 * outlive an analysis when an edit reuses their YAML document, so a keystroke
 * re-reads only the document it touched.
 */
interface ObjectFacts {
  metas: readonly RuleMeta[];
  /** Rule ids the object's annotations (and its pod template's, for a workload) silence. */
  suppressed: Record<string, string>;
  /** A workload's pod labels (undefined: not a workload). */
  podLabels?: Record<string, string>;
  podSelector?: LabelSelector;
}
const objectFacts = new WeakMap<K8sObject, ObjectFacts>();

function factsOfObject(o: K8sObject, metas: readonly RuleMeta[]): ObjectFacts {
  let found = objectFacts.get(o);
  if (found?.metas === metas) return found;
  const suppressedFor = (annotations: Record<string, string>) => {
    const out: Record<string, string> = {};
    for (const m of metas) {
      const s = annotationSuppression(m, [], annotations);
      if (s) out[m.id] = s;
    }
    return out;
  };
  const w = toWorkload(o);
  found = w
    ? { metas, suppressed: suppressedFor(w.annotations), podLabels: stringMap(w.podMetadata ? mapAt(w.podMetadata, 'labels') : undefined) }
    : { metas, suppressed: suppressedFor(o.annotations) };
  if (o.kind === 'NetworkPolicy') found.podSelector = selectorOf(mapAt(o.node, 'spec', 'podSelector'));
  objectFacts.set(o, found);
  return found;
}

function selectorOf(sel: ReturnType<typeof mapAt>): LabelSelector {
  const out: LabelSelector = { matchLabels: stringMap(sel ? mapAt(sel, 'matchLabels') : undefined), matchExpressions: [] };
  const exprs = sel ? get(sel, 'matchExpressions') : undefined;
  if (isSeq(exprs)) {
    for (const e of exprs.items) {
      const m = resolve(e);
      if (!isMap(m)) continue;
      const values = get(m, 'values');
      out.matchExpressions.push({
        key: str(get(m, 'key')) ?? '',
        operator: str(get(m, 'operator')) ?? '',
        values: isSeq(values) ? values.items.map((v) => str(v)).filter((v): v is string => v !== undefined) : [],
      });
    }
  }
  return out;
}

export function selects(sel: LabelSelector, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(sel.matchLabels)) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case 'In':
        if (!has || !e.values.includes(labels[e.key])) return false;
        break;
      case 'NotIn':
        if (has && e.values.includes(labels[e.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false; // the API rejects unknown operators
    }
  }
  return true;
}

type Concern = 'quota' | 'limitRange' | 'networkPolicy';

const CREATED: Record<Concern, { file: string; content: (ns: string | undefined) => string; title: string }> = {
  quota: {
    file: 'resourcequota',
    title: 'Create a ResourceQuota for the namespace',
    content: (ns) =>
      [
        '# Caps what the namespace may consume in total; adjust to its real size.',
        'apiVersion: v1',
        'kind: ResourceQuota',
        'metadata:',
        '  name: compute-quota',
        ...(ns ? [`  namespace: ${ns}`] : []),
        'spec:',
        '  hard:',
        '    requests.cpu: "4"',
        '    requests.memory: 8Gi',
        '    limits.cpu: "8"',
        '    limits.memory: 16Gi',
        '    pods: "50"',
        '',
      ].join('\n'),
  },
  limitRange: {
    file: 'limitrange',
    title: 'Create a LimitRange for the namespace',
    content: (ns) =>
      [
        '# Defaults and ceilings for containers that do not set their own resources.',
        'apiVersion: v1',
        'kind: LimitRange',
        'metadata:',
        '  name: container-limits',
        ...(ns ? [`  namespace: ${ns}`] : []),
        'spec:',
        '  limits:',
        '    - type: Container',
        '      defaultRequest:',
        '        cpu: 100m',
        '        memory: 128Mi',
        '      default:',
        '        cpu: 500m',
        '        memory: 256Mi',
        '      max:',
        '        cpu: "2"',
        '        memory: 2Gi',
        '',
      ].join('\n'),
  },
  networkPolicy: {
    file: 'networkpolicy',
    title: 'Create a default-deny NetworkPolicy for the namespace',
    content: (ns) =>
      [
        '# Default deny: pods of the namespace accept and send no traffic until another',
        '# NetworkPolicy allows it (add allow rules: ingress from the ingress controller, DNS egress).',
        'apiVersion: networking.k8s.io/v1',
        'kind: NetworkPolicy',
        'metadata:',
        '  name: default-deny-all',
        ...(ns ? [`  namespace: ${ns}`] : []),
        'spec:',
        '  podSelector: {}',
        '  policyTypes:',
        '    - Ingress',
        '    - Egress',
        '',
      ].join('\n'),
  },
};

const DEFAULT_IGNORED = ['kube-system', 'kube-public', 'kube-node-lease'];

export function postureCheck(
  meta: RuleMeta,
  concern: Concern,
  files: ReadonlyArray<{ path: string; data: NamespaceFacts }>,
  options: WorkspaceCheckOptions,
): WorkspaceFinding[] {
  const defaultNs = typeof options.ruleOptions.defaultNamespace === 'string' ? options.ruleOptions.defaultNamespace : 'default';
  const ignored = new Set(
    Array.isArray(options.ruleOptions.ignoreNamespaces) ? (options.ruleOptions.ignoreNamespaces as string[]) : DEFAULT_IGNORED,
  );
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const kustomize = new Map<string, string>();
  const kustomizeDirs = new Set<string>();
  for (const f of sorted) {
    if (f.data.kustomizeNamespace) kustomize.set(path.dirname(f.path), f.data.kustomizeNamespace);
    if (f.data.kustomization) kustomizeDirs.add(path.dirname(f.path));
  }
  /** A Kustomize base's stand-in namespace: the real one is set by an overlay, so there is nothing to judge here. */
  const isBasePlaceholder = (filePath: string, ns: string): boolean => {
    if (!isPlaceholderNamespace(ns)) return false;
    for (let dir = path.dirname(filePath); ; dir = path.dirname(dir)) {
      if (kustomizeDirs.has(dir)) return true;
      if (path.dirname(dir) === dir) return false;
    }
  };
  const nsOf = (filePath: string, declared: string | undefined): string => {
    if (declared) return declared;
    for (let dir = path.dirname(filePath); ; dir = path.dirname(dir)) {
      const k = kustomize.get(dir);
      if (k) return k;
      if (path.dirname(dir) === dir) return defaultNs;
    }
  };

  type W = NamespaceFacts['workloads'][number] & { path: string };
  const workloads = new Map<string, W[]>();
  const namespaceObjects = new Map<string, Located & { path: string }>();
  const covered = new Set<string>();
  const policies = new Map<string, LabelSelector[]>();
  // Whether the namespace was written out anywhere (else the created file leaves it unset too).
  const explicit = new Set<string>();
  for (const f of sorted) {
    for (const w of f.data.workloads ?? []) {
      const ns = nsOf(f.path, w.namespace);
      if (isBasePlaceholder(f.path, ns)) continue;
      if (w.namespace) explicit.add(ns);
      if (!workloads.has(ns)) workloads.set(ns, []);
      workloads.get(ns)!.push({ ...w, path: f.path });
    }
    for (const n of f.data.namespaces ?? []) {
      if (n.namespace && !namespaceObjects.has(n.namespace) && !isBasePlaceholder(f.path, n.namespace)) namespaceObjects.set(n.namespace, { ...n, path: f.path });
    }
    if (concern === 'quota') for (const q of f.data.quotas ?? []) covered.add(nsOf(f.path, q.namespace));
    if (concern === 'limitRange') for (const l of f.data.limitRanges ?? []) covered.add(nsOf(f.path, l.namespace));
    if (concern === 'networkPolicy') {
      for (const p of f.data.networkPolicies ?? []) {
        const ns = nsOf(f.path, p.namespace);
        if (!policies.has(ns)) policies.set(ns, []);
        policies.get(ns)!.push(p.podSelector);
      }
    }
  }
  const knownPaths = new Set(files.map((f) => f.path));
  const out: WorkspaceFinding[] = [];
  // Namespaces in use: those workloads run in, and those the workspace declares (their workloads may come from elsewhere).
  const inUse = [...new Set([...workloads.keys(), ...namespaceObjects.keys()])];
  for (const ns of inUse) {
    if (ignored.has(ns)) continue;
    const ws = workloads.get(ns) ?? [];
    let uncovered: Array<{ kind: string; name?: string }> = ws;
    let missing: boolean;
    if (concern === 'networkPolicy') {
      const sels = policies.get(ns) ?? [];
      uncovered = ws.filter((w) => !sels.some((s) => selects(s, w.podLabels)));
      missing = ws.length > 0 ? uncovered.length > 0 : sels.length === 0;
    } else missing = !covered.has(ns);
    if (!missing) continue;
    const nsObject = namespaceObjects.get(ns);
    const firstOpen = ws.find((w) => uncovered.includes(w)) ?? ws[0];
    const at = nsObject ?? firstOpen;
    const created = CREATED[concern];
    const fileName = uniqueName(path.dirname(at.path), `${ns}-${created.file}`, knownPaths);
    const what = concern === 'quota' ? 'ResourceQuota' : concern === 'limitRange' ? 'LimitRange' : 'NetworkPolicy';
    const message =
      concern === 'networkPolicy'
        ? uncovered.length > 0
          ? `Namespace '${ns}': no NetworkPolicy in the workspace selects ${describe(uncovered)}, so ${uncovered.length === 1 ? 'its pods accept' : 'their pods accept'} traffic from any pod in the cluster. Add a default-deny policy.`
          : `Namespace '${ns}' has no NetworkPolicy in the workspace: its pods will accept traffic from any pod in the cluster. Add a default-deny policy.`
        : `Namespace '${ns}' has no ${what} in the workspace: ${
            concern === 'quota'
              ? 'nothing caps what its workloads (or an attacker running in them) can consume.'
              : 'containers without resources get no defaults or ceilings.'
          }`;
    const suppressedBy = at.suppressed?.[meta.id];
    out.push({
      path: at.path,
      range: at.range,
      message,
      related: nsObject && firstOpen ? [{ path: firstOpen.path, range: firstOpen.range, message: `first workload in '${ns}'` }] : undefined,
      fixes: [
        {
          title: created.title,
          edits: [],
          createFiles: [{ path: fileName, content: created.content(explicit.has(ns) || nsObject ? ns : undefined) }],
          isPreferred: true,
        },
      ],
      data: { namespace: ns },
      ...(suppressedBy ? { suppressedBy } : {}),
    });
  }
  return out;
}

function describe(ws: ReadonlyArray<{ kind: string; name?: string }>): string {
  const names = ws.slice(0, 3).map((w) => `${w.kind}${w.name ? ` '${w.name}'` : ''}`);
  return names.join(', ') + (ws.length > 3 ? ` and ${ws.length - 3} more` : '');
}

function uniqueName(dir: string, base: string, known: ReadonlySet<string>): string {
  for (let i = 1; i < 100; i++) {
    const candidate = path.join(dir, `${base}${i === 1 ? '' : `-${i}`}.yaml`);
    if (known.has(candidate)) continue;
    try {
      if (fs.existsSync(candidate)) continue;
    } catch {
      // Unreadable folder: the editor reports the failure when it creates the file.
    }
    return candidate;
  }
  return path.join(dir, `${base}-${Date.now()}.yaml`);
}

export function postureRule(meta: RuleMeta, concern: Concern): WorkspaceRule {
  return {
    meta,
    collect: (ctx) => namespaceFacts(ctx, POSTURE_METAS),
    check: (files, options) => postureCheck(meta, concern, files as ReadonlyArray<{ path: string; data: NamespaceFacts }>, options),
  };
}

const POSTURE_METAS: RuleMeta[] = [];
export function registerPostureMeta(meta: RuleMeta): RuleMeta {
  POSTURE_METAS.push(meta);
  return meta;
}

export { MANIFEST_KINDS };
