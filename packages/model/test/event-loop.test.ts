import { readFile } from 'node:fs';
import { Dense, ReLU, Softmax } from '@scratchnet/layers';
import { Rng } from '@scratchnet/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { Sequential } from '@scratchnet/model';
import { spiralData, useCpu } from './helpers.js';

beforeAll(useCpu);

/**
 * `fit` must let timers, immediates and I/O run between batches. These tests schedule work at a
 * batch well past the first (the first turn of the loop is special: a MessagePort starts
 * asynchronously) and require it to have run a couple of batches later. A batch hook that busy-
 * waits makes a 0 ms timer due before the next batch, so the assertions never depend on how fast
 * the machine is; they depend only on the event loop getting its turn.
 */
function model(rng: Rng): Sequential {
  const m = new Sequential([new Dense(2, 8, { rng }), new ReLU(), new Dense(8, 3, { rng }), new Softmax()]);
  m.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
  return m;
}

function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy: nothing else may run
  }
}

describe('fit gives the event loop its turn between batches', () => {
  it('a setTimeout(0) set at batch k has fired before batch k + 2 begins, for k early and late', async () => {
    const rng = new Rng(1);
    const { x, y } = spiralData(rng, 100);
    const m = model(rng);
    const firedAt = new Map<number, number>();
    let current = -1;
    await m.fit(x, y, {
      batchSize: 4,
      epochs: 1,
      shuffle: false,
      callbacks: [
        {
          onBatchBegin: (batch) => {
            current = batch;
            if (batch === 5 || batch === 40) setTimeout(() => firedAt.set(batch, current), 0);
          },
          // Long enough for a 0 ms timer (clamped to 1 ms) to be due at the next turn.
          onBatchEnd: (batch) => (batch === 5 || batch === 40 ? spin(3) : undefined),
        },
      ],
    });
    expect(current).toBe(74);
    expect(firedAt.get(5)).toBeLessThanOrEqual(6);
    expect(firedAt.get(40)).toBeLessThanOrEqual(41);
  });

  it('a setImmediate set at batch k runs before batch k + 1 begins', async () => {
    const rng = new Rng(2);
    const { x, y } = spiralData(rng, 100);
    const m = model(rng);
    let current = -1;
    let ranAt = -1;
    await m.fit(x, y, {
      batchSize: 4,
      callbacks: [
        {
          onBatchBegin: (batch) => {
            current = batch;
            if (batch === 20) setImmediate(() => (ranAt = current));
          },
        },
      ],
    });
    expect(ranAt).toBe(20);
  });

  it('a file read started at batch k completes while fit runs (fit stops once it has)', async () => {
    const rng = new Rng(3);
    const { x, y } = spiralData(rng, 800);
    const m = model(rng);
    let doneAt = -1;
    let batches = 0;
    const steps = 2400 / 2;
    await m.fit(x, y, {
      batchSize: 2,
      callbacks: [
        {
          onBatchBegin: (batch) => {
            if (batch === 10) {
              readFile(new URL(import.meta.url), () => {
                doneAt = batches;
                m.stopTraining = true;
              });
            }
          },
          onBatchEnd: () => {
            batches++;
            // A little time per batch, so the thread pool's read has time to finish meanwhile.
            spin(0.5);
          },
        },
      ],
    });
    expect(doneAt).toBeGreaterThanOrEqual(10);
    expect(doneAt).toBeLessThan(steps);
    // The read completed during a yield, after a batch; fit stopped before starting another.
    expect(batches).toBe(doneAt);
  });
});
