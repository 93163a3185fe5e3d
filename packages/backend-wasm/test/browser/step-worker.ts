import { WasmBackend } from '@scratchnet/backend-wasm';
import { isShared, trainStep } from './mlp-step.js';

/** The page's request: threads of the backend to train on, inside this Web Worker. */
export interface StepRequest {
  threads: number;
}

/** What the worker answers: the weights' bytes, and what shows the threads were real. */
export interface StepReply {
  ok: boolean;
  error?: string;
  weights?: number[];
  /** Web Workers this worker started (the backend's threads). */
  workersStarted?: number;
  /** The backend's memory is a SharedArrayBuffer. */
  sharedMemory?: boolean;
}

// Counts the Web Workers the backend starts, so the test sees that the threads really ran.
const NativeWorker = (globalThis as unknown as { Worker: new (...args: unknown[]) => object }).Worker;
let workersStarted = 0;
(globalThis as unknown as { Worker: unknown }).Worker = class extends NativeWorker {
  constructor(...args: unknown[]) {
    super(...args);
    workersStarted++;
  }
};

const scope = globalThis as unknown as { onmessage: (event: { data: StepRequest }) => void; postMessage(reply: StepReply): void };
scope.onmessage = async ({ data }) => {
  try {
    // inlineThreshold 0: every kernel call that can be split is split over the threads.
    const backend = await WasmBackend.create({ threads: data.threads, inlineThreshold: 0 });
    const weights = await trainStep(backend);
    const sharedMemory = isShared(backend.memory.buffer);
    backend.dispose();
    scope.postMessage({ ok: true, weights: [...weights], workersStarted, sharedMemory });
  } catch (error) {
    scope.postMessage({ ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  }
};
