import { add, batchNormalization, batchNormalizationBackward, moments, scale } from '@scratchnet/backend';
import { DTypeError, ShapeError, ValueError, formatShape, type Shape, type Tensor } from '@scratchnet/tensor';
import { BufferCache } from './buffer-cache.js';
import { checkDy } from './check-dy.js';
import { getInitializer, type InitializerName } from './initializers/index.js';
import { Layer, type BackwardOptions, type ForwardOptions, type LayerConfig, type LayerOptions } from './layer.js';
import { Param } from './param.js';
import { checkSymbolicShape, formatSymbolicShape, type SymbolicShape } from './shape.js';

/**
 * Options of the `BatchNormalization` layer (Keras's arguments, camel-cased). Named apart from
 * `@scratchnet/backend`'s `BatchNormalizationOptions`, the op's.
 */
export interface BatchNormalizationLayerOptions extends LayerOptions {
  /**
   * The features axis: only -1, the last (channels-last images, or a Dense's features). The
   * statistics are taken over every other axis.
   */
  axis?: -1;
  /** Weight of the old value in the moving averages' update; 0.99, as Keras. In [0, 1]. */
  momentum?: number;
  /** Added to the variance before its square root; 1e-3, as Keras. Positive. */
  epsilon?: number;
  /** Learn an offset β (default true). */
  center?: boolean;
  /** Learn a scale γ (default true). */
  scale?: boolean;
  betaInitializer?: InitializerName;
  gammaInitializer?: InitializerName;
  movingMeanInitializer?: InitializerName;
  movingVarianceInitializer?: InitializerName;
  dtype?: 'float32' | 'float64';
  /** The input's shape after the batch axis (`[height, width, channels]`), for a first layer; else built by a model or the first `forward`. */
  inputShape?: readonly (number | null)[];
}

/**
 * Batch normalization (Keras's `BatchNormalization`, channels-last): each feature of the last
 * axis is normalized, `γ · (x − mean) / sqrt(variance + ε) + β`, with
 *
 * - in training, the batch's own mean and (population) variance over every other axis — and the
 *   gradient flows through them — while the moving averages move towards them:
 *   `moving = moving · momentum + batch · (1 − momentum)`;
 * - at inference, the moving mean and variance.
 *
 * γ (`gamma`) and β (`beta`) are trainable; `moving_mean` and `moving_variance` are
 * non-trainable parameters: the layer updates them in each training `forward`, a model saves
 * and loads them, and a summary counts them as "Non-trainable params". As in Keras 3 and TF.js,
 * the moving variance averages the biased batch variance (no n/(n−1) correction).
 */
export class BatchNormalization extends Layer {
  readonly className: string = 'BatchNormalization';
  readonly axis = -1;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: InitializerName;
  readonly gammaInitializer: InitializerName;
  readonly movingMeanInitializer: InitializerName;
  readonly movingVarianceInitializer: InitializerName;
  readonly paramDType: 'float32' | 'float64';
  #features: number | undefined;
  #gamma: Param | undefined;
  #beta: Param | undefined;
  #movingMean: Param | undefined;
  #movingVariance: Param | undefined;
  // What backward needs from the last training forward: the input and its batch statistics.
  #x: Tensor | undefined;
  #mean: Tensor | undefined;
  #variance: Tensor | undefined;
  #output: { shape: Shape; dtype: Tensor['dtype'] } | undefined;
  readonly #buffers = new BufferCache();

