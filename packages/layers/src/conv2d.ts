import { add, conv2d, conv2dBackpropFilter, conv2dBackpropInput, sum, type Padding } from '@scratchnet/backend';
import { DTypeError, ValueError, type Rng, type Shape, type Tensor } from '@scratchnet/tensor';
import { activationFn, type ActivationFn, type ActivationName } from './activations/activation-fn.js';
import { BufferCache } from './buffer-cache.js';
import { checkDy } from './check-dy.js';
import { imageChannels, pair, paddingOption, windowOutputShape, type ImageWindow } from './image-window.js';
import { getInitializer, type InitializerName } from './initializers/index.js';
import { Layer, outputKindOf, type BackwardOptions, type ForwardOptions, type LayerConfig, type LayerOptions, type OutputKind } from './layer.js';
import { Param } from './param.js';
import { checkSymbolicShape, type SymbolicShape } from './shape.js';

/** Options of `Conv2D`: Keras's `Conv2D` arguments, camel-cased (`filters` and `kernelSize` required). */
export interface Conv2DOptions extends LayerOptions {
  /** Output channels: the number of filters. */
  filters: number;
  /** Filter height and width: one number for both, or `[height, width]`. */
  kernelSize: number | readonly [number, number];
  /** Step between output positions (default 1). */
  strides?: number | readonly [number, number];
  /** `'valid'` (default: no padding) or `'same'` (the output keeps `ceil(input / stride)`, TensorFlow's rule). */
  padding?: Padding;
  /** Spacing between filter taps (atrous convolution); default 1. */
  dilationRate?: number | readonly [number, number];
  /** Applied after the convolution and bias; `linear` (none) by default. The names are Dense's. */
  activation?: ActivationName;
  /** Add a learned bias `[filters]`; true by default. */
  useBias?: boolean;
  /** `glorotUniform` by default, as Keras; `heNormal`/`heUniform` suit ReLU networks. */
  kernelInitializer?: InitializerName;
  /** `zeros` by default. */
  biasInitializer?: InitializerName;
  /** Dtype of the weights, and so of the inputs they accept; `float32` by default. */
  dtype?: 'float32' | 'float64';
  /**
   * The input images' `[height, width, channels]` (Keras's `input_shape`; a size may be null), for
   * a first layer whose parameters should exist before any data is seen; otherwise the layer is
   * built by a model or its first `forward`.
   */
  inputShape?: readonly (number | null)[];
  /** Randomness for the initializers; the global Rng when absent. */
  rng?: Rng;
}

/**
 * A 2-D convolution over channels-last images (NHWC, Keras's and TF.js's default):
 * `activation(conv2d(x, kernel) + bias)` maps `[batch, height, width, channels]` to
 * `[batch, outHeight, outWidth, filters]`, with kernel `[kernelHeight, kernelWidth, channels,
 * filters]` (TF.js's layout) and bias `[filters]`. The convolution and its two gradients are the
 * backend's `conv2d`, `conv2dBackpropFilter` and `conv2dBackpropInput`, so the layer runs at the
 * active backend's speed; `backward(dy, { inputGrad: false })` (a model's first layer) skips the
 * input gradient, a whole transposed convolution.
 */
export class Conv2D extends Layer {
  readonly className: string = 'Conv2D';
  readonly filters: number;
  readonly kernelSize: readonly [number, number];
  readonly strides: readonly [number, number];
  readonly padding: Padding;
  readonly dilationRate: readonly [number, number];
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly kernelInitializer: InitializerName;
  readonly biasInitializer: InitializerName;
  readonly paramDType: 'float32' | 'float64';
  readonly #rng: Rng | undefined;
  readonly #act: ActivationFn;
  readonly #window: ImageWindow;
  #channels: number | undefined;
  #kernel: Param | undefined;
  #bias: Param | undefined;
  // What backward needs from the last training forward.
  #x: Tensor | undefined;
  #saved: Tensor | undefined;
  #output: { shape: Shape; dtype: Tensor['dtype'] } | undefined;
  readonly #buffers = new BufferCache();

  constructor(options: Conv2DOptions) {
    super(options);
    const o = options ?? ({} as Conv2DOptions);
    const owner = 'Conv2D';
    if (typeof o.filters !== 'number' || !Number.isSafeInteger(o.filters) || o.filters < 1) {
      throw new ValueError(`${owner}: filters must be a positive integer, got ${String(o.filters)}`);
    }
    this.filters = o.filters;
    if (o.kernelSize === undefined) throw new ValueError(`${owner}: kernelSize is required, e.g. new Conv2D({ filters: ${o.filters}, kernelSize: 3 })`);
    this.kernelSize = Object.freeze(pair(owner, 'kernelSize', o.kernelSize));
    this.strides = Object.freeze(pair(owner, 'strides', o.strides, [1, 1]));
    this.padding = paddingOption(owner, o.padding);
    this.dilationRate = Object.freeze(pair(owner, 'dilationRate', o.dilationRate, [1, 1]));
    this.activation = o.activation === undefined ? 'linear' : o.activation;
    this.#act = activationFn(owner, this.activation);
    if (o.useBias !== undefined && typeof o.useBias !== 'boolean') throw new ValueError(`${owner}: useBias must be true or false, got ${String(o.useBias)}`);
    this.useBias = o.useBias === undefined ? true : o.useBias;
    this.kernelInitializer = o.kernelInitializer === undefined ? 'glorotUniform' : o.kernelInitializer;
    this.biasInitializer = o.biasInitializer === undefined ? 'zeros' : o.biasInitializer;
    getInitializer(owner, this.kernelInitializer);
    getInitializer(owner, this.biasInitializer);
    const dtype = o.dtype === undefined ? 'float32' : o.dtype;
    if (dtype !== 'float32' && dtype !== 'float64') throw new DTypeError(`${owner}: dtype must be float32 or float64, got ${JSON.stringify(dtype)}`);
    this.paramDType = dtype;
    this.#rng = o.rng;
    this.#window = { size: this.kernelSize, strides: this.strides, dilations: this.dilationRate, padding: this.padding, what: 'kernel' };
    if (o.inputShape !== undefined && o.inputShape !== null) {
      if (!Array.isArray(o.inputShape)) throw new ValueError(`${owner}: inputShape must be [height, width, channels], got ${JSON.stringify(o.inputShape)}`);
      this.build(checkSymbolicShape(`${owner}: inputShape`, [null, ...o.inputShape]));
    }
  }

