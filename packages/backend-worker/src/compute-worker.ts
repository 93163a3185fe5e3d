import { parentPort, receiveMessageOnPort } from 'node:worker_threads';
import type { KernelTask } from '@scratchnet/backend-cpu';
import {
  CANCEL,
  claimRange,
  DEAD,
  doneWord,
  READY,
  RESULT_CANCELLED,
  RESULT_ERROR,
  RESULT_OK,
  resultWord,
  signal,
  stateWord,
  taskWord,
  type ComputeData,
  type FaultKind,
  type FromWorker,
  type ToWorker,
} from './control-block.js';
import { errorInfo } from './error-info.js';
import { runInPieces } from './run-in-pieces.js';

type RunKernel = (task: KernelTask, start: number, end: number) => void;
type TaskMessage = Extract<ToWorker, { type: 'task' }>;

/**
 * A compute worker: loads the cpu backend's range kernels, then runs the ranges it is handed.
 *
 * Between tasks it polls its task word for `data.spinMs` (see WORKER_SPIN_MS in pool.ts), then
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
  try {
    // The very kernels the cpu backend runs, resolved as Node resolves any dependency.
    ({ runKernel } = await import('@scratchnet/backend-cpu'));
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
      let result = RESULT_OK;
      const task = message.task as KernelTask;
      const cancelled = (): boolean => Atomics.load(control, CANCEL) === message.seq;
      try {
        // A range this worker cannot claim was computed by the caller, which has moved on: skip it.
        if (claimRange(control, slot, message.seq)) {
          if (fault !== null) misbehave(fault, message, runKernel, slot);
          else if (!runInPieces(runKernel, task, message.start, message.end, cancelled)) result = RESULT_CANCELLED;
        }
      } catch (error) {
        result = RESULT_ERROR;
        post({ type: 'error', seq: message.seq, error: errorInfo(error) });
      }
      fault = null;
      Atomics.store(control, resultWord(slot), result);
      Atomics.store(control, doneWord(slot), message.seq);
      signal(control);
    }
  }
}

/** Test hook: computes the first half of the range, then fails as `kind` says. */
function misbehave(kind: Exclude<FaultKind, 'exit-idle' | 'stall'>, message: TaskMessage, runKernel: RunKernel, slot: number): void {
  const mid = message.start + Math.floor((message.end - message.start) / 2);
  runKernel(message.task as KernelTask, message.start, mid);
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
