import type { FileContext } from '../engine/context';
import type { FileRule, RawFinding } from '../engine/types';
import { DOCKERFILE } from './common';
import { dockerfileModel, finalStage, resolveAt, stageChain, tracedArgument } from './dockerfileModel';

/*
 * EXPOSE 22 in the image that ships (the final stage and the stages it is
 * built FROM): an SSH daemon in a container is a second, long-lived way in
 * that bypasses the orchestrator's exec/audit path. Port ranges that include
 * 22 and ports set through ARG/ENV count; build stages do not.
 */

export const exposeSsh: FileRule = {
  meta: {
    id: 'container/expose-ssh',
    layer: 'container',
    title: 'SSH port 22 exposed',
    description:
      'An SSH server in a container is an extra remote login surface with its own credentials to steal or brute-force, outside the orchestrator\'s access controls.',
    severity: 'medium',
    cwe: ['CWE-284'],
    aliases: ['checkov:CKV_DOCKER_1', 'trivy:DS004'],
    fileKinds: DOCKERFILE,
  },
  check(ctx: FileContext): RawFinding[] {
    const model = dockerfileModel(ctx);
    const stage = finalStage(model);
    if (!stage) return [];
    const out: RawFinding[] = [];
    for (const s of stageChain(stage)) {
      for (const instr of s.instructions) {
        if (instr.keyword !== 'EXPOSE') continue;
        for (const arg of instr.args) {
          const value = resolveAt(model, instr, tracedArgument(model, arg))?.value;
          if (value === undefined || !includesPort22(value)) continue;
          out.push({
            range: arg.getRange(),
            message: 'The image exposes port 22 (SSH). Use `docker exec` / `kubectl exec` for access instead of running an SSH server in the container.',
          });
        }
      }
    }
    return out;
  },
};

export function includesPort22(value: string): boolean {
  const m = /^(\d{1,5})(?:-(\d{1,5}))?(?:\/(tcp|udp|sctp))?$/i.exec(value.trim());
  if (!m) return false;
  const low = Number(m[1]);
  const high = m[2] === undefined ? low : Number(m[2]);
  return low <= 22 && 22 <= high;
}
