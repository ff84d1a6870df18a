// Bundles the extension client, the language server, the CLI and the scan
// worker into dist/, and copies the tree-sitter grammars (WASM) from their npm
// packages into grammars/ (binaries are not committed).
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

function copyGrammars() {
  const wasm = {
    'web-tree-sitter.wasm': 'web-tree-sitter/web-tree-sitter.wasm',
    'tree-sitter-python.wasm': 'tree-sitter-python/tree-sitter-python.wasm',
    'tree-sitter-javascript.wasm': 'tree-sitter-javascript/tree-sitter-javascript.wasm',
    'tree-sitter-typescript.wasm': 'tree-sitter-typescript/tree-sitter-typescript.wasm',
    'tree-sitter-tsx.wasm': 'tree-sitter-typescript/tree-sitter-tsx.wasm',
  };
  const dir = path.join(root, 'grammars');
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, spec] of Object.entries(wasm)) {
    const src = require.resolve(spec);
    const dest = path.join(dir, name);
    const s = fs.statSync(src);
    if (!fs.existsSync(dest) || fs.statSync(dest).size !== s.size) fs.copyFileSync(src, dest);
  }
}

// Import statements would select web-tree-sitter's ESM build, which needs
// import.meta (empty in a CommonJS bundle); point them at its CommonJS build.
const webTreeSitterCjs = {
  name: 'web-tree-sitter-cjs',
  setup(build) {
    build.onResolve({ filter: /^web-tree-sitter$/ }, () => ({ path: require.resolve('web-tree-sitter') }));
  },
};

const common = {
  plugins: [webTreeSitterCjs],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // web-tree-sitter's ESM build references import.meta; the cjs build does not.
  mainFields: ['main', 'module'],
  conditions: ['require', 'node'],
};

const entries = [
  { in: 'client/extension.ts', out: 'extension', external: ['vscode'] },
  { in: 'server/lsp/main.ts', out: 'server' },
  { in: 'server/cli/main.ts', out: 'cli', banner: '#!/usr/bin/env node' },
  { in: 'server/workspace/scanWorker.ts', out: 'scanWorker' },
  // Piscina starts its own bootstrap script from beside its module: dist/worker.js once bundled.
  // Its optional native nice() binding is not shipped: piscina catches the failed require.
  { in: 'node_modules/piscina/dist/worker.js', out: 'worker', external: ['@napi-rs/nice'] },
];

copyGrammars();
const contexts = [];
let failed = 0;
for (const e of entries) {
  if (!fs.existsSync(path.join(root, e.in))) continue;
  const opts = {
    ...common,
    entryPoints: [path.join(root, e.in)],
    outfile: path.join(root, 'dist', `${e.out}.js`),
    external: e.external ?? [],
    banner: e.banner ? { js: e.banner } : undefined,
  };
  if (watch) contexts.push(await esbuild.context(opts));
  else {
    // Build every bundle even if one fails, so one broken entry does not hide the others' errors.
    try {
      await esbuild.build(opts);
    } catch {
      failed++;
    }
  }
}
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('watching…');
} else {
  const cli = path.join(root, 'dist', 'cli.js');
  if (fs.existsSync(cli)) fs.chmodSync(cli, 0o755);
  if (failed) process.exit(1);
}
