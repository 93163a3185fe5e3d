import type { Contender, TrainingData } from './contenders/contender.js';
import { secondsPerCall, type TimingOptions } from './timing.js';

export interface TrainTiming {
  /** Timed epochs; the fastest counts. */
  rounds: number;
  /** Samples of the untimed warm-up epoch (a slice of the data). */
  warmupSamples: number;
  /** Inference of the test digits by the trained model (each round at least this long). */
  inference: TimingOptions;
}

export interface TrainResult {
  samplesPerSecond: number;
  msPerBatch: number;
  /** Milliseconds to classify all `digits` test digits (one `predict`, read back), best round's mean. */
  inference: { digits: number; ms: number };
}

/**
 * Samples/s of `fit` over `data` for one epoch: an untimed warm-up epoch on a separate model, then
 * the best of `rounds`; then the time the trained model takes to classify the test digits.
 */
export async function benchTraining(contender: Contender, data: TrainingData, timing: TrainTiming): Promise<TrainResult> {
  const warm = await contender.trainer({ ...data, samples: Math.min(timing.warmupSamples, data.samples) });
  try {
    await warm.epoch();
  } finally {
    warm.dispose();
  }
  const trainer = await contender.trainer(data);
  try {
    let best = Infinity;
    for (let r = 0; r < timing.rounds; r++) {
      const t0 = performance.now();
      await trainer.epoch();
      best = Math.min(best, (performance.now() - t0) / 1000);
    }
    const batches = Math.ceil(data.samples / data.batchSize);
    const inference = await secondsPerCall(() => trainer.infer(), timing.inference);
    return {
      samplesPerSecond: data.samples / best,
      msPerBatch: (best * 1000) / batches,
      inference: { digits: data.test.samples, ms: inference * 1000 },
    };
  } finally {
    trainer.dispose();
  }
}
