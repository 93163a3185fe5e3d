import type { FromWorker } from './messages.js';
import { ThreadEnd } from './thread-end.js';
import { webLocks, type FromWebThread, type WebThreadStart } from './web-messages.js';
import { serveJobs } from './worker-loop.js';

// The script of a browser pool's Web Workers, bundled at build time into
// src/generated/web-thread-source.ts (scripts/build-web-thread.mjs) and started by the pool's
// supervisor from a Blob URL. It takes its Web Lock, waits until the supervisor watches it, then
// serves jobs until it ends.
const scope = globalThis as unknown as {
  postMessage(message: FromWebThread): void;
  close(): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void, options?: { once: boolean }): void;
};
const lastWords: ((code: number) => void)[] = [];

/** Ends this worker: close() lets the task run on, so unwind to the event loop (see ThreadEnd). */
function end(code: number): never {
  scope.close();
  throw new ThreadEnd(code);
}

function serve(start: WebThreadStart): void {
  try {
    serveJobs(start.data, {
      post: (message: FromWorker) => {
        // The owner is blocked while an op runs and reads no messages: the console keeps the details.
        if (message.type === 'error' || message.type === 'startup-error') console.error('scratchnet wasm thread:', message.error.name, message.error.message);
        scope.postMessage(message);
      },
      exit: (code) => {
        for (const fn of lastWords) fn(code);
        end(code);
      },
      killMe: () => {
        // The supervisor (this worker's parent) terminates it; a browser forces that on a thread
        // that never yields after a delay (2 s in Chromium).
        scope.postMessage({ type: 'kill-me' });
        for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
      },
      vanish: () => end(73),
      onExit: (fn) => lastWords.push(fn),
    });
  } catch (error) {
    if (!(error instanceof ThreadEnd)) throw error;
  }
}

scope.addEventListener(
  'message',
  (event) => {
    const start = event.data as WebThreadStart;
    const locks = webLocks();
    if (start.lock === null || locks === null) {
      serve(start);
      return;
    }
    // The lock is held until this worker ends however it ends: the browser releases the locks of
    // a closed, terminated or crashed worker, and the supervisor, waiting for the same lock, is
    // granted it then. The supervisor asks for it only after `holding`, so it cannot be granted
    // the lock first; this worker serves jobs (and reports READY) only once watched.
    locks
      .request(start.lock, () => {
        scope.addEventListener('message', () => serve(start), { once: true });
        scope.postMessage({ type: 'holding' });
        return new Promise<never>(() => undefined);
      })
      .catch((error: unknown) => {
        // No lock (an opaque origin refuses them): serve unwatched, as without Web Locks.
        scope.postMessage({ type: 'unwatched', message: String(error) });
        serve(start);
      });
  },
  { once: true },
);
