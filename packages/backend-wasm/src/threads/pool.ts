import type * as WorkerThreadsModule from 'node:worker_threads';
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
import { toError, type ErrorInfo } from './error-info.js';
import { FAULT_CODES, type FaultKind } from './faults.js';
import { writeJob } from './job-codec.js';
import type { FromSupervisor, FromWorker, WorkerData } from './messages.js';
import { pieceUnits, runInPieces } from './pieces.js';
import { SUPERVISOR_SOURCE, type SupervisorData } from './supervisor.js';

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
  /** URL of the worker script. */
  entry: URL;
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
  /** Test hook: makes worker `slot` (0-based) fail as `kind` says. */
  injectFault(slot: number, kind: FaultKind): void;
  /** Ends every thread. Idempotent. */
  terminate(): void;
}

/**
 * The caller never sleeps longer than this without re-reading the control block. Every state
 * change is also notified, so this only bounds how late a missed wake-up could be noticed.
 */
const SLICE_MS = 100;
/** Startup is ~50 ms here; a worker still not ready after this is reported as stuck. */
const STARTUP_TIMEOUT_MS = 30_000;
/** How long to wait for the supervisor's account of a death the worker announced itself. */
const REPORT_GRACE_MS = 500;

// Types only (erased): the module itself is reached at run time through process.getBuiltinModule.
type WorkerThreads = typeof WorkerThreadsModule;
type NodeWorker = WorkerThreadsModule.Worker;
type NodePort = WorkerThreadsModule.MessagePort;

/** What has been heard from or about one worker (drained from the ports). */
interface SlotNews {
  startupError?: ErrorInfo;
  exitCode?: number;
  supervisorReport?: FromSupervisor;
  taskErrors: Map<number, ErrorInfo>;
}

/** Node's worker_threads, reached without a static `node:` import so this entry stays isomorphic. */
export function nodeWorkerThreads(): WorkerThreads | null {
  const p = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  if (typeof p?.getBuiltinModule !== 'function') return null;
  return (p.getBuiltinModule('node:worker_threads') as WorkerThreads | undefined) ?? null;
}

/**
 * `workers` Node worker threads plus the supervisor that watches them, all sharing one control
 * block in the backend's memory. Each worker instantiates the same compiled kernel module over
 * the same shared memory. The calling thread runs the first range of every job itself and blocks
 * in `Atomics.wait` for the rest; nothing is posted per job.
 *
 * After a worker dies the pool is `broken`: its owner terminates it and starts a fresh one (with
 * its own control block and scratch, since the old threads may take a moment to stop).
 */
export class NodePool implements ThreadPool {
  readonly size: number;
  readonly #views: ControlViews;
  readonly #supervisor: NodeWorker;
  readonly #ports: NodePort[];
  readonly #reports: NodePort;
  readonly #news: SlotNews[];
  readonly #callerSpins: number;
  readonly #receive: WorkerThreads['receiveMessageOnPort'];
  #ready = false;
  #seq = 0;
  #broken = false;
  #terminated = false;

