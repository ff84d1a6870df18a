import { CODE_KINDS } from '../../engine/fileKinds';
import type { FileRule } from '../../engine/types';
import { flowsToFindings } from '../flows';

export const commandInjection: FileRule = {
  meta: {
    id: 'code/command-injection',
    layer: 'code',
    title: 'OS command injection',
    description: 'Untrusted input reaches a shell command, so an attacker can run any program with the service privileges.',
    severity: 'critical',
    cwe: ['CWE-78'],
    aliases: ['bandit:B602', 'bandit:B605', 'bandit:B604', 'bandit:B609'],
    fileKinds: CODE_KINDS,
  },
  check: (ctx) =>
    flowsToFindings(ctx, 'command', (flow) =>
      flow.source
        ? `OS command injection: ${flow.source.description} reaches ${flow.sinkName}`
        : `OS command injection review: ${flow.sinkName} receives a dynamically built value`,
    ),
};
