import { allocateChecked } from './allocate-checked.js';
import { DTypeError, ValueError } from './errors.js';
import { assertShape, type Shape } from './shape.js';
import { getGlobalRng } from './random/global.js';
import type { Rng } from './random/rng.js';
import { Tensor } from './tensor.js';

export type FloatDType = 'float32' | 'float64';

export interface RandomOptions<D extends FloatDType = FloatDType> {
  dtype?: D;
  /** The generator to draw from; defaults to the global one (see `seed`). */
  rng?: Rng;
}

export interface RandintOptions {
  rng?: Rng;
}

function floatDType(op: string, dtype: unknown): FloatDType {
  if (dtype !== 'float32' && dtype !== 'float64') {
    throw new DTypeError(`${op}: dtype must be float32 or float64, got ${JSON.stringify(dtype)}`);
  }
  return dtype;
}

/**
 * Uniform values in [0, 1) of `shape`, drawn in row-major order: with `dtype: 'float64'`,
 * `rand([4, 3])` equals `np.random.rand(4, 3)` after the same seed (float32 rounds each value).
 */
export function rand<D extends FloatDType = 'float32'>(shape: Shape, options: RandomOptions<D> = {}): Tensor<D> {
  const dtype = floatDType('rand', options.dtype ?? 'float32') as D;
  assertShape('rand', shape);
  const data = allocateChecked('rand', dtype, shape);
  (options.rng ?? getGlobalRng()).fillRandom(data);
  return new Tensor(data, shape);
}

/**
 * Standard normal values of `shape`, drawn in row-major order: with `dtype: 'float64'`,
 * `randn([4, 3])` equals `np.random.randn(4, 3)` after the same seed.
 */
export function randn<D extends FloatDType = 'float32'>(shape: Shape, options: RandomOptions<D> = {}): Tensor<D> {
  const dtype = floatDType('randn', options.dtype ?? 'float32') as D;
  assertShape('randn', shape);
  const data = allocateChecked('randn', dtype, shape);
  (options.rng ?? getGlobalRng()).fillNormal(data);
  return new Tensor(data, shape);
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * Integers in [low, high) of `shape` as int32, drawn like `np.random.randint(low, high, shape)`
 * (same stream, same values).
 */
export function randint(low: number, high: number, shape: Shape, options: RandintOptions = {}): Tensor<'int32'> {
  assertShape('randint', shape);
  if (Number.isSafeInteger(low) && Number.isSafeInteger(high) && low < high && (low < INT32_MIN || high - 1 > INT32_MAX)) {
    throw new ValueError(`randint: int32 cannot hold [${low}, ${high})`);
  }
  const data = allocateChecked('randint', 'int32', shape);
  (options.rng ?? getGlobalRng()).fillRandint(data, low, high);
  return new Tensor(data, shape);
}
