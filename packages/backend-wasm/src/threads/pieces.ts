/**
 * About 2²⁸ flops, 5-10 ms of kernel work here: the longest a thread computes before it checks
 * whether the job has already failed in another thread.
 */
export const PIECE_WORK = 2 ** 28;

/** Units per piece for a job of `cost` work per unit, a multiple of `grain`. */
export function pieceUnits(cost: number, grain: number): number {
  return Math.max(grain, Math.floor(PIECE_WORK / Math.max(1, cost) / grain) * grain);
}

/**
 * Runs units [start, end) in pieces of `piece` units, asking `stop()` between pieces; returns
 * false if it stopped early. Splitting a range never changes a written value, so this only
 * bounds how long a job that failed elsewhere keeps this thread busy.
 */
export function runInPieces(run: (start: number, end: number) => void, start: number, end: number, piece: number, stop: () => boolean): boolean {
  for (let s = start; s < end; s += piece) {
    if (s > start && stop()) return false;
    run(s, Math.min(end, s + piece));
  }
  return true;
}
