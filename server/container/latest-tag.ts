import type { FileContext } from '../engine/context';
import type { FileRule, Fix, RawFinding } from '../engine/types';
import { DOCKERFILE } from './common';
import { dockerfileModel, type DockerfileModel, type Stage, type TracedValue } from './dockerfileModel';

/*
 * A base image with no tag and no digest, or the `latest` tag: the build
 * pulls whatever the tag points to today. FROM values resolve through the
 * ARGs declared before the first FROM (`ARG TAG=latest`, `${TAG:-latest}`);
 * registries with ports, digests, scratch and earlier stage names (any case)
 * are understood, and a FROM whose value cannot be known is not reported.
 */

/** What a code action needs to offer "pin to digest" (see digest.ts). */
export interface LatestTagData {
  /** The image as resolved, e.g. `node:latest`; what `docker image inspect` is asked about. */
  image: string;
  /** The FROM argument is written literally (no variables), so it can be replaced with a digest reference. */
  literal: boolean;
}

export const latestTag: FileRule = {
  meta: {
    id: 'container/latest-tag',
    layer: 'container',
    title: 'Base image is not pinned (latest or no tag)',
    description:
      'An unpinned base image changes under you: a compromised or broken upstream push lands in your next build unreviewed, and builds cannot be reproduced.',
    severity: 'medium',
    cwe: ['CWE-1357'],
    aliases: ['hadolint:DL3006', 'hadolint:DL3007', 'checkov:CKV_DOCKER_7', 'trivy:DS001'],
    fileKinds: DOCKERFILE,
  },
  check(ctx: FileContext): RawFinding[] {
    const model = dockerfileModel(ctx);
    const out: RawFinding[] = [];
    for (const stage of model.stages) {
      if (stage.base.kind !== 'image' || !stage.imageArg) continue;
      const { ref, resolved } = stage.base;
      if (ref.digest) continue;
      if (ref.tag !== undefined && ref.tag !== 'latest') continue;
      const written = stage.imageArg.getValue();
      const viaArgs = written !== resolved.value ? ` (resolved from ARG defaults: '${resolved.value}')` : '';
      const message =
        ref.tag === 'latest'
          ? `Base image '${written}' uses the mutable 'latest' tag${viaArgs}. Pin a specific version tag, or a digest.`
          : `Base image '${written}' has no tag, so it resolves to 'latest'${viaArgs}. Pin a specific version tag, or a digest.`;
      const data: LatestTagData = { image: resolved.value, literal: !written.includes('$') };
      const fix = pinTagFix(model, stage, resolved, ref.tag === 'latest');
      out.push({ range: stage.imageArg.getRange(), message, data: { ...data }, fixes: fix ? [fix] : [] });
    }
    return out;
  },
};

/**
 * Replaces `latest` (or inserts `:tag` after the repository) where the
 * characters really come from: the FROM line, or the ARG default they were
 * substituted from. The tag is a snippet placeholder for the user to fill.
 */
function pinTagFix(model: DockerfileModel, stage: Stage, resolved: TracedValue, isLatest: boolean): Fix | undefined {
  const { value, origin } = resolved;
  if (isLatest) {
    const start = value.length - 'latest'.length;
    const offsets = origin.slice(start);
    if (!contiguous(offsets)) return undefined;
    return {
      title: `Pin the base image to a version tag instead of 'latest'`,
      edits: [{ range: model.lines.range(offsets[0], offsets[0] + 6), newText: '${1:tag}' }],
      snippet: true,
      isPreferred: true,
    };
  }
  const last = origin[value.length - 1];
  if (last === undefined || last < 0 || stage.imageArg === undefined) return undefined;
  const at = model.lines.positionAt(last + 1);
  return {
    title: 'Pin the base image to a version tag',
    edits: [{ range: { start: at, end: at }, newText: ':${1:tag}' }],
    snippet: true,
    isPreferred: true,
  };
}

function contiguous(offsets: number[]): boolean {
  if (offsets.length === 0 || offsets[0] < 0) return false;
  for (let k = 1; k < offsets.length; k++) if (offsets[k] !== offsets[k - 1] + 1) return false;
  return true;
}
