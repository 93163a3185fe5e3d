/**
 * How the backend lays out its WebAssembly memory (byte addresses):
 *
 * - `[0, STATIC_END)`: the kernel module's own globals and stack base (checked at load; the build
 *   script refuses data segments, so nothing is written here at instantiation);
 * - `[HEAP_START, end)`: the heap — tensors, packed matmul panels, per-thread scratch, each
 *   pool's control block.
 */
export const STATIC_END = 4096;
export const HEAP_START = 65536;

/** One WebAssembly page. */
export const PAGE_BYTES = 65536;

/** The wasm32 address space: 65536 pages of 64 KiB. */
export const WASM32_MAX_BYTES = 65536 * PAGE_BYTES;
