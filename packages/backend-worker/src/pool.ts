import { BackendError } from '@scratchnet/backend';
import { runKernel, runKernelQueue, type KernelTask } from '@scratchnet/backend-cpu';
import type { ChunkPlan } from './chunk-plan.js';
import { ChunkQueue, openRegions } from './chunk-queue.js';
import {
  CANCEL,
  claimSlot,
  DEAD,
  doneWord,
  READY,
  RESULT_ERROR,
  resultWord,
  SIGNAL,
  stateWord,
  SUPERVISOR_STATE,
  type FaultKind,
  type ToWorker,
  nextSeq,
  openSlot,
} from './control-block.js';

/**
 * The caller never sleeps longer than this without re-reading the control block. Every state
 * change is also notified, so this is only a backstop; it bounds how long a missed wake-up could
 * delay noticing a death.
 */
export const SLICE_MS = 100;
/** Startup is ~50 ms here; a worker still not ready after this is reported as stuck. */
export const STARTUP_TIMEOUT_MS = 30_000;

/**
 * Compute workers sharing one control block (see control-block.ts) with the calling thread,
 * which takes chunks of every task too and blocks in `Atomics.wait` for workers still on theirs.
 * This is the protocol over the block — hand out chunks, close late workers out, await, cancel, explain
 * — whatever the threads are: subclasses start them (Node's worker_threads, a browser's Web
 * Workers), deliver messages to them and say how a worker died or what it threw.
 *
 * After a worker dies the pool is `broken`: its owner terminates it and starts a fresh one,
 * which is simpler and surer than patching a slot while its old thread may still be exiting.
 */
export abstract class Pool {
  readonly size: number;
  protected readonly control: Int32Array;
  /** When the threads were started: startup is bounded by STARTUP_TIMEOUT_MS from here. */
  protected readonly startedAt = performance.now();
  protected isBroken = false;
  #ready = false;
  #seq = 0;
  readonly #callerSpinMs: number;
  /** Per worker: 1 when the caller closed the current task to it (it had not started; it will skip the task). */
  readonly #closedOut: Uint8Array;
  /** Per worker: 1 while a fault is armed for its next task, which must then run there. */
  readonly #pinned: Uint8Array;

  /** `callerSpinMs`: how long the caller polls for the workers before sleeping. */
  constructor(size: number, control: Int32Array, callerSpinMs: number) {
    this.size = size;
    this.control = control;
    this.#callerSpinMs = callerSpinMs;
    this.#closedOut = new Uint8Array(size);
    this.#pinned = new Uint8Array(size);
  }

  /** True once a worker has died (or could not start): the owner must replace the pool. */
  get broken(): boolean {
    if (!this.isBroken && this.#ready) {
      // A worker may also die between ops; then no op has to fail for it.
      const control = this.control;
      if (Atomics.load(control, SUPERVISOR_STATE) === DEAD) this.isBroken = true;
      for (let slot = 0; slot < this.size && !this.isBroken; slot++) {
        if (Atomics.load(control, stateWord(slot)) === DEAD) this.isBroken = true;
      }
    }
    return this.isBroken;
  }

