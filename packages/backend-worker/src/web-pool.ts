import { BackendError } from '@scratchnet/backend';
import { WEB_COMPUTE_SOURCE, WEB_SUPERVISOR_SOURCE } from './generated/web-worker-sources.js';
import { controlBytes, DEAD, READY, signal, SIGNAL, stateWord, SUPERVISOR_STATE, type ToWorker } from './control-block.js';
import { toError } from './error-info.js';
import { errorTextBytes, readErrorText } from './error-text.js';
import { Pool } from './pool.js';
import type { WebPort, WebSupervisorData } from './web-messages.js';

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
/** Distinguishes the pools of one realm in lock names (their random part tells the realms apart). */
let pools = 0;

/**
 * The pool in a browser: a supervisor Web Worker, which starts `size` compute Web Workers and
 * watches them, over one control block in a SharedArrayBuffer. Both scripts ship inside this
 * package and start from Blob URLs, so no bundler has to find a file.
 *
 * A blocked Web Worker cannot receive messages, so here the workers wait in their event loops:
 * the caller posts each task on a MessagePort of the worker (typed arrays over SharedArrayBuffers
 * are shared, not copied), takes chunks with the workers, closes the task to workers that have
 * not started by the time every chunk is taken, and waits on the control block. A worker's error comes back as text in shared memory
 * (error-text.ts); its death through the supervisor, which watches each worker's Web Lock
 * (web-supervisor-entry.ts).
 *
 * The owner must itself be a Web Worker (a page's main thread may not block in `Atomics.wait`).
 * A browser starts a worker only once the creating thread yields to its event loop, so ops
 * before that run on the calling thread alone (same bits); `ready()` waits for the workers.
 */
export class WebPool extends Pool {
  readonly #supervisor: WebWorker;
  readonly #ports: WebPort[];
  readonly #errors: Uint16Array;
  /** What the supervisor's 'error' event said (seen only between ops). */
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
    this.#ports = channels.map((c) => c.port1);

    this.#supervisor = new g.Worker(scripts.supervisor, { name: 'scratchnet worker supervisor' });
    // Handled here (preventDefault), so that the error does not also reach the caller's own global scope as uncaught.
    this.#supervisor.addEventListener('error', (event) => {
      event.preventDefault();
      this.#supervisorError = event.message ?? 'the supervisor failed';
      Atomics.store(this.control, SUPERVISOR_STATE, DEAD);
      signal(this.control);
    });
    const data: WebSupervisorData = {
      control,
      errors,
      computeScript: scripts.compute,
      locks,
      ports: channels.map((c) => c.port2),
      words: { signal: SIGNAL, states: locks.map((_, slot) => stateWord(slot)), ready: READY, dead: DEAD },
    };
    this.#supervisor.postMessage(data, data.ports);
  }

  terminate(): void {
    if (this.#terminated) return;
    this.#terminated = true;
    this.isBroken = true;
    // The compute workers are the supervisor's: they end with it.
    this.#supervisor.terminate();
  }

  protected send(slot: number, message: ToWorker): void {
    this.#ports[slot]!.postMessage(message);
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
    // Written by the supervisor before it marked the slot dead.
    const detail = readErrorText(this.#errors, this.size + slot).message || 'it ended';
    return { detail, cause: new Error(`worker ${slot + 1}: ${detail}`) };
  }
}
