import { writeErrorText } from './error-text.js';
import type { FromWebCompute, WebComputeData, WebSupervisorData } from './web-messages.js';

// The script of a browser pool's supervisor Web Worker, bundled at build time into
// src/generated/web-worker-sources.ts and started by the pool from a Blob URL. It starts the
// pool's compute workers and writes each one's death into the control block.
//
// Why. While an op runs, the calling thread is blocked in Atomics.wait, and a browser tells a
// blocked thread nothing: a Web Worker that ends fires no event at all, and an 'error' event only
// reaches a thread whose event loop runs. Web Locks do tell: each compute worker holds a lock named
// for its slot from startup, a browser releases an ended worker's locks, and this thread asks for
// each lock right after its worker holds it — so the request is granted exactly when the worker
// is gone; it then marks the slot DEAD in the control block and wakes the caller. A slot becomes
// READY only here, once its lock is watched: no task reaches an unwatched worker.
//
// Why this thread is the workers' parent. A browser finishes ending a worker on its parent's
// thread, and delivers its 'error' events there: the parent must be a thread whose event loop is
// free, not the blocked caller. (It is also the only thread that can terminate a worker from
// outside, for the test fault 'kill'.) Terminating this thread ends the workers with it.

interface WebWorker {
  postMessage(message: unknown, transfer?: unknown[]): void;
  terminate(): void;
  addEventListener(type: 'message', listener: (event: { data: FromWebCompute }) => void): void;
  addEventListener(type: 'error', listener: (event: { message?: string; preventDefault(): void }) => void): void;
}
interface SupervisorScope {
  Worker: new (url: string, options?: { name?: string }) => WebWorker;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void, options?: { once: boolean }): void;
  navigator: { locks: { request(name: string, callback: () => void): Promise<void>; query(): Promise<unknown> } };
}
const scope = globalThis as unknown as SupervisorScope;

scope.addEventListener(
  'message',
  (event) => {
    const { control, errors, computeScript, locks, ports, words } = event.data as WebSupervisorData;
    const c = new Int32Array(control);
    const areas = new Uint16Array(errors);
    const set = (slot: number, state: number): void => {
      Atomics.store(c, words.states[slot]!, state);
      Atomics.add(c, words.signal, 1);
      Atomics.notify(c, words.signal);
    };
    /** Marks `slot` dead with a reason (area `workers + slot`), unless it is dead already. */
    const died = (slot: number, message: string): void => {
      if (Atomics.load(c, words.states[slot]!) === words.dead) return;
      writeErrorText(areas, ports.length + slot, { name: 'Error', message });
      set(slot, words.dead);
    };
    ports.forEach((port, slot) => {
      let worker: WebWorker;
      try {
        worker = new scope.Worker(computeScript, { name: `scratchnet worker ${slot + 1}` });
      } catch (error) {
        died(slot, `could not start it: ${String(error)}`);
        return;
      }
      // A script that failed to load, or an error outside a task (a task's error is reported in the block).
      worker.addEventListener('error', (e) => {
        e.preventDefault();
        died(slot, e.message ?? 'the worker failed');
      });
      worker.addEventListener('message', ({ data: message }) => {
        if (message.type === 'held') {
          // Granted once the worker has let go of its lock, which it does only by ending.
          const lockManager = scope.navigator.locks;
          lockManager.request(locks[slot]!, () => died(slot, 'the browser ended it (its Web Lock was released)')).catch(() => undefined);
          // READY once the request is queued: the lock manager answers a query after the requests
          // made before it, so from here on the worker's end is seen.
          lockManager.query().then(
            () => set(slot, words.ready),
            () => set(slot, words.ready),
          );
        } else if (message.type === 'no-lock') {
          died(slot, `it could not take its Web Lock, through which its end would be seen: ${message.message}`);
        } else if (message.type === 'kill-me') {
          worker.terminate();
        }
      });
      const data: WebComputeData = { control, errors, slot, lock: locks[slot]!, port };
      worker.postMessage(data, [port]);
    });
  },
  { once: true },
);
