import { runKernel, runKernelQueue } from '@scratchnet/backend-cpu';
import { ChunkQueue } from './chunk-queue.js';
import { CANCEL, claimSlot, type FaultKind, type ToWorker } from './control-block.js';
import { writeErrorText } from './error-text.js';
import { runFirstHalf, serveTask } from './serve-task.js';
import type { FromWebCompute, WebComputeData } from './web-messages.js';

// The script of a browser pool's compute Web Workers, bundled with the cpu kernels at build time
// into src/generated/web-worker-sources.ts (scripts/build-web-workers.mjs) and started by the
// pool's supervisor from a Blob URL. Unlike Node's workers it waits for tasks in its event loop:
// a browser has no receiveMessageOnPort, so a worker asleep in Atomics.wait could not read the
// task message. Its first message (from the supervisor) is its WebComputeData; the caller's
// ToWorker messages then arrive on the port in it.

interface WorkerScope {
  close(): void;
  postMessage(message: FromWebCompute): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void, options?: { once: boolean }): void;
  navigator: { locks: { request(name: string, callback: () => Promise<void>): Promise<void> } };
}
const scope = globalThis as unknown as WorkerScope;

scope.addEventListener('message', (event) => serve(event.data as WebComputeData), { once: true });

function serve(data: WebComputeData): void {
  const { slot } = data;
  const control = new Int32Array(data.control);
  const errors = new Uint16Array(data.errors);
  let fault: Exclude<FaultKind, 'exit-idle' | 'stall'> | null = null;
  let stallGate: Int32Array | null = null;

  data.port.onmessage = (event) => {
    const message = event.data as ToWorker;
    if (message.type === 'fault') {
      if (message.kind === 'exit-idle') scope.close();
      else if (message.kind === 'stall') stallGate = new Int32Array(message.gate!);
      else fault = message.kind;
      return;
    }
    if (stallGate !== null) {
      Atomics.wait(stallGate, 0, 0);
      stallGate = null;
    }
    const armed = fault;
    fault = null;
    if (armed === 'exit' || armed === 'kill') {
      // Test hooks: end mid-kernel, saying nothing. 'exit': close() ends the worker once this task
      // returns. 'kill': the supervisor terminates it from outside, while it waits here (a browser
      // forces the end of a thread that does not yield). Only the released lock tells.
      if (claimSlot(control, slot, message.seq)) {
        runFirstHalf(message, new ChunkQueue(control, message.plan, slot + 1, () => Atomics.load(control, CANCEL) === message.seq), runKernel);
      }
      if (armed === 'exit') scope.close();
      else {
        scope.postMessage({ type: 'kill-me' });
        for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
      }
      return;
    }
    const misbehave =
      armed === 'throw'
        ? (task: typeof message, queue: ChunkQueue) => {
            runFirstHalf(task, queue, runKernel);
            throw new Error(`fault injected into worker ${slot + 1}`);
          }
        : null;
    serveTask(control, slot, message, runKernelQueue, misbehave, (_seq, error) => {
      writeErrorText(errors, slot, error);
      console.error(`scratchnet worker ${slot + 1}:`, error.name, error.message);
    });
  };

  // Held until this worker ends, however it ends: a browser releases an ended context's locks,
  // and the supervisor, queued behind this worker for the same lock, then learns of the end.
  scope.navigator.locks
    .request(data.lock, () => {
      scope.postMessage({ type: 'held' });
      return new Promise<void>(() => undefined);
    })
    .catch((error: unknown) => scope.postMessage({ type: 'no-lock', message: String(error) }));
}
