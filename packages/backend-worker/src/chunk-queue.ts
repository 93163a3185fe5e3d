import type { RangeQueue } from '@scratchnet/backend-cpu';
import { blocksOf, nextChunkBlocks, type ChunkPlan } from './chunk-plan.js';
import { NEXT_CHUNK } from './control-block.js';

/**
 * One thread's view of a task's chunks: every thread on the task takes the next chunk from the
 * control block's NEXT_CHUNK word (the first block not yet taken) until none is left, so whichever
 * thread has a core computes. The caller zeroes the word before it posts the task; no thread of an
 * older task can still take from it (the caller waits for every thread that joined a task before
 * it posts the next).
 */
export class ChunkQueue implements RangeQueue {
  start = 0;
  end = 0;
  /** True once `next()` refused a chunk because `stop()` said the task had failed elsewhere. */
  stopped = false;
  readonly #control: Int32Array;
  readonly #plan: ChunkPlan;
  readonly #blocks: number;
  readonly #stop: () => boolean;

  /** `stop()` is asked before every chunk: whether the task has failed elsewhere. */
  constructor(control: Int32Array, plan: ChunkPlan, stop: () => boolean) {
    this.#control = control;
    this.#plan = plan;
    this.#blocks = blocksOf(plan);
    this.#stop = stop;
  }

  next(): boolean {
    if (this.#stop()) {
      this.stopped = true;
      return false;
    }
    const control = this.#control;
    const blocks = this.#blocks;
    for (;;) {
      const first = Atomics.load(control, NEXT_CHUNK);
      if (first >= blocks) return false;
      const last = first + nextChunkBlocks(this.#plan, blocks - first);
      // Another thread may have taken blocks since the load: then size the chunk again.
      if (Atomics.compareExchange(control, NEXT_CHUNK, first, last) !== first) continue;
      const { block, units } = this.#plan;
      this.start = first * block;
      this.end = Math.min(units, last * block);
      return true;
    }
  }
}
