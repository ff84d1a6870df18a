import { CODE_KINDS } from '../../engine/fileKinds';
import type { FileRule } from '../../engine/types';
import { flowsToFindings } from '../flows';

export const templateInjection: FileRule = {
  meta: {
    id: 'code/template-injection',
    layer: 'code',
    title: 'Server-side template injection',
    description: 'Untrusted input is compiled as a template, and template engines can reach Python or JavaScript internals: remote code execution.',
    severity: 'high',
    cwe: ['CWE-1336'],
    aliases: ['bandit:B701', 'bandit:B702', 'bandit:B703'],
    fileKinds: CODE_KINDS,
  },
  check: (ctx) =>
    flowsToFindings(ctx, 'template', (flow) =>
      flow.source
        ? `Template injection: ${flow.source.description} reaches ${flow.sinkName}`
        : `Template injection review: ${flow.sinkName} receives a dynamically built value`,
    ),
};
