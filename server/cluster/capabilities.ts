import type { FileRule, Fix, RawFinding, Severity } from '../engine/types';
import { MANIFEST_KINDS } from '../engine/fileKinds';
import { getPair, isMap, isSeq, manifestsOf, resolve, span, str, type YAMLMap, type YAMLSeq, MANIFEST_DOCUMENTS } from './manifests';
import { containerAnchor, containerLabel, finding, pairAnchor, workloadsOf } from './workloads';
import { deletePairLines, deleteSeqItem, insertIntoMap, insertSeqItem, replacePairValue } from './yamlEdit';

/** Capabilities that break container isolation outright. */
const DANGEROUS = new Set([
  'ALL',
  'SYS_ADMIN',
  'NET_ADMIN',
  'NET_RAW',
  'SYS_PTRACE',
  'SYS_MODULE',
  'SYS_RAWIO',
  'SYS_BOOT',
  'SYS_TIME',
  'DAC_READ_SEARCH',
  'DAC_OVERRIDE',
  'BPF',
  'PERFMON',
  'SYSLOG',
  'MAC_ADMIN',
  'MAC_OVERRIDE',
  'SETFCAP',
  'LINUX_IMMUTABLE',
]);

/** The restricted profile allows adding only NET_BIND_SERVICE back. */
const ALLOWED_ADD = new Set(['NET_BIND_SERVICE']);

const ADD_ALIASES: Record<string, string[]> = {
  NET_RAW: ['kube-linter:drop-net-raw-capability', 'checkov:CKV_K8S_28'],
  SYS_ADMIN: ['checkov:CKV_K8S_39', 'trivy:KSV005'],
};

function capName(v: unknown): string | undefined {
  const s = str(v);
  return s === undefined ? undefined : s.toUpperCase().replace(/^CAP_/, '');
}

/*
 * Container-only (capabilities are not inherited from the pod). Two checks:
 * `drop` must contain ALL (what the restricted profile requires), and `add`
 * must not bring back anything beyond NET_BIND_SERVICE; each added capability
 * is its own finding on its list item.
 */
export const capabilities: FileRule = {
  meta: {
    id: 'cluster/capabilities',
    layer: 'cluster',
    title: 'Linux capabilities not dropped',
    description:
      'Capabilities such as NET_RAW, SYS_ADMIN or SYS_PTRACE let a compromised container spoof traffic, mount filesystems or read other processes; the default set is larger than most services need.',
    severity: 'medium',
    cwe: ['CWE-250'],
    aliases: ['checkov:CKV_K8S_37', 'trivy:KSV003', 'trivy:KSV022'],
    fileKinds: MANIFEST_KINDS,
  },
  pieceWise: { scheme: MANIFEST_DOCUMENTS },
  check(ctx) {
    const out: RawFinding[] = [];
    const { style } = manifestsOf(ctx);
    for (const w of workloadsOf(ctx)) {
      for (const c of w.containers) {
        const sc = c.securityContext;
        if (!sc) continue; // cluster/missing-security-context reports it
        const capsPair = getPair(sc, 'capabilities');
        const caps = resolve(capsPair?.value);
        const capsMap: YAMLMap | undefined = isMap(caps) ? caps : undefined;
        const dropPair = getPair(capsMap, 'drop');
        const drop = resolve(dropPair?.value);
        const dropSeq: YAMLSeq | undefined = isSeq(drop) ? drop : undefined;
        const dropsAll = !!dropSeq?.items.some((i) => capName(i) === 'ALL');
        if (!dropsAll) {
          const fixes: Fix[] = [];
          if (w.object.editable) {
            let edit;
            if (!capsPair) edit = insertIntoMap(ctx, sc, { capabilities: { drop: ['ALL'] } }, style);
            else if (!capsMap || capsMap.items.length === 0) edit = replacePairValue(ctx, capsPair, { drop: ['ALL'] }, style);
            else if (!dropPair) edit = insertIntoMap(ctx, capsMap, { drop: ['ALL'] }, style);
            else if (dropSeq && dropSeq.items.length > 0 && dropSeq === dropPair.value) edit = insertSeqItem(ctx, dropSeq, 'ALL');
            else if (!dropSeq || dropSeq.items.length === 0) edit = replacePairValue(ctx, dropPair, ['ALL'], style);
            if (edit) fixes.push({ title: 'Drop ALL capabilities', edits: [edit], isPreferred: true });
          }
          out.push(
            finding(ctx, this.meta, w.annotations, dropPair ? pairAnchor(dropPair) : capsPair ? pairAnchor(capsPair) : containerAnchor(c), {
              message: `${containerLabel(c)} does not drop ALL capabilities: it keeps the runtime's default set. Drop ALL and add back only what it needs.`,
              fixes,
            }),
          );
        }
        const addPair = getPair(capsMap, 'add');
        const add = resolve(addPair?.value);
        if (!addPair || !isSeq(add)) continue;
        add.items.forEach((item, index) => {
          const cap = capName(item);
          if (!cap || ALLOWED_ADD.has(cap)) return;
          const at = span(item as never);
          if (!at) return;
          const severity: Severity = DANGEROUS.has(cap) ? 'high' : 'medium';
          const fixes: Fix[] = [];
          if (w.object.editable && add === addPair.value) {
            const edit = add.items.length > 1 ? deleteSeqItem(ctx, add, index) : deletePairLines(ctx, addPair);
            if (edit) fixes.push({ title: `Do not add ${cap}`, edits: [edit], isPreferred: true });
          }
          out.push(
            finding(ctx, this.meta, w.annotations, at, {
              message: `${containerLabel(c)} adds capability ${cap}${DANGEROUS.has(cap) ? ', which breaks container isolation' : ''}. Only NET_BIND_SERVICE may be added under the restricted profile.`,
              severity,
              aliases: ADD_ALIASES[cap],
              fixes,
            }),
          );
        });
      }
    }
    return out;
  },
};
