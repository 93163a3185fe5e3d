/**
 * `scratchnet/node`: everything `scratchnet` exports, plus what only Node can do — the
 * multi-core `WorkerBackend` (`worker_threads`) and saving models to and loading them from
 * the file system. The cpu backend stays the default; `setBackend(new WorkerBackend())` swaps.
 *
 * @packageDocumentation
 */
export * from './index.js';
export * from '@scratchnet/backend-worker';
export * from '@scratchnet/model/node';
// The file-system versions take a directory as well as a handler, so they win over the
// handler-only ones of the main entry.
export { saveModel, loadModel, loadModelAndOptimizer } from '@scratchnet/model/node';
