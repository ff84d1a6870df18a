import type { LayerModule } from '../engine/layer';
import { initCodeParsers } from './parsers';
import { codeInjection } from './rules/code-injection';
import { commandInjection } from './rules/command-injection';
import { nosqlInjection } from './rules/nosql-injection';
import { pathTraversal } from './rules/path-traversal';
import { sqlInjection } from './rules/sql-injection';
import { ssrf } from './rules/ssrf';
import { templateInjection } from './rules/template-injection';
import { unsafeDeserialization } from './rules/unsafe-deserialization';
import { xss } from './rules/xss';

export const codeLayer: LayerModule = {
  layer: 'code',
  rules: [
    sqlInjection,
    nosqlInjection,
    commandInjection,
    codeInjection,
    templateInjection,
    xss,
    pathTraversal,
    ssrf,
    unsafeDeserialization,
  ],
  init: initCodeParsers,
};
