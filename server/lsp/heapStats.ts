// A leak check for benchmarks and tests: with the server started under
// `node --expose-gc`, `fourfold/heapStats` collects garbage and reports the
// heaps. Nothing here exists in a normal run (VS Code never exposes gc).
import type { Connection } from 'vscode-languageserver/node';
import { HeapStatsRequest, type HeapStats } from './protocol';

type Gc = () => void;

/** The part of the WebAssembly API used here (the project's TypeScript libs do not declare it). */
interface WasmMemory {
  buffer: ArrayBuffer;
}
type WasmMemoryConstructor = new (descriptor: unknown) => WasmMemory;
const wasm = (globalThis as unknown as { WebAssembly: { Memory: WasmMemoryConstructor } }).WebAssembly;

/** The WebAssembly memories created since `watchWasmMemory` (tree-sitter's heap: syntax trees live there). */
const memories: WasmMemory[] = [];

function gcOf(): Gc | undefined {
  const gc = (globalThis as { gc?: unknown }).gc;
  return typeof gc === 'function' ? (gc as Gc) : undefined;
}

/**
 * Under --expose-gc only: records every WebAssembly.Memory the process
 * creates, so heap statistics can tell how large tree-sitter's linear memory
 * is (it grows and never shrinks; a tree never deleted shows up there, not in
 * the JS heap). Call before the grammars load.
 */
export function watchWasmMemory(): void {
  if (!gcOf()) return;
  const Original = wasm.Memory;
  // A constructor that returns the real memory (so instanceof and instantiation work), after noting it.
  const Watched = function Memory(descriptor: unknown) {
    const memory = new Original(descriptor);
    memories.push(memory);
    return memory;
  } as unknown as WasmMemoryConstructor;
  Watched.prototype = Original.prototype;
  wasm.Memory = Watched;
}

/** Registers `fourfold/heapStats` when the process runs with --expose-gc. */
export function registerHeapStats(connection: Connection): void {
  const gc = gcOf();
  if (!gc) return;
  connection.onRequest(HeapStatsRequest, (): HeapStats => {
    // Twice: the first pass runs finalizers (FinalizationRegistry frees tree-sitter objects), the second collects what they released.
    gc();
    gc();
    const usage = process.memoryUsage();
    return {
      heapUsed: usage.heapUsed,
      heapTotal: usage.heapTotal,
      external: usage.external,
      arrayBuffers: usage.arrayBuffers,
      rss: usage.rss,
      wasmMemory: memories.length > 0 ? memories.reduce((sum, m) => sum + m.buffer.byteLength, 0) : undefined,
    };
  });
}
