/**
 * What a browser pool's threads are started with and say to each other. Types only: the Web
 * Worker scripts are bundled separately (scripts/build-web-workers.mjs) and share no module state
 * with the pool.
 */

/** A MessagePort, as much of it as the pool's threads use (this package is typed without the DOM library). */
export interface WebPort {
  postMessage(message: unknown): void;
  onmessage: ((event: { data: unknown }) => void) | null;
}

/** The first message of a compute Web Worker, from the supervisor that starts it. */
export interface WebComputeData {
  control: SharedArrayBuffer;
  /** The error areas (see error-text.ts). */
  errors: SharedArrayBuffer;
  slot: number;
  /** The Web Lock this worker holds for as long as it lives (see web-supervisor-entry.ts). */
  lock: string;
  /** Where the caller's tasks arrive (`ToWorker` messages). */
  port: WebPort;
}

/** What a compute Web Worker says to the supervisor, its parent. */
export type FromWebCompute =
  /** It holds its lock: watch it. */
  | { type: 'held' }
  /** It could not take its lock, so its death could not be seen: it counts as dead. */
  | { type: 'no-lock'; message: string }
  /** Test hook (FaultKind 'kill'): terminate it from outside. */
  | { type: 'kill-me' };

/** The first message of the supervisor Web Worker, from the pool. */
export interface WebSupervisorData {
  control: SharedArrayBuffer;
  errors: SharedArrayBuffer;
  /** Blob URL of the compute workers' script. */
  computeScript: string;
  /** Per compute worker: its lock, and the port on which its tasks arrive. */
  locks: string[];
  ports: WebPort[];
  words: { signal: number; states: number[]; ready: number; dead: number };
}
