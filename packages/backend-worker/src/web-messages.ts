/**
 * What a browser pool's threads are started with (their first message). Types only: the Web
 * Worker scripts are bundled separately (scripts/build-web-workers.mjs) and share no module state
 * with the pool.
 */

/** A Web Worker's MessagePort, as much of it as the pool's threads use (this package is typed without the DOM library). */
export interface WebPort {
  postMessage(message: unknown): void;
  onmessage: ((event: { data: unknown }) => void) | null;
}

/** The first message of a compute Web Worker. */
export interface WebComputeData {
  control: SharedArrayBuffer;
  /** The error areas (see error-text.ts). */
  errors: SharedArrayBuffer;
  slot: number;
  /** The Web Lock this worker holds for as long as it lives (see web-supervisor-entry.ts). */
  lock: string;
  /** Where it says that it holds its lock: the supervisor's end. */
  supervisor: WebPort;
}

/** The first message of the supervisor Web Worker. */
export interface WebSupervisorData {
  control: SharedArrayBuffer;
  /** Per compute worker: its lock, and the port on which it says that it holds it. */
  locks: string[];
  ports: WebPort[];
  words: { signal: number; states: number[]; ready: number; dead: number };
}
