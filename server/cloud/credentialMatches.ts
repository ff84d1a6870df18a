import type { FileContext } from '../engine/context';
import { detectSecrets, type LineBounds, type SecretMatch } from './secrets/detectors';

export const CREDENTIAL_RULE_ID = 'cloud/hardcoded-credential';

/** Line lookups the detectors use to pair a secret with what stands near it. */
function lineBoundsOf(ctx: FileContext): LineBounds {
  const lines = ctx.lines;
  const clamp = (l: number) => Math.max(0, Math.min(lines.lineCount - 1, l));
  return {
    endOfNextLine: (offset) => lines.lineEnd(clamp(lines.positionAt(offset).line + 1)),
    startOfLineAround: (offset, d) => lines.lineStarts[clamp(lines.positionAt(offset).line + d)],
    endOfLineAround: (offset, d) => lines.lineEnd(clamp(lines.positionAt(offset).line + d)),
  };
}

/**
 * The credentials found in a file, detected once per analysis: the cloud
 * rule reports them, and container/secret-in-env leaves them to it.
 */
export function credentialMatches(ctx: FileContext): readonly SecretMatch[] {
  return ctx.memo('cloud:credential-matches', () =>
    detectSecrets(ctx.text, { includeExamples: ctx.optionsOf(CREDENTIAL_RULE_ID).includeExamples === true }, lineBoundsOf(ctx)),
  );
}
