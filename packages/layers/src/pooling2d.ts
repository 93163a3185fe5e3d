import { avgPool, avgPoolBackward, maxPool, maxPoolBackward, type Padding } from '@scratchnet/backend';
import { DTypeError, isFloatDType, type Shape, type Tensor } from '@scratchnet/tensor';
import { BufferCache } from './buffer-cache.js';
import { checkDy } from './check-dy.js';
import { imageChannels, pair, paddingOption, windowOutputShape, type ImageWindow } from './image-window.js';
import { Layer, type BackwardOptions, type ForwardOptions, type LayerConfig, type LayerOptions } from './layer.js';
import type { SymbolicShape } from './shape.js';

/** Options of `MaxPooling2D` and `AveragePooling2D`, as Keras names them (camel-cased). */
export interface Pooling2DOptions extends LayerOptions {
  /** Window height and width: one number for both, or `[height, width]`; default 2 (as Keras). */
  poolSize?: number | readonly [number, number];
  /** Step between windows; default `poolSize`, so windows tile the input. */
  strides?: number | readonly [number, number];
  /** `'valid'` (default) or `'same'` (TensorFlow's rule: padding is ignored by the max, not counted by the average). */
  padding?: Padding;
}

/**
 * What the two pooling layers share: a window over channels-last images, per channel, no
 * parameters, any float dtype. The max or the mean is the backend's `maxPool`/`avgPool`; their
 * gradients `maxPoolBackward` (which finds each window's maximum again from the saved input) and
 * `avgPoolBackward`.
 */
export abstract class Pooling2D extends Layer {
  readonly poolSize: readonly [number, number];
  readonly strides: readonly [number, number];
  readonly padding: Padding;
  protected abstract readonly reduction: 'max' | 'avg';
  readonly #window: ImageWindow;
  #x: Tensor | undefined;
  #output: { shape: Shape; dtype: Tensor['dtype'] } | undefined;
  readonly #buffers = new BufferCache();

  /** `owner` names the subclass in messages about its options. */
  protected constructor(owner: string, options: Pooling2DOptions = {}) {
    super(options);
    const o = options ?? {};
    this.poolSize = Object.freeze(pair(owner, 'poolSize', o.poolSize, [2, 2]));
    this.strides = Object.freeze(pair(owner, 'strides', o.strides, this.poolSize));
    this.padding = paddingOption(owner, o.padding);
    this.#window = { size: this.poolSize, strides: this.strides, dilations: [1, 1], padding: this.padding, what: 'pool window' };
  }

  #owner(): string {
    return `${this.className} '${this.name}'`;
  }

  #options(out?: Tensor) {
    return { poolSize: this.poolSize as [number, number], strides: this.strides as [number, number], padding: this.padding, ...(out ? { out } : {}) };
  }

  forward(x: Tensor, options: ForwardOptions = {}): Tensor {
    const owner = this.#owner();
    if (!isFloatDType(x.dtype)) throw new DTypeError(`${owner}: input is ${x.dtype}; pooling needs float32 or float64`);
    const channels = imageChannels(owner, x.shape);
    if (!this.built) this.build(x.shape);
    const shape = windowOutputShape(owner, x.shape, this.#window, channels) as number[];
    const training = options.training === true;
    const out = training ? this.#buffers.get('y', shape, x.dtype) : undefined;
    const y = this.reduction === 'max' ? maxPool(x, this.#options(out)) : avgPool(x, this.#options(out));
    if (training) {
      this.#x = x;
      this.#output = { shape: y.shape, dtype: y.dtype };
    }
    return y;
  }

  backward(dy: Tensor, options?: BackwardOptions & { inputGrad?: true }): Tensor;
  backward(dy: Tensor, options: BackwardOptions): Tensor | null;
  backward(dy: Tensor, options: BackwardOptions = {}): Tensor | null {
    checkDy(this.#owner(), dy, this.#output);
    if (options.inputGrad === false) return null;
    const x = this.#x!;
    const dx = this.#buffers.get('dx', x.shape, x.dtype);
    return this.reduction === 'max' ? maxPoolBackward(dy, x, this.#options(dx)) : avgPoolBackward(dy, x.shape, this.#options(dx));
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const channels = imageChannels(this.#owner(), inputShape);
    return windowOutputShape(this.#owner(), inputShape, this.#window, channels);
  }

  getConfig(): LayerConfig {
    return { name: this.name, poolSize: [...this.poolSize], strides: [...this.strides], padding: this.padding };
  }
}
