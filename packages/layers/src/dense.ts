import { add, matmul, sum } from '@scratchnet/backend';
import {
  DTypeError,
  ShapeError,
  ValueError,
  formatShape,
  type Rng,
  type Tensor,
} from '@scratchnet/tensor';
import { activationFn, type ActivationFn, type ActivationName } from './activations/activation-fn.js';
import { getInitializer, type InitializerName } from './initializers/index.js';
import { BufferCache } from './buffer-cache.js';
import { checkDy } from './check-dy.js';
import { Layer, outputKindOf, type BackwardOptions, type ForwardOptions, type LayerConfig, type LayerOptions, type OutputKind } from './layer.js';
import { Param } from './param.js';
import { formatSymbolicShape, type SymbolicShape } from './shape.js';
import type { Stage } from './stage.js';

/** Options of `new Dense(options)`; only `units` is required. */
export interface DenseOptions extends LayerOptions {
  /** Output features. */
  units: number;
  /** Input features; when absent the layer is built by its first `forward`. */
  inputSize?: number;
  /** Applied after `x @ kernel + bias`; `linear` (none) by default. */
  activation?: ActivationName;
  /** Add a learned bias `[units]`; true by default. */
  useBias?: boolean;
  /** `heNormal` by default, as the lesson initializes. */
  kernelInitializer?: InitializerName;
  /** `zeros` by default. */
  biasInitializer?: InitializerName;
  /** Dtype of the weights, and so of the inputs they accept; `float32` by default. */
  dtype?: 'float32' | 'float64';
  /** Randomness for the initializers; the global Rng when absent. */
  rng?: Rng;
}

/**
 * A fully connected layer: `activation(x @ kernel + bias)`, kernel `[inputSize, units]`, bias
 * `[units]`. `new Dense(3, 8)` reads as the lesson's `DenseLayer(3, 8)`; `new Dense({ units: 8 })`
 * as Keras's `Dense(8)`.
 */
export class Dense extends Layer {
  readonly className: string = 'Dense';
  readonly units: number;
  readonly useBias: boolean;
  readonly activation: ActivationName;
  readonly kernelInitializer: InitializerName;
  readonly biasInitializer: InitializerName;
  readonly paramDType: 'float32' | 'float64';
  #inputSize: number | undefined;
  #rng: Rng | undefined;
  #act: ActivationFn;
  #kernel: Param | undefined;
  #bias: Param | undefined;
  // What backward needs from the last training-mode forward, and whether that forward ran
  // through the logits stage (then so must backward).
  #x: Tensor | undefined;
  #saved: Tensor | undefined;
  #trainedLogits = false;
  #logitsStage: Stage | undefined;
  readonly #buffers = new BufferCache();

  constructor(inputSize: number, units: number, options?: Omit<DenseOptions, 'units' | 'inputSize'>);
  constructor(options: DenseOptions);
  constructor(a: number | DenseOptions, b?: number, c: Omit<DenseOptions, 'units' | 'inputSize'> = {}) {
    const options: DenseOptions =
      typeof a === 'number' ? { ...c, inputSize: a, units: b as number } : (a ?? ({} as DenseOptions));
    super(options);
    if (typeof a === 'number' && b === undefined) {
      throw new ValueError(
        `Dense: one number (${a}) is not enough; write new Dense(inputSize, units) as the lesson does, or new Dense({ units: ${a} }) for Keras's Dense(${a}) (input size taken from the first batch)`,
      );
    }
    assertPositiveInt('units', options.units);
    if (options.inputSize !== undefined) assertPositiveInt('inputSize', options.inputSize);
    const dtype = options.dtype ?? 'float32';
    if (dtype !== 'float32' && dtype !== 'float64') {
      throw new DTypeError(`Dense: dtype must be float32 or float64, got ${JSON.stringify(dtype)}`);
    }
    this.units = options.units;
    this.useBias = options.useBias ?? true;
    this.activation = options.activation ?? 'linear';
    this.#act = activationFn('Dense', this.activation);
    this.kernelInitializer = options.kernelInitializer ?? 'heNormal';
    this.biasInitializer = options.biasInitializer ?? 'zeros';
    getInitializer('Dense', this.kernelInitializer);
    getInitializer('Dense', this.biasInitializer);
    this.paramDType = dtype;
    this.#rng = options.rng;
    if (options.inputSize !== undefined) this.build([null, options.inputSize]);
  }

  /** Input features, once built (from the `inputSize` option or the first input). */
  get inputSize(): number | undefined {
    return this.#inputSize;
  }

  /** The weight matrix `[inputSize, units]` (after build). */
  get kernel(): Tensor | undefined {
    return this.#kernel?.value;
  }

  get bias(): Tensor | undefined {
    return this.#bias?.value;
  }

  override get dtype(): 'float32' | 'float64' {
    return this.paramDType;
  }

  override get outputKind(): OutputKind {
    return outputKindOf(this.activation);
  }

  override describe(): string {
    return `'${this.name}' (Dense, activation ${this.activation})`;
  }

