import type { Shape, Tensor } from '@scratchnet/tensor';
import { BufferCache } from '../buffer-cache.js';
import { checkDy } from '../check-dy.js';
import { Layer, type BackwardOptions, type ForwardOptions, type LayerConfig, type LayerOptions } from '../layer.js';
import type { SymbolicShape } from '../shape.js';
import type { ActivationFn } from './activation-fn.js';

/** A parameter-free layer applying one activation; shared by ReLU, Sigmoid, Tanh, Softmax, … */
export abstract class ActivationLayer extends Layer {
  protected abstract readonly fn: ActivationFn;
  #saved: Tensor | undefined;
  // Shape and dtype of the last training output: what `backward` expects `dy` to be.
  #output: { shape: Shape; dtype: Tensor['dtype'] } | undefined;
  readonly #buffers = new BufferCache();

  constructor(options: LayerOptions = {}) {
    super(options);
  }

  forward(x: Tensor, options: ForwardOptions = {}): Tensor {
    if (options.training !== true) return this.fn.forward(x);
    // The input belongs to the caller (often the previous layer, which may need it), so the
    // output goes to a buffer of this layer's own, never in place.
    const y = this.fn.forward(x, this.#buffers.get('y', x.shape, x.dtype));
    this.#saved = this.fn.saves === 'input' ? x : this.fn.saves === 'output' ? y : undefined;
    this.#output = { shape: y.shape, dtype: y.dtype };
    return y;
  }

  backward(dy: Tensor, options?: BackwardOptions & { inputGrad?: true }): Tensor;
  backward(dy: Tensor, options: BackwardOptions): Tensor | null;
  backward(dy: Tensor, options: BackwardOptions = {}): Tensor | null {
    checkDy(`${this.className} '${this.name}'`, dy, this.#output);
    if (options.inputGrad === false) return null;
    return this.fn.backward(this.#saved, dy, this.#buffers.get('dx', dy.shape, dy.dtype));
  }

  outputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  getConfig(): LayerConfig {
    return { name: this.name };
  }
}
