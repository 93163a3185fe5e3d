import { WasmBackend } from '@scratchnet/backend-wasm';
import { isShared, trainStep } from './mlp-step.js';
import type { StepReply } from './step-worker.js';

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
    return new Promise((resolve) => {
      const worker = new Worker('./step-worker.js');
      worker.onmessage = (event) => {
        worker.terminate();
        resolve(event.data);
      };
      worker.onerror = (event) => resolve({ ok: false, error: `worker error: ${event.message}` });
      worker.postMessage({ threads });
    });
  },
};

(globalThis as unknown as { scratchnetTest: typeof api }).scratchnetTest = api;
