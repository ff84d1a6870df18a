import type { FileContext } from '../engine/context';
import type { FileRule, RawFinding } from '../engine/types';
import { DOCKERFILE, instructionHead } from './common';
import { dockerfileModel, finalStage, stageChain } from './dockerfileModel';

/*
 * No HEALTHCHECK in the image that ships (final stage or the stages it is
 * built FROM). Off by default: orchestrators such as Kubernetes use their
 * own probes and ignore HEALTHCHECK. `HEALTHCHECK NONE` is an explicit
 * choice and is not reported.
 */

export const missingHealthcheck: FileRule = {
  meta: {
    id: 'container/missing-healthcheck',
    layer: 'container',
    title: 'No HEALTHCHECK in the final image',
    description:
      'Without a health check a hung or hijacked process keeps receiving traffic; the runtime cannot tell it apart from a healthy one.',
    severity: 'info',
    cwe: ['CWE-754'],
    defaultEnabled: false,
    aliases: ['checkov:CKV_DOCKER_2', 'trivy:DS026'],
    fileKinds: DOCKERFILE,
  },
  check(ctx: FileContext): RawFinding[] {
    const model = dockerfileModel(ctx);
    const stage = finalStage(model);
    if (!stage) return [];
    for (const s of stageChain(stage)) {
      if (s.instructions.some((i) => i.keyword === 'HEALTHCHECK')) return [];
    }
    return [
      {
        range: instructionHead(model, stage.from),
        message: 'The final image defines no HEALTHCHECK, so Docker and Swarm cannot detect a hung container. Add HEALTHCHECK CMD ... (or HEALTHCHECK NONE to say it is deliberate).',
      },
    ];
  },
};
