import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../src/index.js';
import { fromValues, randomTensor, SuiteRandom, zerosTensor } from './helpers.js';

const backend = new CpuBackend();

describe('gather', () => {
  it('copies rows of axis 0 by index, repeats allowed', () => {
    const x = randomTensor(new SuiteRandom(1), [5, 2, 3], 'float32');
    const indices = fromValues([4, 0, 4, 2], [4], 'int32');
    const out = zerosTensor([4, 2, 3], 'float32');
    backend.gather(x, indices, out);
    const expected = [4, 0, 4, 2].flatMap((r) => Array.from(x.data.subarray(r * 6, r * 6 + 6)));
    expect(Array.from(out.data)).toEqual(expected);
  });

  it('gathers from a 1-D tensor and from int32 data, and does nothing for no indices', () => {
    const x = fromValues([10, 11, 12], [3], 'int32');
    const out = zerosTensor([2], 'int32');
    backend.gather(x, fromValues([2, 1], [2], 'int32'), out);
    expect(Array.from(out.data)).toEqual([12, 11]);
    const none = zerosTensor([0], 'int32');
    backend.gather(x, zerosTensor([0], 'int32'), none);
    expect(none.size).toBe(0);
  });
});

describe('transpose', () => {
  it('permutes axes: out[i0,i1,i2] = x at the permuted coordinates, for every permutation', () => {
    const shape = [2, 3, 4];
    const x = randomTensor(new SuiteRandom(2), shape, 'float64');
    const perms = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
    for (const perm of perms) {
      const outShape = perm.map((p) => shape[p]!);
      const out = zerosTensor(outShape, 'float64');
      backend.transpose(x, perm, out);
      for (let i = 0; i < out.size; i++) {
        const oc = [Math.floor(i / (outShape[1]! * outShape[2]!)), Math.floor(i / outShape[2]!) % outShape[1]!, i % outShape[2]!];
        const xc = [0, 0, 0];
        perm.forEach((p, d) => (xc[p] = oc[d]!));
        expect(out.data[i], `perm ${JSON.stringify(perm)} element ${i}`).toBe(x.get(...xc));
      }
    }
  });

  it('transposes a matrix, a vector and a scalar', () => {
    const m = fromValues([1, 2, 3, 4, 5, 6], [2, 3], 'float32');
    const mt = zerosTensor([3, 2], 'float32');
    backend.transpose(m, [1, 0], mt);
    expect(Array.from(mt.data)).toEqual([1, 4, 2, 5, 3, 6]);
    const v = zerosTensor([3], 'float32');
    backend.transpose(fromValues([7, 8, 9], [3], 'float32'), [0], v);
    expect(Array.from(v.data)).toEqual([7, 8, 9]);
    const s = zerosTensor([], 'float32');
    backend.transpose(fromValues([5], [], 'float32'), [], s);
    expect(s.data[0]).toBe(5);
  });
});
