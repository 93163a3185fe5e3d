import { parentPort, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { DEAD, READY, signal, stateWord, taskWord, type FaultKind, type FromWorker, type TaskMessage, type ToWorker } from './control-block.js';
import { errorInfo, type ErrorInfo } from './error-info.js';
import type { ChunkQueue } from './chunk-queue.js';
import { runFirstHalf, serveTask, type RunKernel, type RunKernelQueue } from './serve-task.js';

/** Data each compute worker is started with. */
export interface ComputeData {
  control: SharedArrayBuffer;
  slot: number;
  port: MessagePort;
  /** How long to poll for the next task before sleeping, in milliseconds. */
  spinMs: number;
}

/**
 * A compute worker: loads the cpu backend's range kernels, then takes chunks of each task it is handed.
 *
 * Between tasks it polls its task word for `data.spinMs` (see WORKER_SPIN_MS in node-pool.ts), then
 * sleeps in `Atomics.wait` on it rather than in its event loop: the caller posts the task on the
 * port, bumps the word and notifies, and the worker takes the message synchronously with
 * `receiveMessageOnPort` — no event-loop turn. `terminate()` interrupts the wait, and an
 * unref'd worker does not keep the process alive.
 */
export async function serveKernels(data: ComputeData): Promise<void> {
  const { slot, port } = data;
  const control = new Int32Array(data.control);
  const post = (message: FromWorker): void => port.postMessage(message);

  // Last words for exits that run our code (process.exit, an uncaught error). The supervisor
  // reports every exit, including those that do not (terminate, out of memory).
  process.on('exit', (code) => {
    post({ type: 'exit', code });
    Atomics.store(control, stateWord(slot), DEAD);
    signal(control);
  });

  let runKernel: RunKernel;
  let runKernelQueue: RunKernelQueue;
  try {
    // The very kernels the cpu backend runs, resolved as Node resolves any dependency.
    ({ runKernel, runKernelQueue } = await import('@scratchnet/backend-cpu'));
  } catch (error) {
    post({ type: 'startup-error', error: errorInfo(error) });
    process.exit(1);
  }

  // Task numbers start at 1 in a fresh pool. Fixed before announcing readiness: the first task
  // may be posted the moment the caller sees READY.
  let seen = 0;
  Atomics.store(control, stateWord(slot), READY);
  signal(control);

  let fault: Exclude<FaultKind, 'exit-idle' | 'stall'> | null = null;
  let stallGate: Int32Array | null = null;
  const reportError = (seq: number, error: ErrorInfo): void => post({ type: 'error', seq, error });
  for (;;) {
    let posted = Atomics.load(control, taskWord(slot));
    if (posted === seen) {
      posted = spinFor(control, taskWord(slot), seen, data.spinMs);
      if (posted === seen) {
        Atomics.wait(control, taskWord(slot), seen);
        continue;
      }
    }
    seen = posted;
    for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) {
      const message = m.message as ToWorker;
      if (message.type === 'fault') {
        if (message.kind === 'exit-idle') process.exit(71);
        if (message.kind === 'stall') stallGate = new Int32Array(message.gate!);
        else fault = message.kind;
        continue;
      }
      if (stallGate !== null) {
        Atomics.wait(stallGate, 0, 0);
        stallGate = null;
      }
      const armed = fault;
      const fail = armed === null ? null : (task: TaskMessage, queue: ChunkQueue) => misbehave(armed, task, queue, runKernel, slot);
      serveTask(control, slot, message, runKernelQueue, fail, reportError);
      fault = null;
    }
  }
}

/** Test hook: computes the first half of a chunk, then fails as `kind` says. */
function misbehave(kind: Exclude<FaultKind, 'exit-idle' | 'stall'>, message: TaskMessage, queue: ChunkQueue, runKernel: RunKernel, slot: number): void {
  runFirstHalf(message, queue, runKernel);
  switch (kind) {
    case 'throw':
      throw new Error(`fault injected into worker ${slot + 1}`);
    case 'exit':
      process.exit(70);
      break;
    case 'kill':
      // Die without running any code of ours on the way out, as after terminate() or running
      // out of heap: only the supervisor can tell.
      process.removeAllListeners('exit');
      parentPort?.postMessage({ type: 'kill-me' });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  }
}

/** Polls `control[index]` for up to `ms` milliseconds; returns its value (== `old` if unchanged). */
function spinFor(control: Int32Array, index: number, old: number, ms: number): number {
  const until = performance.now() + ms;
  let value = Atomics.load(control, index);
  while (value === old && performance.now() < until) value = Atomics.load(control, index);
  return value;
}
