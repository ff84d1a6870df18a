import type { Tree } from 'web-tree-sitter';
import type { FileContext } from '../../engine/context';
import type { TaintFlow } from '../flows';

/** Taint analysis of a JavaScript / TypeScript / TSX module. */
export function analyzeJavaScriptTaint(_tree: Tree, _ctx: FileContext): TaintFlow[] {
  return [];
}