  constructor(options: PoolOptions) {
    const threads = nodeWorkerThreads();
    if (threads === null) throw new BackendError('wasm backend: threads need Node worker_threads in this version; use threads: 1');
    this.size = options.workers;
    this.#callerSpins = options.callerSpins;
    this.#receive = threads.receiveMessageOnPort;
    const layout = controlLayout(0, options.workers);
    const control = options.allocate(layout.bytes, 'thread control block');
    const scratch = options.allocate(options.scratchBytes * options.workers, 'worker scratch');
    const at = controlLayout(control, options.workers);
    this.#views = controlViews(options.memory.buffer, at);
    // A reused block holds old words: start from zero.
    this.#views.words.fill(0);

    const channels = Array.from({ length: options.workers }, () => new threads.MessageChannel());
    const reports = new threads.MessageChannel();
    this.#ports = channels.map((c) => c.port1);
    this.#reports = reports.port1;
    this.#news = channels.map(() => ({ taskErrors: new Map() }));
    // The caller only ever reads these ports synchronously; they must not keep the process alive.
    for (const port of [...this.#ports, this.#reports]) port.unref();
    const workers: WorkerData[] = channels.map((c, slot) => ({
      module: options.module,
      memory: options.memory,
      control,
      workers: options.workers,
      slot,
      scratch: scratch + slot * options.scratchBytes,
      spins: options.workerSpins,
      port: c.port2,
    }));
    const data: SupervisorData = {
      entry: options.entry.href,
      workers,
      reportPort: reports.port2,
      memory: options.memory,
      control,
      controlWords: at.words,
      words: { signal: SIGNAL, supervisorState: SUPERVISOR_STATE, states: workers.map((_, slot) => stateWord(slot)), dead: DEAD },
    };
    const env = Object.fromEntries(Object.entries((globalThis as { process?: { env?: Record<string, string> } }).process?.env ?? {}).filter(([k]) => k !== 'NODE_OPTIONS'));
    this.#supervisor = new threads.Worker(SUPERVISOR_SOURCE, {
      eval: true,
      // No flags and no NODE_OPTIONS, for the supervisor and the workers it starts: they run only
      // the kernels. Inherited, an application's preloads would run in every thread, and a
      // workspace's export conditions would point them at TypeScript sources.
      execArgv: [],
      env,
      workerData: data,
      transferList: [...workers.map((w) => w.port as NodePort), reports.port2],
    });
    // An idle pool never keeps the process alive; exits are learnt through the control block.
    this.#supervisor.unref();
    this.#supervisor.on('error', () => undefined);
    // The threads may run on briefly after terminate(); their blocks are freed once they are gone.
    this.#supervisor.on('exit', () => {
      options.free(scratch);
      options.free(control);
    });
  }

  get broken(): boolean {
    if (!this.#broken && this.#ready) {
      // A worker may also die between ops; then no op has to fail for it.
      const words = this.#views.words;
      if (Atomics.load(words, SUPERVISOR_STATE) === DEAD) this.#broken = true;
      for (let slot = 0; slot < this.size && !this.#broken; slot++) {
        if (Atomics.load(words, stateWord(slot)) === DEAD) this.#broken = true;
      }
    }
    return this.#broken;
  }

  run(job: Job, ranges: ReadonlyArray<readonly [number, number]>, runHere: (start: number, end: number) => void, op: string): void {
    this.#awaitReady(op);
    const piece = pieceUnits(job.cost, job.grain);
    const words = this.#views.words;
    if (!writeJob(this.#views, job, piece)) {
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

  injectFault(slot: number, kind: FaultKind): void {
    const words = this.#views.words;
    Atomics.store(words, faultWord(slot), FAULT_CODES[kind]);
    if (kind === 'exit-idle') Atomics.notify(words, JOB_SEQ);
  }

  terminate(): void {
    if (this.#terminated) return;
    this.#terminated = true;
    this.#broken = true;
    // Terminating the supervisor ends the workers it started.
    this.#supervisor.terminate().catch(() => undefined);
    for (const port of [...this.#ports, this.#reports]) port.close();
  }

  /**
   * Whether job `seq` has already failed in a worker (an error, a death, the supervisor gone); if
   * so, cancels it, so that every thread still on it stops at its next piece.
   */
  #failing(seq: number): boolean {
    const words = this.#views.words;
    let failed = Atomics.load(words, SUPERVISOR_STATE) === DEAD;
    for (let slot = 0; slot < this.size && !failed; slot++) {
      if (Atomics.load(words, doneWord(slot)) === seq) failed = Atomics.load(words, resultWord(slot)) === RESULT_ERROR;
      else failed = Atomics.load(words, stateWord(slot)) === DEAD;
    }
    if (failed) Atomics.store(words, CANCEL, seq);
    return failed;
  }

  /** Blocks until every worker has instantiated the kernels (only the first job waits). */
  #awaitReady(op: string): void {
    if (this.#ready) return;
    const words = this.#views.words;
    const deadline = performance.now() + STARTUP_TIMEOUT_MS;
    for (;;) {
      const signalled = Atomics.load(words, SIGNAL);
      let starting = 0;
      for (let slot = 0; slot < this.size; slot++) {
        const state = Atomics.load(words, stateWord(slot));
        if (state === DEAD) {
          this.#broken = true;
          const { detail, cause } = this.#deathOf(slot);
          throw new BackendError(`wasm backend: ${op}: worker ${slot + 1} of ${this.size} could not start: ${detail}`, { cause });
        }
        if (state !== READY) starting++;
      }
      if (starting === 0) break;
      this.#assertSupervisor(op);
      if (performance.now() > deadline) {
        this.#broken = true;
        throw new BackendError(`wasm backend: ${op}: ${starting} worker(s) did not start within ${STARTUP_TIMEOUT_MS / 1000} s`);
      }
      Atomics.wait(words, SIGNAL, signalled, SLICE_MS);
    }
    this.#ready = true;
  }

  /**
   * Waits until every worker has finished job `seq` or died, in slices, so that no failure can
   * leave the caller blocked. Returns the failure to throw, if any.
   */
  #awaitDone(op: string, seq: number): BackendError | null {
    const words = this.#views.words;
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
      this.#broken = true;
      if (Atomics.load(words, stateWord(slot)) !== DEAD) {
        return new BackendError(`wasm backend: ${op} failed: the pool's supervisor thread exited, taking the workers with it`);
      }
      const { detail, cause } = this.#deathOf(slot);
      return new BackendError(`wasm backend: ${op} failed: worker ${slot + 1} of ${this.size} died mid-job: ${detail}`, { cause });
    }
    for (let slot = 0; slot < this.size; slot++) {
      if (Atomics.load(words, resultWord(slot)) !== RESULT_ERROR) continue;
      this.#drain();
      const news = this.#news[slot]!;
      const info = news.taskErrors.get(seq);
      news.taskErrors.clear();
      const cause = info === undefined ? new Error('the error was lost in transit') : toError(info);
      return new BackendError(`wasm backend: ${op} failed in worker ${slot + 1} of ${this.size}: ${cause.message}`, { cause });
    }
    return null;
  }

  #assertSupervisor(op: string): void {
    if (Atomics.load(this.#views.words, SUPERVISOR_STATE) === DEAD) {
      this.#broken = true;
      throw new BackendError(`wasm backend: ${op}: the pool's supervisor thread exited`);
    }
  }

  /** Explains a dead worker from what it and the supervisor said. */
  #deathOf(slot: number): { detail: string; cause: Error } {
    const news = this.#news[slot]!;
    const words = this.#views.words;
    // A worker that announced its own exit may be ahead of the supervisor's fuller account.
    const until = performance.now() + REPORT_GRACE_MS;
    for (;;) {
      const signalled = Atomics.load(words, SIGNAL);
      this.#drain();
      if (news.supervisorReport !== undefined || performance.now() > until) break;
      if (Atomics.load(words, SUPERVISOR_STATE) === DEAD) break;
      Atomics.wait(words, SIGNAL, signalled, SLICE_MS);
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

  /** Reads every message waiting on the ports into the news. */
  #drain(): void {
    this.#ports.forEach((port, slot) => {
      const news = this.#news[slot]!;
      for (let m = this.#receive(port); m !== undefined; m = this.#receive(port)) {
        const message = m.message as FromWorker;
        if (message.type === 'error') news.taskErrors.set(message.seq, message.error);
        else if (message.type === 'startup-error') news.startupError = message.error;
        else news.exitCode = message.code;
      }
    });
    for (let m = this.#receive(this.#reports); m !== undefined; m = this.#receive(this.#reports)) {
      const report = m.message as FromSupervisor;
      this.#news[report.slot]!.supervisorReport = report;
    }
  }
}

/** Starts a pool for this host: Node's worker_threads (Web Workers are for a later version). */
export function startPool(options: PoolOptions): ThreadPool {
  try {
    return new NodePool(options);
  } catch (error) {
    if (error instanceof BackendError) throw error;
    throw new BackendError(`wasm backend: could not start worker threads: ${String(error)}`, { cause: error });
  }
}
