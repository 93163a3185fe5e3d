import { describe, expect, it } from 'vitest';
import { planChunks } from '../src/chunk-plan.js';
import { ChunkQueue } from '../src/chunk-queue.js';
import { controlBytes, NEXT_CHUNK } from '../src/control-block.js';

function drain(queue: ChunkQueue, limit = Infinity): Array<[number, number]> {
  const taken: Array<[number, number]> = [];
  while (taken.length < limit && queue.next()) taken.push([queue.start, queue.end]);
  return taken;
}

const plan = planChunks({ units: 128, grain: 4, cost: 2 * 784 * 128 }, 2);

describe('ChunkQueue', () => {
  it('hands each chunk of a plan to exactly one of the queues sharing a control block, in order', () => {
    const control = new Int32Array(new SharedArrayBuffer(controlBytes(1)));
    const a = new ChunkQueue(control, plan, () => false);
    const b = new ChunkQueue(control, plan, () => false);
    const first = drain(a, 2);
    const second = drain(b);
    expect(first).toEqual([
      [0, 32],
      [32, 56],
    ]);
    expect(second.flat()).toEqual([56, 76, 76, 92, 92, 104, 104, 112, 112, 116, 116, 120, 120, 124, 124, 128]);
    expect(a.next()).toBe(false);
    expect(a.stopped || b.stopped).toBe(false);
  });

  it('starts again from the first block once the caller zeroes the word for the next task', () => {
    const control = new Int32Array(new SharedArrayBuffer(controlBytes(1)));
    drain(new ChunkQueue(control, plan, () => false));
    Atomics.store(control, NEXT_CHUNK, 0);
    expect(drain(new ChunkQueue(control, plan, () => false), 1)).toEqual([[0, 32]]);
  });

  it('asks stop() before every chunk, and says it stopped', () => {
    const control = new Int32Array(new SharedArrayBuffer(controlBytes(1)));
    let asked = 0;
    const queue = new ChunkQueue(control, plan, () => ++asked === 4);
    expect(drain(queue)).toEqual([
      [0, 32],
      [32, 56],
      [56, 76],
    ]);
    expect(queue.stopped).toBe(true);
    expect(asked).toBe(4);
  });
});
