/**
 * The contract between the image / dependency scanner (client/scanImage/**)
 * and the 4C's tree. The scanner owns its results; the tree only renders them.
 *
 * How to feed the tree (client/scanImage/index.ts):
 *
 *   export function registerScanImage(context, deps: ScanImageDeps): ScanImageApi {
 *     const results = new MyResults();          // implements ImageScanResultsSource
 *     deps.setImageResults(results);            // shown under Container (and Code → dependencies)
 *     return { scanImage: (arg) => ..., sarifRuns: () => [...] };
 *   }
 *
 * - `results()` returns the top-level nodes placed under the Container node
 *   after the rule/file groups: one node per scanned image, whose children are
 *   severity groups, whose children are vulnerabilities (any depth is fine).
 * - `dependencyResults()` (optional) returns nodes placed under the Code node
 *   (the "Scan dependencies" results).
 * - Fire `onDidChange` whenever either list changes; the tree re-reads them.
 *   A `vscode.EventEmitter<void>().event` satisfies the signature.
 * - `id`s must be stable across refreshes (e.g. `image:<digest>/sev:high/CVE-…`)
 *   and unique within the scanner's nodes: VS Code keeps expansion state by id.
 *   The tree prefixes them, so they cannot clash with finding ids.
 *
 * This module has no runtime dependency on 'vscode' so the tree model stays
 * unit-testable under plain Node.
 */
import type { Severity } from '../../server/engine/types';

export interface DisposableLike {
  dispose(): void;
}

export interface ImageScanNode {
  /** Stable and unique among the scanner's nodes. */
  id: string;
  label: string;
  /** Shown dimmed after the label, e.g. "2 critical · 7 high · 31 fixable" or "openssl@3.0.1 → 3.0.7". */
  description?: string;
  /** Plain text or Markdown (rendered as Markdown). */
  tooltip?: string;
  /** A codicon id without `$()`, e.g. 'package', 'bug', 'warning'. Defaults from `severity`. */
  icon?: string;
  /** Colours the default icon like the Problems panel does. */
  severity?: Severity;
  children?: ImageScanNode[];
  /** Start expanded (default: collapsed when it has children). */
  expanded?: boolean;
  /** Appended to the tree item's contextValue (`imageScan <contextValue>`), for menus. */
  contextValue?: string;
  /** Command run when the node is selected. */
  command?: { command: string; title: string; arguments?: unknown[] };
  /** Opening a location instead of a command: a file URI (file://…) and optional 0-based range. */
  location?: { uri: string; range?: { start: { line: number; character: number }; end: { line: number; character: number } } };
}

export interface ImageScanResultsSource {
  /** Register a listener; `vscode.Event<void>` satisfies this. */
  onDidChange(listener: () => unknown): DisposableLike;
  /** Nodes under Container (one per scanned image). */
  results(): ImageScanNode[];
  /** Nodes under Code (dependency scan results), if any. */
  dependencyResults?(): ImageScanNode[];
}
