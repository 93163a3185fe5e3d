import { ValueError, zerosLike, type Tensor } from '@scratchnet/tensor';

/** Options of a `Param`. */
export interface ParamOptions {
  /**
   * Whether an optimizer updates it from a gradient (default true). A non-trainable parameter —
   * BatchNormalization's moving mean and variance — is state its layer updates itself in a
   * training `forward`; it is saved and loaded with the model, counted in its summary as
   * "Non-trainable params", and has no gradient.
   */
  trainable?: boolean;
}

/**
 * A tensor a layer owns: its value and, when trainable, the gradient `backward` accumulates into
 * it. `name` is unique within its layer (`kernel`, `bias`, `moving_mean`), the way Keras names
 * weights.
 */
export class Param {
  readonly name: string;
  readonly value: Tensor;
  readonly trainable: boolean;
  readonly #grad: Tensor | null;

  constructor(name: string, value: Tensor, options: ParamOptions = {}) {
    const trainable = options.trainable ?? true;
    if (typeof trainable !== 'boolean') throw new ValueError(`Param '${name}': trainable must be true or false, got ${String(trainable)}`);
    this.name = name;
    this.value = value;
    this.trainable = trainable;
    this.#grad = trainable ? zerosLike(value) : null;
  }

  /** The accumulated gradient, shaped like `value`; a ValueError for a non-trainable parameter, which has none. */
  get grad(): Tensor {
    if (this.#grad === null) {
      throw new ValueError(`Param '${this.name}' is not trainable: it has no gradient (its layer updates it; optimizers never see it)`);
    }
    return this.#grad;
  }
}
