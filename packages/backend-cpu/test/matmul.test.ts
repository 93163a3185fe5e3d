import type { DType, Tensor } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../src/index.js';
import { cloneTensor, randomTensor, SuiteRandom, zerosTensor } from './helpers.js';

const backend = new CpuBackend();

interface Case {
  batch: number | null; // null: 2-D
  sharedB: boolean;
  m: number;
  k: number;
  n: number;
  transposeA: boolean;
  transposeB: boolean;
  accumulate: boolean;
  dtype: 'float32' | 'float64';
}

/** op(a) @ op(b) (+ out) as a textbook triple loop in float64, plus Σ|a||b| for the error bound. */
function reference(c: Case, a: Tensor, b: Tensor, out0: Tensor): { value: Float64Array; magnitude: Float64Array } {
  const batches = c.batch ?? 1;
  const { m, k, n } = c;
  const value = new Float64Array(batches * m * n);
  const magnitude = new Float64Array(batches * m * n);
  const ad = a.data;
  const bd = b.data;
  for (let bi = 0; bi < batches; bi++) {
    const aOff = bi * m * k;
    const bOff = c.sharedB ? 0 : bi * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        let mag = 0;
        for (let p = 0; p < k; p++) {
          const av = ad[aOff + (c.transposeA ? p * m + i : i * k + p)]!;
          const bv = bd[bOff + (c.transposeB ? j * k + p : p * n + j)]!;
          sum += av * bv;
          mag += Math.abs(av * bv);
        }
        const o = bi * m * n + i * n + j;
        value[o] = c.accumulate ? out0.data[o]! + sum : sum;
        magnitude[o] = mag + (c.accumulate ? Math.abs(out0.data[o]!) : 0);
      }
    }
  }
  return { value, magnitude };
}

function operands(rng: SuiteRandom, c: Case): { a: Tensor; b: Tensor; out: Tensor } {
  const aShape = c.transposeA ? [c.k, c.m] : [c.m, c.k];
  const bShape = c.transposeB ? [c.n, c.k] : [c.k, c.n];
  const a = randomTensor(rng, c.batch === null ? aShape : [c.batch, ...aShape], c.dtype);
  const b = randomTensor(rng, c.batch === null || c.sharedB ? bShape : [c.batch, ...bShape], c.dtype);
  const outShape = c.batch === null ? [c.m, c.n] : [c.batch, c.m, c.n];
  const out = c.accumulate ? randomTensor(rng, outShape, c.dtype) : randomTensor(rng, outShape, c.dtype, 1e6, 2e6);
  return { a, b, out };
}

/**
 * Float64 results carry only summation rounding (k ulps of Σ|ab|); float32 results add one
 * rounding of the result to float32 (and of `out` + sum when accumulating).
 */
function expectClose(c: Case, got: Tensor, ref: { value: Float64Array; magnitude: Float64Array }): void {
  const eps32 = 2 ** -24;
  const eps64 = 2 ** -53;
  for (let i = 0; i < ref.value.length; i++) {
    const e = ref.value[i]!;
    const bound = (c.k + 2) * eps64 * ref.magnitude[i]! + (c.dtype === 'float32' ? eps32 * Math.abs(e) : 0) + 1e-300;
    const diff = Math.abs(got.data[i]! - e);
    if (!(diff <= bound)) {
      expect.fail(`element ${i} of ${JSON.stringify(c)}: got ${got.data[i]}, expected ${e} (|diff| ${diff} > ${bound})`);
    }
  }
}

function run(rng: SuiteRandom, c: Case): void {
  const { a, b, out } = operands(rng, c);
  const out0 = cloneTensor(out);
  backend.matmul(a, b, out, { transposeA: c.transposeA, transposeB: c.transposeB, accumulate: c.accumulate });
  expectClose(c, out, reference(c, a, b, out0));
}

const TRANSPOSES = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const;

// Sizes around the 4x4 register tile, and column counts past the packed-B block (256 columns,
// fewer when k is large).
const EDGE_SIZES = [1, 2, 3, 4, 5, 7, 8, 9, 13];

