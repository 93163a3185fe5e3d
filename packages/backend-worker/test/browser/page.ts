import { WorkerBackend } from '@scratchnet/backend-worker/browser';
import { runOps, trainStep } from './scenarios.js';
import type { StepReply, StepRequest } from './step-worker.js';

/** The browser's Worker, typed here (the package is typed without the DOM library). */
interface PageWorker {
  onmessage: ((event: { data: StepReply }) => void) | null;
  onerror: ((event: { message: string }) => void) | null;
  postMessage(message: unknown): void;
  terminate(): void;
}
const Worker = (globalThis as unknown as { Worker: new (url: string) => PageWorker }).Worker;

const describeError = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/** What the test calls in the page (through Playwright's `evaluate`). */
const api = {
  isolated: () => (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
  /** The backend on the page's main thread: the ops' and the step's bytes, or the error. */
  async onMainThread(threads: number): Promise<StepReply> {
    try {
      const backend = new WorkerBackend({ threads });
      const ops = runOps(backend);
      const weights = await trainStep(backend);
      backend.dispose();
      return { ok: true, ops: [...ops], weights: [...weights] };
    } catch (error) {
      return { ok: false, error: describeError(error) };
    }
  },
  /** A request to a fresh Web Worker (test/browser/step-worker.ts). */
  inWorker(request: StepRequest): Promise<StepReply> {
    return new Promise((resolve) => {
      const worker = new Worker('./step-worker.js');
      worker.onmessage = (event) => {
        worker.terminate();
        resolve(event.data);
      };
      worker.onerror = (event) => resolve({ ok: false, error: `worker error: ${event.message}` });
      worker.postMessage(request);
    });
  },
};

(globalThis as unknown as { scratchnetTest: typeof api }).scratchnetTest = api;
