import type * as WorkerThreadsModule from 'node:worker_threads';
import { BackendError } from '@scratchnet/backend';
import { DEAD, READY, SIGNAL, stateWord, SUPERVISOR_STATE } from './control-block.js';
import { toError, type ErrorInfo } from './error-info.js';
import type { FromSupervisor, FromWorker } from './messages.js';
import { SharedPool, SLICE_MS, type PoolOptions, type ThreadPool } from './shared-pool.js';
import { SUPERVISOR_SOURCE, type SupervisorData } from './supervisor.js';
import { WebPool } from './web-pool.js';

export type { PoolOptions, ThreadPool } from './shared-pool.js';

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
export class NodePool extends SharedPool {
  readonly #supervisor: NodeWorker;
  readonly #ports: NodePort[];
  readonly #reports: NodePort;
  readonly #news: SlotNews[];
  readonly #receive: WorkerThreads['receiveMessageOnPort'];
  #terminated = false;

  constructor(options: PoolOptions & { entry: URL }, threads: WorkerThreads) {
    super(options);
    this.#receive = threads.receiveMessageOnPort;
    const channels = Array.from({ length: options.workers }, () => new threads.MessageChannel());
    const reports = new threads.MessageChannel();
    this.#ports = channels.map((c) => c.port1);
    this.#reports = reports.port1;
    this.#news = channels.map(() => ({ taskErrors: new Map() }));
    // The caller only ever reads these ports synchronously; they must not keep the process alive.
    for (const port of [...this.#ports, this.#reports]) port.unref();
    const workers = channels.map((c, slot) => this.workerData(options, slot, c.port2));
    const data: SupervisorData = {
      entry: options.entry.href,
      workers,
      reportPort: reports.port2,
      memory: options.memory,
      control: this.control,
      controlWords: this.controlWords,
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
    const { control, scratch } = this;
    this.#supervisor.on('exit', () => {
      options.free(scratch);
      options.free(control);
    });
  }

  terminate(): void {
    if (this.#terminated) return;
    this.#terminated = true;
    this.isBroken = true;
    // Terminating the supervisor ends the workers it started.
    this.#supervisor.terminate().catch(() => undefined);
    for (const port of [...this.#ports, this.#reports]) port.close();
  }

  /** Blocks until every worker has instantiated the kernels (only the first job waits). */
  protected awaitReady(op: string): boolean {
    const words = this.views.words;
    const deadline = performance.now() + STARTUP_TIMEOUT_MS;
    for (;;) {
      const signalled = Atomics.load(words, SIGNAL);
      if (this.readyNow(op)) return true;
      if (Atomics.load(words, SUPERVISOR_STATE) === DEAD) {
        this.isBroken = true;
        throw new BackendError(`wasm backend: ${op}: the pool's supervisor thread exited`);
      }
      if (performance.now() > deadline) {
        this.isBroken = true;
        let starting = 0;
        for (let slot = 0; slot < this.size; slot++) if (Atomics.load(words, stateWord(slot)) !== READY) starting++;
        throw new BackendError(`wasm backend: ${op}: ${starting} worker(s) did not start within ${STARTUP_TIMEOUT_MS / 1000} s`);
      }
      Atomics.wait(words, SIGNAL, signalled, SLICE_MS);
    }
  }

  protected taskError(slot: number, seq: number): Error {
    this.#drain();
    const news = this.#news[slot]!;
    const info = news.taskErrors.get(seq);
    news.taskErrors.clear();
    return info === undefined ? new Error('the error was lost in transit') : toError(info);
  }

  /** Explains a dead worker from what it and the supervisor said. */
  protected deathOf(slot: number): { detail: string; cause: Error } {
    const news = this.#news[slot]!;
    const words = this.views.words;
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

/**
 * Starts a pool for this host: Node's worker_threads (with the built worker script `entry`), or
 * a browser's Web Workers, which must not be started from a page's main thread (it may not block
 * in `Atomics.wait`).
 */
export function startPool(options: PoolOptions & { entry: URL | null }): ThreadPool {
  try {
    const threads = nodeWorkerThreads();
    if (threads !== null && options.entry !== null) return new NodePool({ ...options, entry: options.entry }, threads);
    return new WebPool(options);
  } catch (error) {
    if (error instanceof BackendError) throw error;
    throw new BackendError(`wasm backend: could not start worker threads: ${String(error)}`, { cause: error });
  }
}
