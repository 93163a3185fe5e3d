export { WorkerBackend, type WorkerBackendOptions } from './worker-backend.js';
export { sharedAllocator, moveToShared } from './shared-allocator.js';
export { DEFAULT_INLINE_THRESHOLDS } from './inline-thresholds.js';
