import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { BackendError } from '@scratchnet/backend';
import { runKernel, type KernelTask } from '@scratchnet/backend-cpu';
import {
  CANCEL,
  claimRange,
  controlBytes,
  DEAD,
  doneWord,
  READY,
  RESULT_ERROR,
  resultWord,
  SIGNAL,
  stateWord,
  SUPERVISOR_STATE,
  taskWord,
  type FaultKind,
  type FromSupervisor,
  type FromWorker,
  type ToWorker,
  nextSeq,
  openRange,
} from './control-block.js';
import { toError, type ErrorInfo } from './error-info.js';
import { cleanEnvironment } from './clean-environment.js';
import { runInPieces } from './run-in-pieces.js';
import { SUPERVISOR_SOURCE, type SupervisorData } from './supervisor.js';

/**
 * The caller never sleeps longer than this without re-reading the control block. Every state
 * change is also notified, so this is only a backstop; it bounds how long a missed wake-up could
 * delay noticing a death.
 */
const SLICE_MS = 100;
/** Startup is ~50 ms here; a worker still not ready after this is reported as stuck. */
const STARTUP_TIMEOUT_MS = 30_000;
/**
 * Polling before sleeping. Waking a thread that sleeps in `Atomics.wait` costs 10-120 µs on the
 * development VMs (its idle core must be woken too), as much as a 30k-element kernel, and
 * milliseconds when other processes hold the cores. A worker polls for its next task this long
 * after each one (ops in a training step follow each other within microseconds), and the caller
 * polls this long for the workers to finish (they usually finish when it does). With more threads
 * than cores polling would steal the cores the others compute on, so then nobody polls. Measured
 * in bench/inline-threshold.mjs: with polling, a split relu pays off from 4k elements instead of
 * 32k.
 *
 * Polling alone is not stable (issue 15): once the caller has slept waiting for a late worker,
 * its own wake-up can outlast the worker's polling, so the worker sleeps before the next task and
 * is late again — every op then pays two wake-ups. `run` breaks that loop by computing a range
 * itself when its worker has not started on it (see `claimRange`).
 */
const WORKER_SPIN_MS = 0.5;
const CALLER_SPIN_MS = 0.2;
/** How long to wait for the supervisor's account of a death the worker announced itself. */
const REPORT_GRACE_MS = 500;

/** What has been heard from or about one worker (drained from the ports). */
interface SlotNews {
  startupError?: ErrorInfo;
  exitCode?: number;
  supervisorReport?: FromSupervisor;
  taskErrors: Map<number, ErrorInfo>;
}

/**
 * `size` compute workers plus the supervisor that watches them, all sharing one control block
 * (see control-block.ts). The calling thread runs the first range of every task itself and
 * blocks in `Atomics.wait` for the rest.
 *
 * After a worker dies the pool is `broken`: its owner terminates it and starts a fresh one,
 * which is simpler and surer than patching a slot while its old thread may still be exiting.
 */
export class Pool {
  readonly size: number;
  readonly #control: Int32Array;
  readonly #supervisor: Worker;
  readonly #ports: MessagePort[];
  readonly #reports: MessagePort;
  readonly #news: SlotNews[];
  #ready = false;
  #seq = 0;
  #broken = false;
  readonly #callerSpinMs: number;
  /** Per worker: 1 when the caller computed the range it was handed in the current task. */
  readonly #taken: Uint8Array;
  /** Per worker: 1 while a fault is armed for its next task, which must then run there. */
  readonly #pinned: Uint8Array;

  /** `spin`: whether threads poll before sleeping (see WORKER_SPIN_MS). */
  constructor(entry: URL, size: number, spin: boolean) {
    this.size = size;
    this.#callerSpinMs = spin ? CALLER_SPIN_MS : 0;
    this.#taken = new Uint8Array(size);
    this.#pinned = new Uint8Array(size);
    const sab = new SharedArrayBuffer(controlBytes(size));
    this.#control = new Int32Array(sab);
    const channels = Array.from({ length: size }, () => new MessageChannel());
    const reports = new MessageChannel();
    this.#ports = channels.map((c) => c.port1);
    this.#reports = reports.port1;
    this.#news = channels.map(() => ({ taskErrors: new Map() }));
    // The caller only ever reads these ports synchronously; they must not keep the process alive.
    for (const port of [...this.#ports, this.#reports]) port.unref();
    const data: SupervisorData = {
      control: sab,
      entry: entry.href,
      ports: channels.map((c) => c.port2),
      reportPort: reports.port2,
      words: {
        signal: SIGNAL,
        supervisorState: SUPERVISOR_STATE,
        states: channels.map((_, slot) => stateWord(slot)),
        dead: DEAD,
      },
      spinMs: spin ? WORKER_SPIN_MS : 0,
    };
    this.#supervisor = new Worker(SUPERVISOR_SOURCE, {
      eval: true,
      // No flags, no NODE_OPTIONS; the workers the supervisor starts inherit both.
      ...cleanEnvironment(process.env),
      workerData: data,
      transferList: [...data.ports, data.reportPort],
    });
    // An idle pool never keeps the process alive; exits are learnt through the control block.
    this.#supervisor.unref();
    this.#supervisor.on('error', () => undefined);
  }

