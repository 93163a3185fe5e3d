import type { CnnData, Contender } from './contenders/contender.js';
import { secondsPerCall, type TimingOptions } from './timing.js';

export interface CnnTiming {
  /** Timed training epochs; the fastest counts (one only when an epoch outlasts `epochSeconds`). */
  rounds: number;
  /**
   * About how long a timed epoch may take: a contender whose first batch shows it would take
   * longer trains and infers on fewer digits (whole batches, at least one). tfjs-cpu trains this
   * CNN at a few samples per second; at the full size it alone would take many minutes.
   */
  epochSeconds: number;
  /** Inference timing (each round at least this long). */
  inference: TimingOptions;
}

export interface CnnResult {
  /** Digits per timed epoch and per inference call. */
  samples: number;
  /** Training: samples per second of `fit`, and milliseconds per batch. */
  samplesPerSecond: number;
  msPerBatch: number;
  /** Inference: milliseconds per 1,000 digits (`predict` in batches of 256), and digits per second. */
  msPer1000: number;
  digitsPerSecond: number;
}

/**
 * The bench CNN on one contender: one batch first (untimed warm-up, and a measure of its speed),
 * then an untimed warm-up epoch and the best of `rounds` timed epochs of `fit` over the digits —
 * as many as fit in about `epochSeconds` —, then inference over the same digits (`secondsPerCall`).
 */
export async function benchCnn(contender: Contender, data: CnnData, timing: CnnTiming): Promise<CnnResult> {
  const cnn = await contender.cnn(data);
  try {
    const batch = Math.min(data.batchSize, data.samples);
    const t0 = performance.now();
    await cnn.train(batch);
    const perSample = (performance.now() - t0) / 1000 / batch; // an over-estimate: it includes warming up
    const batches = Math.max(1, Math.min(Math.floor(timing.epochSeconds / perSample / batch), Math.floor(data.samples / batch)));
    const samples = batches === Math.floor(data.samples / batch) ? data.samples : batches * batch;
    const slow = perSample * samples > timing.epochSeconds;
    if (samples > batch) await cnn.train(samples);
    let best = Infinity;
    for (let r = 0; r < (slow ? 1 : timing.rounds); r++) {
      const t1 = performance.now();
      await cnn.train(samples);
      best = Math.min(best, (performance.now() - t1) / 1000);
    }
    const inference = await secondsPerCall(() => cnn.infer(samples), timing.inference);
    return {
      samples,
      samplesPerSecond: samples / best,
      msPerBatch: (best * 1000) / Math.ceil(samples / data.batchSize),
      msPer1000: (inference * 1000 * 1000) / samples,
      digitsPerSecond: samples / inference,
    };
  } finally {
    cnn.dispose();
  }
}
