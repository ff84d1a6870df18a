import type { FileRule, Fix, RawFinding } from '../engine/types';
import { MANIFEST_KINDS } from '../engine/fileKinds';
import { get, getPair, isMap, isSeq, manifestsOf, mapAt, resolve, seqAt, str, type Node, MANIFEST_DOCUMENTS } from '../cluster/manifests';
import { finding } from '../cluster/workloads';
import { insertIntoMap } from '../cluster/yamlEdit';

/** Does a TLS host entry cover a rule host? `*.example.com` covers exactly one label. */
export function tlsCovers(tlsHost: string, host: string): boolean {
  const t = tlsHost.toLowerCase();
  const h = host.toLowerCase();
  if (t === h) return true;
  if (t.startsWith('*.')) {
    const dot = h.indexOf('.');
    return dot > 0 && h.slice(dot) === t.slice(1);
  }
  return false;
}

/*
 * An Ingress without `tls` serves plain HTTP; one whose rules name hosts that
 * no tls entry lists serves those hosts without a certificate of their own.
 * A tls entry without hosts applies to every host of the Ingress (the API
 * documents it as the controller's wildcard): counted as covering them all.
 */
export const ingressWithoutTls: FileRule = {
  meta: {
    id: 'cloud/ingress-without-tls',
    layer: 'cloud',
    title: 'Ingress without TLS',
    description:
      'Traffic to an Ingress without TLS crosses the internet in clear text: credentials, session cookies and tokens can be read and changed on the way.',
    severity: 'medium',
    cwe: ['CWE-319'],
    aliases: [],
    fileKinds: MANIFEST_KINDS,
  },
  pieceWise: { scheme: MANIFEST_DOCUMENTS },
  check(ctx) {
    const out: RawFinding[] = [];
    const { objects, style } = manifestsOf(ctx);
    for (const o of objects) {
      if (o.kind !== 'Ingress' || !/^(networking\.k8s\.io|extensions)\//.test(o.apiVersion)) continue;
      const spec = mapAt(o.node, 'spec');
      if (!spec) continue;
      const name = o.name ? ` '${o.name}'` : '';
      const hosts: Array<{ host: string; node: Node }> = [];
      for (const r of seqAt(spec, 'rules')?.items ?? []) {
        const rule = resolve(r);
        if (!isMap(rule)) continue;
        const hostNode = getPair(rule, 'host')?.value;
        const host = str(hostNode);
        if (host && hostNode?.range) hosts.push({ host, node: hostNode });
      }
      const tls = get(spec, 'tls');
      const tlsEntries = isSeq(tls) ? tls.items.map((t) => resolve(t)).filter(isMap) : [];
      if (tlsEntries.length === 0) {
        const fixes: Fix[] = [];
        if (o.editable && !getPair(spec, 'tls')) {
          const hostList = [...new Set(hosts.map((h) => h.host))];
          const tlsValue = hostList.length > 0 ? hostList : ['${1:example.com}'];
          const edit = insertIntoMap(ctx, spec, { tls: 'TLS_PLACEHOLDER' }, style);
          if (edit) {
            edit.newText = edit.newText.replace('tls: TLS_PLACEHOLDER', tlsBlock(edit.newText, tlsValue, o.name ?? 'ingress', style));
            fixes.push({ title: 'Add a tls section', edits: [edit], snippet: true, isPreferred: true });
          }
        }
        out.push(
          finding(ctx, this.meta, o.annotations, [o.anchor[0], o.anchor[1]], {
            message: `Ingress${name} has no tls section: it serves ${hosts.length > 0 ? hosts.map((h) => h.host).join(', ') : 'its routes'} over plain HTTP.`,
            fixes,
          }),
        );
        continue;
      }
      if (tlsEntries.some((t) => !isSeq(get(t, 'hosts')) || seqAt(t, 'hosts')!.items.length === 0)) continue;
      const tlsHosts = tlsEntries.flatMap((t) => (seqAt(t, 'hosts')?.items ?? []).map((n) => str(n)).filter((h): h is string => !!h));
      for (const h of hosts) {
        if (tlsHosts.some((t) => tlsCovers(t, h.host))) continue;
        out.push(
          finding(ctx, this.meta, o.annotations, [h.node.range![0], h.node.range![1]], {
            message: `Ingress${name} routes host ${h.host}, which no tls entry covers: it is served over plain HTTP or with a mismatched certificate.`,
          }),
        );
      }
    }
    return out;
  },
};

/** `tls:` with one entry listing the hosts and a placeholder secret, indented like the insertion. */
function tlsBlock(inserted: string, hosts: string[], name: string, style: { step: number; seqIndent: number }): string {
  const eol = inserted.includes('\r\n') ? '\r\n' : '\n';
  const lineWithKey = inserted.split(/\r?\n/).find((l) => l.includes('tls: TLS_PLACEHOLDER')) ?? '';
  const indent = lineWithKey.length - lineWithKey.trimStart().length;
  const item = ' '.repeat(indent + style.seqIndent);
  const inner = ' '.repeat(indent + style.seqIndent + 2);
  const hostItems = hosts.map((h) => `${inner}${' '.repeat(style.seqIndent)}- ${h}`);
  return [
    'tls:',
    `${item}- hosts:`,
    ...hostItems,
    `${inner}secretName: \${${hosts.length + 1}:${name}-tls}`,
  ].join(eol);
}
