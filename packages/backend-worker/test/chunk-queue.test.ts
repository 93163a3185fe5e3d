import { describe, expect, it } from 'vitest';
import { planChunks, type ChunkPlan } from '../src/chunk-plan.js';
import { ChunkQueue, openRegions } from '../src/chunk-queue.js';
import { controlBytes } from '../src/control-block.js';

function drain(queue: ChunkQueue, limit = Infinity): Array<[number, number]> {
  const taken: Array<[number, number]> = [];
  while (taken.length < limit && queue.next()) taken.push([queue.start, queue.end]);
  return taken;
}

function opened(plan: ChunkPlan): Int32Array {
  const control = new Int32Array(new SharedArrayBuffer(controlBytes(plan.threads - 1)));
  openRegions(control, plan);
  return control;
}

// 128 rows of 4-row tiles on 2 threads: rows [0, 64) are the caller's region, [64, 128) the worker's.
const plan = planChunks({ units: 128, grain: 4, cost: 2 * 784 * 128 }, 2);

describe('ChunkQueue', () => {
  it('takes its own region from the front, then the others\' from the back, each chunk once', () => {
    const control = opened(plan);
    const caller = new ChunkQueue(control, plan, 0, () => false);
    const worker = new ChunkQueue(control, plan, 1, () => false);
    // The worker is slow: it takes two chunks of its region, then the caller takes the rest.
    expect(drain(worker, 2)).toEqual([
      [64, 80],
      [80, 92],
    ]);
    const rest = drain(caller);
    expect(rest.slice(0, 8).flat()).toEqual([0, 16, 16, 28, 28, 40, 40, 48, 48, 52, 52, 56, 56, 60, 60, 64]);
    // Then from the back of the worker's region, shrinking, meeting where the worker stopped.
    expect(rest.slice(8)).toEqual([
      [116, 128],
      [108, 116],
      [104, 108],
      [100, 104],
      [96, 100],
      [92, 96],
    ]);
    expect(worker.next()).toBe(false);
    expect(caller.stopped || worker.stopped).toBe(false);
  });

  it('covers every unit exactly once however the threads interleave', () => {
    for (const threads of [2, 3, 4]) {
      const p = planChunks({ units: 1000, grain: 1, cost: 200 }, threads);
      const control = opened(p);
      const queues = Array.from({ length: threads }, (_, t) => new ChunkQueue(control, p, t, () => false));
      const seen = new Uint8Array(1000);
      let live = queues.slice();
      for (let turn = 0; live.length > 0; turn++) {
        // Thread `turn % n` takes one chunk: an uneven, changing order.
        const q = live[(turn * 7) % live.length]!;
        if (!q.next()) {
          live = live.filter((x) => x !== q);
          continue;
        }
        for (let u = q.start; u < q.end; u++) seen[u]!++;
      }
      expect([...new Set(seen)], `threads ${threads}`).toEqual([1]);
    }
  });

  it('starts again from whole regions once the caller opens them for the next task', () => {
    const control = opened(plan);
    drain(new ChunkQueue(control, plan, 0, () => false));
    openRegions(control, plan);
    expect(drain(new ChunkQueue(control, plan, 1, () => false), 1)).toEqual([[64, 80]]);
  });

  it('handles regions as large as the word holds: a call of more than 65,535 blocks gets larger blocks', () => {
    const big = planChunks({ units: 8 * 0xffff, grain: 4, cost: 1000 }, 2);
    expect(big).toMatchObject({ block: 8 });
    // The worker's region is 32,768 blocks: its back end fills the word's sign bit.
    const control = opened(big);
    const seen = new Uint8Array(big.units);
    const caller = new ChunkQueue(control, big, 0, () => false);
    while (caller.next()) for (let u = caller.start; u < caller.end; u++) seen[u]!++;
    expect([...new Set(seen)]).toEqual([1]);
  });

  it('asks stop() before every chunk, and says it stopped', () => {
    let asked = 0;
    const queue = new ChunkQueue(opened(plan), plan, 0, () => ++asked === 4);
    expect(drain(queue)).toEqual([
      [0, 16],
      [16, 28],
      [28, 40],
    ]);
    expect(queue.stopped).toBe(true);
    expect(asked).toBe(4);
  });
});
