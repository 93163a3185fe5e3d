import { getGlobalRng, ValueError, type Rng, type Tensor } from '@scratchnet/tensor';
import { CallbackList, type CallbackLike } from './callbacks/callback.js';
import { checkBoolean, checkInteger, checkNumber, checkOptions, describeValue } from './options.js';

/** Options of `Sequential.fit`; every one has a default, so `fit(x, y)` trains one epoch. */
export interface FitOptions {
  /** Passes over the training data; 1 by default. */
  epochs?: number;
  /** Samples per gradient step; 32 by default (the last batch of an epoch may be smaller). */
  batchSize?: number;
  /** Reshuffle the training samples before every epoch (with `rng`); true by default. */
  shuffle?: boolean;
  /**
   * Fraction in [0, 1) of the samples held out for validation. The held-out samples are chosen
   * with `rng` — a random permutation drawn once, before any shuffling — and are
   * `n - floor(n * (1 - validationSplit))` of them, Keras's count. Excludes `validationData`.
   */
  validationSplit?: number;
  /** `[x, y]` evaluated after every epoch (reported as `val_loss`, `val_…`). */
  validationData?: readonly [Tensor, Tensor];
  /** Hook objects or `Callback`s such as `EarlyStopping`. */
  callbacks?: CallbackLike | readonly CallbackLike[];
  /** 1 prints one line per epoch (`console.log`); 0, the default, prints nothing. */
  verbose?: 0 | 1;
  /** Randomness for the validation split and the shuffles; the global Rng (see `seed`) by default. */
  rng?: Rng;
}

const KEYS = ['epochs', 'batchSize', 'shuffle', 'validationSplit', 'validationData', 'callbacks', 'verbose', 'rng'];

export interface CheckedFitOptions {
  epochs: number;
  batchSize: number;
  shuffle: boolean;
  validationSplit: number;
  validationData: readonly [unknown, unknown] | null;
  callbacks: CallbackList;
  verbose: 0 | 1;
  rng: Rng;
}

export function checkFitOptions(options: FitOptions | undefined): CheckedFitOptions {
  const o = checkOptions('fit', options, KEYS);
  const validationSplit = checkNumber('fit', 'validationSplit', o.validationSplit ?? 0, { min: 0, max: 1, maxOpen: true });
  let validationData: readonly [unknown, unknown] | null = null;
  if (o.validationData !== undefined) {
    if (!Array.isArray(o.validationData) || o.validationData.length !== 2) {
      throw new ValueError(`fit: validationData must be [x, y], got ${describeValue(o.validationData)}`);
    }
    if (validationSplit > 0) throw new ValueError('fit: pass validationSplit or validationData, not both');
    validationData = o.validationData as readonly [unknown, unknown];
  }
  const verbose = o.verbose ?? 0;
  if (verbose !== 0 && verbose !== 1) throw new ValueError(`fit: verbose must be 0 or 1, got ${describeValue(verbose)}`);
  const rng = o.rng ?? getGlobalRng();
  if (rng === null || typeof rng !== 'object' || typeof (rng as Partial<Rng>).shuffle !== 'function' || typeof (rng as Partial<Rng>).permutation !== 'function') {
    throw new ValueError(`fit: rng must be an Rng, got ${describeValue(rng)}`);
  }
  return {
    epochs: checkInteger('fit', 'epochs', o.epochs ?? 1, 1),
    batchSize: checkInteger('fit', 'batchSize', o.batchSize ?? 32, 1),
    shuffle: checkBoolean('fit', 'shuffle', o.shuffle ?? true),
    validationSplit,
    validationData,
    callbacks: new CallbackList(o.callbacks),
    verbose,
    rng,
  };
}

/**
 * Which samples train and which validate, for a `validationSplit`: a permutation drawn once from
 * `rng` picks the validation samples; both parts are then kept in ascending order (so with
 * `shuffle: false` training visits its samples in data order).
 */
export function splitIndices(samples: number, validationSplit: number, rng: Rng): { train: Int32Array; validation: Int32Array | null } {
  if (validationSplit === 0) {
    const train = new Int32Array(samples);
    for (let i = 0; i < samples; i++) train[i] = i;
    return { train, validation: null };
  }
  const trainCount = Math.floor(samples * (1 - validationSplit));
  const validationCount = samples - trainCount;
  if (trainCount === 0) {
    throw new ValueError(`fit: validationSplit ${validationSplit} of ${samples} samples leaves none to train on; lower validationSplit or pass more samples`);
  }
  if (validationCount === 0) {
    throw new ValueError(`fit: validationSplit ${validationSplit} of ${samples} samples leaves none to validate on; raise validationSplit or pass more samples`);
  }
  const permutation = rng.permutation(samples);
  const train = permutation.slice(0, trainCount).sort();
  const validation = permutation.slice(trainCount).sort();
  return { train, validation };
}
