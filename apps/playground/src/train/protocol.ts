import type { ModelKindId } from '../models.ts';

/** What the page asks of the training worker. */
export type ToWorker =
  | { type: 'train'; run: TrainConfig }
  /** Ends `fit` after the current batch. */
  | { type: 'stop' }
  /** Trains the epochs left of the last `train`, from where it stopped. */
  | { type: 'resume' }
  /** Sends the model as saved artifacts (weights and optimizer state). */
  | { type: 'export' };

export interface TrainConfig {
  model: ModelKindId;
  backend: string;
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  /** Absolute URL of `mnist-digits.bin`. */
  dataUrl: string;
}

/** A point of the curves: `x` is epochs of data seen (a fraction within an epoch). */
export interface TrainPoint {
  x: number;
  loss: number;
  accuracy: number;
}

/** What the training worker reports. */
export type FromWorker =
  | { type: 'status'; text: string }
  | {
      type: 'batch';
      /** This batch's own loss and accuracy. */
      point: TrainPoint;
      /** The mean loss and accuracy over the epoch's batches so far. */
      running: { loss: number; accuracy: number };
      epoch: number;
      batch: number;
      batches: number;
      samplesPerSecond: number;
    }
  | {
      type: 'epoch';
      epoch: number;
      /** The training loss and accuracy over the epoch's batches (all of them, or those before a stop). */
      point: TrainPoint;
      testLoss: number;
      testAccuracy: number;
      /** `confusion[true][predicted]` over the test digits. */
      confusion: number[][];
      samplesPerSecond: number;
    }
  | { type: 'stopped'; epochsDone: number; epochs: number }
  | { type: 'done'; epochs: number }
  | { type: 'artifacts'; manifest: unknown; weights: ArrayBuffer }
  | { type: 'error'; name: string; message: string };
