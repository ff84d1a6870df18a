import { CODE_KINDS } from '../../engine/fileKinds';
import type { FileRule } from '../../engine/types';
import { flowsToFindings } from '../flows';

export const sqlInjection: FileRule = {
  meta: {
    id: 'code/sql-injection',
    layer: 'code',
    title: 'SQL injection',
    description: 'Untrusted input is concatenated into an SQL statement, so an attacker can read or change any data the database user can.',
    severity: 'critical',
    cwe: ['CWE-89'],
    aliases: ['bandit:B608', 'semgrep:formatted-sql-query'],
    fileKinds: CODE_KINDS,
  },
  check: (ctx) =>
    flowsToFindings(ctx, 'sql', (flow) =>
      flow.source
        ? `SQL injection: ${flow.source.description} reaches ${flow.sinkName}`
        : `SQL injection review: ${flow.sinkName} receives a dynamically built value`,
    ),
};