  constructor(options: BatchNormalizationLayerOptions = {}) {
    super(options);
    const o = options ?? {};
    const owner = 'BatchNormalization';
    if (o.axis !== undefined && o.axis !== -1) {
      throw new ValueError(`${owner}: axis must be -1 (the last axis: channels-last features), got ${JSON.stringify(o.axis)}`);
    }
    const momentum = o.momentum === undefined ? 0.99 : o.momentum;
    if (typeof momentum !== 'number' || !(momentum >= 0 && momentum <= 1)) {
      throw new ValueError(`${owner}: momentum must be a number in [0, 1], got ${String(momentum)}`);
    }
    const epsilon = o.epsilon === undefined ? 1e-3 : o.epsilon;
    if (typeof epsilon !== 'number' || !Number.isFinite(epsilon) || epsilon <= 0) {
      throw new ValueError(`${owner}: epsilon must be a finite number above 0, got ${String(epsilon)}`);
    }
    for (const key of ['center', 'scale'] as const) {
      if (o[key] !== undefined && typeof o[key] !== 'boolean') throw new ValueError(`${owner}: ${key} must be true or false, got ${String(o[key])}`);
    }
    this.momentum = momentum;
    this.epsilon = epsilon;
    this.center = o.center === undefined ? true : o.center;
    this.scale = o.scale === undefined ? true : o.scale;
    this.betaInitializer = o.betaInitializer === undefined ? 'zeros' : o.betaInitializer;
    this.gammaInitializer = o.gammaInitializer === undefined ? 'ones' : o.gammaInitializer;
    this.movingMeanInitializer = o.movingMeanInitializer === undefined ? 'zeros' : o.movingMeanInitializer;
    this.movingVarianceInitializer = o.movingVarianceInitializer === undefined ? 'ones' : o.movingVarianceInitializer;
    for (const name of [this.betaInitializer, this.gammaInitializer, this.movingMeanInitializer, this.movingVarianceInitializer]) getInitializer(owner, name);
    const dtype = o.dtype === undefined ? 'float32' : o.dtype;
    if (dtype !== 'float32' && dtype !== 'float64') throw new DTypeError(`${owner}: dtype must be float32 or float64, got ${JSON.stringify(dtype)}`);
    this.paramDType = dtype;
    if (o.inputShape !== undefined && o.inputShape !== null) {
      if (!Array.isArray(o.inputShape)) throw new ValueError(`${owner}: inputShape must be the shape after the batch axis, got ${JSON.stringify(o.inputShape)}`);
      this.build(checkSymbolicShape(`${owner}: inputShape`, [null, ...o.inputShape]));
    }
  }

  override get dtype(): 'float32' | 'float64' {
    return this.paramDType;
  }

  /** γ, `[features]` (after build; absent with `scale: false`). */
  get gamma(): Tensor | undefined {
    return this.#gamma?.value;
  }

  /** β, `[features]` (after build; absent with `center: false`). */
  get beta(): Tensor | undefined {
    return this.#beta?.value;
  }

  get movingMean(): Tensor | undefined {
    return this.#movingMean?.value;
  }

  get movingVariance(): Tensor | undefined {
    return this.#movingVariance?.value;
  }

