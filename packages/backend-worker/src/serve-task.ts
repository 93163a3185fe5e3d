import type { KernelTask } from '@scratchnet/backend-cpu';
import {
  CANCEL,
  claimRange,
  doneWord,
  RESULT_CANCELLED,
  RESULT_ERROR,
  RESULT_OK,
  resultWord,
  signal,
  type TaskMessage,
} from './control-block.js';
import { errorInfo, type ErrorInfo } from './error-info.js';
import { runInPieces } from './run-in-pieces.js';

export type RunKernel = (task: KernelTask, start: number, end: number) => void;

/**
 * Computes one task message's range in worker `slot` — unless the caller has claimed it first —
 * and publishes the outcome in the control block: result word, then done word, then a signal.
 * Node's and the browser's compute workers differ in how a message reaches them, not in this.
 *
 * `fault`, when armed (a test hook), runs instead of the kernel and fails as it likes; a throw is
 * reported like any kernel's, through `reportError`, before the done word says the task is over.
 */
export function serveTask(
  control: Int32Array,
  slot: number,
  message: TaskMessage,
  runKernel: RunKernel,
  fault: ((message: TaskMessage) => void) | null,
  reportError: (seq: number, error: ErrorInfo) => void,
): void {
  let result = RESULT_OK;
  const cancelled = (): boolean => Atomics.load(control, CANCEL) === message.seq;
  try {
    // A range this worker cannot claim was computed by the caller, which has moved on: skip it.
    if (claimRange(control, slot, message.seq)) {
      if (fault !== null) fault(message);
      else if (!runInPieces(runKernel, message.task as KernelTask, message.start, message.end, cancelled)) result = RESULT_CANCELLED;
    }
  } catch (error) {
    result = RESULT_ERROR;
    reportError(message.seq, errorInfo(error));
  }
  Atomics.store(control, resultWord(slot), result);
  Atomics.store(control, doneWord(slot), message.seq);
  signal(control);
}

/** Test hook: computes the first half of the message's range, so that a fault lands mid-kernel. */
export function runFirstHalf(message: TaskMessage, runKernel: RunKernel): void {
  const mid = message.start + Math.floor((message.end - message.start) / 2);
  runKernel(message.task as KernelTask, message.start, mid);
}
