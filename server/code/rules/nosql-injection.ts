import { CODE_KINDS } from '../../engine/fileKinds';
import type { FileRule } from '../../engine/types';
import { flowsToFindings } from '../flows';

export const nosqlInjection: FileRule = {
  meta: {
    id: 'code/nosql-injection',
    layer: 'code',
    title: 'NoSQL injection',
    description: 'Untrusted input shapes a MongoDB query or $where expression, so an attacker can bypass filters or run JavaScript in the database.',
    severity: 'high',
    cwe: ['CWE-943'],
    aliases: [],
    fileKinds: CODE_KINDS,
  },
  check: (ctx) =>
    flowsToFindings(ctx, 'nosql', (flow) =>
      flow.source
        ? `NoSQL injection: ${flow.source.description} reaches ${flow.sinkName}`
        : `NoSQL injection review: ${flow.sinkName} receives a dynamically built value`,
    ),
};
