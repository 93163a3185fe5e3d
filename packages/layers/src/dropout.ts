import { mul } from '@scratchnet/backend';
import { DTypeError, Rng, ValueError, getGlobalRng, isFloatDType, type Shape, type Tensor } from '@scratchnet/tensor';
import { BufferCache } from './buffer-cache.js';
import { checkDy } from './check-dy.js';
import { Layer, type BackwardOptions, type ForwardOptions, type LayerConfig, type LayerOptions } from './layer.js';
import type { SymbolicShape } from './shape.js';

export interface DropoutOptions extends LayerOptions {
  /** Fraction of units dropped in training, in [0, 1). */
  rate: number;
  /** Generator for the masks; the global Rng (seeded by `seed(n)`) when absent. */
  rng?: Rng;
  /** Seeds a generator of this layer's own (an integer in [0, 2**32)); excludes `rng`. */
  seed?: number;
}

/**
 * Inverted dropout: in training each unit is kept with probability `1 - rate` and scaled by
 * `1 / (1 - rate)`, so inference is the identity and needs no rescaling. The mask is drawn in
 * row-major order, unit `i` kept when the `i`-th uniform draw `u` satisfies `u >= rate`
 * (NumPy: `np.random.rand(*x.shape) >= rate`, as TensorFlow's `dropout` compares); `backward`
 * multiplies by the same mask.
 */
export class Dropout extends Layer {
  readonly className: string = 'Dropout';
  readonly rate: number;
  /** The seed given at construction, if any (written to the config). */
  readonly seed: number | undefined;
  readonly #rng: Rng | undefined;
  // The last training mask (null when rate is 0: nothing dropped, nothing drawn).
  #mask: Tensor | null = null;
  #output: { shape: Shape; dtype: Tensor['dtype'] } | undefined;
  readonly #buffers = new BufferCache();

  constructor(options: DropoutOptions) {
    super(options);
    const { rate, rng, seed } = options ?? ({} as DropoutOptions);
    if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
      throw new ValueError(`Dropout: rate must be a number in [0, 1), got ${String(rate)}`);
    }
    if (rng !== undefined && seed !== undefined) {
      throw new ValueError('Dropout: pass rng or seed, not both');
    }
    if (rng !== undefined && (rng === null || typeof (rng as Partial<Rng>).random !== 'function')) {
      throw new ValueError(`Dropout: rng must be an Rng, got ${String(rng)}`);
    }
    if (seed !== undefined && (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)) {
      throw new ValueError(`Dropout: seed must be an integer in [0, 2**32), got ${String(seed)}`);
    }
    this.rate = rate;
    this.seed = seed;
    this.#rng = rng ?? (seed !== undefined ? new Rng(seed) : undefined);
  }

  forward(x: Tensor, options: ForwardOptions = {}): Tensor {
    if (!isFloatDType(x.dtype)) {
      throw new DTypeError(`Dropout '${this.name}': input is ${x.dtype}; dropout needs float32 or float64`);
    }
    // Built by the first input with a batch axis (elementwise, so any shape works afterwards).
    if (!this.built && x.rank > 0) this.build(x.shape);
    if (options.training !== true) return x;
    this.#output = { shape: x.shape, dtype: x.dtype };
    if (this.rate === 0) {
      this.#mask = null;
      return x;
    }
    const mask = this.#buffers.get('mask', x.shape, x.dtype);
    const m = mask.data;
    const rng = this.#rng ?? getGlobalRng();
    const rate = this.rate;
    const keep = 1 / (1 - rate);
    for (let i = 0; i < m.length; i++) m[i] = rng.random() >= rate ? keep : 0;
    this.#mask = mask;
    return mul(x, mask, { out: this.#buffers.get('y', x.shape, x.dtype) });
  }

  backward(dy: Tensor, options?: BackwardOptions & { inputGrad?: true }): Tensor;
  backward(dy: Tensor, options: BackwardOptions): Tensor | null;
  backward(dy: Tensor, options: BackwardOptions = {}): Tensor | null {
    checkDy(`Dropout '${this.name}'`, dy, this.#output);
    if (options.inputGrad === false) return null;
    if (this.#mask === null) return dy;
    return mul(dy, this.#mask, { out: this.#buffers.get('dx', dy.shape, dy.dtype) });
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  getConfig(): LayerConfig {
    return { name: this.name, rate: this.rate, seed: this.seed ?? null };
  }
}
