import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { BackendError } from '@scratchnet/backend';
import {
  controlBytes,
  DEAD,
  SIGNAL,
  stateWord,
  SUPERVISOR_STATE,
  taskWord,
  type FromSupervisor,
  type FromWorker,
  type ToWorker,
} from './control-block.js';
import { toError, type ErrorInfo } from './error-info.js';
import { cleanEnvironment } from './clean-environment.js';
import { Pool, SLICE_MS } from './pool.js';
import { SUPERVISOR_SOURCE, type SupervisorData } from './supervisor.js';

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
 * is late again — every op then pays two wake-ups. `Pool.run` breaks that loop: the caller takes
 * every chunk a late worker does not, and does not wait for a worker that has not started (see
 * `claimSlot`).
 */
export const WORKER_SPIN_MS = 0.5;
export const CALLER_SPIN_MS = 0.2;
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
 * The pool in Node: `size` worker_threads plus the supervisor thread that starts and watches
 * them (see supervisor.ts). A worker sleeps on its task word and takes each task message
 * synchronously from its port (see compute-worker.ts); its errors and exits come back on ports
 * this thread reads synchronously too, while it waits on the control block.
 */
export class NodePool extends Pool {
  readonly #supervisor: Worker;
  readonly #ports: MessagePort[];
  readonly #reports: MessagePort;
  readonly #news: SlotNews[];

  /** `spin`: whether threads poll before sleeping (see WORKER_SPIN_MS). */
  constructor(entry: URL, size: number, spin: boolean) {
    const sab = new SharedArrayBuffer(controlBytes(size));
    super(size, new Int32Array(sab), spin ? CALLER_SPIN_MS : 0);
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

  /** Ends every thread of the pool. Idempotent. */
  terminate(): void {
    this.isBroken = true;
    // Terminating the supervisor ends the workers it started.
    this.#supervisor.terminate().catch(() => undefined);
    for (const port of [...this.#ports, this.#reports]) port.close();
  }

  protected send(slot: number, message: ToWorker, wake: number | null): void {
    this.#ports[slot]!.postMessage(message);
    if (wake === null) return;
    Atomics.store(this.control, taskWord(slot), wake);
    Atomics.notify(this.control, taskWord(slot));
  }

  /** Blocks until every worker has loaded the kernels (only the first task waits). */
  protected awaitReady(op: string): boolean {
    const control = this.control;
    for (;;) {
      const signalled = Atomics.load(control, SIGNAL);
      if (this.readyNow(op)) return true;
      Atomics.wait(control, SIGNAL, signalled, SLICE_MS);
    }
  }

  protected taskError(slot: number, seq: number): Error {
    this.#drain();
    const news = this.#news[slot]!;
    const info = news.taskErrors.get(seq);
    news.taskErrors.clear();
    return info === undefined ? new Error('the error was lost in transit') : toError(info);
  }

  protected assertSupervisor(op: string): void {
    if (Atomics.load(this.control, SUPERVISOR_STATE) === DEAD) {
      this.isBroken = true;
      throw new BackendError(`worker backend: ${op}: the pool's supervisor thread exited`);
    }
  }

  /** Explains a dead worker from what it and the supervisor said. */
  protected deathOf(slot: number): { detail: string; cause: Error } {
    const news = this.#news[slot]!;
    // A worker that announced its own exit may be ahead of the supervisor's fuller account.
    const until = performance.now() + REPORT_GRACE_MS;
    for (;;) {
      const signalled = Atomics.load(this.control, SIGNAL);
      this.#drain();
      if (news.supervisorReport !== undefined || performance.now() > until) break;
      if (Atomics.load(this.control, SUPERVISOR_STATE) === DEAD) break;
      Atomics.wait(this.control, SIGNAL, signalled, SLICE_MS);
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
