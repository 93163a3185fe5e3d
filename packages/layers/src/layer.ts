import { fill } from '@scratchnet/backend';
import { ValueError, type DType, type Tensor } from '@scratchnet/tensor';
import type { Param } from './param.js';
import { checkSymbolicShape, withUnknownBatch, type SymbolicShape } from './shape.js';
import type { Stage } from './stage.js';

/** Options of `Layer.forward`. */
export interface ForwardOptions {
  /** Training mode: layers cache what `backward` needs and Dropout drops. Default false. */
  training?: boolean;
}

/** Options of `Layer.backward`. */
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

/** Options every layer's constructor takes; each layer's own options extend these. */
export interface LayerOptions {
  /** Unique name within a model; a Sequential assigns `dense`, `dense_1`, … when absent. */
  name?: string;
}

/**
 * What a layer's output is, as far as a loss is concerned:
 * - `'softmax'`: probabilities, each row along the last axis a distribution (a softmax's output);
 * - `'sigmoid'`: probabilities, each element on its own (a sigmoid's output);
 * - `'other'`: anything else — logits, features, regression values.
 */
export type OutputKind = 'softmax' | 'sigmoid' | 'other';

/** The output kind of an activation by name: `'softmax'` and `'sigmoid'` are themselves, any other is `'other'`. */
export function outputKindOf(activation: string): OutputKind {
  return activation === 'softmax' || activation === 'sigmoid' ? activation : 'other';
}

/**
 * The layer contract. `forward` maps a batch to a batch; `backward(dy)` returns `dx` and adds
 * the parameter gradients into each `Param.grad` (the model zeroes them between steps). Layers
 * compute only through `@scratchnet/backend` ops, so they run on whichever backend is active.
 * Shapes have any rank, batch first: `[batch, features]`, `[batch, height, width, channels]`, …
 *
 * What a model asks of a layer, and nothing else (it never looks at a layer's class):
 * - `build(inputShape)` / `built` / `inputShape`: create the parameters once the input shape is
 *   known (a subclass does that in `createParams`);
 * - `computeOutputShape(inputShape)`: shapes for summaries and checks, without running anything;
 * - `params()`, `dtype`: what the optimizer updates and what inputs must be;
 * - `nonTrainableParams()`: state the layer updates itself (BatchNormalization's moving
 *   statistics), saved and loaded with the trainable ones but never given to an optimizer;
 * - `outputKind` and `logitsStage()`: what the output is, so that a model can check a loss
 *   against it and fuse a final softmax into the loss (training on the logits, see `Stage`);
 * - `getConfig()` and `className`: serialization (`registerLayer` teaches loading a new class).
 *
 * Buffers: a training-mode `forward` and every `backward` write into buffers the layer keeps
 * and reuses on the next call with the same batch size, so a training step allocates nothing
 * once warm — a returned output or `dx` is therefore valid until that layer's next call. An
 * inference `forward` (`training` false) returns a tensor the layer never overwrites: a fresh
 * one (or, for a layer that only passes data on, such as Dropout at inference or Flatten, the
 * input itself or a view of it).
 */
export abstract class Layer implements Stage {
  /** The class name written to configs and summaries (`Dense`, `ReLU`). */
  abstract readonly className: string;
  #name: string | undefined;
  #inputShape: SymbolicShape | undefined;

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

  /** How messages name this layer: `'dense_1' (Dense)`. */
  describe(): string {
    return `'${this.name}' (${this.className})`;
  }

  /** Whether `build` has run: the parameters exist and `inputShape` is known. */
  get built(): boolean {
    return this.#inputShape !== undefined;
  }

  /** The input shape the layer was built for, batch dimension `null`; undefined before `build`. */
  get inputShape(): SymbolicShape | undefined {
    return this.#inputShape;
  }

