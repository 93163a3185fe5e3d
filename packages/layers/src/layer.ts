import { fill } from '@scratchnet/backend';
import { ValueError, type DType, type Tensor } from '@scratchnet/tensor';
import type { Param } from './param.js';
import type { SymbolicShape } from './shape.js';

export interface ForwardOptions {
  /** Training mode: layers cache what `backward` needs and Dropout drops. Default false. */
  training?: boolean;
}

export interface BackwardOptions {
  /**
   * Compute and return `dx` (default true). `false` skips the input gradient — the first layer
   * of a model has nobody to pass it to, and for `Dense` it is a whole matmul — and `backward`
   * returns null. Parameter gradients are accumulated either way.
   */
  inputGrad?: boolean;
}

/** What `getConfig` returns: plain JSON that, with the class name, rebuilds the layer. */
export type LayerConfig = { name: string } & Record<string, unknown>;

export interface LayerOptions {
  /** Unique name within a model; a Sequential assigns `dense`, `dense_1`, … when absent. */
  name?: string;
}

/**
 * The layer contract. `forward` maps a batch to a batch; `backward(dy)` returns `dx` and adds
 * the parameter gradients into each `Param.grad` (the model zeroes them between steps). Layers
 * compute only through `@scratchnet/backend` ops, so they run on whichever backend is active.
 *
 * Buffers: a training-mode `forward` and every `backward` write into buffers the layer keeps
 * and reuses on the next call with the same batch size, so a training step allocates nothing
 * once warm — a returned output or `dx` is therefore valid until that layer's next call. An
 * inference `forward` (`training` false) returns a tensor the layer never overwrites: a fresh
 * one (or, for an identity such as Dropout at inference, the input itself).
 */
export abstract class Layer {
  /** The class name written to configs and summaries (`Dense`, `ReLU`). */
  abstract readonly className: string;
  #name: string | undefined;

  constructor(options: LayerOptions = {}) {
    if (options.name !== undefined && (typeof options.name !== 'string' || options.name === '')) {
      throw new ValueError(`${new.target.name}: name must be a non-empty string, got ${JSON.stringify(options.name)}`);
    }
    this.#name = options.name;
  }

  get name(): string {
    return this.#name ?? snakeCase(this.className);
  }

  /** Whether a name was given (or assigned by a model). */
  get hasName(): boolean {
    return this.#name !== undefined;
  }

  /** Sets the name once; a model uses it to make names unique. */
  assignName(name: string): void {
    if (this.#name !== undefined) throw new ValueError(`${this.className}: layer already named ${JSON.stringify(this.#name)}`);
    this.#name = name;
  }

  /** The dtype of this layer's parameters, or undefined for a layer without any. */
  get dtype(): DType | undefined {
    return this.params()[0]?.value.dtype;
  }

  abstract forward(x: Tensor, options?: ForwardOptions): Tensor;

  /**
   * Given `dy`, the loss gradient with respect to the last training-mode `forward`'s output,
   * adds each parameter's gradient into its `Param.grad` and returns `dx`, the gradient with
   * respect to that forward's input — or null when `options.inputGrad` is false.
   */
  abstract backward(dy: Tensor, options?: BackwardOptions & { inputGrad?: true }): Tensor;
  abstract backward(dy: Tensor, options: BackwardOptions): Tensor | null;

  /** The output shape for an input shape (batch dimension `null` when unknown). */
  abstract outputShape(inputShape: SymbolicShape): SymbolicShape;

  abstract getConfig(): LayerConfig;

  /** Trainable parameters, in a fixed order (weights before bias). */
  params(): Param[] {
    return [];
  }

  /** Sets every parameter gradient to 0, as a model does before each step's `backward`. */
  zeroGrads(): void {
    for (const p of this.params()) fill(p.grad, 0);
  }

  countParams(): number {
    let n = 0;
    for (const p of this.params()) n += p.value.size;
    return n;
  }
}

/** `Dense` → `dense`, `ReLU` → `re_lu`, `LeakyReLU` → `leaky_re_lu`: Keras's naming. */
export function snakeCase(className: string): string {
  return className
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}