  /**
   * Runs `task`'s chunks (`plan`) here and on the workers, returning when all are done. Each
   * thread computes its own region in chunks, then takes chunks from the end of the others', so
   * a worker that is late (asleep, descheduled by the OS, its message still on its way) or slowed
   * mid-op does not hold the op up: the threads that have a core take its share. Once no chunk is
   * left, a worker that has not started is closed out of the task (see `claimSlot`) rather than
   * waited for. While the workers are still starting (a browser starts them only once this thread
   * yields) the whole task runs here, with the same bits. Throws a BackendError when a worker
   * throws, dies, or cannot start.
   */
  run(task: KernelTask, plan: ChunkPlan): void {
    const op = task.kernel;
    if (!this.#ready) this.#ready = this.awaitReady(op);
    if (!this.#ready) {
      runKernel(task, 0, task.units);
      return;
    }
    const seq = (this.#seq = nextSeq(this.#seq));
    const control = this.control;
    const closedOut = this.#closedOut;
    let posted = 0;
    let failure: BackendError | null = null;
    openRegions(control, plan);
    try {
      for (; posted < this.size; posted++) {
        const message: ToWorker = { type: 'task', seq, task, plan };
        closedOut[posted] = 0;
        openSlot(control, posted, seq);
        this.send(posted, message, seq);
      }
      runKernelQueue(task, new ChunkQueue(control, plan, 0, () => this.#failing(seq, posted)));
    } catch (error) {
      failure = new BackendError(`worker backend: ${op} failed on the calling thread: ${String(error)}`, { cause: error });
    }
    // Workers that have not joined yet need not: every chunk is taken. (A worker armed with a
    // fault must meet it, so its slot stays open.)
    for (let slot = 0; slot < posted; slot++) {
      if (this.#pinned[slot] === 0 && claimSlot(control, slot, seq)) closedOut[slot] = 1;
    }
    this.#pinned.fill(0, 0, posted);
    // Even when this thread failed, the workers that joined are still writing into the caller's
    // memory: wait for them before returning.
    const workerFailure = this.#awaitDone(op, seq, posted);
    if (workerFailure !== null) throw workerFailure;
    if (failure !== null) throw failure;
  }

  /** Test hook: makes worker `slot` fail during its next task (or at once, for `exit-idle`). */
  injectFault(slot: number, kind: FaultKind, gate?: SharedArrayBuffer): void {
    const message: ToWorker = gate === undefined ? { type: 'fault', kind } : { type: 'fault', kind, gate };
    // A fault that fails a task must meet one: the caller does not close that task to the worker.
    if (kind !== 'stall' && kind !== 'exit-idle') this.#pinned[slot] = 1;
    // Wake the worker to read an exit-idle now; a later task gets a later number.
    this.send(slot, message, kind === 'exit-idle' ? (this.#seq = nextSeq(this.#seq)) : null);
  }

  /**
   * Resolves once every worker is ready; rejects with a BackendError if one could not start, or
   * none did within STARTUP_TIMEOUT_MS. Polled from the event loop: a browser's workers need the
   * calling thread to yield before they start.
   */
  async ready(): Promise<void> {
    // Counted from here: before, the caller may not have yielded, and a browser's workers wait for that.
    const deadline = performance.now() + STARTUP_TIMEOUT_MS;
    for (;;) {
      if (this.#ready || (this.#ready = this.readyNow('ready', false))) return;
      if (performance.now() > deadline) {
        this.isBroken = true;
        throw new BackendError(`worker backend: ready: the workers did not all start within ${STARTUP_TIMEOUT_MS / 1000} s`);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Ends every thread of the pool. Idempotent. */
  abstract terminate(): void;

  /**
   * Hands `message` to worker `slot`. `wake` is a task number to publish in the slot's task word
   * (and notify) for a worker that sleeps on it, or null when the message need not wake it.
   */
  protected abstract send(slot: number, message: ToWorker, wake: number | null): void;
  /**
   * Called before the first task until it returns true: whether every worker is ready. May block
   * (Node's workers start on their own) or not (a browser's start only once the caller yields).
   * Throws a BackendError naming `op` when a worker could not start.
   */
  protected abstract awaitReady(op: string): boolean;
  /** Throws a BackendError naming `op` (and marks the pool broken) if the supervisor is gone: nobody would report a death. */
  protected abstract assertSupervisor(op: string): void;
  /** Explains a dead worker. */
  protected abstract deathOf(slot: number): { detail: string; cause: Error };
  /** The error worker `slot` threw in task `seq`. */
  protected abstract taskError(slot: number, seq: number): Error;

  /**
   * Whether every worker is READY now. Throws a BackendError naming `op` (and marks the pool
   * broken) if one is DEAD — it could not start — or, with `timeout`, if the workers are still
   * starting after STARTUP_TIMEOUT_MS. (A browser's workers cannot start while the caller runs
   * ops without yielding, however long that takes: its ops do not time out, `ready()` does.)
   */
  protected readyNow(op: string, timeout = true): boolean {
    const control = this.control;
    let starting = 0;
    for (let slot = 0; slot < this.size; slot++) {
      const state = Atomics.load(control, stateWord(slot));
      if (state === DEAD) {
        this.isBroken = true;
        const { detail, cause } = this.deathOf(slot);
        throw new BackendError(`worker backend: ${op}: worker ${slot + 1} of ${this.size} could not start: ${detail}`, { cause });
      }
      if (state !== READY) starting++;
    }
    if (starting > 0) this.assertSupervisor(op);
    if (starting > 0 && timeout && performance.now() - this.startedAt > STARTUP_TIMEOUT_MS) {
      this.isBroken = true;
      throw new BackendError(`worker backend: ${op}: ${starting} worker(s) did not start within ${STARTUP_TIMEOUT_MS / 1000} s`);
    }
    return starting === 0;
  }

  /**
   * Whether task `seq` has already failed in one of workers [0, count) (an error, a death, the
   * supervisor gone); if so, cancels it, so that every thread still on it stops at its next chunk.
   */
  #failing(seq: number, count: number): boolean {
    const control = this.control;
    let failed = Atomics.load(control, SUPERVISOR_STATE) === DEAD;
    for (let slot = 0; slot < count && !failed; slot++) {
      if (this.#closedOut[slot] === 1) continue;
      if (Atomics.load(control, doneWord(slot)) === seq) failed = Atomics.load(control, resultWord(slot)) === RESULT_ERROR;
      else failed = Atomics.load(control, stateWord(slot)) === DEAD;
    }
    if (failed) Atomics.store(control, CANCEL, seq);
    return failed;
  }

  /**
   * Waits until workers [0, count) have finished task `seq` or died, in slices, so that no
   * failure can leave the caller blocked; workers the caller closed out of the task are not
   * waited for. Returns the failure to throw, if any.
   */
  #awaitDone(op: string, seq: number, count: number): BackendError | null {
    const control = this.control;
    const closedOut = this.#closedOut;
    const spinUntil = performance.now() + this.#callerSpinMs;
    for (;;) {
      // Read the signal word first: a change after this read makes the wait below return.
      const signalled = Atomics.load(control, SIGNAL);
      let pending = 0;
      for (let slot = 0; slot < count; slot++) {
        if (closedOut[slot] === 0 && Atomics.load(control, doneWord(slot)) !== seq && Atomics.load(control, stateWord(slot)) !== DEAD) pending++;
      }
      if (pending === 0) break;
      if (Atomics.load(control, SUPERVISOR_STATE) === DEAD) break;
      // An error or death already seen cancels the task, so the others finish early.
      if (Atomics.load(control, CANCEL) !== seq) this.#failing(seq, count);
      if (performance.now() < spinUntil) continue;
      Atomics.wait(control, SIGNAL, signalled, SLICE_MS);
    }
    // A death outranks an error: it is the one that makes the pool unusable.
    for (let slot = 0; slot < count; slot++) {
      if (closedOut[slot] === 1 || Atomics.load(control, doneWord(slot)) === seq) continue;
      this.isBroken = true;
      if (Atomics.load(control, stateWord(slot)) !== DEAD) {
        return new BackendError(`worker backend: ${op} failed: the pool's supervisor thread exited, taking the workers with it`);
      }
      const { detail, cause } = this.deathOf(slot);
      return new BackendError(`worker backend: ${op} failed: worker ${slot + 1} of ${this.size} died mid-task: ${detail}`, { cause });
    }
    for (let slot = 0; slot < count; slot++) {
      if (closedOut[slot] === 1 || Atomics.load(control, resultWord(slot)) !== RESULT_ERROR) continue;
      const cause = this.taskError(slot, seq);
      return new BackendError(`worker backend: ${op} failed in worker ${slot + 1} of ${this.size}: ${cause.message}`, { cause });
    }
    return null;
  }
}
