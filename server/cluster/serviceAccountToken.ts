import type { FileContext } from '../engine/context';
import type { FileRule, Fix, RawFinding } from '../engine/types';
import { MANIFEST_KINDS } from '../engine/fileKinds';
import { MANIFEST_DOCUMENTS, bool, get, getPair, isMap, manifestsOf, resolve, seqAt, str, type K8sObject } from './manifests';
import { finding, objectAnchor, pairAnchor, workloadLabel, workloadsOf } from './workloads';
import { insertIntoMap, replaceScalar } from './yamlEdit';

/**
 * What the rule reads of the whole file (every document): the service
 * accounts it binds to a role (those pods talk to the API and need the token)
 * and the automountServiceAccountToken of the ServiceAccounts it defines.
 */
interface AccountFacts {
  bound: Set<string>;
  accounts: Array<{ name?: string; namespace?: string; automount?: boolean }>;
}

function accountFacts(ctx: FileContext): AccountFacts {
  return ctx.file.memo('cluster:service-accounts', () => {
    const objects: readonly K8sObject[] = manifestsOf(ctx.file).objects;
    const bound = new Set<string>();
    const accounts: AccountFacts['accounts'] = [];
    for (const o of objects) {
      if (o.kind === 'ServiceAccount') {
        accounts.push({ name: o.name, namespace: o.namespace, automount: bool(get(o.node, 'automountServiceAccountToken')) });
        continue;
      }
      if (o.kind !== 'RoleBinding' && o.kind !== 'ClusterRoleBinding') continue;
      const subjects = seqAt(o.node, 'subjects');
      for (const s of subjects?.items ?? []) {
        const m = resolve(s);
        if (!isMap(m) || str(get(m, 'kind')) !== 'ServiceAccount') continue;
        bound.add(`${str(get(m, 'namespace')) ?? o.namespace ?? ''}/${str(get(m, 'name'))}`);
        bound.add(`*/${str(get(m, 'name'))}`);
      }
    }
    return { bound, accounts };
  });
}

/*
 * The pod spec's automountServiceAccountToken wins over the ServiceAccount's.
 * Only the unset case is reported: an explicit `true` (pod spec or the
 * ServiceAccount in the same file) is a deliberate opt-in, as node agents and
 * operators write it, and `false` is the fix. Pods whose account is bound to a
 * role in the same file use the API, so they are left alone.
 */
export const serviceAccountToken: FileRule = {
  meta: {
    id: 'cluster/service-account-token',
    layer: 'cluster',
    title: 'Service account token mounted',
    description:
      'Every pod gets a Kubernetes API token unless told otherwise: an attacker with code execution uses it to query and, with RBAC mistakes, take over the cluster.',
    severity: 'low',
    cwe: ['CWE-200'],
    aliases: ['checkov:CKV_K8S_38'],
    fileKinds: MANIFEST_KINDS,
  },
  // Judged per document, but bindings and ServiceAccounts elsewhere in the file count.
  pieceWise: {
    scheme: MANIFEST_DOCUMENTS,
    fileInputs: (ctx) => {
      const { bound, accounts } = accountFacts(ctx);
      return JSON.stringify([[...bound], accounts]);
    },
  },
  check(ctx) {
    const out: RawFinding[] = [];
    const { style } = manifestsOf(ctx);
    const { bound, accounts } = accountFacts(ctx);
    for (const w of workloadsOf(ctx)) {
      const pair = getPair(w.podSpec, 'automountServiceAccountToken');
      const value = bool(pair?.value);
      // false: off. true: a deliberate opt-in (node agents, operators), not an oversight.
      if (value !== undefined) continue;
      const account = str(get(w.podSpec, 'serviceAccountName')) ?? str(get(w.podSpec, 'serviceAccount')) ?? 'default';
      if (bound.has(`${w.object.namespace ?? ''}/${account}`) || bound.has(`*/${account}`)) continue;
      // Unset in the pod: the ServiceAccount decides, and an explicit value there (false, or a deliberate true) is a choice.
      const sa = accounts.find((o) => o.name === account && (o.namespace === undefined || w.object.namespace === undefined || o.namespace === w.object.namespace));
      if (sa && sa.automount !== undefined) continue;
      const fixes: Fix[] = [];
      if (w.object.editable) {
        const edit = pair ? replaceScalar(ctx, pair.value, 'false') : insertIntoMap(ctx, w.podSpec, { automountServiceAccountToken: false }, style);
        if (edit) fixes.push({ title: 'Set automountServiceAccountToken: false', edits: [edit], isPreferred: true });
      }
      out.push(
        finding(ctx, this.meta, w.annotations, pair ? pairAnchor(pair) : objectAnchor(w.object), {
          message: `${workloadLabel(w)} mounts the API token of service account '${account}'. Set automountServiceAccountToken: false unless it calls the Kubernetes API.`,
          fixes,
        }),
      );
    }
    return out;
  },
};
