import type { Contender, TrainingData } from './contenders/contender.js';
import { coreWaitBetween, threadTimes, type CoreWait } from './core-wait.js';
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
  /**
   * What the contender's threads did during the counted epoch (Linux only): time on a core and
   * time waiting for one. Waiting means other work held the cores, so the row is not its own speed.
   */
  coreWait?: CoreWait & { epochMs: number };
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
    let coreWait: (CoreWait & { epochMs: number }) | undefined;
    for (let r = 0; r < timing.rounds; r++) {
      const before = threadTimes();
      const t0 = performance.now();
      await trainer.epoch();
      const seconds = (performance.now() - t0) / 1000;
      const after = threadTimes();
      if (seconds < best) {
        best = seconds;
        coreWait = before !== null && after !== null ? { ...coreWaitBetween(before, after), epochMs: seconds * 1000 } : undefined;
      }
    }
    const batches = Math.ceil(data.samples / data.batchSize);
    const inference = await secondsPerCall(() => trainer.infer(), timing.inference);
    return {
      samplesPerSecond: data.samples / best,
      msPerBatch: (best * 1000) / batches,
      inference: { digits: data.test.samples, ms: inference * 1000 },
      ...(coreWait === undefined ? {} : { coreWait }),
    };
  } finally {
    trainer.dispose();
  }
}
