import { CODE_KINDS } from '../../engine/fileKinds';
import type { FileRule } from '../../engine/types';
import { flowsToFindings } from '../flows';

export const xss: FileRule = {
  meta: {
    id: 'code/xss',
    layer: 'code',
    title: 'Cross-site scripting (XSS)',
    description: 'Untrusted input is written into HTML without escaping, so an attacker can run script in the victim browser and steal sessions.',
    severity: 'high',
    cwe: ['CWE-79'],
    aliases: ['bandit:B703', 'bandit:B308'],
    fileKinds: CODE_KINDS,
  },
  check: (ctx) =>
    flowsToFindings(ctx, 'xss', (flow) =>
      flow.source
        ? `Cross-site scripting: ${flow.source.description} reaches ${flow.sinkName}`
        : `Cross-site scripting review: ${flow.sinkName} receives a dynamically built value`,
    ),
};
