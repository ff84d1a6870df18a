import type { FileContext } from '../engine/context';
import type { FileRule, RawFinding } from '../engine/types';
import { DOCKERFILE } from './common';
import { dockerfileModel } from './dockerfileModel';
import { commandWords, instructionCommands } from './shell';

/*
 * sudo in RUN: build steps already run as the current USER, so sudo means
 * the image ships sudo and a sudoers policy a compromised process can use
 * to regain root. Only sudo as a command counts (`apt-get install sudo`,
 * `echo sudo` and `sed s/sudo/x/` are not).
 */

export const sudo: FileRule = {
  meta: {
    id: 'container/sudo',
    layer: 'container',
    title: 'sudo used in RUN',
    description:
      'sudo inside an image implies a sudo binary and sudoers rules in the final image, an easy path back to root for anyone who gets a shell in the container.',
    severity: 'medium',
    cwe: ['CWE-250'],
    aliases: ['hadolint:DL3004', 'checkov:CKV2_DOCKER_1', 'trivy:DS010'],
    fileKinds: DOCKERFILE,
  },
  check(ctx: FileContext): RawFinding[] {
    const model = dockerfileModel(ctx);
    const out: RawFinding[] = [];
    for (const instr of model.instructions) {
      if (instr.keyword !== 'RUN' || !instr.stage) continue;
      let seen: Set<number> | undefined;
      for (const { cmd } of instructionCommands(model, instr)) {
        const c = commandWords(cmd);
        if (c.name !== 'sudo') continue;
        const word = cmd.words[c.index];
        seen ??= new Set();
        if (seen.has(word.start)) continue;
        seen.add(word.start);
        out.push({
          range: model.lines.range(word.start, word.end),
          message: 'sudo in a build step: run the step as root with USER root (then switch back), or use gosu/su-exec at run time; do not ship sudo in the image.',
        });
      }
    }
    return out;
  },
};
