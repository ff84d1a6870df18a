// Entry point of the bundled language server (dist/server.js). Runs under the
// VS Code client over IPC, or standalone for any LSP client:
//   node dist/server.js --stdio
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { registerHeapStats, watchWasmMemory } from './heapStats';
import { FourfoldServer } from './server';

// Leak checks only (node --expose-gc): a no-op otherwise.
watchWasmMemory();

const connection = createConnection(ProposedFeatures.all);

// Last line of defence: log, never die, so the editor keeps its squiggles.
process.on('uncaughtException', (e) => connection.console.error(`uncaught: ${e?.stack ?? e}`));
process.on('unhandledRejection', (e) => connection.console.error(`unhandled rejection: ${(e as Error)?.stack ?? e}`));

new FourfoldServer(connection);
registerHeapStats(connection);
connection.listen();
