import { clone, scale } from '@scratchnet/backend';
import type { Param } from '@scratchnet/layers';
import { DTypeError, ShapeError, ValueError, formatShape, isFloatDType, shapesEqual, zeros, type Tensor } from '@scratchnet/tensor';
import { checkNumber, describeValue } from '../options.js';

/** A parameter with the name its optimizer state is saved under (`dense/kernel`, as Keras names weights). */
export interface NamedParam {
  readonly key: string;
  readonly param: Param;
}

/**
 * What an optimizer carries between steps, for saving: `step` updates applied so far, and per
 * parameter key its slot tensors (`m` and `v` for Adam, `velocity` for momentum SGD, …).
 */
export interface OptimizerState {
  step: number;
  slots: Record<string, Record<string, Tensor>>;
}

/** Plain JSON that, with `className`, rebuilds the optimizer (see `getOptimizer`). */
export type OptimizerConfig = { learningRate: number } & Record<string, number | boolean>;

interface SlotEntry {
  /** The parameter these slots belong to; null for state loaded before the first step. */
  param: Param | null;
  /** In the order of `slotNames`. */
  tensors: Tensor[];
}

/**
 * An optimizer: `applyGradients` moves every parameter against its accumulated gradient with a
 * fused backend update, in place. Slots (moments, velocities) are created, zeroed, the first time
 * a parameter is seen and reused on every later step, so a step allocates nothing after the first.
 *
 * `weightDecay`, where an optimizer takes it, is decoupled as in Keras 3 and AdamW:
 * `param -= learningRate * weightDecay * param` alongside the gradient step, never added to the
 * gradient's moments.
 */
export abstract class Optimizer {
  /** Class name as written in configs (`SGD`, `Adam`, `AdamW`, `RMSprop`). */
  abstract readonly className: string;
  #learningRate: number;
  #step = 0;
  #slots = new Map<string, SlotEntry>();

  protected constructor(learningRate: number) {
    this.#learningRate = learningRate;
  }

  /** Step size; may be changed between steps (schedules, callbacks). */
  get learningRate(): number {
    return this.#learningRate;
  }

  set learningRate(value: number) {
    this.#learningRate = checkNumber(`${this.className}`, 'learningRate', value, { min: 0, minOpen: true });
  }

  /** Number of updates applied so far (Keras's `iterations`). */
  get iterations(): number {
    return this.#step;
  }

  /** Names of the per-parameter state tensors this optimizer keeps, in a fixed order. */
  abstract get slotNames(): readonly string[];

  /** The constructor options that rebuild this optimizer (`new Adam(config)`), as saved with a model. */
  abstract getConfig(): OptimizerConfig;

  /** One update of `value` from `grad` with this parameter's slots; `step` counts from 1. */
  protected abstract update(value: Tensor, grad: Tensor, slots: readonly Tensor[], step: number): void;

