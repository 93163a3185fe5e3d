/**
 * The words the calling thread, the supervisor and the workers share: a block inside the
 * backend's WebAssembly memory (each pool has its own), read and written with `Atomics` through
 * an Int32Array. Ops are synchronous, so the calling thread cannot take events while a kernel
 * runs: jobs, completion, readiness and death all travel through these words and
 * `Atomics.wait`/`notify`, never through `postMessage`.
 *
 * Layout (int32 words from the block's start): a 64-byte header, one 64-byte slot per worker (a
 * cache line each, so that workers reporting completion never share one), the job's numeric
 * arguments (float64), then the job's text (UTF-16 code units: a JavaScript job as JSON).
 */

/** Bumped and notified on every completion, readiness change or death: what the caller waits on. */
export const SIGNAL = 0;
/** DEAD once the supervisor thread has exited. */
export const SUPERVISOR_STATE = 1;
/** Number of a job that has failed somewhere: threads still on it stop between pieces. */
export const CANCEL = 2;
/** Number of the latest job; workers wait on this word. */
export const JOB_SEQ = 3;
/** JOB_WASM or JOB_JS. */
export const JOB_KIND = 4;
/** Index of the kernel in WASM_KERNELS or JS_KERNEL_NAMES. */
export const JOB_KERNEL = 5;
/** 1 for a float64 wasm job. */
export const JOB_F64 = 6;
/** Length of the job's text in code units. */
export const JOB_TEXT_LENGTH = 7;
/** Units per piece: how often a thread checks CANCEL. */
export const JOB_PIECE = 8;
const HEADER_WORDS = 16;

/** Per worker: its range of the current job, and what it reports. */
const START = 0;
const END = 1;
/** Number of the latest job the worker finished (successfully or not). */
const DONE = 2;
/** STARTING, READY or DEAD. */
const STATE = 3;
/** RESULT_OK, RESULT_ERROR (details on the worker's port) or RESULT_CANCELLED, for the job in DONE. */
const RESULT = 4;
/** Test hook: a FaultKind code the worker acts on (see faults.ts). */
const FAULT = 5;
/** How the worker's end was learnt, in a browser (ENDED_*): the first account written stays. */
const ENDED = 6;
/** The worker's exit code, when it ended through its own last words (ENDED_EXIT). */
const EXIT_CODE = 7;
const SLOT_WORDS = 16;

export const JOB_WASM = 0;
export const JOB_JS = 1;

export const STARTING = 0;
export const READY = 1;
export const DEAD = 2;

/** Its own last words (an exit that ran its code). */
export const ENDED_EXIT = 1;
/** Its Web Lock was released: the browser ended it (closed, terminated, crashed). */
export const ENDED_LOCK = 2;
/** An error event: it failed to load or threw outside a job. */
export const ENDED_ERROR = 3;

export const RESULT_OK = 0;
export const RESULT_ERROR = 1;
export const RESULT_CANCELLED = 2;

/** Float64 arguments of a wasm job. */
export const MAX_ARGS = 64;
/** Code units of a JavaScript job's JSON; a longer one runs on the calling thread alone. */
export const MAX_TEXT = 16384;

export const startWord = (slot: number): number => HEADER_WORDS + slot * SLOT_WORDS + START;
export const endWord = (slot: number): number => HEADER_WORDS + slot * SLOT_WORDS + END;
export const doneWord = (slot: number): number => HEADER_WORDS + slot * SLOT_WORDS + DONE;
export const stateWord = (slot: number): number => HEADER_WORDS + slot * SLOT_WORDS + STATE;
export const resultWord = (slot: number): number => HEADER_WORDS + slot * SLOT_WORDS + RESULT;
export const faultWord = (slot: number): number => HEADER_WORDS + slot * SLOT_WORDS + FAULT;
export const endedWord = (slot: number): number => HEADER_WORDS + slot * SLOT_WORDS + ENDED;
export const exitCodeWord = (slot: number): number => HEADER_WORDS + slot * SLOT_WORDS + EXIT_CODE;

/** Where each part of a pool's block lies, in bytes from the memory's start. */
export interface ControlLayout {
  /** Address of word 0. */
  readonly base: number;
  readonly words: number;
  /** Address of the float64 arguments. */
  readonly args: number;
  /** Address of the text. */
  readonly text: number;
  readonly bytes: number;
}

export function controlLayout(base: number, workers: number): ControlLayout {
  const words = HEADER_WORDS + workers * SLOT_WORDS;
  const args = base + words * 4;
  const text = args + MAX_ARGS * 8;
  return { base, words, args, text, bytes: text + MAX_TEXT * 2 - base };
}

/** The views of a block one thread works with (over the memory's buffer as it is now; shared, so they stay valid). */
export interface ControlViews {
  readonly words: Int32Array;
  readonly args: Float64Array;
  readonly text: Uint16Array;
}

export function controlViews(buffer: ArrayBufferLike, layout: ControlLayout): ControlViews {
  return {
    words: new Int32Array(buffer, layout.base, layout.words),
    args: new Float64Array(buffer, layout.args, MAX_ARGS),
    text: new Uint16Array(buffer, layout.text, MAX_TEXT),
  };
}

/**
 * Marks worker `slot` DEAD, recording how that was learnt (unless an earlier account was), and
 * wakes the calling thread.
 */
export function markDead(words: Int32Array, slot: number, ended: number): void {
  Atomics.compareExchange(words, endedWord(slot), 0, ended);
  Atomics.store(words, stateWord(slot), DEAD);
  signal(words);
}

/** Wakes the calling thread to re-examine the block. */
export function signal(words: Int32Array): void {
  Atomics.add(words, SIGNAL, 1);
  Atomics.notify(words, SIGNAL);
}
