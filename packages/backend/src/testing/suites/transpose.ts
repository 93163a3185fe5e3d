import type { DType } from '@scratchnet/tensor';
import { assertExact } from '../check.js';
import type { SuiteContext } from '../harness.js';

/** Every permutation of 0..rank-1. */
export function permutations(rank: number): number[][] {
  if (rank === 0) return [[]];
  const out: number[][] = [];
  for (const rest of permutations(rank - 1)) {
    for (let at = 0; at <= rest.length; at++) out.push([...rest.slice(0, at), rank - 1, ...rest.slice(at)]);
  }
  return out;
}

export function registerTranspose(ctx: SuiteContext): void {
  ctx.api.describe('transpose', () => {
    for (const dtype of ['float32', 'float64', 'int32'] as DType[]) {
      ctx.test(`every permutation of rank 0 to 4, ${dtype}`, (h) => {
        const shapes = [[], [7], [1, 1], [0, 5], [33, 65], [129, 17], [3, 4], [2, 3, 5], [3, 0, 2], [2, 3, 4, 5], [1, 3, 1, 2]];
        for (const shape of shapes) {
          for (const perm of permutations(shape.length)) {
            const x = h.random(shape, dtype, { low: -100, high: 100 });
            const outShape = perm.map((p) => shape[p]!);
            const expected = h.refZeros(outShape, dtype);
            h.ref.transpose(h.up(x), perm, expected);
            const out = h.garbage(outShape, dtype);
            const what = `transpose(${dtype} [${shape.join(',')}], perm [${perm.join(',')}])`;
            h.run(what, [x], () => h.kernels.transpose(x, perm, out));
            assertExact(what, out, expected);
          }
        }
      });
    }
  });
}
