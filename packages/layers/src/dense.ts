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
import { Layer, type ForwardOptions, type LayerConfig, type LayerOptions } from './layer.js';
import { Param } from './param.js';
import type { SymbolicShape } from './shape.js';

export interface DenseOptions extends LayerOptions {
  /** Output features. */
  units: number;
  /** Input features; when absent the layer is built by its first `forward`. */
  inputSize?: number;
  /** Applied after `x @ kernel + bias`; `linear` (none) by default. */
  activation?: ActivationName;
  useBias?: boolean;
  /** `heNormal` by default, as the lesson initializes. */
  kernelInitializer?: InitializerName;
  biasInitializer?: InitializerName;
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
  readonly className = 'Dense';
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
  // What backward needs from the last training-mode forward.
  #x: Tensor | undefined;
  #saved: Tensor | undefined;

  constructor(inputSize: number, units: number, options?: Omit<DenseOptions, 'units' | 'inputSize'>);
  constructor(options: DenseOptions);
  constructor(a: number | DenseOptions, b?: number, c: Omit<DenseOptions, 'units' | 'inputSize'> = {}) {
    const options: DenseOptions =
      typeof a === 'number' ? { ...c, inputSize: a, units: b as number } : (a ?? ({} as DenseOptions));
    super(options);
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
    this.#inputSize = options.inputSize;
    if (this.#inputSize !== undefined) this.build(this.#inputSize);
  }

  get inputSize(): number | undefined {
    return this.#inputSize;
  }

  get built(): boolean {
    return this.#kernel !== undefined;
  }

  /** The weight matrix `[inputSize, units]` (after build). */
  get kernel(): Tensor | undefined {
    return this.#kernel?.value;
  }

  get bias(): Tensor | undefined {
    return this.#bias?.value;
  }

  /** Creates the parameters for `inputSize` features: kernel first, then bias, as the lesson draws. */
  build(inputSize: number): void {
    if (this.built) {
      if (inputSize !== this.#inputSize) {
        throw new ShapeError(`Dense '${this.name}': built for ${this.#inputSize} input features, got ${inputSize}`);
      }
      return;
    }
    assertPositiveInt('inputSize', inputSize);
    this.#inputSize = inputSize;
    const context = { fanIn: inputSize, fanOut: this.units, dtype: this.paramDType, ...(this.#rng ? { rng: this.#rng } : {}) };
    this.#kernel = new Param('kernel', getInitializer('Dense', this.kernelInitializer)([inputSize, this.units], context));
    if (this.useBias) {
      this.#bias = new Param('bias', getInitializer('Dense', this.biasInitializer)([this.units], context));
    }
  }

  forward(x: Tensor, options: ForwardOptions = {}): Tensor {
    if (x.rank !== 2) {
      throw new ShapeError(`Dense '${this.name}': expected input of rank 2 [batch, features], got ${formatShape(x.shape)}`);
    }
    if (!this.built) this.build(x.shape[1]!);
    if (x.shape[1] !== this.#inputSize) {
      throw new ShapeError(
        `Dense '${this.name}': expected ${this.#inputSize} input features, got input of shape ${formatShape(x.shape)}`,
      );
    }
    if (x.dtype !== this.paramDType) {
      throw new DTypeError(`Dense '${this.name}': input is ${x.dtype}, weights are ${this.paramDType}; cast the input`);
    }
    const z = matmul(x, this.#kernel!.value);
    if (this.#bias) add(z, this.#bias.value, { out: z });
    const y = this.#act.forward(z);
    if (options.training) {
      this.#x = x;
      this.#saved = this.#act.saves === 'input' ? z : y;
    }
    return y;
  }

  backward(dy: Tensor): Tensor {
    const x = this.#x;
    if (x === undefined) throw new ValueError(`Dense '${this.name}'.backward: call forward(x, { training: true }) first`);
    const dz = this.#act.backward(this.#saved, dy);
    matmul(x, dz, { transposeA: true, accumulate: true, out: this.#kernel!.grad });
    if (this.#bias) add(this.#bias.grad, sum(dz, { axis: 0 }), { out: this.#bias.grad });
    return matmul(dz, this.#kernel!.value, { transposeB: true });
  }

  outputShape(inputShape: SymbolicShape): SymbolicShape {
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
