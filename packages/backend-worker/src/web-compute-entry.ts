import { runKernel } from '@scratchnet/backend-cpu';
import { claimRange, type FaultKind, type ToWorker } from './control-block.js';
import { writeErrorText } from './error-text.js';
import { runFirstHalf, serveTask } from './serve-task.js';
import type { WebComputeData } from './web-messages.js';

// The script of a browser pool's compute Web Workers, bundled with the cpu kernels at build time
// into src/generated/web-worker-sources.ts (scripts/build-web-workers.mjs) and started from a
// Blob URL. Unlike Node's workers it waits for tasks in its event loop: a browser has no
// receiveMessageOnPort, so a worker asleep in Atomics.wait could not read the task message.
// Its first message is its WebComputeData; every later one a ToWorker.

interface WorkerScope {
  close(): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void, options?: { once: boolean }): void;
  navigator: { locks: { request(name: string, callback: () => Promise<void>): Promise<void> } };
}
const scope = globalThis as unknown as WorkerScope;

scope.addEventListener('message', (event) => serve(event.data as WebComputeData), { once: true });

function serve(data: WebComputeData): void {
  const { slot } = data;
  const control = new Int32Array(data.control);
  const errors = new Uint16Array(data.errors);
  let fault: Exclude<FaultKind, 'exit-idle' | 'stall' | 'kill'> | null = null;
  let stallGate: Int32Array | null = null;

  scope.addEventListener('message', (event) => {
    const message = event.data as ToWorker;
    if (message.type === 'fault') {
      if (message.kind === 'exit-idle') scope.close();
      else if (message.kind === 'stall') stallGate = new Int32Array(message.gate!);
      else if (message.kind !== 'kill') fault = message.kind;
      return;
    }
    if (stallGate !== null) {
      Atomics.wait(stallGate, 0, 0);
      stallGate = null;
    }
    const armed = fault;
    fault = null;
    if (armed === 'exit') {
      // Test hook: die mid-kernel, saying nothing: close() ends the worker once this task
      // returns, and only the supervisor, through the released lock, can tell.
      if (claimRange(control, slot, message.seq)) runFirstHalf(message, runKernel);
      scope.close();
      return;
    }
    const misbehave =
      armed === 'throw'
        ? (task: typeof message) => {
            runFirstHalf(task, runKernel);
            throw new Error(`fault injected into worker ${slot + 1}`);
          }
        : null;
    serveTask(control, slot, message, runKernel, misbehave, (_seq, error) => {
      writeErrorText(errors, slot, error);
      console.error(`scratchnet worker ${slot + 1}:`, error.name, error.message);
    });
  });

  // Held until this worker ends, however it ends: a browser releases a dead context's locks,
  // and the supervisor, queued behind this worker for the same lock, then learns of the death.
  scope.navigator.locks
    .request(data.lock, () => {
      data.supervisor.postMessage('held');
      return new Promise<void>(() => undefined);
    })
    .catch((error: unknown) => console.error(`scratchnet worker ${slot + 1}: could not take its lock:`, error));
}
