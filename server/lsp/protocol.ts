// Custom messages between the Fourfold client and server, beyond the LSP.
// Plain strings and data types only, so the client can import this file
// without pulling in the engine.
import type { Finding, Fix, Severity } from '../engine/types';

/** Request (client → server): every finding the workspace index holds. No params. */
export const WorkspaceFindingsRequest = 'fourfold/workspaceFindings';

export interface WireFinding extends Finding {
  /** The document URI (file://…) of the finding's file. */
  uri: string;
  /** Absolute file URI of the rule's Markdown doc, bundled with the extension. */
  docsUri: string;
  /** The "suppress with a comment" fix, when the file's syntax allows one. */
  suppressFix?: Fix;
}

export interface WorkspaceFindingsResult {
  findings: WireFinding[];
  /** True while the initial workspace scan is still running. */
  scanning: boolean;
  /** Files that were not analysed and why (too large, binary, not parsable). */
  skipped: Array<{ uri: string; reason: string }>;
  /** Number of files in the index. */
  fileCount: number;
}

/** Notification (server → client): the index changed; re-request findings. Params: { version: number }. */
export const FindingsChangedNotification = 'fourfold/findingsChanged';

/** Request (client → server): rescan the whole workspace now. Resolves when done with { fileCount }. */
export const RescanRequest = 'fourfold/rescan';

/** Request (client → server): SARIF 2.1.0 log of the workspace findings. Params: { uris?: string[] }. Result: { sarif: string }. */
export const ExportSarifRequest = 'fourfold/exportSarif';

/** Request (client → server): the rule catalogue. Result: { rules: RuleInfo[] }. */
export const RulesRequest = 'fourfold/rules';
export interface RuleInfo {
  id: string;
  layer: string;
  title: string;
  description: string;
  severity: Severity;
  cwe?: string[];
  docsUri: string;
  enabled: boolean;
}

/**
 * Settings the client sends as initializationOptions and on change
 * (workspace/didChangeConfiguration with { settings: { fourfold: FourfoldSettings } }).
 */
export interface FourfoldSettings {
  enable?: { code?: boolean; container?: boolean; cluster?: boolean; cloud?: boolean };
  minSeverity?: Severity;
  /** rule id → 'off' | severity */
  rules?: Record<string, string>;
  exclude?: string[];
  maxFileSize?: number;
  review?: boolean;
  /** 'onType' (default) or 'onSave' */
  run?: 'onType' | 'onSave';
  /**
   * The workspace is trusted (vscode.workspace.isTrusted). Only then may the
   * server run programs (a container engine to look up a digest). Absent: untrusted.
   */
  trusted?: boolean;
  /**
   * The client applies code actions marked `data.snippet` as snippet edits,
   * so placeholders such as `${1:tag}` become tab stops instead of text.
   */
  snippetEdits?: boolean;
}

/**
 * Request (client → server), only when the server runs under `node --expose-gc`
 * (benchmarks, leak checks; never in VS Code): collects garbage, then reports
 * the heaps in bytes. No params.
 */
export const HeapStatsRequest = 'fourfold/heapStats';
export interface HeapStats {
  heapUsed: number;
  heapTotal: number;
  /** Memory outside the JS heap: Buffers, and WebAssembly memories (tree-sitter). */
  external: number;
  arrayBuffers: number;
  rss: number;
  /** Size of the WebAssembly linear memories (tree-sitter's heap), when the server could watch them. */
  wasmMemory?: number;
}
