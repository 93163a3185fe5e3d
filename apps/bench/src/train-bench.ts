import type { Contender, TrainingData } from './contenders/contender.js';

export interface TrainTiming {
  /** Timed epochs; the fastest counts. */
  rounds: number;
  /** Samples of the untimed warm-up epoch (a slice of the data). */
  warmupSamples: number;
}

export interface TrainResult {
  samplesPerSecond: number;
  msPerBatch: number;
}

/** Samples/s of `fit` over `data` for one epoch: an untimed warm-up epoch on a separate model, then the best of `rounds`. */
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
    return { samplesPerSecond: data.samples / best, msPerBatch: (best * 1000) / batches };
  } finally {
    trainer.dispose();
  }
}
