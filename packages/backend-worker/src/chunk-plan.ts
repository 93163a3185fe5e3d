import type { KernelTask } from '@scratchnet/backend-cpu';

/**
 * How one kernel call is cut up for the pool's threads (see ChunkQueue). Units [0, units) are
 * grouped in whole `block`s, and the blocks into one contiguous region per thread, as equal as
 * whole blocks allow (the static split: thread 0 is the caller). Each thread takes chunks from
 * the front of its own region, then from the back of the others'. A chunk is about a quarter of
 * what is left of the region it comes from, within [minBlocks, maxBlocks]. Sent to every worker
 * with the task.
 */
export interface ChunkPlan {
  units: number;
  /** Chunk bounds are multiples of this: the kernel's grain, or 16 for long element-wise calls. */
  block: number;
  /** Fewest blocks worth a chunk: enough work to repay taking it (and the kernel's per-range preparation). */
  minBlocks: number;
  /** Most blocks in a chunk: about PIECE_WORK. */
  maxBlocks: number;
  /** Threads, the caller included: one region each. */
  threads: number;
}

/**
 * Smallest work (`units × cost`, roughly flops) worth a chunk of its own: a few microseconds here,
 * so that taking a chunk (an atomic compare-and-swap, a kernel call) costs a few percent of it at
 * most; only the last chunks of a region are this small.
 */
export const CHUNK_WORK = 16_384;
/**
 * About 0.2 s of kernel work at this machine's ~5 GFLOP/s per thread: the most a chunk holds, so
 * that a thread notices within that long that its op has already failed elsewhere.
 */
export const PIECE_WORK = 2 ** 30;
/** A chunk is at least this many times its kernel's per-range preparation (`rangeCost`). */
const RANGE_COST_RATIO = 32;
/** A region's blocks must fit the 16 bits each of its word's two ends get. */
const MAX_BLOCKS = 0xffff;

/**
 * Plans `task` for `threads` threads. Regions keep each thread on the same part of the data op
 * after op, as a static split does (an output stays in the cache of the core that wrote it); the
 * small chunks at the regions' ends let a thread that was descheduled mid-op, or woke late, be
 * covered by the others instead of holding the op up. Any plan gives the cpu backend's bits,
 * since every kernel computes each unit the same way whatever range it falls in.
 */
export function planChunks(task: Pick<KernelTask, 'units' | 'grain' | 'cost' | 'rangeCost'>, threads: number): ChunkPlan {
  const { units, grain } = task;
  // Long element-wise chunks start on 16-unit boundaries (64 bytes of float32), so two threads
  // never write the same cache line.
  let block = grain === 1 && units >= 256 * threads ? 16 : grain;
  if (Math.ceil(units / block) > MAX_BLOCKS) block *= Math.ceil(units / block / MAX_BLOCKS);
  const blocks = Math.ceil(units / block);
  const blockWork = block * Math.max(1, task.cost);
  const maxBlocks = Math.max(1, Math.floor(PIECE_WORK / blockWork));
  const wanted = Math.ceil(Math.max(CHUNK_WORK, RANGE_COST_RATIO * (task.rangeCost ?? 0)) / blockWork);
  // Never so large that a region holds less than one chunk.
  const minBlocks = Math.max(1, Math.min(wanted, maxBlocks, Math.floor(blocks / threads)));
  return { units, block, minBlocks, maxBlocks, threads };
}

/** The number of blocks in `plan`. */
export function blocksOf(plan: ChunkPlan): number {
  return Math.ceil(plan.units / plan.block);
}

/** Whether `plan` has at least two chunks: otherwise the call is not worth splitting. */
export function splits(plan: ChunkPlan): boolean {
  return blocksOf(plan) > plan.minBlocks;
}

/** Thread `thread`'s region: blocks [first, end). */
export function regionOf(plan: ChunkPlan, thread: number): { first: number; end: number } {
  const blocks = blocksOf(plan);
  return { first: Math.floor((thread * blocks) / plan.threads), end: Math.floor(((thread + 1) * blocks) / plan.threads) };
}

/** How many blocks the next chunk takes from a region with `left` blocks not yet taken. */
export function nextChunkBlocks(plan: ChunkPlan, left: number): number {
  return Math.min(left, plan.maxBlocks, Math.max(plan.minBlocks, Math.ceil(left / 4)));
}
