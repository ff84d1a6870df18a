import type { FileContext } from '../engine/context';
import type { FileRule, Fix, RawFinding } from '../engine/types';
import { DOCKERFILE, instructionHead, sameCase } from './common';
import { dockerfileModel, resolveAt, tracedArgument, type DockerfileModel, type DockerInstruction } from './dockerfileModel';

/*
 * ADD does two things COPY does not: it downloads URLs and it unpacks local
 * tar archives. Reported:
 *  - ADD of a remote URL without --checksum: the build runs whatever the
 *    server returns that day, unverified (no fix: COPY cannot download).
 *  - ADD of local files that are not archives: COPY does the same without
 *    the surprise extraction/download semantics (fix: ADD → COPY).
 * Not reported: ADD of a local archive (extracting it is the point, as in
 * hadolint DL3020 and Trivy DS005), ADD --checksum=..., and sources whose
 * value cannot be resolved.
 */

const REMOTE = /^(?:https?|ftp|git|ssh):\/\/|^git@[^:]+:/i;
const ARCHIVE = /\.(?:tar|tar\.(?:gz|bz2|xz|zst|lz|lzma|z)|tgz|tbz2?|txz|tlz|gz|bz2|xz)$/i;
/** Flags COPY accepts too; with any other flag (--checksum, --keep-git-dir, --unpack) ADD → COPY would not parse. */
const COPY_COMPATIBLE_FLAGS = new Set(['chown', 'chmod', 'link', 'exclude', 'parents']);

export const addInsteadOfCopy: FileRule = {
  meta: {
    id: 'container/add-instead-of-copy',
    layer: 'container',
    title: 'ADD used where COPY would do, or ADD of an unverified URL',
    description:
      'ADD silently downloads URLs and unpacks archives: a remote source can be swapped by whoever controls the server, and local ADD hides that behaviour where COPY is explicit.',
    severity: 'low',
    cwe: ['CWE-494'],
    aliases: ['hadolint:DL3020', 'checkov:CKV_DOCKER_4', 'trivy:DS005'],
    fileKinds: DOCKERFILE,
  },
  check(ctx: FileContext): RawFinding[] {
    const model = dockerfileModel(ctx);
    const out: RawFinding[] = [];
    for (const instr of model.instructions) {
      if (instr.keyword !== 'ADD' || !instr.stage) continue;
      const finding = judgeAdd(model, instr);
      if (finding) out.push(finding);
    }
    return out;
  },
};

function flagNames(instr: DockerInstruction): string[] {
  const node = instr.node as { getFlags?: () => Array<{ getName(): string }> };
  try {
    return typeof node.getFlags === 'function' ? node.getFlags().map((f) => f.getName().toLowerCase()) : [];
  } catch {
    return [];
  }
}

function sources(model: DockerfileModel, instr: DockerInstruction): string[] | undefined {
  const argsText = model.text.slice(instr.argsOffset, instr.endOffset).trim();
  // Exec form: ADD ["src", "dest"]
  const jsonStart = argsText.replace(/^(--\S+\s+)*/, '');
  if (jsonStart.startsWith('[')) {
    try {
      const list = JSON.parse(jsonStart);
      if (Array.isArray(list) && list.every((x) => typeof x === 'string')) return list.slice(0, -1);
    } catch {
      return undefined;
    }
  }
  const values: string[] = [];
  for (const arg of instr.args) {
    const v = arg.getValue();
    // A heredoc source (ADD <<EOF /dest) is inline content; its body is not a source.
    if (v.startsWith('<<')) return ['<<heredoc'];
    const resolved = resolveAt(model, instr, tracedArgument(model, arg));
    if (!resolved) return undefined;
    values.push(resolved.value);
  }
  return values.slice(0, -1);
}

function judgeAdd(model: DockerfileModel, instr: DockerInstruction): RawFinding | undefined {
  const srcs = sources(model, instr);
  if (!srcs || srcs.length === 0) return undefined;
  const flags = flagNames(instr);
  const remote = srcs.filter((s) => REMOTE.test(s));
  if (remote.length) {
    if (flags.includes('checksum')) return undefined;
    return {
      range: instructionHead(model, instr),
      message: `ADD downloads ${remote[0]} without verifying it: whoever controls that server or the path to it controls this layer. Add --checksum=sha256:<digest>, or download with RUN curl and verify the checksum.`,
      severity: 'medium',
    };
  }
  if (srcs.some((s) => ARCHIVE.test(s))) return undefined;
  const fixes: Fix[] = [];
  if (flags.every((f) => COPY_COMPATIBLE_FLAGS.has(f))) {
    const keyword = model.text.slice(model.lines.offsetAt(instr.keywordRange.start), model.lines.offsetAt(instr.keywordRange.end));
    fixes.push({
      title: 'Replace ADD with COPY',
      edits: [{ range: instr.keywordRange, newText: sameCase(keyword, 'COPY') }],
      isPreferred: true,
    });
  }
  return {
    range: instructionHead(model, instr),
    message: 'ADD of local files: use COPY, which copies exactly what it says, without ADD\'s implicit download and archive extraction.',
    fixes,
  };
}
