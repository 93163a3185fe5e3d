export { WasmBackend } from './wasm-backend.js';
export type { WasmBackendOptions } from './options.js';
export { WasmFeatureError, WasmMemoryError } from './errors.js';
export { WasmHeap } from './memory/heap.js';
export { DEFAULT_INLINE_THRESHOLDS, type ThresholdName } from './inline-thresholds.js';
