import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { BackendError } from '@scratchnet/backend';
import { NodePool } from './node-pool.js';
import { assertWorkersRunCurrentBuild } from './stale-build.js';
import { maxThreadsFor, ThreadedBackend, type Platform, type WorkerBackendOptions } from './threaded-backend.js';

export type { WorkerBackendOptions } from './threaded-backend.js';

/**
 * The cpu backend's kernels on every core: a pool of `worker_threads` over `SharedArrayBuffer`
 * storage, with the calling thread computing too.
 *
 * Each kernel call is cut into chunks of its output units at multiples of the cpu kernel's tile,
 * which the threads take as they come free, and every thread runs the cpu backend's own range
 * kernel on its chunks, so results are bitwise identical to `CpuBackend`. Ops stay synchronous:
 * the caller takes chunks too, then blocks in `Atomics.wait` until the workers are done. Calls below a per-kernel amount of work run
 * inline. A worker that throws or dies makes the op throw a `BackendError` (the pool is then
 * replaced); `dispose()` ends the pool; an idle pool never keeps the process alive.
 */
export class WorkerBackend extends ThreadedBackend {
  /** The largest `threads` accepted: 4 per available core (at least 4). */
  static maxThreads(): number {
    return maxThreadsFor(availableParallelism());
  }

  constructor(options: WorkerBackendOptions = {}) {
    super(options, nodePlatform());
  }
}

/** Node's threads: worker_threads started from the built dist/worker-entry.js. */
function nodePlatform(): Platform {
  let entry: URL | undefined;
  return {
    parallelism: availableParallelism,
    prepare(threads) {
      if (threads === 1) return;
      entry = locateWorkerEntry();
      assertWorkersRunCurrentBuild();
    },
    // Polling pays when every thread has a core of its own, and steals cores otherwise.
    startPool: (workers) => new NodePool(entry!, workers, workers + 1 <= availableParallelism()),
  };
}

/**
 * The built worker script, beside this module in dist/. When this module runs from src/ (a
 * workspace test resolving the package to its sources), the built script in ../dist is used.
 */
function locateWorkerEntry(): URL {
  const here = import.meta.url;
  const beside = new URL('./worker-entry.js', here);
  const candidates = here.endsWith('.ts') ? [beside, new URL('../dist/worker-entry.js', here)] : [beside];
  for (const url of candidates) if (existsSync(fileURLToPath(url))) return url;
  throw new BackendError(
    `WorkerBackend: worker script not found: ${candidates.map((u) => fileURLToPath(u)).join(' or ')}; ` +
      'the package files are incomplete (a bundler that did not copy dist/worker-entry.js?): reinstall or rebuild @scratchnet/backend-worker',
  );
}