  /** Applies one step to every parameter from its `grad` (which the caller has accumulated). */
  applyGradients(params: readonly NamedParam[]): void {
    const step = this.#step + 1;
    for (let i = 0; i < params.length; i++) {
      const { key, param } = params[i]!;
      this.update(param.value, param.grad, this.#slotsFor(key, param), step);
    }
    this.#step = step;
  }

  /** Decoupled weight decay, `value *= 1 - lr * weightDecay`, in place (a no-op for 0). */
  protected decay(value: Tensor, weightDecay: number): void {
    if (weightDecay !== 0) scale(value, 1 - this.#learningRate * weightDecay, { out: value });
  }

  #slotsFor(key: string, param: Param): readonly Tensor[] {
    const entry = this.#slots.get(key);
    if (entry !== undefined && entry.param === param) return entry.tensors;
    if (entry !== undefined) {
      // Loaded state, or a parameter object replaced under the same key: it must fit.
      const first = entry.tensors[0];
      if (first !== undefined) checkSlotFits(this.className, key, first, param.value);
      entry.param = param;
      return entry.tensors;
    }
    const tensors = this.slotNames.map(() => zeros(param.value.shape, { dtype: param.value.dtype }));
    this.#slots.set(key, { param, tensors });
    return tensors;
  }

  /** Copies of the step count and every slot tensor, keyed by parameter key and slot name. */
  getState(): OptimizerState {
    const slots: Record<string, Record<string, Tensor>> = {};
    for (const [key, entry] of this.#slots) {
      const named: Record<string, Tensor> = {};
      this.slotNames.forEach((name, i) => (named[name] = clone(entry.tensors[i]!)));
      slots[key] = named;
    }
    return { step: this.#step, slots };
  }

  /**
   * Replaces the state with (copies of) `state`, as `getState` returned it. Everything is checked
   * first — step, slot names, shapes and dtypes, and fit with parameters already seen — so a bad
   * state changes nothing.
   */
  setState(state: OptimizerState): void {
    const where = `${this.className}.setState`;
    if (state === null || typeof state !== 'object') throw new ValueError(`${where}: state must be an object { step, slots }, got ${describeValue(state)}`);
    for (const key of Object.keys(state)) {
      if (key !== 'step' && key !== 'slots') throw new ValueError(`${where}: unknown state key ${JSON.stringify(key)}; expected step and slots`);
    }
    const { step, slots } = state;
    if (typeof step !== 'number' || !Number.isSafeInteger(step) || step < 0) {
      throw new ValueError(`${where}: step must be an integer >= 0, got ${describeValue(step)}`);
    }
    if (slots === null || typeof slots !== 'object' || Array.isArray(slots)) {
      throw new ValueError(`${where}: slots must be an object keyed by parameter, got ${describeValue(slots)}`);
    }
    const names = this.slotNames;
    const next = new Map<string, SlotEntry>();
    for (const [key, named] of Object.entries(slots)) {
      if (named === null || typeof named !== 'object' || Array.isArray(named)) {
        throw new ValueError(`${where}: slots[${JSON.stringify(key)}] must be an object of tensors, got ${describeValue(named)}`);
      }
      const given = Object.keys(named);
      const missing = names.filter((n) => !given.includes(n));
      const extra = given.filter((n) => !names.includes(n));
      if (missing.length > 0 || extra.length > 0) {
        const expected = names.length === 0 ? 'no slots' : names.join(', ');
        throw new ValueError(
          `${where}: slots[${JSON.stringify(key)}] has ${given.length === 0 ? 'no slots' : given.join(', ')}; ${this.className} keeps ${expected}` +
            (missing.length > 0 ? ` (missing ${missing.join(', ')})` : '') +
            (extra.length > 0 ? ` (unexpected ${extra.join(', ')})` : ''),
        );
      }
      const tensors = names.map((n) => named[n]!);
      tensors.forEach((t, i) => {
        if (!isTensorLike(t)) throw new ValueError(`${where}: slots[${JSON.stringify(key)}].${names[i]} must be a Tensor, got ${describeValue(t)}`);
        if (!isFloatDType(t.dtype)) throw new DTypeError(`${where}: slots[${JSON.stringify(key)}].${names[i]} is ${t.dtype}; slots are float32 or float64`);
        const first = tensors[0]!;
        if (!shapesEqual(t.shape, first.shape) || t.dtype !== first.dtype) {
          throw new ShapeError(
            `${where}: slots of ${JSON.stringify(key)} differ: ${names[0]} is ${formatShape(first.shape)} ${first.dtype}, ${names[i]} is ${formatShape(t.shape)} ${t.dtype}`,
          );
        }
      });
      const bound = this.#slots.get(key)?.param ?? null;
      if (bound !== null && tensors[0] !== undefined) checkSlotFits(where, key, tensors[0], bound.value);
      next.set(key, { param: bound, tensors: tensors.map((t) => clone(t)) });
    }
    this.#slots = next;
    this.#step = step;
  }
}

function isTensorLike(value: unknown): value is Tensor {
  if (value === null || typeof value !== 'object') return false;
  const t = value as Partial<Tensor>;
  return Array.isArray(t.shape) && typeof t.dtype === 'string' && ArrayBuffer.isView(t.data);
}

function checkSlotFits(where: string, key: string, slot: Tensor, value: Tensor): void {
  if (!shapesEqual(slot.shape, value.shape) || slot.dtype !== value.dtype) {
    throw new ShapeError(
      `${where}: state for ${JSON.stringify(key)} is ${formatShape(slot.shape)} ${slot.dtype} but the parameter is ` +
        `${formatShape(value.shape)} ${value.dtype}; this state belongs to another model`,
    );
  }
}