  /** True once a worker has died (or could not start): the owner must replace the pool. */
  get broken(): boolean {
    if (!this.#broken && this.#ready) {
      // A worker may also die between ops; then no op has to fail for it.
      const control = this.#control;
      if (Atomics.load(control, SUPERVISOR_STATE) === DEAD) this.#broken = true;
      for (let slot = 0; slot < this.size && !this.#broken; slot++) {
        if (Atomics.load(control, stateWord(slot)) === DEAD) this.#broken = true;
      }
    }
    return this.#broken;
  }

  /**
   * Runs `ranges[0]` of `task` here and `ranges[i]` on worker `i - 1`, returning when all are
   * done. A worker that has not started its range by the time this thread has finished its own
   * (it was asleep, or the OS ran something else on its core) does not hold the op up: this
   * thread claims that range and computes it too (see `claimRange`). Throws a BackendError when
   * a worker throws, dies, or cannot start.
   */
  run(task: KernelTask, ranges: ReadonlyArray<readonly [number, number]>): void {
    const op = task.kernel;
    this.#awaitReady(op);
    const seq = (this.#seq = nextSeq(this.#seq));
    const control = this.#control;
    const taken = this.#taken;
    let posted = 0;
    let failure: BackendError | null = null;
    const failing = () => this.#failing(seq, posted);
    try {
      for (; posted < ranges.length - 1; posted++) {
        const [start, end] = ranges[posted + 1]!;
        const message: ToWorker = { type: 'task', seq, task, start, end };
        taken[posted] = 0;
        openRange(control, posted, seq);
        this.#ports[posted]!.postMessage(message);
        Atomics.store(control, taskWord(posted), seq);
        Atomics.notify(control, taskWord(posted));
      }
      const [start, end] = ranges[0]!;
      if (runInPieces(runKernel, task, start, end, failing)) {
        for (let slot = 0; slot < posted; slot++) {
          if (this.#pinned[slot] === 1 || !claimRange(control, slot, seq)) continue;
          taken[slot] = 1;
          const [from, to] = ranges[slot + 1]!;
          if (!runInPieces(runKernel, task, from, to, failing)) break;
        }
      }
    } catch (error) {
      failure = new BackendError(`worker backend: ${op} failed on the calling thread: ${String(error)}`, { cause: error });
    }
    this.#pinned.fill(0, 0, posted);
    // Even when this thread failed, the workers already handed a range are still writing into
    // the caller's memory: wait for them before returning.
    const workerFailure = this.#awaitDone(op, seq, posted);
    if (workerFailure !== null) throw workerFailure;
    if (failure !== null) throw failure;
  }

  /** Test hook: makes worker `slot` fail during its next task (or at once, for `exit-idle`). */
  injectFault(slot: number, kind: FaultKind, gate?: SharedArrayBuffer): void {
    const message: ToWorker = gate === undefined ? { type: 'fault', kind } : { type: 'fault', kind, gate };
    this.#ports[slot]!.postMessage(message);
    // A fault that fails a task must meet one: the caller leaves that range to the worker.
    if (kind !== 'stall' && kind !== 'exit-idle') this.#pinned[slot] = 1;
    if (kind === 'exit-idle') {
      // Wake the worker to read it now; a later task gets a later number.
      this.#seq = nextSeq(this.#seq);
      Atomics.store(this.#control, taskWord(slot), this.#seq);
      Atomics.notify(this.#control, taskWord(slot));
    }
  }

  /**
   * Whether task `seq` has already failed in one of workers [0, count) (an error, a death, the
   * supervisor gone); if so, cancels it, so that every thread still on it stops at its next piece.
   */
  #failing(seq: number, count: number): boolean {
    const control = this.#control;
    let failed = Atomics.load(control, SUPERVISOR_STATE) === DEAD;
    for (let slot = 0; slot < count && !failed; slot++) {
      if (this.#taken[slot] === 1) continue;
      if (Atomics.load(control, doneWord(slot)) === seq) failed = Atomics.load(control, resultWord(slot)) === RESULT_ERROR;
      else failed = Atomics.load(control, stateWord(slot)) === DEAD;
    }
    if (failed) Atomics.store(control, CANCEL, seq);
    return failed;
  }

  /** Ends every thread of the pool. Idempotent. */
  terminate(): void {
    this.#broken = true;
    // Terminating the supervisor ends the workers it started.
    this.#supervisor.terminate().catch(() => undefined);
    for (const port of [...this.#ports, this.#reports]) port.close();
  }

  /** Blocks until every worker has loaded the kernels (only the first task waits). */
  #awaitReady(op: string): void {
    if (this.#ready) return;
    const control = this.#control;
    const deadline = performance.now() + STARTUP_TIMEOUT_MS;
    for (;;) {
      const signalled = Atomics.load(control, SIGNAL);
      let starting = 0;
      for (let slot = 0; slot < this.size; slot++) {
        const state = Atomics.load(control, stateWord(slot));
        if (state === DEAD) {
          this.#broken = true;
          const { detail, cause } = this.#deathOf(slot);
          throw new BackendError(`worker backend: ${op}: worker ${slot + 1} of ${this.size} could not start: ${detail}`, { cause });
        }
        if (state !== READY) starting++;
      }
      if (starting === 0) break;
      this.#assertSupervisor(op);
      if (performance.now() > deadline) {
        this.#broken = true;
        throw new BackendError(`worker backend: ${op}: ${starting} worker(s) did not start within ${STARTUP_TIMEOUT_MS / 1000} s`);
      }
      Atomics.wait(control, SIGNAL, signalled, SLICE_MS);
    }
    this.#ready = true;
  }

  /**
   * Waits until workers [0, count) have finished task `seq` or died, in slices, so that no
   * failure can leave the caller blocked; ranges the caller took over are not waited for.
   * Returns the failure to throw, if any.
   */
  #awaitDone(op: string, seq: number, count: number): BackendError | null {
    const control = this.#control;
    const taken = this.#taken;
    const spinUntil = performance.now() + this.#callerSpinMs;
    for (;;) {
      // Read the signal word first: a change after this read makes the wait below return.
      const signalled = Atomics.load(control, SIGNAL);
      let pending = 0;
      for (let slot = 0; slot < count; slot++) {
        if (taken[slot] === 0 && Atomics.load(control, doneWord(slot)) !== seq && Atomics.load(control, stateWord(slot)) !== DEAD) pending++;
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
      if (taken[slot] === 1 || Atomics.load(control, doneWord(slot)) === seq) continue;
      this.#broken = true;
      if (Atomics.load(control, stateWord(slot)) !== DEAD) {
        return new BackendError(`worker backend: ${op} failed: the pool's supervisor thread exited, taking the workers with it`);
      }
      const { detail, cause } = this.#deathOf(slot);
      return new BackendError(`worker backend: ${op} failed: worker ${slot + 1} of ${this.size} died mid-task: ${detail}`, { cause });
    }
    for (let slot = 0; slot < count; slot++) {
      if (taken[slot] === 1 || Atomics.load(control, resultWord(slot)) !== RESULT_ERROR) continue;
      this.#drain();
      const news = this.#news[slot]!;
      const info = news.taskErrors.get(seq);
      news.taskErrors.clear();
      const cause = info === undefined ? new Error('the error was lost in transit') : toError(info);
      return new BackendError(`worker backend: ${op} failed in worker ${slot + 1} of ${this.size}: ${cause.message}`, { cause });
    }
    return null;
  }

  /** Throws if the supervisor is gone (nobody would report a worker's death). */
  #assertSupervisor(op: string): void {
    if (Atomics.load(this.#control, SUPERVISOR_STATE) === DEAD) {
      this.#broken = true;
      throw new BackendError(`worker backend: ${op}: the pool's supervisor thread exited`);
    }
  }

  /** Explains a dead worker from what it and the supervisor said. */
  #deathOf(slot: number): { detail: string; cause: Error } {
    const news = this.#news[slot]!;
    // A worker that announced its own exit may be ahead of the supervisor's fuller account.
    const until = performance.now() + REPORT_GRACE_MS;
    for (;;) {
      const signalled = Atomics.load(this.#control, SIGNAL);
      this.#drain();
      if (news.supervisorReport !== undefined || performance.now() > until) break;
      if (Atomics.load(this.#control, SUPERVISOR_STATE) === DEAD) break;
      Atomics.wait(this.#control, SIGNAL, signalled, SLICE_MS);
    }
    const code = news.supervisorReport?.code ?? news.exitCode;
    const exit = code === undefined ? 'it exited' : `it exited with code ${code}`;
    const info = news.startupError ?? news.supervisorReport?.error;
    if (info !== undefined) {
      const cause = toError(info);
      return { detail: `${cause.message} (${exit})`, cause };
    }
    return { detail: exit, cause: new Error(`worker ${slot + 1} ${exit.slice(3)}`) };
  }

  /** Reads every message waiting on the ports into `#news`. */
  #drain(): void {
    this.#ports.forEach((port, slot) => {
      const news = this.#news[slot]!;
      for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) {
        const message = m.message as FromWorker;
        if (message.type === 'error') news.taskErrors.set(message.seq, message.error);
        else if (message.type === 'startup-error') news.startupError = message.error;
        else news.exitCode = message.code;
      }
    });
    for (let m = receiveMessageOnPort(this.#reports); m !== undefined; m = receiveMessageOnPort(this.#reports)) {
      const report = m.message as FromSupervisor;
      this.#news[report.slot]!.supervisorReport = report;
    }
  }
}