  /** Creates kernel and bias for `[batch, features]` inputs: kernel first, then bias, as the lesson draws. */
  protected override createParams(inputShape: SymbolicShape): void {
    const features = inputShape[inputShape.length - 1];
    if (inputShape.length !== 2 || features === null) {
      throw new ShapeError(`Dense '${this.name}': expected inputs [batch, features], got shape ${formatSymbolicShape(inputShape)}`);
    }
    assertPositiveInt('inputSize', features);
    const context = { fanIn: features!, fanOut: this.units, dtype: this.paramDType, ...(this.#rng ? { rng: this.#rng } : {}) };
    this.#kernel = new Param('kernel', getInitializer('Dense', this.kernelInitializer)([features!, this.units], context));
    if (this.useBias) {
      this.#bias = new Param('bias', getInitializer('Dense', this.biasInitializer)([this.units], context));
    }
    this.#inputSize = features!;
  }

  /** `activation(x @ kernel + bias)`; builds the layer from `x` the first time. */
  forward(x: Tensor, options: ForwardOptions = {}): Tensor {
    return this.#forward(x, options.training === true, false);
  }

  /**
   * `dz = dy * activation'`, then `kernel.grad += xᵀ dz`, `bias.grad += Σ_rows dz`, and
   * `dx = dz kernelᵀ` unless `inputGrad` is false.
   */
  backward(dy: Tensor, options?: BackwardOptions & { inputGrad?: true }): Tensor;
  backward(dy: Tensor, options: BackwardOptions): Tensor | null;
  backward(dy: Tensor, options: BackwardOptions = {}): Tensor | null {
    return this.#backward(dy, options, false);
  }

  /**
   * With activation `softmax` or `sigmoid`: the stage computing `x @ kernel + bias` — this
   * layer's kernel, bias and buffers, without the activation — whose `backward` takes the
   * gradient with respect to those logits. Undefined for other activations.
   */
  override logitsStage(): Stage | undefined {
    if (this.outputKind === 'other') return undefined;
    this.#logitsStage ??= {
      forward: (x, options) => this.#forward(x, options?.training === true, true),
      backward: (dy, options) => this.#backward(dy, options ?? {}, true),
    };
    return this.#logitsStage;
  }

  #forward(x: Tensor, training: boolean, logits: boolean): Tensor {
    if (x.rank !== 2) {
      throw new ShapeError(`Dense '${this.name}': expected input of rank 2 [batch, features], got ${formatShape(x.shape)}`);
    }
    if (!this.built) this.build(x.shape);
    if (x.shape[1] !== this.#inputSize) {
      throw new ShapeError(
        `Dense '${this.name}': expected ${this.#inputSize} input features, got input of shape ${formatShape(x.shape)}`,
      );
    }
    if (x.dtype !== this.paramDType) {
      throw new DTypeError(`Dense '${this.name}': input is ${x.dtype}, weights are ${this.paramDType}; cast the input`);
    }
    const shape = [x.shape[0]!, this.units];
    const z = matmul(x, this.#kernel!.value, training ? { out: this.#buffers.get('z', shape, this.paramDType) } : {});
    if (this.#bias) add(z, this.#bias.value, { out: z });
    // ReLU-like activations need z in backward, so y gets a buffer of its own; the others are
    // computed in place (sigmoid, tanh and softmax keep y, linear keeps nothing).
    const act = this.#act;
    const y =
      act.name === 'linear' || logits
        ? z
        : act.forward(z, training && act.saves === 'input' ? this.#buffers.get('y', shape, this.paramDType) : z);
    if (training) {
      this.#x = x;
      this.#saved = act.saves === 'input' ? z : y;
      this.#trainedLogits = logits;
    }
    return y;
  }

  #backward(dy: Tensor, options: BackwardOptions, logits: boolean): Tensor | null {
    const x = this.#x;
    const owner = `Dense '${this.name}'`;
    checkDy(owner, dy, x && { shape: [x.shape[0]!, this.units], dtype: this.paramDType });
    if (logits !== this.#trainedLogits) {
      throw new ValueError(
        logits
          ? `${owner}: backward through logitsStage() after a training forward through the layer itself; run both through the same one`
          : `${owner}.backward: the last training forward ran through logitsStage(); run backward through that stage`,
      );
    }
    const dtype = this.paramDType;
    const dz =
      this.#act.name === 'linear' || logits ? dy : this.#act.backward(this.#saved, dy, this.#buffers.get('dz', dy.shape, dtype));
    matmul(x!, dz, { transposeA: true, accumulate: true, out: this.#kernel!.grad });
    if (this.#bias) {
      const rowSum = sum(dz, { axis: 0, out: this.#buffers.get('biasGrad', [this.units], dtype) });
      add(this.#bias.grad, rowSum, { out: this.#bias.grad });
    }
    if (options.inputGrad === false) return null;
    return matmul(dz, this.#kernel!.value, { transposeB: true, out: this.#buffers.get('dx', x!.shape, dtype) });
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const features = inputShape[inputShape.length - 1];
    if (inputShape.length !== 2 || (this.#inputSize !== undefined && features !== this.#inputSize)) {
      throw new ShapeError(
        `Dense '${this.name}': input shape [${inputShape.map(String).join(',')}] does not fit; expected [batch, ${this.#inputSize ?? 'features'}]`,
      );
    }
    return [inputShape[0]!, this.units];
  }

  override params(): Param[] {
    const out: Param[] = [];
    if (this.#kernel) out.push(this.#kernel);
    if (this.#bias) out.push(this.#bias);
    return out;
  }

  getConfig(): LayerConfig {
    return {
      name: this.name,
      units: this.units,
      inputSize: this.#inputSize ?? null,
      activation: this.activation,
      useBias: this.useBias,
      kernelInitializer: this.kernelInitializer,
      biasInitializer: this.biasInitializer,
      dtype: this.paramDType,
    };
  }
}

function assertPositiveInt(what: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new ValueError(`Dense: ${what} must be a positive integer, got ${String(value)}`);
  }
}
