import type { RangeQueue } from '@scratchnet/backend-cpu';
import { nextChunkBlocks, regionOf, type ChunkPlan } from './chunk-plan.js';
import { regionWord } from './control-block.js';

/** Packs what is left of a region, blocks [front, back) relative to its first, into its word. */
const regionValue = (front: number, back: number): number => front | (back << 16);

/**
 * Before posting a task, the caller sets every thread's region word to the whole region. No
 * thread of an older task can still take from them: the caller waits for every thread that
 * joined a task before it posts the next.
 */
export function openRegions(control: Int32Array, plan: ChunkPlan): void {
  for (let thread = 0; thread < plan.threads; thread++) {
    const { first, end } = regionOf(plan, thread);
    Atomics.store(control, regionWord(thread), regionValue(0, end - first));
  }
}

/**
 * One thread's view of a task's chunks. The thread takes chunks from the front of its own region
 * while any is left, then from the back of the other threads' regions, until nothing is left
 * anywhere. When every thread keeps up, each computes its own region, as a static split would;
 * when one falls behind, the others take the end of its region. Each region's word is updated by
 * compare-and-swap, so every chunk goes to exactly one thread.
 */
export class ChunkQueue implements RangeQueue {
  start = 0;
  end = 0;
  /** True once `next()` refused a chunk because `stop()` said the task had failed elsewhere. */
  stopped = false;
  readonly #control: Int32Array;
  readonly #plan: ChunkPlan;
  readonly #thread: number;
  readonly #stop: () => boolean;
  /** The next region to look at, counting from this thread's own (0) round the others; `threads` once all are empty. */
  #looked = 0;

  /** `thread`: 0 for the caller, `slot + 1` for worker `slot`. `stop()` is asked before every chunk. */
  constructor(control: Int32Array, plan: ChunkPlan, thread: number, stop: () => boolean) {
    this.#control = control;
    this.#plan = plan;
    this.#thread = thread;
    this.#stop = stop;
  }

  next(): boolean {
    if (this.#stop()) {
      this.stopped = true;
      return false;
    }
    const threads = this.#plan.threads;
    // A region found empty stays empty for the rest of the task: nothing is ever put back.
    for (; this.#looked < threads; this.#looked++) {
      if (this.#take((this.#thread + this.#looked) % threads, this.#looked === 0)) return true;
    }
    return false;
  }

  /** Takes a chunk from the front (own region) or back (another's) of `thread`'s region, if any is left. */
  #take(thread: number, front: boolean): boolean {
    const control = this.#control;
    const word = regionWord(thread);
    for (;;) {
      const value = Atomics.load(control, word);
      const first = value & 0xffff;
      const last = value >>> 16;
      if (first >= last) return false;
      const size = nextChunkBlocks(this.#plan, last - first);
      const next = front ? regionValue(first + size, last) : regionValue(first, last - size);
      // Another thread may have taken from this region since the load: then look again.
      if (Atomics.compareExchange(control, word, value, next) !== value) continue;
      const from = regionOf(this.#plan, thread).first + (front ? first : last - size);
      const { block, units } = this.#plan;
      this.start = from * block;
      this.end = Math.min(units, (from + size) * block);
      return true;
    }
  }
}
