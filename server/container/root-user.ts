import type { FileContext } from '../engine/context';
import type { FileRule, Fix, RawFinding, TextEdit } from '../engine/types';
import { DOCKERFILE, instructionHead } from './common';
import {
  defaultsToNonRoot,
  dockerfileModel,
  finalStage,
  imageFamily,
  isWindowsImage,
  resolveAt,
  rootBase,
  stageChain,
  tracedArgument,
  type DockerfileModel,
  type DockerInstruction,
  type Stage,
} from './dockerfileModel';
import { privilegeDrop } from './privilegeDrop';
import { commandWords, forEachInstructionCommand } from './shell';

/*
 * The image's final stage runs as root. The effective user is the last USER
 * of the final stage, else of the stage it is built FROM (a stage inherits
 * its parent's USER), else the base image's default (root, except images
 * known to default to a non-root user). USER values resolve through ARG/ENV;
 * an unknowable value is not reported. Build stages running as root are fine.
 * An image left at the default root that drops privileges at run time
 * (gosu / su-exec / setpriv / runuser / chroot --userspec, the official
 * database images' pattern, see privilegeDrop.ts) is not reported; an
 * explicit USER root still is.
 */

export interface EffectiveUser {
  /** The USER instruction in force, if any. */
  instr?: DockerInstruction;
  /** Its resolved value; undefined when it cannot be known. */
  value?: string;
}

export function effectiveUser(model: DockerfileModel, stage: Stage): EffectiveUser {
  for (const s of stageChain(stage)) {
    for (let k = s.instructions.length - 1; k >= 0; k--) {
      const instr = s.instructions[k];
      if (instr.keyword !== 'USER') continue;
      const arg = instr.args[0];
      if (!arg) continue;
      return { instr, value: resolveAt(model, instr, tracedArgument(model, arg))?.value };
    }
  }
  return {};
}

export function isRootUser(value: string): boolean {
  const user = value.split(':')[0].trim();
  return user === 'root' || /^0+$/.test(user);
}

export const rootUser: FileRule = {
  meta: {
    id: 'container/root-user',
    layer: 'container',
    title: 'Container runs as root',
    description:
      'A process running as root inside the container turns any code-execution bug into root on the container, one kernel or runtime flaw away from the host.',
    severity: 'high',
    cwe: ['CWE-250'],
    aliases: ['hadolint:DL3002', 'checkov:CKV_DOCKER_3', 'checkov:CKV_DOCKER_8', 'trivy:DS002'],
    fileKinds: DOCKERFILE,
  },
  check(ctx: FileContext): RawFinding[] {
    const model = dockerfileModel(ctx);
    const stage = finalStage(model);
    if (!stage) return [];
    const base = rootBase(stage);
    // Windows containers have no root; their users are ContainerAdministrator/ContainerUser.
    if (base.kind === 'image' && isWindowsImage(base.ref)) return [];
    const user = effectiveUser(model, stage);
    if (user.instr) {
      if (user.value === undefined || !isRootUser(user.value)) return [];
      const fixes = rootFixes(model, stage, user.instr);
      if (user.instr.stage === stage) {
        return [
          {
            range: instructionHead(model, user.instr),
            message: `The final stage switches to USER ${user.value}, so the container runs as root. Switch to a non-root user after the steps that need root.`,
            fixes,
          },
        ];
      }
      return [
        {
          range: instructionHead(model, stage.from),
          message: `The final stage sets no USER and inherits USER ${user.value} from stage '${user.instr.stage?.name ?? user.instr.stage?.index}', so the container runs as root.`,
          severity: 'medium',
          related: [{ range: instructionHead(model, user.instr), message: `root USER inherited from here` }],
          fixes,
        },
      ];
    }
    if (base.kind === 'image' && defaultsToNonRoot(base.ref)) return [];
    if (privilegeDrop(model, stage)) return [];
    return [
      {
        range: instructionHead(model, stage.from),
        message: 'The final stage never sets a non-root USER, so the container runs as root (the default). Add a USER before CMD/ENTRYPOINT.',
        severity: 'medium',
        fixes: rootFixes(model, stage, undefined),
      },
    ];
  },
};

interface NonRootPlan {
  /** Instructions to add, one per line, in order. */
  lines: string[];
  user: string;
}

/** The user to switch to, and how to create it for the base image's family. */
export function nonRootPlan(model: DockerfileModel, stage: Stage, before?: DockerInstruction): NonRootPlan {
  const existing = existingNonRootUser(model, stage, before);
  if (existing) return { lines: [`USER ${existing}`], user: existing };
  const base = rootBase(stage);
  const family = imageFamily(base);
  if (base.kind === 'image' && /^(library\/)?node$/.test(base.ref.repository) && (!base.ref.registry || base.ref.registry === 'docker.io')) {
    // The official Node images ship a `node` user (uid 1000).
    return { lines: ['USER node'], user: 'node' };
  }
  switch (family) {
    case 'alpine':
      return { lines: ['RUN addgroup -S app && adduser -S -G app app', 'USER app'], user: 'app' };
    case 'debian':
      return { lines: ['RUN groupadd --system app && useradd --system --gid app --create-home app', 'USER app'], user: 'app' };
    case 'distroless':
      return { lines: ['USER nonroot'], user: 'nonroot' };
    default:
      // A numeric uid needs no passwd entry, so it works on any image, scratch included.
      return { lines: ['USER 10001'], user: '10001' };
  }
}

