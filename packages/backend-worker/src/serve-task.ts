import type { KernelTask, RangeQueue } from '@scratchnet/backend-cpu';
import { ChunkQueue } from './chunk-queue.js';
import {
  CANCEL,
  claimSlot,
  doneWord,
  RESULT_CANCELLED,
  RESULT_ERROR,
  RESULT_OK,
  resultWord,
  signal,
  type TaskMessage,
} from './control-block.js';
import { errorInfo, type ErrorInfo } from './error-info.js';

export type RunKernel = (task: KernelTask, start: number, end: number) => void;
export type RunKernelQueue = (task: KernelTask, queue: RangeQueue) => void;

/**
 * Takes chunks of one task in worker `slot` until none is left — unless the caller has closed
 * the slot to it first — and publishes the outcome in the control block: result word, then done
 * word, then a signal.
 * Node's and the browser's compute workers differ in how a message reaches them, not in this.
 *
 * `fault`, when armed (a test hook), runs instead of the kernel and fails as it likes; a throw is
 * reported like any kernel's, through `reportError`, before the done word says the task is over.
 */
export function serveTask(
  control: Int32Array,
  slot: number,
  message: TaskMessage,
  runKernelQueue: RunKernelQueue,
  fault: ((message: TaskMessage, queue: ChunkQueue) => void) | null,
  reportError: (seq: number, error: ErrorInfo) => void,
): void {
  let result = RESULT_OK;
  const cancelled = (): boolean => Atomics.load(control, CANCEL) === message.seq;
  try {
    // A slot this worker cannot claim was closed by the caller, which has moved on: skip the task.
    if (claimSlot(control, slot, message.seq)) {
      const queue = new ChunkQueue(control, message.plan, slot + 1, cancelled);
      if (fault !== null) fault(message, queue);
      else runKernelQueue(message.task as KernelTask, queue);
      if (queue.stopped) result = RESULT_CANCELLED;
    }
  } catch (error) {
    result = RESULT_ERROR;
    reportError(message.seq, errorInfo(error));
  }
  Atomics.store(control, resultWord(slot), result);
  Atomics.store(control, doneWord(slot), message.seq);
  signal(control);
}

/** Test hook: computes the first half of a chunk, if one is left, so that a fault lands mid-kernel. */
export function runFirstHalf(message: TaskMessage, queue: ChunkQueue, runKernel: RunKernel): void {
  if (!queue.next()) return;
  const mid = queue.start + Math.floor((queue.end - queue.start) / 2);
  runKernel(message.task as KernelTask, queue.start, mid);
}
