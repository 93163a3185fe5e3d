import type { FromWorker, WorkerData } from './messages.js';

/** The supervisor's one message from the pool's owner: what to start and where to write deaths. */
export interface WebSupervisorStart {
  /** Blob URL of the threads' script. */
  script: string;
  /** WorkerData for each thread (its `port` is null: a thread talks to the supervisor, its parent). */
  workers: WorkerData[];
  memory: WebAssembly.Memory;
  /** Byte address of the control block and its length in words. */
  control: number;
  controlWords: number;
  /** Each thread's Web Lock name, unique to the pool and slot; null when the browser has no Web Locks. */
  locks: string[] | null;
}

/** What the supervisor tells the owner (read between ops, when the owner's event loop runs). */
export type FromWebSupervisor = { type: 'worker-error'; slot: number; message: string };

/** A thread's one message from the supervisor at startup. */
export interface WebThreadStart {
  data: WorkerData;
  /** The lock to hold for life, or null to run unwatched. */
  lock: string | null;
}

/** What the supervisor says to a thread after `holding`: it now waits for the thread's lock. */
export type ToWebThread = { type: 'watching' };

/**
 * What a thread tells the supervisor: it holds its lock (or could not take it), it asks to be
 * terminated (test hook), or what the job loop reports (FromWorker).
 */
export type FromWebThread = { type: 'holding' } | { type: 'unwatched'; message: string } | { type: 'kill-me' } | FromWorker;

/** As much of the Web Locks API as the pool uses (this package is typed without the DOM library). */
export interface LockManagerLike {
  request(name: string, callback: () => unknown): Promise<unknown>;
}

/** The browser's Web Locks, if this scope has them (old browsers and insecure contexts do not). */
export function webLocks(): LockManagerLike | null {
  const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
  return typeof locks?.request === 'function' ? locks : null;
}