describe('matmul against a float64 triple loop', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    for (const [transposeA, transposeB] of TRANSPOSES) {
      it(`${dtype} 2-D, transposeA=${transposeA} transposeB=${transposeB}, sizes straddling the tile`, () => {
        const rng = new SuiteRandom(11);
        for (const m of EDGE_SIZES) {
          for (const n of [1, 3, 4, 6, 9]) {
            for (const k of [1, 2, 5, 8, 17]) {
              run(rng, { batch: null, sharedB: false, m, k, n, transposeA, transposeB, accumulate: false, dtype });
            }
          }
        }
      });

      it(`${dtype} random shapes, batched and accumulating, transposeA=${transposeA} transposeB=${transposeB}`, () => {
        const rng = new SuiteRandom(transposeA ? (transposeB ? 4 : 3) : transposeB ? 2 : 1);
        for (let trial = 0; trial < 12; trial++) {
          const batch = rng.pick([null, null, 1, 2, 3]);
          run(rng, {
            batch,
            sharedB: batch !== null && rng.next() < 0.5,
            m: rng.int(1, 40),
            k: rng.int(1, 70),
            n: rng.int(1, 40),
            transposeA,
            transposeB,
            accumulate: rng.next() < 0.5,
            dtype,
          });
        }
      });
    }
  }

  it('crosses packed-B column blocks (n > 256, and a large k that narrows the block)', () => {
    const rng = new SuiteRandom(5);
    for (const [m, k, n] of [
      [6, 9, 263],
      [5, 2100, 70],
    ] as const) {
      for (const [transposeA, transposeB] of TRANSPOSES) {
        run(rng, { batch: null, sharedB: false, m, k, n, transposeA, transposeB, accumulate: false, dtype: 'float32' });
      }
    }
  });

  it('batched with per-batch b where m is not a multiple of the row tile', () => {
    const rng = new SuiteRandom(6);
    for (const accumulate of [false, true]) {
      run(rng, { batch: 5, sharedB: false, m: 3, k: 7, n: 5, transposeA: true, transposeB: false, accumulate, dtype: 'float64' });
      run(rng, { batch: 4, sharedB: true, m: 3, k: 6, n: 9, transposeA: false, transposeB: true, accumulate, dtype: 'float32' });
    }
  });

  it('sums each element in float64 over k in increasing order, rounded once (so the result is exact to that rule)', () => {
    const rng = new SuiteRandom(7);
    const c: Case = { batch: 2, sharedB: true, m: 7, k: 300, n: 11, transposeA: true, transposeB: true, accumulate: true, dtype: 'float32' };
    const { a, b, out } = operands(rng, c);
    const out0 = cloneTensor(out);
    backend.matmul(a, b, out, { transposeA: true, transposeB: true, accumulate: true });
    const expected = Float32Array.from(reference(c, a, b, out0).value);
    expect(Array.from(out.data)).toEqual(Array.from(expected));
  });

  it('handles empty dimensions: k = 0 writes zeros (or leaves out when accumulating), m or n = 0 writes nothing', () => {
    const out = randomTensor(new SuiteRandom(8), [3, 4]);
    backend.matmul(zerosTensor([3, 0]), zerosTensor([0, 4]), out);
    expect(Array.from(out.data)).toEqual(new Array(12).fill(0));

    const acc = randomTensor(new SuiteRandom(9), [3, 4]);
    const before = Array.from(acc.data);
    backend.matmul(zerosTensor([3, 0]), zerosTensor([0, 4]), acc, { accumulate: true });
    expect(Array.from(acc.data)).toEqual(before);

    const empty = zerosTensor([0, 4]);
    backend.matmul(zerosTensor([0, 5]), randomTensor(new SuiteRandom(10), [5, 4]), empty);
    expect(empty.size).toBe(0);
    const noCols = zerosTensor([3, 0]);
    backend.matmul(randomTensor(new SuiteRandom(10), [3, 5]), zerosTensor([5, 0]), noCols);
    expect(noCols.size).toBe(0);
  });

  it('propagates NaN and Infinity only into the elements whose row and column hold them', () => {
    const a = randomTensor(new SuiteRandom(12), [5, 6], 'float64');
    const b = randomTensor(new SuiteRandom(13), [6, 5], 'float64');
    a.data[2 * 6 + 3] = NaN;
    b.data[1 * 5 + 4] = Infinity;
    const out = zerosTensor([5, 5], 'float64');
    backend.matmul(a, b, out);
    for (let i = 0; i < 5; i++) {
      for (let j = 0; j < 5; j++) {
        const v = out.data[i * 5 + j]!;
        if (i === 2) expect(v).toBeNaN();
        else if (j === 4) expect(Math.abs(v)).toBe(Infinity);
        else expect(Number.isFinite(v)).toBe(true);
      }
    }
  });

  it('reads strided tensor views (a slice of a larger storage) at their offset', () => {
    const rng = new SuiteRandom(14);
    const big = randomTensor(rng, [10, 6], 'float64' as DType);
    const a = big.slice(3, 8); // rows 3..7
    const b = randomTensor(rng, [6, 4], 'float64');
    const out = zerosTensor([5, 4], 'float64');
    backend.matmul(a, b, out);
    const c: Case = { batch: null, sharedB: false, m: 5, k: 6, n: 4, transposeA: false, transposeB: false, accumulate: false, dtype: 'float64' };
    expectClose(c, out, reference(c, cloneTensor(a), b, out));
  });
});
