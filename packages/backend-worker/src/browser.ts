// The browser entry, `@scratchnet/backend-worker/browser`: the same backend on Web Workers. No
// Node built-in is reachable from here (test/browser-bundle.test.ts).
export { WorkerBackend } from './web-worker-backend.js';
export type { WorkerBackendOptions } from './threaded-backend.js';
export { sharedAllocator, moveToShared } from './shared-allocator.js';
export { DEFAULT_INLINE_THRESHOLDS } from './inline-thresholds.js';
