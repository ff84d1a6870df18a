/**
 * What client/extension.ts hands to the image scanner and expects back.
 * client/scanImage/index.ts exports
 *
 *   export function registerScanImage(context: vscode.ExtensionContext, deps: ScanImageDeps): ScanImageApi
 *
 * The client owns the `fourfold.scanImage` command (palette, tree, welcome
 * view, walkthrough) and calls `api.scanImage(arg)`; the scanner must not
 * register that command id itself. Other commands of the scanner (e.g.
 * `fourfold.scanDependencies`, `fourfold.rescanImage`) it registers itself;
 * their `contributes` entries live in package.json (owned by the client).
 * `arg` is whatever the caller passed: undefined (palette), a tree node of
 * the Container layer, or what the scanner's own CodeLens passes.
 */
import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { ScannerSettings } from './settings';
import type { ImageScanResultsSource } from './tree/imageResults';

export interface ScanImageDeps {
  /** The "Fourfold" output channel (stream the scanner's stderr here). */
  output: vscode.OutputChannel;
  /** The running language client, if any (e.g. to publish FROM-line diagnostics through the server). */
  client(): LanguageClient | undefined;
  /** Shows the scanner's results in the 4C's tree (Container, and Code → dependencies). */
  setImageResults(source: ImageScanResultsSource | undefined): void;
  /** `fourfold.scanner.*` settings, read fresh on every call. */
  scannerSettings(): ScannerSettings;
  /** False in Restricted Mode: nothing may execute a program then. */
  isTrusted(): boolean;
}

export interface ScanImageApi {
  /** Runs the "Scan image" flow (pick an image, run the scanner, show results). */
  scanImage(arg?: unknown): Promise<unknown>;
  /** SARIF runs of the session's image scans, appended to the workspace SARIF export. */
  sarifRuns?(): unknown[];
  dispose?(): void;
}

export type RegisterScanImage = (context: vscode.ExtensionContext, deps: ScanImageDeps) => ScanImageApi | undefined | void;
