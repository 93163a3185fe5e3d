import { Tensor, type DType, type TypedArray } from '@scratchnet/tensor';

/** Small seeded generator (mulberry32) so every test draws the same numbers on every run. */
export class TestRng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
}

const CTORS = { float32: Float32Array, float64: Float64Array, int32: Int32Array } as const;

/** A tensor of `shape` with uniform values in [lo, hi) (rounded for int32). */
export function randomTensor(rng: TestRng, shape: readonly number[], dtype: DType = 'float32', lo = -1, hi = 1): Tensor {
  const size = shape.reduce((p, d) => p * d, 1);
  const data = new CTORS[dtype](size);
  for (let i = 0; i < size; i++) data[i] = dtype === 'int32' ? rng.int(lo, hi) : rng.uniform(lo, hi);
  return new Tensor(data, shape);
}

export function zerosTensor(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  const size = shape.reduce((p, d) => p * d, 1);
  return new Tensor(new CTORS[dtype](size), shape);
}

export function fromValues(values: readonly number[], shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return new Tensor(CTORS[dtype].from(values), shape);
}

/** An independent copy (same shape, dtype and values). */
export function cloneTensor(t: Tensor): Tensor {
  return new Tensor(t.data.slice() as TypedArray, t.shape);
}

/** Largest |actual - expected| / (atol + rtol |expected|); <= 1 means within tolerance. NaN must match NaN. */
export function toleranceRatio(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol: number): number {
  if (actual.length !== expected.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e) || Number.isNaN(a)) {
      if (!(Number.isNaN(e) && Number.isNaN(a))) return Infinity;
      continue;
    }
    if (a === e) continue;
    worst = Math.max(worst, Math.abs(a - e) / (atol + rtol * Math.abs(e)));
  }
  return worst;
}

/** Tolerances for comparing a result of `dtype` with a float64 reference. */
export function tolerances(dtype: DType): { rtol: number; atol: number } {
  return dtype === 'float32' ? { rtol: 2e-6, atol: 1e-6 } : { rtol: 1e-13, atol: 1e-14 };
}

/** Whether two typed arrays hold the same bytes (so NaN payloads and -0 count). */
export function sameBits(a: TypedArray, b: TypedArray): boolean {
  if (a.constructor !== b.constructor || a.length !== b.length) return false;
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
