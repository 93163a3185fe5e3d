import type { DType } from '@scratchnet/tensor';
import { assertExact } from '../check.js';
import type { SuiteContext } from '../harness.js';

export function registerGather(ctx: SuiteContext): void {
  ctx.api.describe('gather', () => {
    for (const dtype of ['float32', 'float64', 'int32'] as DType[]) {
      ctx.test(`rows of ${dtype} tensors, with repeated indices`, (h) => {
        const shapes = [[1], [5], [1, 1], [5, 3], [33, 65], [129, 1], [7, 0], [4, 2, 3], [3, 2, 1, 5]];
        for (const shape of shapes) {
          for (const m of [0, 1, 7, 40]) {
            const x = h.random(shape, dtype, { low: -100, high: 100 });
            const indices = h.random([m], 'int32', { low: 0, high: shape[0]! - 1 });
            const outShape = [m, ...shape.slice(1)];
            const expected = h.refZeros(outShape, dtype);
            h.ref.gather(h.up(x), indices, expected);
            const out = h.garbage(outShape, dtype);
            const what = `gather(${dtype} x [${shape.join(',')}], indices [${m}])`;
            h.run(what, [x, indices], () => h.kernels.gather(x, indices, out));
            assertExact(what, out, expected);
          }
        }
      });
    }
  });
}
