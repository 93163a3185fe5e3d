import { ShapeError, formatShape, type Shape, type Tensor } from '@scratchnet/tensor';
import { checkDy } from './check-dy.js';
import { Layer, type BackwardOptions, type ForwardOptions, type LayerConfig, type LayerOptions } from './layer.js';
import { featureDims, type SymbolicShape } from './shape.js';

/**
 * Flattens each sample: `[batch, d1, d2, …]` becomes `[batch, d1·d2·…]` in row-major order
 * (Keras's `Flatten` with `channels_last`), so an NHWC feature map can feed a `Dense`. The output
 * is a view of the input, and `dx` a view of `dy`: nothing is copied or allocated.
 */
export class Flatten extends Layer {
  readonly className: string = 'Flatten';
  #inputShape: Shape | undefined;
  #output: { shape: Shape; dtype: Tensor['dtype'] } | undefined;

  constructor(options: LayerOptions = {}) {
    super(options);
  }

  forward(x: Tensor, options: ForwardOptions = {}): Tensor {
    if (x.rank < 1) throw new ShapeError(`Flatten '${this.name}': expected an input with a batch axis, got shape ${formatShape(x.shape)}`);
    if (!this.built) this.build(x.shape);
    const n = x.shape[0]!;
    const features = x.shape.slice(1).reduce((a, b) => a * b, 1);
    const y = x.reshape([n, features]);
    if (options.training === true) {
      this.#inputShape = x.shape;
      this.#output = { shape: y.shape, dtype: y.dtype };
    }
    return y;
  }

  backward(dy: Tensor, options?: BackwardOptions & { inputGrad?: true }): Tensor;
  backward(dy: Tensor, options: BackwardOptions): Tensor | null;
  backward(dy: Tensor, options: BackwardOptions = {}): Tensor | null {
    checkDy(`Flatten '${this.name}'`, dy, this.#output);
    if (options.inputGrad === false) return null;
    return dy.reshape(this.#inputShape!);
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    if (!Array.isArray(inputShape) || inputShape.length < 1) {
      throw new ShapeError(`Flatten '${this.name}': expected an input shape with a batch axis, got ${String(inputShape)}`);
    }
    const dims = featureDims(`Flatten '${this.name}'`, inputShape);
    return [inputShape[0]!, dims.reduce((a, b) => a * b, 1)];
  }

  getConfig(): LayerConfig {
    return { name: this.name };
  }
}
