import { parentPort, receiveMessageOnPort } from 'node:worker_threads';
import type { KernelTask } from '@scratchnet/backend-cpu';
import {
  CANCEL,
  DEAD,
  doneWord,
  MAILBOX_SEQ,
  mailboxOf,
  mailboxTaskBase,
  postedWord,
  rangeEndWord,
  rangeStartWord,
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
import { numberAt, TaskDecoder } from './task-codec.js';

type RunKernel = (task: KernelTask, start: number, end: number) => void;
type TaskMessage = Extract<ToWorker, { type: 'task' }>;

/**
 * A compute worker: loads the cpu backend's range kernels, then runs the ranges it is handed.
 *
 * Between tasks it polls its task word for `data.spinMs` (see WORKER_SPIN_MS in pool.ts), then
 * sleeps in `Atomics.wait` on it rather than in its event loop: the caller writes the task into
 * the shared mailbox (task-codec.ts), bumps the word and notifies, and the worker reads the task
 * there — no event-loop turn, no message. What the mailbox cannot carry (definitions, faults,
 * oversized tasks) comes on the port, taken synchronously with `receiveMessageOnPort`.
 * `terminate()` interrupts the wait, and an unref'd worker does not keep the process alive.
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

  const mailbox = mailboxOf(data.control, data.workers);
  const taskBase = mailboxTaskBase(data.workers);
  const decoder = new TaskDecoder();
  let consumed = 0;
  let fault: FaultKind | null = null;

  // Allocation-free per task (with the decoder's cache): no garbage, so no collections between tasks.
  let current = 0;
  const cancelled = (): boolean => Atomics.load(control, CANCEL) === current;

  /** Runs units [start, end) of task `seq` (`message`'s, else the mailbox's) and reports the outcome. */
  const serve = (seq: number, message: TaskMessage | null, start: number, end: number): void => {
    let result = RESULT_OK;
    current = seq;
    try {
      const task = message === null ? decoder.read(mailbox, taskBase) : (message.task as KernelTask);
      if (fault !== null) misbehave(fault, task, start, end, runKernel, slot);
      else if (!runInPieces(runKernel, task, start, end, cancelled)) result = RESULT_CANCELLED;
    } catch (error) {
      result = RESULT_ERROR;
      post({ type: 'error', seq, error: errorInfo(error) });
    }
    fault = null;
    Atomics.store(control, resultWord(slot), result);
    Atomics.store(control, doneWord(slot), seq);
    signal(control);
  };

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
    // Messages first: definitions a mailbox task refers to, faults, tasks too large for it.
    const messages = Atomics.load(control, postedWord(slot));
    while (consumed !== messages) {
      const m = receiveMessageOnPort(port);
      // Posted messages are queued before their count is published, so this cannot happen;
      // if it did, waiting for the next task word would be the safe fallback.
      if (m === undefined) break;
      consumed++;
      const message = m.message as ToWorker;
      if (message.type === 'define') decoder.define(message.definitions);
      else if (message.type === 'fault') {
        if (message.kind === 'exit-idle') process.exit(71);
        fault = message.kind;
      } else serve(message.seq, message, message.start, message.end);
    }
    if (mailbox[MAILBOX_SEQ] === posted) {
      serve(posted, null, numberAt(mailbox, rangeStartWord(slot)), numberAt(mailbox, rangeEndWord(slot)));
    }
  }
}

/** Test hook: computes the first half of the range, then fails as `kind` says. */
function misbehave(kind: FaultKind, task: KernelTask, start: number, end: number, runKernel: RunKernel, slot: number): void {
  const mid = start + Math.floor((end - start) / 2);
  runKernel(task, start, mid);
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

/** Loads of the task word between clock readings while polling (~1 µs of loads). */
const POLLS_PER_CLOCK = 256;

/**
 * Polls `control[index]` for up to `ms` milliseconds; returns its value (== `old` if unchanged).
 * The clock is read once per `POLLS_PER_CLOCK` loads: each `performance.now()` allocates its
 * result, and reading it on every load made a polling worker collect garbage every ~100 ms.
 */
function spinFor(control: Int32Array, index: number, old: number, ms: number): number {
  const until = performance.now() + ms;
  for (;;) {
    for (let i = 0; i < POLLS_PER_CLOCK; i++) {
      const value = Atomics.load(control, index);
      if (value !== old) return value;
    }
    if (performance.now() >= until) return old;
  }
}
