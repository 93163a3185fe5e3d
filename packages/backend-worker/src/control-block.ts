import type { ChunkPlan } from './chunk-plan.js';
import type { ErrorInfo } from './error-info.js';

/**
 * The words the calling thread, the supervisor and the compute workers share, as one Int32Array
 * over a SharedArrayBuffer. Ops are synchronous, so the calling thread cannot take events while a
 * kernel runs: dispatch, completion, readiness and death all travel through these words and
 * `Atomics.wait`/`notify`, never through the event loop.
 *
 * Layout: a header, then one slot of `SLOT_WORDS` words per compute worker.
 */

/** Bumped (and notified) on every completion, readiness change or death: what the caller waits on. */
export const SIGNAL = 0;
/** `DEAD` once the supervisor thread has exited (0 before). */
export const SUPERVISOR_STATE = 1;
/** Sequence number of a task that has failed somewhere: threads still on it stop between chunks. */
export const CANCEL = 2;
/** The calling thread's region of the current task (see `regionWord`). */
const CALLER_REGION = 3;
export const HEADER_WORDS = 4;

/** Sequence number of the latest task posted to the worker; the worker waits on this word. */
const TASK = 0;
/** Sequence number of the latest task the worker finished (successfully or not). */
const DONE = 1;
/** The worker's state: `STARTING`, `READY` or `DEAD`. */
const STATE = 2;
/** Outcome of the task numbered in DONE: `RESULT_OK`, `RESULT_ERROR` (details on the port) or `RESULT_CANCELLED`. */
const RESULT = 3;
/** Whether the worker joins the latest task, or the caller has closed it to it: see `claimSlot`. */
const CLAIM = 4;
/** The worker's region of the current task (see `regionWord`). */
const REGION = 5;
export const SLOT_WORDS = 6;

/** Spawned, still loading the kernels. */
export const STARTING = 0;
/** Waiting for tasks. */
export const READY = 1;
/** The thread is gone (exited, crashed, terminated, out of memory, or failed to load). */
export const DEAD = 2;

export const RESULT_OK = 0;
export const RESULT_ERROR = 1;
/** Stopped early because the task was cancelled (it failed in another thread). */
export const RESULT_CANCELLED = 2;

export function controlBytes(workers: number): number {
  return Int32Array.BYTES_PER_ELEMENT * (HEADER_WORDS + workers * SLOT_WORDS);
}

export const taskWord = (slot: number): number => HEADER_WORDS + slot * SLOT_WORDS + TASK;
export const doneWord = (slot: number): number => HEADER_WORDS + slot * SLOT_WORDS + DONE;
export const stateWord = (slot: number): number => HEADER_WORDS + slot * SLOT_WORDS + STATE;
export const resultWord = (slot: number): number => HEADER_WORDS + slot * SLOT_WORDS + RESULT;
export const claimWord = (slot: number): number => HEADER_WORDS + slot * SLOT_WORDS + CLAIM;
/**
 * The word holding what is left of thread `thread`'s region of the current task (thread 0 is the
 * caller, thread `slot + 1` worker `slot`): blocks [front, back) of the region, as
 * `front | back << 16` (see ChunkQueue).
 */
export const regionWord = (thread: number): number => (thread === 0 ? CALLER_REGION : HEADER_WORDS + (thread - 1) * SLOT_WORDS + REGION);

/**
 * The task number after `seq`. Task numbers run from 1 to 2^31 - 1 and then start again at 1, so
 * that they survive the trip through an Int32Array word unchanged, and `-seq` is never a task
 * number (claims rely on that).
 */
export function nextSeq(seq: number): number {
  return seq >= 0x7fffffff ? 1 : seq + 1;
}

/**
 * Before task `seq` is posted to worker `slot`, the caller opens the slot for it: the claim word
 * holds `-seq`.
 */
export function openSlot(control: Int32Array, slot: number, seq: number): void {
  Atomics.store(control, claimWord(slot), -seq);
}

/**
 * Settles whether worker `slot` joins task `seq`, for whichever thread asks first: the worker
 * when it takes the task (then it takes chunks, and the caller waits for it), or the caller when
 * no chunk is left and the worker has not started (it was asleep, or descheduled; then the
 * caller does not wait for it). Exactly one of them gets true. A worker that reads a task the
 * caller has already finished without it finds the slot claimed and skips the task, whatever
 * tasks came after.
 */
export function claimSlot(control: Int32Array, slot: number, seq: number): boolean {
  return Atomics.compareExchange(control, claimWord(slot), -seq, seq) === -seq;
}

/** Wakes the calling thread to re-examine the block. */
export function signal(control: Int32Array): void {
  Atomics.add(control, SIGNAL, 1);
  Atomics.notify(control, SIGNAL);
}

/** Messages from the calling thread to one compute worker, on their private channel. */
export type ToWorker =
  | { type: 'task'; seq: number; task: unknown; plan: ChunkPlan }
  /** Test hook: misbehave during the next task (see `FaultKind`). */
  | { type: 'fault'; kind: FaultKind; gate?: SharedArrayBuffer };

/** Task number `seq` for one worker: it takes chunks of `plan` with the other threads. */
export type TaskMessage = Extract<ToWorker, { type: 'task' }>;

/** Messages from a compute worker back to the calling thread, read when its words say so. */
export type FromWorker =
  | { type: 'error'; seq: number; error: ErrorInfo }
  | { type: 'startup-error'; error: ErrorInfo }
  | { type: 'exit'; code: number };

/** What the supervisor reports about each compute worker it watches. */
export type FromSupervisor = { type: 'exit'; slot: number; code: number; error: ErrorInfo | undefined };

/**
 * Faults a test can inject into a worker. Into its next task, after it has computed half of a
 * chunk (if one was left for it): `throw` (the kernel throws), `exit` (`process.exit` mid-kernel;
 * in a browser, `close()`), `kill` (the thread is terminated from outside, by the supervisor, so
 * no code of its own runs on the way out). Or at once, between ops: `exit-idle`. Or `stall`: the
 * worker does not look at its next task until word 0 of the `gate` buffer is non-zero, as a
 * thread the OS has not scheduled would not (the other threads compute every chunk).
 */
export type FaultKind = 'throw' | 'exit' | 'kill' | 'exit-idle' | 'stall';