  /**
   * Builds the layer for inputs of `inputShape` (batch dimension usually `null`): creates its
   * parameters (`createParams`) and records the shape. Runs once — by the first `forward`, by a
   * model before training, or by hand; later calls do nothing (a layer checks the shapes it is
   * given in `forward` and `computeOutputShape`). A layer that fails to build stays unbuilt.
   */
  build(inputShape: SymbolicShape): void {
    if (this.#inputShape !== undefined) return;
    const shape = checkSymbolicShape(`${this.className} '${this.name}'.build`, inputShape);
    this.createParams(shape);
    this.#inputShape = Object.freeze(withUnknownBatch(shape));
  }

  /**
   * Creates the parameters for inputs of `inputShape` (override in a layer that has some; the
   * default creates none). Called once, by `build`; throw a ShapeError for a shape that cannot fit.
   */
  protected createParams(_inputShape: SymbolicShape): void {}

  /**
   * The dtype this layer computes in — inputs must have it — or undefined for a layer that takes
   * any float dtype. By default the dtype of its first parameter.
   */
  get dtype(): DType | undefined {
    return this.allParams()[0]?.value.dtype;
  }

  /** What the output is (see `OutputKind`); `'other'` unless a layer says otherwise. */
  get outputKind(): OutputKind {
    return 'other';
  }

  /**
   * For a layer whose output is an activation (softmax, sigmoid) of values it computes — its
   * logits — a stage computing those logits with the same parameters and buffers, so that a
   * model can apply the activation inside a fused loss (softmax cross-entropy from the logits is
   * finite however saturated the probabilities are). A training `forward` through the stage pairs
   * with a `backward` through the stage. Undefined for a layer that offers none (the default).
   */
  logitsStage(): Stage | undefined {
    return undefined;
  }

  /**
   * The layer's output for the batch `x`. With `training: true` it also caches what `backward`
   * needs (and Dropout drops); inference mode caches nothing.
   */
  abstract forward(x: Tensor, options?: ForwardOptions): Tensor;

  /**
   * Given `dy`, the loss gradient with respect to the last training-mode `forward`'s output,
   * adds each parameter's gradient into its `Param.grad` and returns `dx`, the gradient with
   * respect to that forward's input — or null when `options.inputGrad` is false.
   */
  abstract backward(dy: Tensor, options?: BackwardOptions & { inputGrad?: true }): Tensor;
  abstract backward(dy: Tensor, options: BackwardOptions): Tensor | null;

  /**
   * The output shape for an input shape of any rank (unknown dimensions `null`), without running
   * anything; a ShapeError naming the layer when the input cannot fit.
   */
  abstract computeOutputShape(inputShape: SymbolicShape): SymbolicShape;

  /** The constructor options that rebuild this layer (`new Dense(config)`), as saved in a model's manifest. */
  abstract getConfig(): LayerConfig;

  /** Trainable parameters, in a fixed order (weights before bias). */
  params(): Param[] {
    return [];
  }

  /**
   * Non-trainable parameters (`trainable` false), in a fixed order: state the layer updates
   * itself in a training `forward` — BatchNormalization's `moving_mean` and `moving_variance` —
   * which a model saves and loads with the trainable ones but never hands to an optimizer. None
   * by default.
   */
  nonTrainableParams(): Param[] {
    return [];
  }

  /** Every parameter, trainable first (Keras's `layer.weights` order): what a saved model holds. */
  allParams(): Param[] {
    return [...this.params(), ...this.nonTrainableParams()];
  }

  /** Sets every parameter gradient to 0, as a model does before each step's `backward`. */
  zeroGrads(): void {
    for (const p of this.params()) fill(p.grad, 0);
  }

  /** Number of parameter elements, trainable and not (as Keras's `count_params`). */
  countParams(): number {
    let n = 0;
    for (const p of this.allParams()) n += p.value.size;
    return n;
  }
}

/**
 * `Dense` → `dense`, `ReLU` → `re_lu`, `LeakyReLU` → `leaky_re_lu`, `Conv2D` → `conv2d`,
 * `MaxPooling2D` → `max_pooling2d`: Keras's naming (its `to_snake_case`, the same two rules).
 */
export function snakeCase(className: string): string {
  return className
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}
