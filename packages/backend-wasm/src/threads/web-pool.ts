import { BackendError } from '@scratchnet/backend';
import { WEB_SUPERVISOR_SOURCE, WEB_THREAD_SOURCE } from '../generated/web-thread-source.js';
import { DEAD, ENDED_EXIT, ENDED_LOCK, endedWord, exitCodeWord, signal, SUPERVISOR_STATE } from './control-block.js';
import { SharedPool, type PoolOptions } from './shared-pool.js';
import { webLocks, type FromWebSupervisor, type WebSupervisorStart } from './web-messages.js';

/** A browser worker, as much of it as the pool uses (this package is typed without the DOM library). */
interface WebWorker {
  postMessage(message: WebSupervisorStart): void;
  terminate(): void;
  addEventListener(type: 'error', listener: (event: { message?: string }) => void): void;
  addEventListener(type: 'message', listener: (event: { data: FromWebSupervisor }) => void): void;
}
type WebWorkerConstructor = new (url: string, options?: { name?: string }) => WebWorker;

/** The scripts every pool's workers run, as Blob URLs made once. */
let scriptUrls: { thread: string; supervisor: string } | undefined;

/** A name no other pool, slot or tab of this origin uses (Web Locks are shared across an origin). */
function lockNames(workers: number): string[] {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  const id = typeof c?.randomUUID === 'function' ? c.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  return Array.from({ length: workers }, (_, slot) => `@scratchnet/backend-wasm pool ${id} thread ${slot + 1}`);
}

/**
 * The pool in a browser: `workers` Web Workers over the backend's shared memory, running the
 * same loop as Node's workers (`worker-loop.ts`), started by a small supervisor worker. Their
 * scripts ship inside this package (built from `web-thread-entry.ts` and
 * `web-supervisor-entry.ts`, started from Blob URLs), so no bundler has to find a file.
 *
 * The owner must itself be a Web Worker: a page's main thread may not block in `Atomics.wait`.
 * A browser starts a worker only once the creating thread yields to its event loop, so ops
 * before that run on the calling thread alone (same bits); `WasmBackend.create` waits for them.
 *
 * Deaths. The owner, blocked while an op runs, can receive no event, and a browser gives no exit
 * event anyway. So each thread holds a Web Lock of its own for life, and the supervisor, whose
 * event loop is free, waits for the same lock: the browser releases a worker's locks when it
 * ends (closed, terminated, crashed), the supervisor is granted the lock, writes DEAD into the
 * control block and wakes the owner, whose op then throws. Without Web Locks the pool works
 * unwatched: a worker's error in a job still fails the op, but a death mid-op is not detected.
 * The supervisor itself is not watched: if it ended, its threads would end with it, unseen.
 */
export class WebPool extends SharedPool {
  /** Whether deaths mid-op are detected (the browser has Web Locks). */
  readonly watched: boolean;
  readonly #supervisor: WebWorker;
  /** What the supervisor reported about a worker that failed (read between ops). */
  readonly #errors: (string | undefined)[] = [];
  #supervisorError: string | undefined;
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
    const BlobType = g.Blob;
    const url = (source: string): string => g.URL.createObjectURL(new BlobType([source], { type: 'text/javascript' }));
    scriptUrls ??= { thread: url(WEB_THREAD_SOURCE), supervisor: url(WEB_SUPERVISOR_SOURCE) };
    this.watched = webLocks() !== null;
    const words = this.views.words;
    this.#supervisor = new g.Worker(scriptUrls.supervisor, { name: 'scratchnet wasm supervisor' });
    // Both seen only while this thread is between ops.
    this.#supervisor.addEventListener('error', (event) => {
      this.#supervisorError = event.message ?? 'the supervisor failed';
      Atomics.store(words, SUPERVISOR_STATE, DEAD);
      signal(words);
    });
    this.#supervisor.addEventListener('message', ({ data }) => {
      this.#errors[data.slot] = data.message;
    });
    this.#supervisor.postMessage({
      script: scriptUrls.thread,
      workers: Array.from({ length: options.workers }, (_, slot) => this.workerData(options, slot, null)),
      memory: options.memory,
      control: this.control,
      controlWords: this.controlWords,
      locks: this.watched ? lockNames(options.workers) : null,
    });
  }

  terminate(): void {
    if (this.#terminated) return;
    this.#terminated = true;
    this.isBroken = true;
    // The threads end with their parent, the supervisor. A browser says nothing when they have
    // stopped (the supervisor might even write a death first), so the pool's scratch and control
    // block are not freed (a few KiB; pools are replaced only after a death).
    this.#supervisor.terminate();
  }

  /** Never blocks: the workers cannot start while this thread waits. */
  protected awaitReady(op: string): boolean {
    if (Atomics.load(this.views.words, SUPERVISOR_STATE) === DEAD) {
      this.isBroken = true;
      throw new BackendError(`wasm backend: ${op}: the pool's supervisor worker failed: ${this.#supervisorError ?? 'it stopped'}`);
    }
    return this.readyNow(op);
  }

  protected taskError(): Error {
    return new Error("the worker's error is in its console (a browser worker's messages cannot be read while the op waits)");
  }

  protected deathOf(slot: number): { detail: string; cause: Error } {
    const words = this.views.words;
    const ended = Atomics.load(words, endedWord(slot));
    const detail =
      this.#errors[slot] ??
      (ended === ENDED_EXIT
        ? `it exited with code ${Atomics.load(words, exitCodeWord(slot))}`
        : ended === ENDED_LOCK
          ? 'the browser ended it (its Web Lock was released)'
          : 'it failed (details in its console)');
    return { detail, cause: new Error(`worker ${slot + 1}: ${detail}`) };
  }
}
