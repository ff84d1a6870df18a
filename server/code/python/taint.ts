import type { Tree } from 'web-tree-sitter';
import type { FileContext } from '../../engine/context';
import type { TaintFlow } from '../flows';

/** Taint analysis of a Python module. */
export function analyzePythonTaint(_tree: Tree, _ctx: FileContext): TaintFlow[] {
  return [];
}
