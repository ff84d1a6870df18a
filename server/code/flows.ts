import type { FileContext } from '../engine/context';
import type { Fix, RawFinding, Range, Severity } from '../engine/types';
import { analyzeJavaScriptTaint } from './javascript/taint';
import { codeTree } from './parsers';
import { mayHaveFlows } from './prefilter';
import { analyzePythonTaint } from './python/taint';

/** The injection categories; each is one rule (`code/<rule>`), see rules/. */
export type SinkCategory =
  | 'sql'
  | 'nosql'
  | 'command'
  | 'code'
  | 'template'
  | 'xss'
  | 'path'
  | 'ssrf'
  | 'deserialization';

/** One path from untrusted input to a dangerous sink, found by a language's taint pass. */
export interface TaintFlow {
  category: SinkCategory;
  /** Where to put the squiggle: the sink call (or assignment, for innerHTML). */
  sinkRange: Range;
  /** What the sink is, for the message: `cursor.execute`, `child_process.exec`. */
  sinkName: string;
  /** Where the untrusted input enters ("user input enters here"); absent for review findings. */
  source?: { range: Range; description: string };
  /** 'review': a dynamically built argument not traced to a source (shown only when review is on). */
  confidence: 'high' | 'review';
  /** Optional message override; the rule writes a standard one otherwise. */
  message?: string;
  /** Overrides the rule's severity (e.g. medium for input from argv/env rather than a remote client). */
  severity?: Severity;
  fixes?: Fix[];
}

/** Every flow in the file, computed once and shared by the nine category rules. */
export function taintFlows(ctx: FileContext): TaintFlow[] {
  return ctx.memo('code:flows', () => {
    if (ctx.kind !== 'python' && isMinifiedBundle(ctx)) {
      ctx.addNote(`code: ${ctx.path} is minified; injection flows are not analysed in it (secrets still are).`);
      return [];
    }
    // Open documents skip the prefilter: it reads the whole text, while their analysis is incremental.
    if (!ctx.documentKey && !mayHaveFlows(ctx)) return [];
    if (ctx.kind !== 'python') return analyzeJavaScriptTaint(ctx, () => codeTree(ctx));
    const tree = codeTree(ctx);
    return tree ? analyzePythonTaint(tree, ctx) : [];
  });
}

/**
 * A minified bundle (`*.min.js`, or lines averaging over 200 characters, as
 * SonarJS decides it): a flow found there has no line a developer would edit,
 * and such files are the costliest to parse. Semgrep and SonarJS skip them too.
 * (The cloud metadata-endpoint rule has its own, narrower test,
 * `isMinified` in cloud/testPaths.ts: a single line over 5,000 characters.)
 */
function isMinifiedBundle(ctx: FileContext): boolean {
  if (MINIFIED_NAME.test(ctx.path)) return true;
  return ctx.text.length >= MINIFIED_MIN_SIZE && ctx.text.length / ctx.lines.lineCount > MINIFIED_LINE_LENGTH;
}

const MINIFIED_NAME = /[.-]min\.[cm]?js$/i;
const MINIFIED_MIN_SIZE = 20 * 1024;
const MINIFIED_LINE_LENGTH = 200;

/** Turns a category's flows into findings with the source as related information. */
export function flowsToFindings(ctx: FileContext, category: SinkCategory, describe: (flow: TaintFlow) => string): RawFinding[] {
  return taintFlows(ctx)
    .filter((f) => f.category === category)
    .map((flow) => ({
      range: flow.sinkRange,
      message: flow.message ?? describe(flow),
      confidence: flow.confidence,
      severity: flow.confidence === 'review' ? 'low' : flow.severity,
      fixes: flow.fixes,
      related: flow.source ? [{ range: flow.source.range, message: `user input enters here: ${flow.source.description}` }] : undefined,
      data: { category, sink: flow.sinkName },
    }));
}
