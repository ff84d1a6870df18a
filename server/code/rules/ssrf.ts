import { CODE_KINDS } from '../../engine/fileKinds';
import type { FileRule } from '../../engine/types';
import { flowsToFindings } from '../flows';

export const ssrf: FileRule = {
  meta: {
    id: 'code/ssrf',
    layer: 'code',
    title: 'Server-side request forgery (SSRF)',
    description: 'Untrusted input chooses the URL the server fetches, so an attacker can reach internal services and the cloud metadata endpoint.',
    severity: 'high',
    cwe: ['CWE-918'],
    aliases: ['bandit:B310'],
    fileKinds: CODE_KINDS,
  },
  check: (ctx) =>
    flowsToFindings(ctx, 'ssrf', (flow) =>
      flow.source
        ? `Server-side request forgery: ${flow.source.description} reaches ${flow.sinkName}`
        : `Server-side request forgery review: ${flow.sinkName} receives a dynamically built value`,
    ),
};
