import { CODE_KINDS } from '../../engine/fileKinds';
import type { FileRule } from '../../engine/types';
import { flowsToFindings } from '../flows';

export const unsafeDeserialization: FileRule = {
  meta: {
    id: 'code/unsafe-deserialization',
    layer: 'code',
    title: 'Unsafe deserialization',
    description: 'Untrusted data is deserialised by a format that can construct arbitrary objects (pickle, yaml.load, node-serialize): remote code execution.',
    severity: 'critical',
    cwe: ['CWE-502'],
    aliases: ['bandit:B301', 'bandit:B506', 'bandit:B302'],
    fileKinds: CODE_KINDS,
  },
  check: (ctx) =>
    flowsToFindings(ctx, 'deserialization', (flow) =>
      flow.source
        ? `Unsafe deserialization: ${flow.source.description} reaches ${flow.sinkName}`
        : `Unsafe deserialization review: ${flow.sinkName} receives a dynamically built value`,
    ),
};
