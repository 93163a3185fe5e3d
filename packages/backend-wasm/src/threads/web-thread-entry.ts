import type { FromWorker, WorkerData } from './messages.js';
import { serveJobs } from './worker-loop.js';

// The script of a browser pool's Web Workers, bundled at build time into
// src/generated/web-thread-source.ts (scripts/build-web-thread.mjs) and started from a Blob URL.
// It waits for its WorkerData, then serves jobs until terminated.
const scope = globalThis as unknown as {
  postMessage(message: unknown): void;
  close(): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void, options?: { once: boolean }): void;
};
const lastWords: ((code: number) => void)[] = [];

function exit(code: number): never {
  for (const fn of lastWords) fn(code);
  scope.close();
  // close() lets the current task run on: stop it here.
  throw new Error(`scratchnet wasm thread exited with code ${code}`);
}

scope.addEventListener(
  'message',
  (event) => {
    serveJobs(event.data as WorkerData, {
      post: (message: FromWorker) => {
        // The owner is blocked while an op runs and reads no messages: the console keeps the details.
        if (message.type !== 'exit') console.error('scratchnet wasm thread:', message.error.name, message.error.message);
        scope.postMessage(message);
      },
      exit,
      killMe: () => exit(1),
      onExit: (fn) => lastWords.push(fn),
    });
  },
  { once: true },
);
