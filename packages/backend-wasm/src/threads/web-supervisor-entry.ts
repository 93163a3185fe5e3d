import { ENDED_ERROR, ENDED_LOCK, markDead } from './control-block.js';
import { webLocks, type FromWebSupervisor, type FromWebThread, type ToWebThread, type WebSupervisorStart, type WebThreadStart } from './web-messages.js';

// The script of a browser pool's supervisor, bundled at build time into
// src/generated/web-thread-source.ts (scripts/build-web-thread.mjs) and started by the pool from a
// Blob URL. It starts the pool's threads and writes each one's death into the control block.
//
// Why the supervisor starts the threads. The pool's owner blocks in Atomics.wait while an op runs,
// and a browser finishes ending a worker (terminate(), or closing it for good) on the worker's
// parent's thread: with the owner as parent, a worker it terminates is not gone, and does not
// release its lock, until the owner yields. The supervisor's event loop is always free.

/** A browser worker, as much of it as the supervisor uses (no DOM library in this package). */
interface WebWorker {
  postMessage(message: WebThreadStart | ToWebThread): void;
  terminate(): void;
  addEventListener(type: 'message', listener: (event: { data: FromWebThread }) => void): void;
  addEventListener(type: 'error', listener: (event: { message?: string; preventDefault(): void }) => void): void;
}

const scope = globalThis as unknown as {
  Worker: new (url: string, options?: { name?: string }) => WebWorker;
  postMessage(message: FromWebSupervisor): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void, options?: { once: boolean }): void;
};

scope.addEventListener(
  'message',
  (event) => {
    const start = event.data as WebSupervisorStart;
    const words = new Int32Array(start.memory.buffer, start.control, start.controlWords);
    const locks = start.locks === null ? null : webLocks();
    const failed = (slot: number, message: string): void => {
      scope.postMessage({ type: 'worker-error', slot, message });
      markDead(words, slot, ENDED_ERROR);
    };
    start.workers.forEach((data, slot) => {
      const lock = locks === null ? null : start.locks![slot]!;
      let worker: WebWorker;
      try {
        worker = new scope.Worker(start.script, { name: `scratchnet wasm thread ${slot + 1}` });
      } catch (error) {
        failed(slot, String(error));
        return;
      }
      // A script that failed to load, or an error outside a job (a job's error is reported in the block).
      worker.addEventListener('error', (e) => {
        e.preventDefault();
        failed(slot, e.message ?? 'the worker failed');
      });
      worker.addEventListener('message', ({ data: message }) => {
        if (message.type === 'holding' && lock !== null) {
          // Granted once the thread has let go of it, which it does only by ending.
          void locks!.request(lock, () => markDead(words, slot, ENDED_LOCK));
          worker.postMessage({ type: 'watching' });
        } else if (message.type === 'startup-error') {
          failed(slot, message.error.message);
        } else if (message.type === 'kill-me') {
          worker.terminate();
        }
      });
      worker.postMessage({ data, lock });
    });
  },
  { once: true },
);
