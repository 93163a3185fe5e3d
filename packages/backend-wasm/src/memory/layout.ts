/**
 * How the backend lays out its WebAssembly memory (byte addresses):
 *
 * - `[0, STATIC_END)`: the kernel module's own static data (checked at load: there is none, the
 *   build script refuses data segments, but its stack/heap base lives below this);
 * - `[CONTROL_START, HEAP_START)`: the threads' control block (job words, arguments);
 * - `[HEAP_START, end)`: the heap — tensors, packed matmul panels, per-thread scratch.
 */
export const STATIC_END = 4096;
export const CONTROL_START = 4096;
export const HEAP_START = 65536;

/** One WebAssembly page. */
export const PAGE_BYTES = 65536;

/** The wasm32 address space: 65536 pages of 64 KiB. */
export const WASM32_MAX_BYTES = 65536 * PAGE_BYTES;
