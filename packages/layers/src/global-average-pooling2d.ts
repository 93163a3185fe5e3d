import { avgPool, avgPoolBackward } from '@scratchnet/backend';
import { DTypeError, ShapeError, isFloatDType, type Shape, type Tensor } from '@scratchnet/tensor';
import { BufferCache } from './buffer-cache.js';
import { checkDy } from './check-dy.js';
import { IMAGE_LAYOUT, imageChannels } from './image-window.js';
import { Layer, type BackwardOptions, type ForwardOptions, type LayerConfig, type LayerOptions } from './layer.js';
import { formatSymbolicShape, type SymbolicShape } from './shape.js';

/**
 * The mean of each channel over the whole image (Keras's `GlobalAveragePooling2D`,
 * channels-last): `[batch, height, width, channels]` to `[batch, channels]`. It is an average
 * pool whose window is the image, so it runs as the backend's `avgPool` and `avgPoolBackward`.
 */
export class GlobalAveragePooling2D extends Layer {
  readonly className: string = 'GlobalAveragePooling2D';
  #x: Tensor | undefined;
  #output: { shape: Shape; dtype: Tensor['dtype'] } | undefined;
  readonly #buffers = new BufferCache();

  constructor(options: LayerOptions = {}) {
    super(options);
  }

  #owner(): string {
    return `GlobalAveragePooling2D '${this.name}'`;
  }

  #window(x: Tensor): { poolSize: [number, number] } {
    const [, h, w] = x.shape as [number, number, number, number];
    if (h === 0 || w === 0) {
      throw new ShapeError(`${this.#owner()}: the input ${formatSymbolicShape(x.shape)} ${IMAGE_LAYOUT} is an empty image; there is no mean to take`);
    }
    return { poolSize: [h, w] };
  }

  forward(x: Tensor, options: ForwardOptions = {}): Tensor {
    if (!isFloatDType(x.dtype)) throw new DTypeError(`${this.#owner()}: input is ${x.dtype}; pooling needs float32 or float64`);
    const channels = imageChannels(this.#owner(), x.shape);
    if (!this.built) this.build(x.shape);
    const n = x.shape[0]!;
    const window = this.#window(x);
    if (options.training !== true) return avgPool(x, window).reshape([n, channels]);
    const y = avgPool(x, { ...window, out: this.#buffers.get('y', [n, 1, 1, channels], x.dtype) }).reshape([n, channels]);
    this.#x = x;
    this.#output = { shape: y.shape, dtype: y.dtype };
    return y;
  }

  backward(dy: Tensor, options?: BackwardOptions & { inputGrad?: true }): Tensor;
  backward(dy: Tensor, options: BackwardOptions): Tensor | null;
  backward(dy: Tensor, options: BackwardOptions = {}): Tensor | null {
    checkDy(this.#owner(), dy, this.#output);
    if (options.inputGrad === false) return null;
    const x = this.#x!;
    const [n, , , c] = x.shape as [number, number, number, number];
    return avgPoolBackward(dy.reshape([n, 1, 1, c]), x.shape, { ...this.#window(x), out: this.#buffers.get('dx', x.shape, x.dtype) });
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const channels = imageChannels(this.#owner(), inputShape);
    if (inputShape[1] === 0 || inputShape[2] === 0) {
      throw new ShapeError(`${this.#owner()}: the input ${formatSymbolicShape(inputShape)} ${IMAGE_LAYOUT} is an empty image; there is no mean to take`);
    }
    return [inputShape[0]!, channels];
  }

  getConfig(): LayerConfig {
    return { name: this.name };
  }
}
