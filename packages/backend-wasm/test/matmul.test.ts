import { SuiteRandom } from '@scratchnet/backend/testing';
import type { Tensor } from '@scratchnet/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { WasmBackend } from '../src/index.js';
import { firstDifferenceUpToNaN } from './bits.js';
import { randomTensor } from './scenarios.js';

/**
 * Matmul sums in the element type, each output element over k in increasing order, started from
 * 0 (or from `out` when accumulating), one rounding per multiply and per add. That is exactly
 * this scalar loop, so the kernel's results must equal it bit for bit, whatever the tiling,
 * blocking, transposes or batching.
 */
function reference(a: Tensor, b: Tensor, out: Tensor, tA: boolean, tB: boolean, accumulate: boolean): Float64Array {
  const f32 = out.dtype === 'float32';
  const round = f32 ? Math.fround : (v: number) => v;
  const batch = out.rank === 3 ? out.shape[0]! : 1;
  const [m, n] = out.shape.slice(-2) as [number, number];
  const k = tA ? a.shape[a.rank - 2]! : a.shape[a.rank - 1]!;
  const bShared = b.rank === 2;
  const result = new Float64Array(out.size);
  for (let bi = 0; bi < batch; bi++) {
    const aOff = bi * m * k;
    const bOff = bShared ? 0 : bi * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const o = (bi * m + i) * n + j;
        let acc = accumulate ? out.data[o]! : 0;
        for (let p = 0; p < k; p++) {
          const av = a.data[aOff + (tA ? p * m + i : i * k + p)]!;
          const bv = b.data[bOff + (tB ? j * k + p : p * n + j)]!;
          acc = round(acc + round(av * bv));
        }
        result[o] = acc;
      }
    }
  }
  return result;
}

function check(backend: WasmBackend, rng: SuiteRandom, dtype: 'float32' | 'float64', batch: number, bShared: boolean, m: number, k: number, n: number, tA: boolean, tB: boolean, acc: boolean): void {
  const aShape = tA ? [k, m] : [m, k];
  const bShape = tB ? [n, k] : [k, n];
  const a = randomTensor(rng, batch ? [batch, ...aShape] : aShape, dtype);
  const b = randomTensor(rng, batch && !bShared ? [batch, ...bShape] : bShape, dtype);
  const out = randomTensor(rng, batch ? [batch, m, n] : [m, n], dtype, -2, 2);
  const expected = reference(a, b, out, tA, tB, acc);
  backend.matmul(a, b, out, { transposeA: tA, transposeB: tB, accumulate: acc });
  const got = Float64Array.from(out.data);
  const at = firstDifferenceUpToNaN(got, expected);
  if (at >= 0) {
    expect.fail(`matmul ${dtype} batch ${batch} shared=${bShared} ${m}x${k}x${n} tA=${tA} tB=${tB} acc=${acc}: element ${at} is ${got[at]}, expected ${expected[at]}`);
  }
}

const COMBOS = [[false, false], [true, false], [false, true], [true, true]] as const;

describe('matmul equals the element-type scalar loop bit for bit', () => {
  const backend = new WasmBackend();
  afterAll(() => backend.dispose());

  for (const dtype of ['float32', 'float64'] as const) {
    it(`${dtype}: edge sizes around the 5-row tile and the panel width, every transpose, with and without accumulate`, () => {
      const rng = new SuiteRandom(1);
      const sizes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 16, 17];
      for (const [tA, tB] of COMBOS) {
        for (const acc of [false, true]) {
          for (let trial = 0; trial < 30; trial++) {
            check(backend, rng, dtype, 0, true, rng.pick(sizes), rng.pick(sizes), rng.pick(sizes), tA, tB, acc);
          }
        }
      }
    });

    it(`${dtype}: several k-blocks (k > 400) and m-blocks (m > 120)`, () => {
      const rng = new SuiteRandom(2);
      // k = 801 and 1603 block as 401 + 400 and 4 × 321 + 319 steps: 1 and 3 past a multiple of 4,
      // so the vectorized packing of A (and of a transposed B) leaves a tail to its scalar loop.
      for (const [m, k, n] of [[121, 801, 9], [250, 1700, 17], [7, 1603, 33], [241, 40, 8], [128, 784, 16]] as const) {
        for (const [tA, tB] of COMBOS) check(backend, rng, dtype, 0, true, m, k, n, tA, tB, rng.next() < 0.5);
      }
    });

    it(`${dtype}: batched, 3-D × 3-D and 3-D × shared 2-D, every transpose`, () => {
      const rng = new SuiteRandom(3);
      for (const bShared of [false, true]) {
        for (const [tA, tB] of COMBOS) {
          for (const [batch, m, k, n] of [[2, 7, 9, 11], [3, 1, 5, 8], [4, 13, 300, 6], [1, 5, 8, 8]] as const) {
            check(backend, rng, dtype, batch, bShared, m, k, n, tA, tB, rng.next() < 0.5);
          }
        }
      }
    });

    it(`${dtype}: k = 0 writes zeros (or leaves out when accumulating); empty m or n writes nothing`, () => {
      const rng = new SuiteRandom(4);
      for (const acc of [false, true]) {
        check(backend, rng, dtype, 0, true, 6, 0, 9, false, false, acc);
        check(backend, rng, dtype, 2, false, 6, 0, 9, true, true, acc);
      }
      check(backend, rng, dtype, 0, true, 0, 5, 9, false, false, false);
      check(backend, rng, dtype, 0, true, 6, 5, 0, false, true, false);
    });
  }
});
