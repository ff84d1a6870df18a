// The engine's vocabulary. Pure data: no LSP, no VS Code types, so the same
// findings feed the language server, the CLI and SARIF without translation drift.

export type Layer = 'code' | 'container' | 'cluster' | 'cloud';
export const LAYERS: readonly Layer[] = ['code', 'container', 'cluster', 'cloud'];

/** Ordered from most to least severe. */
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** What a file is, decided from its name (see fileKinds.ts). */
export type FileKind =
  | 'python'
  | 'javascript'
  | 'typescript'
  | 'tsx'
  | 'dockerfile'
  | 'yaml'
  | 'json'
  | 'text';

/** 0-based line and UTF-16 character offset, the LSP convention. */
export interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}

export interface TextEdit {
  range: Range;
  newText: string;
}

export interface FileCreation {
  /** Absolute path of the file to create. */
  path: string;
  content: string;
}

export interface Fix {
  title: string;
  /** Edits to the analysed file, non-overlapping. */
  edits: TextEdit[];
  /** New files the fix creates (e.g. a NetworkPolicy manifest next to a workload). */
  createFiles?: FileCreation[];
  /** The fix a one-click "apply preferred fix" should use. */
  isPreferred?: boolean;
  /** newText of the edits contains snippet placeholders (${1:tag}); clients without snippet support strip them. */
  snippet?: boolean;
}

export interface RelatedLocation {
  /** Absolute path; defaults to the finding's file. */
  path?: string;
  range: Range;
  message: string;
}

/** What a rule's check returns; the engine completes it into a Finding. */
export interface RawFinding {
  range: Range;
  message: string;
  /** Overrides the rule's default severity for this occurrence (e.g. NodePort lower than LoadBalancer). */
  severity?: Severity;
  fixes?: Fix[];
  related?: RelatedLocation[];
  /** Rule-specific data carried to code actions (JSON-serialisable). */
  data?: Record<string, unknown>;
  /**
   * 'review' findings are sinks not traced to a source: shown only when
   * the configuration turns review findings on.
   */
  confidence?: 'high' | 'review';
  /** Rule ids of other tools this occurrence also answers to (for suppressions), beyond the rule's aliases. */
  aliases?: string[];
  /** Suppressed through a tool-specific mechanism the layer understands (e.g. a Kubernetes annotation). */
  suppressedBy?: string;
}

export interface Finding extends RawFinding {
  ruleId: string;
  layer: Layer;
  severity: Severity;
  title: string;
  cwe?: string[];
  /** Path of the rule document relative to the package root, e.g. docs/rules/container/root-user.md */
  docs: string;
  /** Absolute path of the file the finding is in. */
  path: string;
  fixes: Fix[];
  /** Stable fingerprint: rule, file and the text the finding covers (survives line shifts). */
  fingerprint: string;
}

export interface RuleMeta {
  /** `layer/name`, kebab-case, e.g. `container/root-user`. */
  id: string;
  layer: Layer;
  title: string;
  /** One sentence: why an attacker cares. */
  description: string;
  severity: Severity;
  cwe?: string[];
  /** Off unless a configuration turns it on (e.g. container/missing-healthcheck). */
  defaultEnabled?: boolean;
  /**
   * Ids of other tools' checks this rule corresponds to, namespaced:
   * `hadolint:DL3002`, `checkov:CKV_DOCKER_3`, `kube-linter:run-as-non-root`,
   * `bandit:B608`, `trivy:DS002`. Their suppression comments silence this rule.
   */
  aliases?: string[];
  /** Which file kinds the rule reads. */
  fileKinds: readonly FileKind[];
}

/** A rule that looks at one file at a time. */
export interface FileRule {
  meta: RuleMeta;
  check(ctx: import('./context').FileContext): RawFinding[];
  /**
   * The rule judges each piece of a file (a YAML document of a manifest) on
   * its own: for an open editor document the engine runs it per piece and
   * reuses the findings of the pieces an edit did not touch.
   */
  pieceWise?: PieceWise;
}

/**
 * How a file splits into pieces a rule can judge one at a time. Every piece
 * starts at the beginning of a line. A contract for the rules that name the
 * scheme: run on `ctx.scoped(piece)`, a rule reports exactly the findings a
 * whole-file run reports inside the piece, with every position (range, fix
 * edits, related locations) inside it or at its end and no line number in a
 * message or data (reused findings are moved by whole lines), reads nothing of
 * the file outside the piece but what `signature` and the rule's `fileInputs`
 * capture, and adds no notes. test/cluster/incremental.test.ts holds the
 * cluster rules to it.
 */
export interface PieceScheme {
  id: string;
  /** The pieces (offsets [start, end), covering the text in order) and a signature of the file-wide facts the rules share; undefined: judge the file whole. */
  split(ctx: import('./context').FileContext): { pieces: Array<{ start: number; end: number; text?: string }>; signature: string } | undefined;
}

export interface PieceWise {
  scheme: PieceScheme;
  /** What else of the file (outside the piece) the rule reads, as a string: a change re-runs the rule on every piece. */
  fileInputs?(ctx: import('./context').FileContext): string;
}

/** Per-file data a workspace rule gathers, then judges across all files. */
export interface WorkspaceFinding extends RawFinding {
  path: string;
}
export interface WorkspaceRule<T = unknown> {
  meta: RuleMeta;
  /** Runs during the per-file analysis; the result must be JSON-serialisable (it crosses worker threads). */
  collect(ctx: import('./context').FileContext): T | undefined;
  check(files: ReadonlyArray<{ path: string; data: T }>, options: WorkspaceCheckOptions): WorkspaceFinding[];
}
export interface WorkspaceCheckOptions {
  /** Settings of the rule from the configuration (`rules.<id>.options`). */
  ruleOptions: Record<string, unknown>;
}

export type Rule = FileRule | WorkspaceRule;

export function isWorkspaceRule(rule: Rule): rule is WorkspaceRule {
  return typeof (rule as WorkspaceRule).collect === 'function';
}

/** Comment suppressions found in a file, kept so workspace findings can honour them too. */
export interface SuppressionComment {
  /** The line the comment silences (0-based). -1: the whole file. */
  line: number;
  /** Our rule ids and/or namespaced aliases (`hadolint:DL3002`); '*' for all rules, '*code' for all code rules. */
  targets: string[];
  reason?: string;
  /** The line the comment itself is on. */
  commentLine: number;
}

export interface FileAnalysis {
  path: string;
  kind: FileKind | undefined;
  findings: Finding[];
  /** Findings silenced by comments or annotations (reported in SARIF as suppressed). */
  suppressed: Finding[];
  /** Data for workspace rules, keyed by rule id. */
  collected: Record<string, unknown>;
  suppressions: SuppressionComment[];
  /** Why the file was not analysed (too large, binary, excluded, ...), if it was not. */
  skipped?: string;
  /** Notes for the output channel / CLI stderr: rule exceptions, grammar failures. */
  notes: string[];
  /**
   * Messages for the user about this file (e.g. "a Helm template, not YAML:
   * skipped"): layers add them with ctx.addNote. The editor
   * shows them as one informational diagnostic.
   */
  info?: string[];
}
