import { BackendError } from '@scratchnet/backend';
import type { Job } from '../kernels/jobs.js';
import {
  CANCEL,
  controlLayout,
  controlViews,
  DEAD,
  doneWord,
  endWord,
  faultWord,
  JOB_SEQ,
  READY,
  RESULT_ERROR,
  resultWord,
  SIGNAL,
  startWord,
  stateWord,
  SUPERVISOR_STATE,
  type ControlViews,
} from './control-block.js';
import { FAULT_CODES, type FaultKind } from './faults.js';
import { writeJob } from './job-codec.js';
import type { WorkerData } from './messages.js';
import { pieceUnits, runInPieces } from './pieces.js';

/** What a pool is started with. */
export interface PoolOptions {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** Worker threads (the calling thread computes too). */
  workers: number;
  /** Bytes of scratch each worker needs. */
  scratchBytes: number;
  /** Blocks of the backend's memory for the pool's control block and its workers' scratch. */
  allocate(bytes: number, what: string): number;
  free(address: number): void;
  /** Polls before sleeping: a worker waiting for its next job, the caller waiting for the workers. */
  workerSpins: number;
  callerSpins: number;
}

/** Worker threads that run jobs' ranges beside the calling thread. */
export interface ThreadPool {
  /** True once a worker has died (or could not start): the owner must replace the pool. */
  readonly broken: boolean;
  /**
   * Runs `ranges[0]` here (through `runHere`) and `ranges[i]` on worker i - 1; returns when all
   * are done, or throws a BackendError naming `op` when a thread fails or dies.
   */
  run(job: Job, ranges: ReadonlyArray<readonly [number, number]>, runHere: (start: number, end: number) => void, op: string): void;
  /** Resolves once every worker is ready (or the pool is broken); ops before that may run on the calling thread alone. */
  ready(): Promise<void>;
  /** Test hook: makes worker `slot` (0-based) fail as `kind` says. */
  injectFault(slot: number, kind: FaultKind): void;
  /** Ends every thread. Idempotent. */
  terminate(): void;
}

/**
 * The caller never sleeps longer than this without re-reading the control block. Every state
 * change is also notified, so this only bounds how late a missed wake-up could be noticed.
 */
export const SLICE_MS = 100;

/**
 * What every pool shares whatever its threads are (Node's worker_threads, a browser's Web
 * Workers): the control block in the backend's memory, and the protocol over it. The calling
 * thread writes a job, runs the first range itself and waits in `Atomics.wait` for the workers'
 * completion words; a failure or death seen in the block cancels the job for the other threads.
 * Subclasses start the threads and explain deaths and errors.
 */
export abstract class SharedPool implements ThreadPool {
  readonly size: number;
  protected readonly views: ControlViews;
  /** Byte addresses of the pool's control block and its workers' scratch. */
  protected readonly control: number;
  protected readonly scratch: number;
  protected readonly controlWords: number;
  readonly #callerSpins: number;
  #ready = false;
  #seq = 0;
  protected isBroken = false;

  constructor(options: PoolOptions) {
    this.size = options.workers;
    this.#callerSpins = options.callerSpins;
    const layout = controlLayout(0, options.workers);
    this.control = options.allocate(layout.bytes, 'thread control block');
    this.scratch = options.allocate(options.scratchBytes * options.workers, 'worker scratch');
    const at = controlLayout(this.control, options.workers);
    this.controlWords = at.words;
    this.views = controlViews(options.memory.buffer, at);
    // A reused block holds old words: start from zero.
    this.views.words.fill(0);
  }

  /** What worker `slot` is started with (its `port` is the subclass's business). */
  protected workerData(options: PoolOptions, slot: number, port: unknown): WorkerData {
    return {
      module: options.module,
      memory: options.memory,
      control: this.control,
      workers: options.workers,
      slot,
      scratch: this.scratch + slot * options.scratchBytes,
      spins: options.workerSpins,
      port,
    };
  }

  get broken(): boolean {
    if (!this.isBroken && this.#ready) {
      // A worker may also die between ops; then no op has to fail for it.
      const words = this.views.words;
      if (Atomics.load(words, SUPERVISOR_STATE) === DEAD) this.isBroken = true;
      for (let slot = 0; slot < this.size && !this.isBroken; slot++) {
        if (Atomics.load(words, stateWord(slot)) === DEAD) this.isBroken = true;
      }
    }
    return this.isBroken;
  }

