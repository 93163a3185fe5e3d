import { describe, expect, it } from 'vitest';
import { WorkerBackend } from './built.js';

// `ready()` exists for browsers, whose Web Workers start only once the caller yields; in Node it
// resolves once the worker_threads have loaded the kernels.
describe('WorkerBackend.ready()', () => {
  it('resolves at once with one thread, and after dispose()', async () => {
    const one = new WorkerBackend({ threads: 1 });
    await expect(one.ready()).resolves.toBeUndefined();
    one.dispose();
    const three = new WorkerBackend({ threads: 3 });
    three.dispose();
    await expect(three.ready()).resolves.toBeUndefined();
  });

  it('resolves once the workers have loaded the kernels, and again when asked again', async () => {
    const backend = new WorkerBackend({ threads: 3 });
    try {
      await expect(backend.ready()).resolves.toBeUndefined();
      // Twice is fine: it only reads the workers' states.
      await expect(backend.ready()).resolves.toBeUndefined();
    } finally {
      backend.dispose();
    }
  });
});
