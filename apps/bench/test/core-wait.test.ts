import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { coreWaitBetween, parseSchedstat, threadTimes } from '../src/core-wait.js';

const linux = process.platform === 'linux';

describe('core wait (Linux schedstat)', () => {
  it('parses a schedstat line: ns on a cpu, ns waiting on a run queue', () => {
    expect(parseSchedstat('123456789 2000000 345\n')).toEqual({ runNs: 123456789, waitNs: 2000000 });
    expect(parseSchedstat('')).toBeNull();
    expect(parseSchedstat('x y z')).toBeNull();
  });

  it('sums the change of every thread, counting threads started since from zero', () => {
    const before = new Map([['1', { runNs: 1e6, waitNs: 0 }]]);
    const after = new Map([
      ['1', { runNs: 11e6, waitNs: 2e6 }],
      ['2', { runNs: 5e6, waitNs: 1e6 }],
    ]);
    expect(coreWaitBetween(before, after)).toEqual({ runMs: 15, waitMs: 3 });
  });

  it.runIf(linux)("accounts for a busy thread's wall time as time on a core or waiting for one", async () => {
    const before = threadTimes();
    expect(before).not.toBeNull();
    // A thread that spins for 200 ms of wall time, then stays alive (blocked) until terminated, so
    // that it is still listed when the second snapshot is taken.
    const source = `
      const { parentPort } = require('node:worker_threads');
      const t = Date.now();
      while (Date.now() - t < 200);
      parentPort.postMessage('spun');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);`;
    const worker = new Worker(source, { eval: true });
    try {
      await new Promise<void>((resolve, reject) => {
        worker.once('message', () => resolve());
        worker.once('error', reject);
      });
      const { runMs, waitMs } = coreWaitBetween(before!, threadTimes()!);
      // Spinning, the thread was always either on a core or waiting for one.
      expect(runMs + waitMs).toBeGreaterThanOrEqual(190);
      expect(waitMs).toBeGreaterThanOrEqual(0);
    } finally {
      await worker.terminate();
    }
  });
});
