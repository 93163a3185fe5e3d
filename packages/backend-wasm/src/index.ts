// The WebAssembly API's types for programs that type-check these sources without the DOM library
// (ES2022 has none), such as the demo. skipLibCheck lets them sit beside the DOM's own. Not
// shipped (types/ is not in the package's files): the published declarations in dist/ name
// WebAssembly.Memory and leave its types to the application's library.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- global declarations: there is nothing to import
/// <reference path="../types/webassembly.d.ts" />
export { WasmBackend } from './wasm-backend.js';
export type { WasmBackendOptions } from './options.js';
export { WasmFeatureError, WasmMemoryError } from './errors.js';
export { WasmHeap } from './memory/heap.js';
export { DEFAULT_INLINE_THRESHOLDS, type ThresholdName } from './inline-thresholds.js';
