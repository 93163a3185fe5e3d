import { copy } from '@scratchnet/backend';
import { ValueError, type Tensor } from '@scratchnet/tensor';
import { checkBoolean, checkInteger, checkNumber, checkOneOf, checkOptions } from '../options.js';
import { Callback, type Logs } from './callback.js';

/**
 * Options of `new EarlyStopping(options)`. With none it watches `val_loss` (so `fit` needs
 * validation data) and stops after the first epoch that does not improve on the best.
 */
export interface EarlyStoppingOptions {
  /** The logged quantity to watch; `val_loss` by default. */
  monitor?: string;
  /** Epochs without improvement to wait before stopping; 0 by default. */
  patience?: number;
  /** The smallest change that counts as an improvement; 0 by default. */
  minDelta?: number;
  /** `min`, `max`, or `auto` (the default): `max` for accuracies, `min` otherwise. */
  mode?: 'auto' | 'min' | 'max';
  /** At the end of training, put back the weights of the best epoch seen; false by default. */
  restoreBestWeights?: boolean;
}

const KEYS = ['monitor', 'patience', 'minDelta', 'mode', 'restoreBestWeights'];

/**
 * Stops `fit` when `monitor` has not improved for `patience` epochs, as Keras's `EarlyStopping`:
 * an epoch improves when its value beats the best so far by more than `minDelta`; every other
 * epoch adds one to a wait count, and when the count reaches `patience` training stops after that
 * epoch. With `restoreBestWeights` the model ends with the weights it had at the end of its best
 * epoch (whether or not training stopped early).
 */
export class EarlyStopping extends Callback {
  readonly monitor: string;
  readonly patience: number;
  readonly minDelta: number;
  readonly mode: 'min' | 'max';
  readonly restoreBestWeights: boolean;
  /** The best value seen in the current fit. */
  best = Number.NaN;
  /** The epoch of `best`, or -1 before the first epoch. */
  bestEpoch = -1;
  /** The epoch after which training was stopped, or -1 when it ran to the end. */
  stoppedEpoch = -1;
  #wait = 0;
  #bestWeights: Tensor[] | null = null;

  constructor(options: EarlyStoppingOptions = {}) {
    super();
    const o = checkOptions('EarlyStopping', options, KEYS);
    const monitor = o.monitor ?? 'val_loss';
    if (typeof monitor !== 'string' || monitor === '') throw new ValueError(`EarlyStopping: monitor must be a non-empty string, got ${String(monitor)}`);
    this.monitor = monitor;
    this.patience = checkInteger('EarlyStopping', 'patience', o.patience ?? 0, 0);
    this.minDelta = Math.abs(checkNumber('EarlyStopping', 'minDelta', o.minDelta ?? 0));
    const mode = checkOneOf('EarlyStopping', 'mode', o.mode ?? 'auto', ['auto', 'min', 'max'] as const);
    this.mode = mode === 'auto' ? (/acc/.test(monitor) ? 'max' : 'min') : mode;
    this.restoreBestWeights = checkBoolean('EarlyStopping', 'restoreBestWeights', o.restoreBestWeights ?? false);
  }

  /** Checks that this `fit` reports `monitor` (a ValueError otherwise) and resets the best and the wait. */
  onTrainBegin(): void {
    const reported = this.params.metrics;
    if (!reported.includes(this.monitor)) {
      const hint = this.monitor.startsWith('val_') ? '; pass validationData or validationSplit to fit' : '';
      throw new ValueError(`EarlyStopping: monitor ${JSON.stringify(this.monitor)} is not reported by this fit (it reports ${reported.join(', ')})${hint}`);
    }
    this.best = this.mode === 'min' ? Infinity : -Infinity;
    this.bestEpoch = -1;
    this.stoppedEpoch = -1;
    this.#wait = 0;
    this.#bestWeights = null;
  }

  /** Compares the epoch's `monitor` with the best so far; stops training once `patience` runs out. */
  onEpochEnd(epoch: number, logs: Logs): void {
    const current = logs[this.monitor];
    if (current === undefined) return;
    const improved = this.mode === 'min' ? current + this.minDelta < this.best : current - this.minDelta > this.best;
    if (improved) {
      this.best = current;
      this.bestEpoch = epoch;
      this.#wait = 0;
      if (this.restoreBestWeights) this.#saveWeights();
      return;
    }
    this.#wait++;
    if (this.#wait >= this.patience) {
      this.stoppedEpoch = epoch;
      this.model.stopTraining = true;
    }
  }

  /** With `restoreBestWeights`, puts back the weights of the best epoch. */
  onTrainEnd(): void {
    if (this.restoreBestWeights && this.#bestWeights !== null && this.bestEpoch >= 0) this.model.setWeights(this.#bestWeights);
  }

  #saveWeights(): void {
    // The first best epoch copies the weights; later ones overwrite that copy in place.
    if (this.#bestWeights === null) {
      this.#bestWeights = this.model.getWeights();
      return;
    }
    const weights = this.model.weights;
    this.#bestWeights.forEach((t, i) => copy(weights[i]!, t));
  }
}
