import { CODE_KINDS } from '../../engine/fileKinds';
import type { FileRule } from '../../engine/types';
import { flowsToFindings } from '../flows';

export const pathTraversal: FileRule = {
  meta: {
    id: 'code/path-traversal',
    layer: 'code',
    title: 'Path traversal',
    description: 'Untrusted input chooses a file path, so ../ sequences let an attacker read or write files outside the intended folder.',
    severity: 'high',
    cwe: ['CWE-22'],
    aliases: [],
    fileKinds: CODE_KINDS,
  },
  check: (ctx) =>
    flowsToFindings(ctx, 'path', (flow) =>
      flow.source
        ? `Path traversal: ${flow.source.description} reaches ${flow.sinkName}`
        : `Path traversal review: ${flow.sinkName} receives a dynamically built value`,
    ),
};