  /** The filter bank `[kernelHeight, kernelWidth, channels, filters]` (after build). */
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
    return `'${this.name}' (Conv2D, activation ${this.activation})`;
  }

  #owner(): string {
    return `Conv2D '${this.name}'`;
  }

  /**
   * Creates kernel and bias for `[batch, height, width, channels]` inputs, kernel first. Fan-in
   * and fan-out count the receptive field, as Keras does: `kernelHeight · kernelWidth · channels`
   * and `kernelHeight · kernelWidth · filters`.
   */
  protected override createParams(inputShape: SymbolicShape): void {
    const channels = imageChannels(this.#owner(), inputShape);
    windowOutputShape(this.#owner(), inputShape, this.#window, this.filters);
    const [kh, kw] = this.kernelSize;
    const context = {
      fanIn: kh * kw * channels,
      fanOut: kh * kw * this.filters,
      dtype: this.paramDType,
      ...(this.#rng ? { rng: this.#rng } : {}),
    };
    this.#kernel = new Param('kernel', getInitializer('Conv2D', this.kernelInitializer)([kh, kw, channels, this.filters], context));
    if (this.useBias) this.#bias = new Param('bias', getInitializer('Conv2D', this.biasInitializer)([this.filters], context));
    this.#channels = channels;
  }

  #geometry() {
    return { strides: this.strides as [number, number], padding: this.padding, dilations: this.dilationRate as [number, number] };
  }

  /** `activation(conv2d(x, kernel) + bias)`; builds the layer from `x` the first time. */
  forward(x: Tensor, options: ForwardOptions = {}): Tensor {
    const owner = this.#owner();
    imageChannels(owner, x.shape, this.#channels);
    if (!this.built) this.build(x.shape);
    if (x.dtype !== this.paramDType) throw new DTypeError(`${owner}: input is ${x.dtype}, weights are ${this.paramDType}; cast the input`);
    const shape = windowOutputShape(owner, x.shape, this.#window, this.filters) as number[];
    const training = options.training === true;
    const z = conv2d(x, this.#kernel!.value, { ...this.#geometry(), ...(training ? { out: this.#buffers.get('z', shape, this.paramDType) } : {}) });
    if (this.#bias) add(z, this.#bias.value, { out: z });
    const act = this.#act;
    // As Dense: ReLU-like activations need z in backward, so y gets a buffer of its own.
    const y = act.name === 'linear' ? z : act.forward(z, training && act.saves === 'input' ? this.#buffers.get('y', shape, this.paramDType) : z);
    if (training) {
      this.#x = x;
      this.#saved = act.saves === 'input' ? z : y;
      this.#output = { shape: y.shape, dtype: y.dtype };
    }
    return y;
  }

  /**
   * `dz = dy · activation'`, then `kernel.grad += conv2dBackpropFilter(x, dz)`, `bias.grad +=`
   * the sum of `dz` over batch, height and width, and `dx = conv2dBackpropInput(dz, kernel)`
   * unless `inputGrad` is false.
   */
  backward(dy: Tensor, options?: BackwardOptions & { inputGrad?: true }): Tensor;
  backward(dy: Tensor, options: BackwardOptions): Tensor | null;
  backward(dy: Tensor, options: BackwardOptions = {}): Tensor | null {
    checkDy(this.#owner(), dy, this.#output);
    const x = this.#x!;
    const dtype = this.paramDType;
    const dz = this.#act.name === 'linear' ? dy : this.#act.backward(this.#saved, dy, this.#buffers.get('dz', dy.shape, dtype));
    const kernel = this.#kernel!;
    conv2dBackpropFilter(x, dz, kernel.value.shape, { ...this.#geometry(), accumulate: true, out: kernel.grad });
    if (this.#bias) {
      const perFilter = sum(dz.reshape([-1, this.filters]), { axis: 0, out: this.#buffers.get('biasGrad', [this.filters], dtype) });
      add(this.#bias.grad, perFilter, { out: this.#bias.grad });
    }
    if (options.inputGrad === false) return null;
    return conv2dBackpropInput(x.shape, dz, kernel.value, { ...this.#geometry(), out: this.#buffers.get('dx', x.shape, dtype) });
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    imageChannels(this.#owner(), inputShape, this.#channels);
    return windowOutputShape(this.#owner(), inputShape, this.#window, this.filters);
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
      filters: this.filters,
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      dilationRate: [...this.dilationRate],
      activation: this.activation,
      useBias: this.useBias,
      kernelInitializer: this.kernelInitializer,
      biasInitializer: this.biasInitializer,
      dtype: this.paramDType,
      inputShape: this.inputShape === undefined ? null : this.inputShape.slice(1),
    };
  }
}