const USERADD_VALUE_FLAGS = new Set([
  '-b', '-c', '-d', '-e', '-f', '-g', '-G', '-k', '-K', '-p', '-s', '-u', '-R', '-P', '-Z', '-h',
  '--base-dir', '--comment', '--home-dir', '--expiredate', '--inactive', '--gid', '--groups', '--skel', '--key',
  '--password', '--shell', '--uid', '--root', '--prefix', '--selinux-user', '--home', '--ingroup', '--gecos',
  '--firstuid', '--lastuid', '--firstgid', '--lastgid', '--conf', '--extrausers',
]);
const USER_NAME = /^[a-z_][a-z0-9_.-]{0,31}$/i;

/** A non-root user the Dockerfile already has: an earlier non-root USER, or one a RUN creates (useradd/adduser). */
function existingNonRootUser(model: DockerfileModel, stage: Stage, before?: DockerInstruction): string | undefined {
  let created: string | undefined;
  for (const s of stageChain(stage)) {
    for (let k = s.instructions.length - 1; k >= 0; k--) {
      const instr = s.instructions[k];
      if (before && s === stage && instr.order >= before.order) continue;
      if (instr.keyword === 'USER' && instr.args[0]) {
        const v = resolveAt(model, instr, tracedArgument(model, instr.args[0]))?.value;
        if (v && !isRootUser(v) && (USER_NAME.test(v.split(':')[0]) || /^\d+(:\d+)?$/.test(v))) return v;
      }
      if (instr.keyword === 'RUN' && !created) created = createdUser(model, instr);
    }
  }
  return created;
}

function createdUser(model: DockerfileModel, instr: DockerInstruction): string | undefined {
  let name: string | undefined;
  forEachInstructionCommand(model, instr, (cmd) => {
    const c = commandWords(cmd);
    if (c.name !== 'useradd' && c.name !== 'adduser') return;
    for (let k = 0; k < c.args.length; k++) {
      const v = c.args[k].value;
      if (v.startsWith('-')) {
        if (USERADD_VALUE_FLAGS.has(v)) k++;
        continue;
      }
      if (USER_NAME.test(v)) name = v;
      return;
    }
  });
  return name;
}

/**
 * The fix: replace a trailing `USER root` with the non-root user, or insert
 * the user (created the way the base image family does it) before the final
 * stage's CMD/ENTRYPOINT, after every step that may still need root.
 */
function rootFixes(model: DockerfileModel, stage: Stage, rootInstr: DockerInstruction | undefined): Fix[] {
  const eol = model.lines.eol;
  const steps = stage.instructions;
  const lastBuildStep = findLastIndex(steps, (i) => i.keyword === 'RUN' || i.keyword === 'ADD' || i.keyword === 'COPY' || i.keyword === 'USER' || i.keyword === 'ONBUILD');
  const edits: TextEdit[] = [];
  if (rootInstr && rootInstr.stage === stage && steps.indexOf(rootInstr) === lastBuildStep && rootInstr.range.start.line === rootInstr.range.end.line) {
    const plan = nonRootPlan(model, stage, rootInstr);
    const indent = leadingBlanks(model.lines.lineText(rootInstr.range.start.line));
    edits.push({ range: rootInstr.range, newText: plan.lines.join(eol + indent) });
    return [{ title: `Run as non-root user '${plan.user}' instead of root`, edits, isPreferred: true }];
  }
  const plan = nonRootPlan(model, stage);
  const target = steps.find((i, k) => k > lastBuildStep && (i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT'));
  if (target) {
    let line = target.range.start.line;
    const floor = stage.instructions[steps.indexOf(target) - 1]?.range.end.line ?? stage.from.range.end.line;
    // Keep comments that describe the CMD attached to it.
    while (line - 1 > floor && /^\s*#/.test(model.lines.lineText(line - 1))) line--;
    const indent = leadingBlanks(model.lines.lineText(line));
    const at = { line, character: 0 };
    edits.push({ range: { start: at, end: at }, newText: plan.lines.map((l) => indent + l + eol).join('') });
  } else {
    const last = steps[steps.length - 1] ?? stage.from;
    const line = last.range.end.line;
    if (line + 1 < model.lines.lineCount) {
      const at = { line: line + 1, character: 0 };
      edits.push({ range: { start: at, end: at }, newText: plan.lines.map((l) => l + eol).join('') });
    } else {
      const at = model.lines.positionAt(model.lines.lineEnd(line));
      edits.push({ range: { start: at, end: at }, newText: plan.lines.map((l) => eol + l).join('') });
    }
  }
  return [{ title: `Run as non-root user '${plan.user}'`, edits, isPreferred: true }];
}

function leadingBlanks(line: string): string {
  return /^[ \t]*/.exec(line)![0];
}

function findLastIndex<T>(items: readonly T[], pred: (t: T) => boolean): number {
  for (let k = items.length - 1; k >= 0; k--) if (pred(items[k])) return k;
  return -1;
}
