import type { FileRule, RawFinding } from '../engine/types';
import { MANIFEST_KINDS } from '../engine/fileKinds';
import { get, getPair, isMap, resolve, str, manifestsOf } from './manifests';
import { finding } from './workloads';

/** Values that are clearly not the secret itself: substituted later or empty. */
function isPlaceholder(value: string): boolean {
  const v = value.trim();
  return (
    v === '' ||
    /^\$\{[^}]*\}$|^\$\([^)]*\)$|^\$[A-Z_][A-Z0-9_]*$/.test(v) ||
    /^\{\{.*\}\}$/.test(v) ||
    /^<[^>]*>$/.test(v) ||
    /^(REPLACE_?ME|CHANGE_?ME|TODO|xxx+|\*+)$/i.test(v)
  );
}

/**
 * Filed under the cluster layer (the issue lets us choose): the finding is
 * about a Kubernetes object committed to the repository, and the annotation
 * suppressions and object anchors of this layer apply. Plain credentials in
 * other text files are cloud/hardcoded-credential.
 */
export const secretInManifest: FileRule = {
  meta: {
    id: 'cluster/secret-in-manifest',
    layer: 'cluster',
    title: 'Secret values committed in a manifest',
    description:
      'A Secret with literal data in the repository is readable by everyone with the repository (base64 is an encoding, not encryption) and stays in its history.',
    severity: 'high',
    cwe: ['CWE-798', 'CWE-312'],
    aliases: [],
    fileKinds: MANIFEST_KINDS,
  },
  check(ctx) {
    const out: RawFinding[] = [];
    for (const o of manifestsOf(ctx).objects) {
      if (o.kind !== 'Secret' || o.apiVersion !== 'v1') continue;
      for (const field of ['stringData', 'data']) {
        const map = get(o.node, field);
        if (!isMap(map)) continue;
        const keys: string[] = [];
        for (const p of map.items) {
          const v = str(resolve(p.value));
          if (v !== undefined && !isPlaceholder(v)) keys.push(str(p.key) ?? '?');
        }
        const pair = getPair(o.node, field);
        if (keys.length === 0 || !pair?.key?.range) continue;
        out.push(
          finding(ctx, this.meta, o.annotations, [pair.key.range[0], pair.key.range[1]], {
            message: `Secret${o.name ? ` '${o.name}'` : ''} commits ${keys.length === 1 ? 'a value' : `${keys.length} values`} in ${field} (${keys
              .slice(0, 5)
              .join(', ')}${keys.length > 5 ? ', …' : ''}). Keep secrets out of the repository: Sealed Secrets, SOPS, External Secrets or a secret store CSI driver.`,
          }),
        );
      }
    }
    return out;
  },
};
