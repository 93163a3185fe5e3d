import { WasmBackend } from '@scratchnet/backend-wasm';
import { isShared, trainStep } from './mlp-step.js';
import type { StepReply, StepRequest } from './step-worker.js';

/** Longest a request to the step worker may take: a hung op fails the test instead of hanging it. */
const WORKER_TIMEOUT_MS = 60_000;

/** The browser's Worker, typed here (the package is typed without the DOM library). */
interface PageWorker {
  onmessage: ((event: { data: StepReply }) => void) | null;
  onerror: ((event: { message: string }) => void) | null;
  postMessage(message: unknown): void;
  terminate(): void;
}
const Worker = (globalThis as unknown as { Worker: new (url: string) => PageWorker }).Worker;

/** What the test calls in the page (through Playwright's `evaluate`). */
const api = {
  isolated: () => (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
  /** The step on the page's main thread (one thread: the main thread may not block). */
  async onMainThread(): Promise<StepReply> {
    try {
      const backend = await WasmBackend.create();
      const weights = await trainStep(backend);
      return { ok: true, weights: [...weights], sharedMemory: isShared(backend.memory.buffer) };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    }
  },
  /** What `threads` > 1 does on the main thread: the error's name and message. */
  async threadsOnMainThread(threads: number): Promise<string> {
    try {
      (await WasmBackend.create({ threads })).dispose();
      return 'no error';
    } catch (error) {
      return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
  },
  /** The step inside a Web Worker, on `threads` threads. */
  inWorker(threads: number): Promise<StepReply> {
    return api.request({ threads });
  },
  /** A request to a fresh step worker, ended (and answered with an error) after WORKER_TIMEOUT_MS. */
  request(request: StepRequest): Promise<StepReply> {
    return new Promise((resolve) => {
      const worker = new Worker('./step-worker.js');
      const done = (reply: StepReply): void => {
        clearTimeout(timer);
        worker.terminate();
        resolve(reply);
      };
      // This page's thread never blocks, so it can always end a worker whose op hangs.
      const timer = setTimeout(() => done({ ok: false, error: `timed out: no answer within ${WORKER_TIMEOUT_MS / 1000} s` }), WORKER_TIMEOUT_MS);
      worker.onmessage = (event) => done(event.data);
      worker.onerror = (event) => done({ ok: false, error: `worker error: ${event.message}` });
      worker.postMessage(request);
    });
  },
};

(globalThis as unknown as { scratchnetTest: typeof api }).scratchnetTest = api;