  run(job: Job, ranges: ReadonlyArray<readonly [number, number]>, runHere: (start: number, end: number) => void, op: string): void {
    const piece = pieceUnits(job.cost, job.grain);
    const words = this.views.words;
    if (!this.#ready) this.#ready = this.awaitReady(op);
    // Not ready yet (a browser's workers start only once this thread yields), or a job too
    // large for the block: this thread computes it alone, with the same bits.
    if (!this.#ready || !writeJob(this.views, job, piece)) {
      runHere(0, job.units);
      return;
    }
    const seq = ++this.#seq;
    for (let slot = 0; slot < this.size; slot++) {
      const range = ranges[slot + 1];
      words[startWord(slot)] = range?.[0] ?? 0;
      words[endWord(slot)] = range?.[1] ?? 0;
    }
    Atomics.store(words, JOB_SEQ, seq);
    Atomics.notify(words, JOB_SEQ);
    let failure: BackendError | null = null;
    try {
      const [start, end] = ranges[0]!;
      runInPieces(runHere, start, end, piece, () => this.#failing(seq));
    } catch (error) {
      failure = new BackendError(`wasm backend: ${op} failed on the calling thread: ${String(error)}`, { cause: error });
    }
    // Even when this thread failed, the workers are still writing into the memory: wait for them.
    const workerFailure = this.#awaitDone(op, seq);
    if (workerFailure !== null) throw workerFailure;
    if (failure !== null) throw failure;
  }

  async ready(): Promise<void> {
    // Polled from the event loop: a browser's workers need this thread to yield before they start.
    while (!this.isBroken && !this.#startupSettled()) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  injectFault(slot: number, kind: FaultKind): void {
    const words = this.views.words;
    Atomics.store(words, faultWord(slot), FAULT_CODES[kind]);
    if (kind === 'exit-idle') Atomics.notify(words, JOB_SEQ);
  }

  abstract terminate(): void;

  /**
   * Called before the first job until it returns true: whether every worker is ready. May block
   * (Node's workers start on their own) or not (a browser's). Throws a BackendError naming `op`
   * when a worker could not start.
   */
  protected abstract awaitReady(op: string): boolean;
  /** Explains a dead worker. */
  protected abstract deathOf(slot: number): { detail: string; cause: Error };
  /** The error worker `slot` reported for job `seq`. */
  protected abstract taskError(slot: number, seq: number): Error;

  /** Whether every worker is READY (or one is DEAD, or the supervisor is), read without waiting. */
  #startupSettled(): boolean {
    const words = this.views.words;
    if (Atomics.load(words, SUPERVISOR_STATE) === DEAD) return true;
    for (let slot = 0; slot < this.size; slot++) {
      const state = Atomics.load(words, stateWord(slot));
      if (state === DEAD) return true;
      if (state !== READY) return false;
    }
    return true;
  }

  /**
   * Whether every worker is READY now; throws a BackendError naming `op` if one is DEAD (it
   * could not start). Marks the pool broken then.
   */
  protected readyNow(op: string): boolean {
    const words = this.views.words;
    let starting = 0;
    for (let slot = 0; slot < this.size; slot++) {
      const state = Atomics.load(words, stateWord(slot));
      if (state === DEAD) {
        this.isBroken = true;
        const { detail, cause } = this.deathOf(slot);
        throw new BackendError(`wasm backend: ${op}: worker ${slot + 1} of ${this.size} could not start: ${detail}`, { cause });
      }
      if (state !== READY) starting++;
    }
    return starting === 0;
  }

  /**
   * Whether job `seq` has already failed in a worker (an error, a death, the supervisor gone); if
   * so, cancels it, so that every thread still on it stops at its next piece.
   */
  #failing(seq: number): boolean {
    const words = this.views.words;
    let failed = Atomics.load(words, SUPERVISOR_STATE) === DEAD;
    for (let slot = 0; slot < this.size && !failed; slot++) {
      if (Atomics.load(words, doneWord(slot)) === seq) failed = Atomics.load(words, resultWord(slot)) === RESULT_ERROR;
      else failed = Atomics.load(words, stateWord(slot)) === DEAD;
    }
    if (failed) Atomics.store(words, CANCEL, seq);
    return failed;
  }

  /**
   * Waits until every worker has finished job `seq` or died, in slices, so that no failure can
   * leave the caller blocked. Returns the failure to throw, if any.
   */
  #awaitDone(op: string, seq: number): BackendError | null {
    const words = this.views.words;
    let spins = this.#callerSpins;
    for (;;) {
      // Read the signal word first: a change after this read makes the wait below return at once.
      const signalled = Atomics.load(words, SIGNAL);
      let pending = 0;
      for (let slot = 0; slot < this.size; slot++) {
        if (Atomics.load(words, doneWord(slot)) !== seq && Atomics.load(words, stateWord(slot)) !== DEAD) pending++;
      }
      if (pending === 0) break;
      if (Atomics.load(words, SUPERVISOR_STATE) === DEAD) break;
      // An error or death already seen cancels the job, so the others finish early.
      if (Atomics.load(words, CANCEL) !== seq) this.#failing(seq);
      if (spins-- > 0) continue;
      Atomics.wait(words, SIGNAL, signalled, SLICE_MS);
    }
    // A death outranks an error: it is the one that makes the pool unusable.
    for (let slot = 0; slot < this.size; slot++) {
      if (Atomics.load(words, doneWord(slot)) === seq) continue;
      this.isBroken = true;
      if (Atomics.load(words, stateWord(slot)) !== DEAD) {
        return new BackendError(`wasm backend: ${op} failed: the pool's supervisor thread exited, taking the workers with it`);
      }
      const { detail, cause } = this.deathOf(slot);
      return new BackendError(`wasm backend: ${op} failed: worker ${slot + 1} of ${this.size} died mid-job: ${detail}`, { cause });
    }
    for (let slot = 0; slot < this.size; slot++) {
      if (Atomics.load(words, resultWord(slot)) !== RESULT_ERROR) continue;
      const cause = this.taskError(slot, seq);
      return new BackendError(`wasm backend: ${op} failed in worker ${slot + 1} of ${this.size}: ${cause.message}`, { cause });
    }
    return null;
  }
}
