import type { FileRule, Fix, RawFinding, TextEdit } from '../engine/types';
import { MANIFEST_KINDS } from '../engine/fileKinds';
import { get, getPair, isMap, manifestsOf, resolve, str, type YAMLMap, MANIFEST_DOCUMENTS } from './manifests';
import { containerAnchor, containerLabel, finding, pairAnchor, workloadsOf } from './workloads';
import { insertAfterPair, insertIntoMap, replacePairValue, type YamlValue } from './yamlEdit';

const DEFAULTS = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } } as const;
type Section = keyof typeof DEFAULTS;
type Resource = 'cpu' | 'memory';

function present(map: YAMLMap | undefined, key: Resource): boolean {
  const v = str(getPair(map, key)?.value);
  return v !== undefined && v !== '';
}

/*
 * cpu and memory, requests and limits. A request Kubernetes fills in from the
 * limit (requests default to limits) counts as set. Ephemeral containers
 * cannot have resources and are skipped.
 */
export const resources: FileRule = {
  meta: {
    id: 'cluster/resources',
    layer: 'cluster',
    title: 'Container without resource requests and limits',
    description:
      'Without limits one compromised or runaway container can starve the node (denial of service); without requests the scheduler overcommits it.',
    severity: 'low',
    cwe: ['CWE-400', 'CWE-770'],
    aliases: [
      'kube-linter:unset-cpu-requirements',
      'kube-linter:unset-memory-requirements',
      'checkov:CKV_K8S_10',
      'checkov:CKV_K8S_11',
      'checkov:CKV_K8S_12',
      'checkov:CKV_K8S_13',
      'trivy:KSV011',
      'trivy:KSV015',
      'trivy:KSV016',
      'trivy:KSV018',
    ],
    fileKinds: MANIFEST_KINDS,
  },
  pieceWise: { scheme: MANIFEST_DOCUMENTS },
  check(ctx) {
    const out: RawFinding[] = [];
    const { style } = manifestsOf(ctx);
    for (const w of workloadsOf(ctx)) {
      for (const c of w.containers) {
        if (c.list === 'ephemeralContainers') continue;
        const resPair = getPair(c.node, 'resources');
        const res = resolve(resPair?.value);
        const resMap = isMap(res) ? res : undefined;
        const sections: Record<Section, YAMLMap | undefined> = {
          requests: isMap(get(resMap, 'requests')) ? (get(resMap, 'requests') as YAMLMap) : undefined,
          limits: isMap(get(resMap, 'limits')) ? (get(resMap, 'limits') as YAMLMap) : undefined,
        };
        const missing: Record<Section, Resource[]> = { requests: [], limits: [] };
        for (const r of ['cpu', 'memory'] as const) {
          const hasLimit = present(sections.limits, r);
          if (!hasLimit) missing.limits.push(r);
          if (!present(sections.requests, r) && !hasLimit) missing.requests.push(r);
        }
        const names = [...missing.requests.map((r) => `requests.${r}`), ...missing.limits.map((r) => `limits.${r}`)];
        if (names.length === 0) continue;
        const fix = !w.object.editable ? undefined : resourcesFix(ctx, c.anchorPair, resPair, resMap, sections, missing, style);
        out.push(
          finding(ctx, this.meta, w.annotations, resPair?.key?.range ? pairAnchor(resPair) : containerAnchor(c), {
            message: `${containerLabel(c)} has no ${names.join(', ')}: without limits it can exhaust the node's CPU and memory.`,
            fixes: fix ? [fix] : [],
          }),
        );
      }
    }
    return out;
  },
};

function resourcesFix(
  ctx: Parameters<FileRule['check']>[0],
  anchor: Parameters<typeof insertAfterPair>[1],
  resPair: ReturnType<typeof getPair>,
  resMap: YAMLMap | undefined,
  sections: Record<Section, YAMLMap | undefined>,
  missing: Record<Section, Resource[]>,
  style: ReturnType<typeof manifestsOf>['style'],
): Fix | undefined {
  let n = 0;
  const placeholder = (s: Section, r: Resource) => `\${${++n}:${DEFAULTS[s][r]}}`;
  const block = (s: Section, rs: Resource[]) => Object.fromEntries(rs.map((r) => [r, placeholder(s, r)])) as { [k: string]: YamlValue };
  const edits: TextEdit[] = [];
  if (!resMap || resMap.items.length === 0) {
    const value = { requests: block('requests', ['cpu', 'memory']), limits: block('limits', ['cpu', 'memory']) };
    const edit = resPair ? replacePairValue(ctx, resPair, value, style) : insertAfterPair(ctx, anchor, 'resources', value, style);
    if (!edit) return undefined;
    edits.push(edit);
  } else {
    const newSections: { [k: string]: YamlValue } = {};
    for (const s of ['requests', 'limits'] as const) {
      if (missing[s].length === 0) continue;
      const map = sections[s];
      if (!map || map.items.length === 0) {
        if (getPair(resMap, s)) return undefined; // `limits: {}` or an alias: rare, leave it to the user
        newSections[s] = block(s, missing[s]);
      } else {
        const edit = insertIntoMap(ctx, map, block(s, missing[s]), style);
        if (!edit) return undefined;
        edits.push(edit);
      }
    }
    if (Object.keys(newSections).length > 0) {
      const edit = insertIntoMap(ctx, resMap, newSections, style);
      if (!edit) return undefined;
      edits.push(edit);
    }
  }
  return { title: 'Add resource requests and limits', edits, snippet: true, isPreferred: true };
}
