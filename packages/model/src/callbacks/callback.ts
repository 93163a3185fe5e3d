import { ValueError } from '@scratchnet/tensor';
import { describeValue } from '../options.js';
import type { Sequential } from '../sequential.js';

/** Numbers reported to callbacks: `loss`, metrics, and after an epoch with validation `val_loss`, `val_…`. */
export type Logs = Record<string, number>;

/** What a `fit` call is about, given to every callback before training starts. */
export interface TrainingParams {
  epochs: number;
  batchSize: number;
  /** Training samples (after the validation split). */
  samples: number;
  /** Batches per epoch. */
  steps: number;
  validationSamples: number;
  /** Every key that end-of-epoch logs will hold, e.g. `['loss', 'accuracy', 'val_loss', 'val_accuracy']`. */
  metrics: string[];
}

/**
 * Hooks `fit` calls, in this order: `onTrainBegin`; per epoch `onEpochBegin`, per batch
 * `onBatchBegin` and `onBatchEnd`, then `onEpochEnd`; finally `onTrainEnd`. Every hook is optional
 * and may return a promise, which `fit` awaits. Batch hooks run after the batch's update: an
 * exception thrown there stops `fit` with the weights of the last completed step.
 */
export interface CallbackHooks {
  /** Once, before the first epoch. */
  onTrainBegin?(logs: Logs): void | Promise<void>;
  /** Once, after the last epoch (also when training stopped early); `logs` are the last epoch's. */
  onTrainEnd?(logs: Logs): void | Promise<void>;
  /** Before epoch `epoch` (counted from 0). */
  onEpochBegin?(epoch: number, logs: Logs): void | Promise<void>;
  /** After epoch `epoch` (from 0), with its mean loss and metrics, and `val_…` when validating. */
  onEpochEnd?(epoch: number, logs: Logs): void | Promise<void>;
  /** Before batch `batch` (counted from 0 within the epoch). */
  onBatchBegin?(batch: number, logs: Logs): void | Promise<void>;
  /** After batch `batch`'s update, with that batch's loss and metrics. */
  onBatchEnd?(batch: number, logs: Logs): void | Promise<void>;
}

/** A plain object of hooks, or a `Callback` subclass (which also gets the model and the params). */
export type CallbackLike = CallbackHooks | Callback;

export const HOOK_NAMES = ['onTrainBegin', 'onTrainEnd', 'onEpochBegin', 'onEpochEnd', 'onBatchBegin', 'onBatchEnd'] as const;
type HookName = (typeof HOOK_NAMES)[number];

/** Base class for callbacks that act on the model, such as `EarlyStopping`. */
export abstract class Callback {
  #model: Sequential | undefined;
  #params: TrainingParams | undefined;

  /** The model being trained (set by `fit` before `onTrainBegin`). */
  get model(): Sequential {
    if (this.#model === undefined) throw new ValueError(`${this.constructor.name}: not attached to a model; pass it to fit({ callbacks })`);
    return this.#model;
  }

  /** What the current `fit` is about (set by `fit` before `onTrainBegin`). */
  get params(): TrainingParams {
    if (this.#params === undefined) throw new ValueError(`${this.constructor.name}: not attached to a fit; pass it to fit({ callbacks })`);
    return this.#params;
  }

  /** Called by `fit` to attach the model; a subclass overriding it must call `super.setModel`. */
  setModel(model: Sequential): void {
    this.#model = model;
  }

  /** Called by `fit` before `onTrainBegin`; a subclass overriding it must call `super.setParams`. */
  setParams(params: TrainingParams): void {
    this.#params = params;
  }
}

/**
 * The callbacks of one `fit`, checked once: each is an object, and a plain object holds only hook
 * names with function values (so `onEpochEnds` is an error, not a hook that never runs).
 */
export class CallbackList {
  readonly #callbacks: CallbackHooks[];
  /** Whether any callback listens to batches; when none does, `fit` builds no batch logs. */
  readonly hasBatchHooks: boolean;

  constructor(callbacks: unknown) {
    const list = callbacks === undefined ? [] : Array.isArray(callbacks) ? callbacks : [callbacks];
    list.forEach((cb, i) => checkCallback(cb, i));
    this.#callbacks = list as CallbackHooks[];
    this.hasBatchHooks = this.#callbacks.some((cb) => cb.onBatchBegin !== undefined || cb.onBatchEnd !== undefined);
  }

  attach(model: Sequential, params: TrainingParams): void {
    for (const cb of this.#callbacks) {
      if (cb instanceof Callback) {
        cb.setModel(model);
        cb.setParams(params);
      }
    }
  }

  async trainBegin(logs: Logs): Promise<void> {
    for (const cb of this.#callbacks) await cb.onTrainBegin?.(logs);
  }

  async trainEnd(logs: Logs): Promise<void> {
    for (const cb of this.#callbacks) await cb.onTrainEnd?.(logs);
  }

  async epochBegin(epoch: number, logs: Logs): Promise<void> {
    for (const cb of this.#callbacks) await cb.onEpochBegin?.(epoch, logs);
  }

  async epochEnd(epoch: number, logs: Logs): Promise<void> {
    for (const cb of this.#callbacks) await cb.onEpochEnd?.(epoch, logs);
  }

  async batchBegin(batch: number, logs: Logs): Promise<void> {
    for (const cb of this.#callbacks) await cb.onBatchBegin?.(batch, logs);
  }

  async batchEnd(batch: number, logs: Logs): Promise<void> {
    for (const cb of this.#callbacks) await cb.onBatchEnd?.(batch, logs);
  }
}

function checkCallback(cb: unknown, index: number): void {
  const where = `fit: callbacks[${index}]`;
  if (cb === null || typeof cb !== 'object' || Array.isArray(cb)) {
    throw new ValueError(`${where} must be an object of hooks (${HOOK_NAMES.join(', ')}) or a Callback, got ${describeValue(cb)}`);
  }
  const record = cb as Record<string, unknown>;
  if (Object.getPrototypeOf(cb) === Object.prototype) {
    for (const key of Object.keys(record)) {
      if (!(HOOK_NAMES as readonly string[]).includes(key)) {
        throw new ValueError(`${where}: unknown hook ${JSON.stringify(key)}; expected one of ${HOOK_NAMES.join(', ')}`);
      }
    }
  }
  for (const name of HOOK_NAMES as readonly HookName[]) {
    const hook = record[name];
    if (hook !== undefined && typeof hook !== 'function') throw new ValueError(`${where}: ${name} must be a function, got ${describeValue(hook)}`);
  }
}
