export interface TimingOptions {
  /** Timed rounds; the fastest one counts, as the one least disturbed by other work. */
  rounds: number;
  /** Each round repeats the call until at least this many milliseconds have passed. */
  roundMs: number;
}

/**
 * Seconds per call of `fn`: one untimed warm-up call, then `rounds` rounds of back-to-back
 * calls lasting at least `roundMs` each (one call at least); the best round's mean.
 */
export async function secondsPerCall(fn: () => unknown, options: TimingOptions): Promise<number> {
  await fn();
  let best = Infinity;
  for (let r = 0; r < options.rounds; r++) {
    let calls = 0;
    const t0 = performance.now();
    let elapsed = 0;
    do {
      await fn();
      calls++;
      elapsed = performance.now() - t0;
    } while (elapsed < options.roundMs);
    best = Math.min(best, elapsed / 1000 / calls);
  }
  return best;
}
