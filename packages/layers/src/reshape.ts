import { ShapeError, ValueError, formatShape, type Shape, type Tensor } from '@scratchnet/tensor';
import { checkDy } from './check-dy.js';
import { Layer, type BackwardOptions, type ForwardOptions, type LayerConfig, type LayerOptions } from './layer.js';
import { formatSymbolicShape, type SymbolicShape } from './shape.js';

/** Options of `Reshape`. */
export interface ReshapeOptions extends LayerOptions {
  /** Each sample's new shape, batch excluded (`[28, 28, 1]`); one entry may be -1, inferred from the size. */
  targetShape: readonly number[];
}

/**
 * Gives each sample a new shape of the same size (Keras's `Reshape`): `[batch, 784]` to
 * `[batch, 28, 28, 1]` with `targetShape: [28, 28, 1]`, row-major. The output is a view of the
 * input and `dx` a view of `dy`: nothing is copied.
 */
export class Reshape extends Layer {
  readonly className: string = 'Reshape';
  readonly targetShape: readonly number[];
  #inputShape: Shape | undefined;
  #output: { shape: Shape; dtype: Tensor['dtype'] } | undefined;

  constructor(options: ReshapeOptions) {
    super(options);
    const target = (options ?? ({} as ReshapeOptions)).targetShape as unknown;
    const valid =
      Array.isArray(target) &&
      target.every((d) => d === -1 || (typeof d === 'number' && Number.isSafeInteger(d) && d >= 1)) &&
      target.filter((d) => d === -1).length <= 1;
    if (!valid) {
      throw new ValueError(
        `Reshape: targetShape must be an array of positive integers (batch excluded), one of which may be -1, got ${JSON.stringify(target) ?? String(target)}`,
      );
    }
    this.targetShape = Object.freeze([...(target as number[])]);
  }

  #owner(): string {
    return `Reshape '${this.name}'`;
  }

  /** The target shape with -1 resolved for samples of `size` elements (null when unknown); a ShapeError when they cannot fit. */
  #resolve(inputShape: SymbolicShape): (number | null)[] {
    const dims = inputShape.slice(1);
    const size = dims.some((d) => d === null) ? null : (dims as number[]).reduce((a, b) => a * b, 1);
    const known = this.targetShape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    const inferred = this.targetShape.includes(-1);
    if (size === null) return this.targetShape.map((d) => (d === -1 ? null : d));
    if (inferred ? size % known !== 0 : size !== known) {
      throw new ShapeError(
        `${this.#owner()}: input shape ${formatSymbolicShape(inputShape)} has ${size} elements per sample, which do not fit targetShape ` +
          `[${this.targetShape.join(',')}]${inferred ? ` (a multiple of ${known})` : ` (${known})`}`,
      );
    }
    return this.targetShape.map((d) => (d === -1 ? size / known : d));
  }

  forward(x: Tensor, options: ForwardOptions = {}): Tensor {
    if (x.rank < 1) throw new ShapeError(`${this.#owner()}: expected an input with a batch axis, got shape ${formatShape(x.shape)}`);
    if (!this.built) this.build(x.shape);
    const y = x.reshape([x.shape[0]!, ...(this.#resolve(x.shape) as number[])]);
    if (options.training === true) {
      this.#inputShape = x.shape;
      this.#output = { shape: y.shape, dtype: y.dtype };
    }
    return y;
  }

  backward(dy: Tensor, options?: BackwardOptions & { inputGrad?: true }): Tensor;
  backward(dy: Tensor, options: BackwardOptions): Tensor | null;
  backward(dy: Tensor, options: BackwardOptions = {}): Tensor | null {
    checkDy(this.#owner(), dy, this.#output);
    if (options.inputGrad === false) return null;
    return dy.reshape(this.#inputShape!);
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    if (!Array.isArray(inputShape) || inputShape.length < 1) {
      throw new ShapeError(`${this.#owner()}: expected an input shape with a batch axis, got ${String(inputShape)}`);
    }
    return [inputShape[0]!, ...this.#resolve(inputShape)];
  }

  getConfig(): LayerConfig {
    return { name: this.name, targetShape: [...this.targetShape] };
  }
}