  #owner(): string {
    return `BatchNormalization '${this.name}'`;
  }

  /** The number of features (the last axis) of `shape`, which must be known and match the built one. */
  #featuresOf(shape: SymbolicShape): number {
    const features = shape.length >= 2 ? shape[shape.length - 1] : undefined;
    if (features === null || features === undefined) {
      throw new ShapeError(
        `${this.#owner()}: expected inputs [batch, …, features] (e.g. [batch, height, width, channels]) with known features, got shape ${formatSymbolicShape(shape)}`,
      );
    }
    if (this.#features !== undefined && features !== this.#features) {
      throw new ShapeError(`${this.#owner()}: expected ${this.#features} features (channels) on the last axis, got shape ${formatSymbolicShape(shape)}`);
    }
    return features;
  }

  /** γ and β (trainable), then the moving mean and variance (not), each `[features]`: Keras's order. */
  protected override createParams(inputShape: SymbolicShape): void {
    const features = this.#featuresOf(inputShape);
    const context = { fanIn: features, fanOut: features, dtype: this.paramDType };
    const make = (init: InitializerName) => getInitializer('BatchNormalization', init)([features], context);
    if (this.scale) this.#gamma = new Param('gamma', make(this.gammaInitializer));
    if (this.center) this.#beta = new Param('beta', make(this.betaInitializer));
    this.#movingMean = new Param('moving_mean', make(this.movingMeanInitializer), { trainable: false });
    this.#movingVariance = new Param('moving_variance', make(this.movingVarianceInitializer), { trainable: false });
    this.#features = features;
  }

  #normalizeOptions() {
    return {
      ...(this.#gamma ? { scale: this.#gamma.value } : {}),
      ...(this.#beta ? { offset: this.#beta.value } : {}),
      epsilon: this.epsilon,
    };
  }

  forward(x: Tensor, options: ForwardOptions = {}): Tensor {
    this.#featuresOf(x.shape);
    if (!this.built) this.build(x.shape);
    if (x.dtype !== this.paramDType) throw new DTypeError(`${this.#owner()}: input is ${x.dtype}, weights are ${this.paramDType}; cast the input`);
    if (options.training !== true) return batchNormalization(x, this.#movingMean!.value, this.#movingVariance!.value, this.#normalizeOptions());
    if (x.size === 0) throw new ShapeError(`${this.#owner()}: a training batch of shape ${formatShape(x.shape)} is empty; its statistics are undefined`);
    const stats = [this.#features!];
    const b = this.#buffers;
    const { mean, variance } = moments(x, {
      axis: x.shape.slice(0, -1).map((_, i) => i),
      out: { mean: b.get('mean', stats, x.dtype), variance: b.get('variance', stats, x.dtype) },
    });
    const y = batchNormalization(x, mean, variance, { ...this.#normalizeOptions(), out: b.get('y', x.shape, x.dtype) });
    this.#updateMovingAverage(this.#movingMean!.value, mean);
    this.#updateMovingAverage(this.#movingVariance!.value, variance);
    this.#x = x;
    this.#mean = mean;
    this.#variance = variance;
    this.#output = { shape: y.shape, dtype: y.dtype };
    return y;
  }

  /** `moving = moving · momentum + batch · (1 − momentum)`, in place (Keras's form). */
  #updateMovingAverage(moving: Tensor, batch: Tensor): void {
    scale(moving, this.momentum, { out: moving });
    add(moving, scale(batch, 1 - this.momentum, { out: this.#buffers.get('weighted', batch.shape, batch.dtype) }), { out: moving });
  }

  /**
   * Training's gradient, through the batch statistics: `batchNormalizationBackward` gives `dx`,
   * `dγ` and `dβ`, which are added into γ's and β's gradients.
   */
  backward(dy: Tensor, options?: BackwardOptions & { inputGrad?: true }): Tensor;
  backward(dy: Tensor, options: BackwardOptions): Tensor | null;
  backward(dy: Tensor, options: BackwardOptions = {}): Tensor | null {
    checkDy(this.#owner(), dy, this.#output);
    const x = this.#x!;
    const b = this.#buffers;
    const stats = [this.#features!];
    const { dx, dscale, doffset } = batchNormalizationBackward(dy, x, this.#mean!, this.#variance!, {
      ...(this.#gamma ? { scale: this.#gamma.value } : {}),
      epsilon: this.epsilon,
      axis: x.shape.slice(0, -1).map((_, i) => i),
      out: { dx: b.get('dx', x.shape, x.dtype), dscale: b.get('dscale', stats, x.dtype), doffset: b.get('doffset', stats, x.dtype) },
    });
    if (this.#gamma) add(this.#gamma.grad, dscale, { out: this.#gamma.grad });
    if (this.#beta) add(this.#beta.grad, doffset, { out: this.#beta.grad });
    return options.inputGrad === false ? null : dx;
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    this.#featuresOf(inputShape);
    return inputShape;
  }

  override params(): Param[] {
    const out: Param[] = [];
    if (this.#gamma) out.push(this.#gamma);
    if (this.#beta) out.push(this.#beta);
    return out;
  }

  override nonTrainableParams(): Param[] {
    return this.#movingMean ? [this.#movingMean, this.#movingVariance!] : [];
  }

  getConfig(): LayerConfig {
    return {
      name: this.name,
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: this.betaInitializer,
      gammaInitializer: this.gammaInitializer,
      movingMeanInitializer: this.movingMeanInitializer,
      movingVarianceInitializer: this.movingVarianceInitializer,
      dtype: this.paramDType,
      inputShape: this.inputShape === undefined ? null : this.inputShape.slice(1),
    };
  }
}
