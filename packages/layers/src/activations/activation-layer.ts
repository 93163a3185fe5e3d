import { ValueError, type Tensor } from '@scratchnet/tensor';
import { Layer, type ForwardOptions, type LayerConfig, type LayerOptions } from '../layer.js';
import type { SymbolicShape } from '../shape.js';
import type { ActivationFn } from './activation-fn.js';

/** A parameter-free layer applying one activation; shared by ReLU, Sigmoid, Tanh, Softmax, … */
export abstract class ActivationLayer extends Layer {
  protected abstract readonly fn: ActivationFn;
  #saved: Tensor | undefined;
  #ready = false;

  constructor(options: LayerOptions = {}) {
    super(options);
  }

  forward(x: Tensor, options: ForwardOptions = {}): Tensor {
    const y = this.fn.forward(x);
    if (options.training) {
      this.#saved = this.fn.saves === 'input' ? x : this.fn.saves === 'output' ? y : undefined;
      this.#ready = true;
    }
    return y;
  }

  backward(dy: Tensor): Tensor {
    if (!this.#ready) {
      throw new ValueError(`${this.className}.backward: call forward(x, { training: true }) first`);
    }
    return this.fn.backward(this.#saved, dy);
  }

  outputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  getConfig(): LayerConfig {
    return { name: this.name };
  }
}
