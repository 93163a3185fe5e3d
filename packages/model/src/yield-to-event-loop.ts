/**
 * Lets other tasks (timers, I/O, rendering, UI events) run between training batches.
 *
 * - Node: `setImmediate`. Its callback runs in the loop's check phase, so every yield is one
 *   full turn of the loop: due timers fire, and the poll phase delivers finished I/O, before
 *   the next batch. A `MessageChannel` does not do this in Node: a port drains its queue,
 *   messages posted while draining included, up to ~1000 per turn, so a batch loop that posts
 *   its next step from inside the handler starved timers and I/O for the whole of `fit`.
 * - Browsers (no `setImmediate`): a `MessageChannel` message, a macrotask that comes back in
 *   microseconds; the browser's event loop picks tasks from its other queues (timers, input,
 *   rendering) in between.
 * - Elsewhere: `setTimeout(0)`, clamped to >= 1 ms in Node and >= 4 ms in browsers once nested,
 *   which would cost 5–25 % of a ~15 ms batch; the fallback of last resort.
 */
export interface EventLoopYielder {
  /** Resolves on a later macrotask. */
  next(): Promise<void>;
  /** Releases the channel (an open port would keep Node alive). */
  close(): void;
}

interface MessagePortLike {
  onmessage: (() => void) | null;
  postMessage(message: unknown): void;
  close(): void;
}

type SetImmediate = (callback: () => void) => unknown;

export function createYielder(): EventLoopYielder {
  // Read from globalThis: the main entry stays free of Node imports and types.
  const immediate = (globalThis as { setImmediate?: SetImmediate }).setImmediate;
  if (typeof immediate === 'function') {
    return { next: () => new Promise<void>((resolve) => void immediate(resolve)), close: () => {} };
  }
  if (typeof MessageChannel === 'undefined') {
    return { next: () => new Promise((resolve) => setTimeout(resolve, 0)), close: () => {} };
  }
  // Typed by the browser's shape: `onmessage` starts the port.
  const channel = new MessageChannel() as unknown as { port1: MessagePortLike; port2: MessagePortLike };
  let waiting: (() => void) | null = null;
  channel.port1.onmessage = () => {
    const resolve = waiting;
    waiting = null;
    resolve?.();
  };
  return {
    next: () =>
      new Promise<void>((resolve) => {
        waiting = resolve;
        channel.port2.postMessage(null);
      }),
    close: () => {
      channel.port1.onmessage = null;
      channel.port1.close();
      channel.port2.close();
    },
  };
}
