import type { WebSupervisorData } from './web-messages.js';

// The script of a browser pool's supervisor Web Worker, bundled at build time into
// src/generated/web-worker-sources.ts and started from a Blob URL.
//
// Why. While an op runs, the calling thread is blocked in Atomics.wait, and a browser tells
// nobody synchronously that a Web Worker has ended (no 'exit' event at all; an 'error' event
// only reaches a thread that is not blocked). Web Locks do: each compute worker holds a lock
// named for its slot from startup, a browser releases a dead worker's locks, and this thread
// asks for each lock right after its worker holds it — so the request is granted exactly when
// the worker is gone, and then marks its slot DEAD in the control block and wakes the caller.
// A slot becomes READY only here, once its lock is watched: no task reaches an unwatched worker.

interface SupervisorScope {
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void, options?: { once: boolean }): void;
  navigator: { locks: { request(name: string, callback: () => void): Promise<void> } };
}
const scope = globalThis as unknown as SupervisorScope;

scope.addEventListener(
  'message',
  (event) => {
    const { control, locks, ports, words } = event.data as WebSupervisorData;
    const c = new Int32Array(control);
    const set = (slot: number, state: number): void => {
      Atomics.store(c, words.states[slot]!, state);
      Atomics.add(c, words.signal, 1);
      Atomics.notify(c, words.signal);
    };
    ports.forEach((port, slot) => {
      port.onmessage = () => {
        port.onmessage = null;
        scope.navigator.locks.request(locks[slot]!, () => set(slot, words.dead)).catch(() => set(slot, words.dead));
        set(slot, words.ready);
      };
    });
  },
  { once: true },
);
