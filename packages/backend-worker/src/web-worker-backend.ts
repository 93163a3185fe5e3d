import { BackendError } from '@scratchnet/backend';
import { maxThreadsFor, ThreadedBackend, type Platform, type WorkerBackendOptions } from './threaded-backend.js';
import { WebPool, type WebGlobals } from './web-pool.js';

/**
 * The cpu backend's kernels on every core of a browser: a pool of Web Workers over
 * `SharedArrayBuffer` storage, with the calling thread computing too — the same range kernels
 * and the same split as in Node, so results are bitwise identical to `CpuBackend`.
 *
 * The page must be cross-origin isolated (served with `Cross-Origin-Opener-Policy: same-origin`
 * and `Cross-Origin-Embedder-Policy: require-corp`), or it has no SharedArrayBuffer; with
 * `threads` > 1 the backend must be made inside a Web Worker, since ops block the calling
 * thread in `Atomics.wait`, which a page's main thread may not do. Both are BackendErrors that
 * say so. The workers start once the calling thread yields to its event loop (`await
 * backend.ready()`); ops before that run on the calling thread alone. A worker that throws fails
 * the op with a BackendError carrying its error; one that ends is detected through a Web Lock it
 * holds, watched by a supervisor Web Worker, and fails the op too (the pool is then replaced);
 * `dispose()` terminates them.
 */
export class WorkerBackend extends ThreadedBackend {
  /** The largest `threads` accepted: 4 per core the browser reports (at least 4). */
  static maxThreads(): number {
    return maxThreadsFor(hardwareConcurrency());
  }

  constructor(options: WorkerBackendOptions = {}) {
    super(options, webPlatform());
  }
}

interface BrowserScope extends Partial<WebGlobals> {
  document?: unknown;
  crossOriginIsolated?: boolean;
  navigator?: { hardwareConcurrency?: number; locks?: unknown };
}

function hardwareConcurrency(): number {
  const cores = (globalThis as unknown as BrowserScope).navigator?.hardwareConcurrency;
  return typeof cores === 'number' && Number.isInteger(cores) && cores >= 1 ? cores : 1;
}

/** A browser's threads: Web Workers started from Blob URLs. */
function webPlatform(): Platform {
  const g = globalThis as unknown as BrowserScope;
  return {
    parallelism: hardwareConcurrency,
    prepare(threads) {
      // Every tensor of this backend lives in a SharedArrayBuffer, one thread or more.
      if (typeof SharedArrayBuffer !== 'function' || g.crossOriginIsolated === false) {
        throw new BackendError(
          'WorkerBackend: this page is not cross-origin isolated, so it has no SharedArrayBuffer for the threads to share: ' +
            'serve it with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp, ' +
            'or use CpuBackend',
        );
      }
      if (threads === 1) return;
      if (g.document !== undefined) {
        throw new BackendError(
          "WorkerBackend: threads > 1 cannot run on a page's main thread, which may not block in Atomics.wait: " +
            'create the backend inside a Web Worker (its ops then run there), or use threads: 1',
        );
      }
      if (typeof g.Worker !== 'function' || typeof g.MessageChannel !== 'function' || g.Blob === undefined || g.URL === undefined) {
        throw new BackendError('WorkerBackend: threads > 1 need Web Workers, which this context cannot start: use threads: 1');
      }
      if (g.navigator?.locks === undefined) {
        throw new BackendError(
          'WorkerBackend: threads > 1 need Web Locks (navigator.locks), through which the backend learns that the browser ended a worker: use threads: 1',
        );
      }
    },
    // Polling pays when every thread has a core of its own, and steals cores otherwise.
    startPool: (workers) => new WebPool(g as WebGlobals, workers, workers + 1 <= hardwareConcurrency()),
  };
}
