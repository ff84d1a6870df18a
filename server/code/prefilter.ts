import type { FileContext } from '../engine/context';
import { javascriptMayHaveFlows } from './javascript/prefilter';
import { pythonMayHaveFlows } from './python/prefilter';

/*
 * A sound text prefilter (as Semgrep does): every code finding is a flow into
 * a sink, so a file whose text names no sink (or, with review findings off,
 * no source) is neither parsed nor analysed. Parsing and the taint pass are
 * most of the cost of a workspace scan; most files of a project qualify.
 */

let enabled = true;

/** Tests compare findings with and without the prefilter; nothing else turns it off. */
export function setCodePrefilter(on: boolean): void {
  enabled = on;
}

/** False when the file's text rules out any taint flow (so parsing it is not needed). */
export function mayHaveFlows(ctx: FileContext): boolean {
  if (!enabled) return true;
  switch (ctx.kind) {
    case 'python':
      return pythonMayHaveFlows(ctx.text, ctx.review);
    case 'javascript':
    case 'typescript':
    case 'tsx':
      return javascriptMayHaveFlows(ctx.text, ctx.review);
    default:
      return true;
  }
}
