import type { KernelTask } from '@scratchnet/backend-cpu';

/**
 * About 0.2 s of kernel work at this machine's ~5 GFLOP/s per thread: the longest a thread
 * computes before it checks whether the op has already failed elsewhere.
 */
export const PIECE_WORK = 2 ** 30;

type RunKernel = (task: KernelTask, start: number, end: number) => void;

/**
 * Runs units [start, end) of `task` in grain-aligned pieces of about `PIECE_WORK`, asking
 * `stop()` between pieces; returns false if it stopped early. Splitting a range never changes a
 * written value (the cpu kernels' contract), so this only bounds how long an op that has failed
 * in another thread keeps this one busy. Pieces are large, so a matmul's per-call packing is
 * amortised: a 1024³ product is one piece per thread.
 */
export function runInPieces(runKernel: RunKernel, task: KernelTask, start: number, end: number, stop: () => boolean): boolean {
  const perPiece = Math.max(task.grain, Math.floor(PIECE_WORK / Math.max(1, task.cost) / task.grain) * task.grain);
  for (let s = start; s < end; s += perPiece) {
    if (s > start && stop()) return false;
    runKernel(task, s, Math.min(end, s + perPiece));
  }
  return true;
}
