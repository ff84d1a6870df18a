// Entry point of the bundled language server (dist/server.js). The VS Code
// client and other editors start it over stdio:
//   node dist/server.js --stdio
// (--node-ipc and --socket=N work too.)
import { registerHeapStats, watchWasmMemory } from './heapStats';
import { FourfoldServer } from './server';
import { createServerConnection } from './transport';

// Leak checks only (node --expose-gc): a no-op otherwise.
watchWasmMemory();

const connection = createServerConnection();

// Last line of defence: log, never die, so the editor keeps its squiggles.
process.on('uncaughtException', (e) => connection.console.error(`uncaught: ${e?.stack ?? e}`));
process.on('unhandledRejection', (e) => connection.console.error(`unhandled rejection: ${(e as Error)?.stack ?? e}`));

new FourfoldServer(connection);
registerHeapStats(connection);
connection.listen();
