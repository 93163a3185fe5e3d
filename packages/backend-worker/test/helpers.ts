import { Tensor, type DType, type TypedArray } from '@scratchnet/tensor';

/** Small seeded generator (mulberry32), so every run draws the same numbers. */
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

/** A tensor in plain memory with uniform values in [lo, hi) (integers in [lo, hi] for int32). */
export function randomTensor(rng: TestRng, shape: readonly number[], dtype: DType = 'float32', lo = -1, hi = 1): Tensor {
  const size = shape.reduce((p, d) => p * d, 1);
  const data = new CTORS[dtype](size);
  for (let i = 0; i < size; i++) data[i] = dtype === 'int32' ? rng.int(lo, hi) : rng.uniform(lo, hi);
  return new Tensor(data, shape);
}

export function zerosTensor(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return new Tensor(new CTORS[dtype](shape.reduce((p, d) => p * d, 1)), shape);
}

/** Whether two typed arrays hold the same bytes (NaN payloads and -0 count). */
export function sameBits(a: TypedArray, b: TypedArray): boolean {
  if (a.constructor !== b.constructor || a.length !== b.length) return false;
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** Index of the first element whose bytes differ, or -1. */
export function firstDifference(a: TypedArray, b: TypedArray): number {
  const n = Math.min(a.length, b.length);
  const x = new DataView(a.buffer, a.byteOffset, a.byteLength);
  const y = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const width = a.BYTES_PER_ELEMENT;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < width; j++) if (x.getUint8(i * width + j) !== y.getUint8(i * width + j)) return i;
  }
  return a.length === b.length ? -1 : n;
}

/** The test hook that makes a worker fail during its next task (not public API). */
export const INJECT_FAULT = Symbol.for('@scratchnet/backend-worker.injectFault');

export type FaultKind = 'throw' | 'exit' | 'kill';

export function injectFault(backend: object, kind: FaultKind, worker = 1): void {
  (backend as Record<symbol, (kind: FaultKind, worker: number) => void>)[INJECT_FAULT]!(kind, worker);
}
