import type { Layer, Rule } from './types';

/** What each layer folder's index.ts exports: its rules and any one-time setup. */
export interface LayerModule {
  layer: Layer;
  rules: Rule[];
  /** Loads what the layer needs once per process (e.g. tree-sitter grammars). */
  init?(): Promise<void>;
}
