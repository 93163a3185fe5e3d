import { BackendError } from '@scratchnet/backend';
import { WEB_THREAD_SOURCE } from '../generated/web-thread-source.js';
import { DEAD, signal, stateWord } from './control-block.js';
import { SharedPool, type PoolOptions } from './shared-pool.js';

/** A browser worker, as much of it as the pool uses (this package is typed without the DOM library). */
interface WebWorker {
  postMessage(message: unknown): void;
  terminate(): void;
  addEventListener(type: 'error', listener: (event: { message?: string }) => void): void;
}
type WebWorkerConstructor = new (url: string, options?: { name?: string }) => WebWorker;

/** The script every Web Worker of every pool runs, as a Blob URL made once. */
let scriptUrl: string | undefined;

/**
 * The pool in a browser: `workers` Web Workers over the backend's shared memory, running the
 * same loop as Node's workers (`worker-loop.ts`). Their script ships inside this package (built
 * from `web-thread-entry.ts`, started from a Blob URL), so no bundler has to find a file.
 *
 * The owner must itself be a Web Worker: a page's main thread may not block in `Atomics.wait`.
 * A browser starts a worker only once the creating thread yields to its event loop, so ops
 * before that run on the calling thread alone (same bits); `WasmBackend.create` waits for them.
 *
 * Unlike Node there is no supervisor: a worker that throws in a job reports it through the
 * control block (the op throws), but a browser gives no synchronous word of a worker it ends
 * itself; an 'error' event seen between ops marks the worker dead and the pool is replaced.
 */
export class WebPool extends SharedPool {
  readonly #workers: WebWorker[];
  readonly #startErrors: (string | undefined)[];
  #terminated = false;

  constructor(options: PoolOptions) {
    const g = globalThis as { Worker?: WebWorkerConstructor; document?: unknown; Blob?: typeof Blob; URL: typeof URL };
    if (typeof g.Worker !== 'function' || g.Blob === undefined) {
      throw new BackendError('wasm backend: threads > 1 need worker threads (Node worker_threads or Web Workers); this host has neither: use threads: 1');
    }
    if (g.document !== undefined) {
      throw new BackendError(
        "wasm backend: threads > 1 cannot run on a page's main thread, which may not block in Atomics.wait: " +
          'create the backend inside a Web Worker (its ops then run there), or use threads: 1',
      );
    }
    super(options);
    scriptUrl ??= g.URL.createObjectURL(new g.Blob([WEB_THREAD_SOURCE], { type: 'text/javascript' }));
    const Worker = g.Worker;
    this.#startErrors = [];
    this.#workers = Array.from({ length: options.workers }, (_, slot) => {
      const worker = new Worker(scriptUrl!, { name: `scratchnet wasm thread ${slot + 1}` });
      // Seen only while this thread is between ops: a worker that failed to load or died.
      worker.addEventListener('error', (event) => {
        this.#startErrors[slot] = event.message ?? 'the worker failed';
        Atomics.store(this.views.words, stateWord(slot), DEAD);
        signal(this.views.words);
      });
      worker.postMessage(this.workerData(options, slot, null));
      return worker;
    });
  }

  terminate(): void {
    if (this.#terminated) return;
    this.#terminated = true;
    this.isBroken = true;
    // A browser says nothing when a terminated worker has stopped, so its scratch and control
    // block are not freed (a few KiB; pools are replaced only after a death).
    for (const worker of this.#workers) worker.terminate();
  }

  /** Never blocks: the workers cannot start while this thread waits. */
  protected awaitReady(op: string): boolean {
    return this.readyNow(op);
  }

  protected taskError(): Error {
    return new Error("the worker's error is in its console (a browser worker's messages cannot be read while the op waits)");
  }

  protected deathOf(slot: number): { detail: string; cause: Error } {
    const detail = this.#startErrors[slot] ?? 'it stopped';
    return { detail, cause: new Error(`worker ${slot + 1}: ${detail}`) };
  }
}
