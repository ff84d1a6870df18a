import { CODE_KINDS } from '../../engine/fileKinds';
import type { FileRule } from '../../engine/types';
import { flowsToFindings } from '../flows';

export const codeInjection: FileRule = {
  meta: {
    id: 'code/code-injection',
    layer: 'code',
    title: 'Code injection',
    description: 'Untrusted input is evaluated as code (eval, exec, Function, vm), so an attacker can run arbitrary code in the process.',
    severity: 'critical',
    cwe: ['CWE-94'],
    aliases: ['bandit:B307', 'bandit:B102'],
    fileKinds: CODE_KINDS,
  },
  check: (ctx) =>
    flowsToFindings(ctx, 'code', (flow) =>
      flow.source
        ? `Code injection: ${flow.source.description} reaches ${flow.sinkName}`
        : `Code injection review: ${flow.sinkName} receives a dynamically built value`,
    ),
};
