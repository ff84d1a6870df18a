import type { FileKind, Range } from '../engine/types';
import type { DockerfileModel, DockerInstruction } from './dockerfileModel';

export const DOCKERFILE: readonly FileKind[] = ['dockerfile'];

/** From the instruction's keyword to the end of its first line: where a line-based reader looks. */
export function instructionHead(model: DockerfileModel, instr: DockerInstruction): Range {
  const line = instr.range.start.line;
  const end = Math.min(model.lines.lineEnd(line), instr.endOffset);
  return model.lines.range(instr.startOffset, Math.max(end, instr.startOffset));
}

/** A secret's length, bucketed: enough to recognise it, not to help guess it. */
export function maskedLength(value: string): string {
  return value.length <= 8 ? 'up to 8 characters' : value.length <= 32 ? '9-32 characters' : 'over 32 characters';
}

/** Keeps a replacement keyword in the case the author wrote (`add` → `copy`). */
export function sameCase(original: string, replacement: string): string {
  if (original === original.toLowerCase()) return replacement.toLowerCase();
  if (original === original.toUpperCase()) return replacement.toUpperCase();
  return replacement[0].toUpperCase() + replacement.slice(1).toLowerCase();
}
