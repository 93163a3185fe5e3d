import { BackendError } from '@scratchnet/backend';
import { ValueError } from '@scratchnet/tensor';
import { WEB_COMPUTE_SOURCE, WEB_SUPERVISOR_SOURCE } from './generated/web-worker-sources.js';
import { controlBytes, DEAD, READY, signal, SIGNAL, stateWord, SUPERVISOR_STATE, type FaultKind, type ToWorker } from './control-block.js';
import { toError } from './error-info.js';
import { errorTextBytes, readErrorText } from './error-text.js';
import { Pool } from './pool.js';
import type { WebComputeData, WebPort, WebSupervisorData } from './web-messages.js';

/** The caller's polling for its workers (see CALLER_SPIN_MS in node-pool.ts). */
const CALLER_SPIN_MS = 0.2;

/** A browser worker, as much of it as the pool uses (this package is typed without the DOM library). */
export interface WebWorker {
  postMessage(message: unknown, transfer?: unknown[]): void;
  terminate(): void;
  addEventListener(type: 'error', listener: (event: { message?: string; preventDefault(): void }) => void): void;
}
/** What a browser's global scope offers the pool. */
export interface WebGlobals {
  Worker: new (url: string, options?: { name?: string }) => WebWorker;
  MessageChannel: new () => { port1: WebPort; port2: WebPort };
  Blob: new (parts: string[], options: { type: string }) => unknown;
  URL: { createObjectURL(blob: unknown): string };
  crypto?: { randomUUID?(): string };
}

/** The Blob URLs of the two scripts, made once per realm. */
let scripts: { compute: string; supervisor: string } | undefined;
/** Distinguishes the pools of one realm in lock names (their prefix tells the realms apart). */
let pools = 0;

/**
 * The pool in a browser: `size` compute Web Workers and a supervisor Web Worker over one control
 * block in a SharedArrayBuffer, started from Blob URLs (their scripts ship inside this package),
 * so no bundler has to find a file.
 *
 * A blocked Web Worker cannot receive messages, so here the workers wait in their event loops:
 * the caller posts each task (typed arrays over SharedArrayBuffers are shared, not copied),
 * computes its own range, claims the ranges whose message has not been taken yet, and waits on
 * the control block. A worker's error comes back as text in shared memory (error-text.ts); its
 * death through the supervisor, which watches each worker's Web Lock (web-supervisor-entry.ts).
 *
 * The owner must itself be a Web Worker (a page's main thread may not block in `Atomics.wait`).
 * A browser starts a worker only once the creating thread yields to its event loop, so ops
 * before that run on the calling thread alone (same bits); `ready()` waits for the workers.
 */
export class WebPool extends Pool {
  readonly #workers: WebWorker[];
  readonly #supervisor: WebWorker;
  readonly #errors: Uint16Array;
  /** What a worker's or the supervisor's 'error' event said (seen only between ops). */
  readonly #startErrors: (string | undefined)[] = [];
  #supervisorError: string | undefined;
  #terminated = false;

  /** `spin`: whether the caller polls before sleeping (every thread has a core of its own). */
  constructor(g: WebGlobals, size: number, spin: boolean) {
    const control = new SharedArrayBuffer(controlBytes(size));
    super(size, new Int32Array(control), spin ? CALLER_SPIN_MS : 0);
    const errors = new SharedArrayBuffer(errorTextBytes(size));
    this.#errors = new Uint16Array(errors);
    scripts ??= {
      compute: g.URL.createObjectURL(new g.Blob([WEB_COMPUTE_SOURCE], { type: 'text/javascript' })),
      supervisor: g.URL.createObjectURL(new g.Blob([WEB_SUPERVISOR_SOURCE], { type: 'text/javascript' })),
    };
    const id = g.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
    const prefix = `scratchnet-worker:${id}:${++pools}`;
    const locks = Array.from({ length: size }, (_, slot) => `${prefix}:${slot + 1}`);
    const channels = locks.map(() => new g.MessageChannel());

    this.#supervisor = new g.Worker(scripts.supervisor, { name: 'scratchnet worker supervisor' });
    // Handled here (preventDefault), so that the error does not also reach the caller's own global scope as uncaught.
    this.#supervisor.addEventListener('error', (event) => {
      event.preventDefault();
      this.#supervisorError = event.message ?? 'the supervisor failed';
      Atomics.store(this.control, SUPERVISOR_STATE, DEAD);
      signal(this.control);
    });
    const supervisorData: WebSupervisorData = {
      control,
      locks,
      ports: channels.map((c) => c.port2),
      words: { signal: SIGNAL, states: locks.map((_, slot) => stateWord(slot)), ready: READY, dead: DEAD },
    };
    this.#supervisor.postMessage(supervisorData, supervisorData.ports);

    this.#workers = channels.map((channel, slot) => {
      const worker = new g.Worker(scripts!.compute, { name: `scratchnet worker ${slot + 1}` });
      // Seen only while the caller is between ops: a worker that failed to load, or threw outside a task.
      worker.addEventListener('error', (event) => {
        event.preventDefault();
        this.#startErrors[slot] = event.message ?? 'the worker failed';
        Atomics.store(this.control, stateWord(slot), DEAD);
        signal(this.control);
      });
      const data: WebComputeData = { control, errors, slot, lock: locks[slot]!, supervisor: channel.port1 };
      worker.postMessage(data, [channel.port1]);
      return worker;
    });
  }

  terminate(): void {
    if (this.#terminated) return;
    this.#terminated = true;
    this.isBroken = true;
    // The supervisor first: the workers' locks, released as they end, must not be reported.
    this.#supervisor.terminate();
    for (const worker of this.#workers) worker.terminate();
  }

  override injectFault(slot: number, kind: FaultKind, gate?: SharedArrayBuffer): void {
    // Only a worker's owner can terminate it from outside, and the owner is blocked mid-op.
    if (kind === 'kill') throw new ValueError("worker backend: the fault 'kill' needs Node's supervisor; in a browser use 'exit'");
    super.injectFault(slot, kind, gate);
  }

  protected send(slot: number, message: ToWorker): void {
    this.#workers[slot]!.postMessage(message);
  }

  /** Never blocks: the workers cannot start while this thread waits. */
  protected awaitReady(op: string): boolean {
    return this.readyNow(op, false);
  }

  protected assertSupervisor(op: string): void {
    if (Atomics.load(this.control, SUPERVISOR_STATE) === DEAD) {
      this.isBroken = true;
      throw new BackendError(`worker backend: ${op}: the pool's supervisor Web Worker could not start: ${this.#supervisorError ?? 'it stopped'}`);
    }
  }

  protected taskError(slot: number): Error {
    return toError(readErrorText(this.#errors, slot));
  }

  protected deathOf(slot: number): { detail: string; cause: Error } {
    const detail = this.#startErrors[slot] ?? 'the browser ended it (its Web Lock was released)';
    return { detail, cause: new Error(`worker ${slot + 1}: ${detail}`) };
  }
}
