import type { Shape, Tensor } from '@scratchnet/tensor';
import { BufferCache } from '../buffer-cache.js';
import { checkDy } from '../check-dy.js';
import { Layer, outputKindOf, type BackwardOptions, type ForwardOptions, type LayerConfig, type LayerOptions, type OutputKind } from '../layer.js';
import type { SymbolicShape } from '../shape.js';
import { identityStage, type Stage } from '../stage.js';
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

  /** `'softmax'` or `'sigmoid'` for those activations (a loss on probabilities needs one), else `'other'`. */
  override get outputKind(): OutputKind {
    return outputKindOf(this.fn.name);
  }

  /** For a softmax or sigmoid: the identity, since this layer's input is its logits. */
  override logitsStage(): Stage | undefined {
    return this.outputKind === 'other' ? undefined : identityStage;
  }

  forward(x: Tensor, options: ForwardOptions = {}): Tensor {
    // Built by the first input with a batch axis (elementwise, so any shape works afterwards).
    if (!this.built && x.rank > 0) this.build(x.shape);
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

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  getConfig(): LayerConfig {
    return { name: this.name };
  }
}
