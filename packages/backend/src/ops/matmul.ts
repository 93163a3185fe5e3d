import { ShapeError, formatShape, zeros, type DType, type Tensor } from '@scratchnet/tensor';
import type { MatmulOptions } from '../backend.js';
import { getKernels } from '../registry.js';
import {
  assertBoolean,
  assertFloat,
  assertNoOverlap,
  assertOptions,
  assertSameDType,
  assertTensor,
  checkOut,
} from './validate.js';

export interface MatmulOpOptions extends MatmulOptions {
  /** Destination `[m,n]` (or `[batch,m,n]`) of the inputs' dtype; allocated when absent. */
  out?: Tensor;
}

/**
 * `op(a) @ op(b)`, `op` transposing when `transposeA` / `transposeB` is set. 2-D: `[m,k] @ [k,n]`.
 * Batched: `a` is `[batch,m,k]`, `b` is `[batch,k,n]` or a 2-D `[k,n]` shared by every batch.
 * With `accumulate` the product is added to `out` (gradient accumulation). float32/float64.
 */
export function matmul<D extends DType>(a: Tensor<D>, b: Tensor<D>, options: MatmulOpOptions = {}): Tensor<D> {
  const op = 'matmul';
  assertTensor(op, 'a', a);
  assertTensor(op, 'b', b);
  assertOptions(op, options);
  const { transposeA = false, transposeB = false, accumulate = false, out } = options;
  assertBoolean(op, 'transposeA', transposeA);
  assertBoolean(op, 'transposeB', transposeB);
  assertBoolean(op, 'accumulate', accumulate);
  assertFloat(op, 'a', a);
  assertFloat(op, 'b', b);
  assertSameDType(op, 'a', a, 'b', b);
  for (const [name, t] of [['a', a], ['b', b]] as const) {
    if (t.rank !== 2 && t.rank !== 3) {
      throw new ShapeError(`${op}: ${name} must be 2-D or 3-D (batched), got shape ${formatShape(t.shape)} (rank ${t.rank})`);
    }
  }
  if (a.rank === 2 && b.rank === 3) {
    throw new ShapeError(
      `${op}: a is 2-D ${formatShape(a.shape)} but b is 3-D ${formatShape(b.shape)}; a batched product needs a 3-D a (b may be 2-D, shared by every batch)`,
    );
  }
  if (a.rank === 3 && b.rank === 3 && a.shape[0] !== b.shape[0]) {
    throw new ShapeError(`${op}: batch sizes differ: a is ${formatShape(a.shape)}, b is ${formatShape(b.shape)}`);
  }
  const aRows = a.shape[a.rank - 2]!;
  const aCols = a.shape[a.rank - 1]!;
  const bRows = b.shape[b.rank - 2]!;
  const bCols = b.shape[b.rank - 1]!;
  const m = transposeA ? aCols : aRows;
  const kA = transposeA ? aRows : aCols;
  const kB = transposeB ? bCols : bRows;
  const n = transposeB ? bRows : bCols;
  if (kA !== kB) {
    const flags = [transposeA ? 'transposeA' : '', transposeB ? 'transposeB' : ''].filter(Boolean).join(' and ');
    throw new ShapeError(
      `${op}: inner dimensions differ: a is ${formatShape(a.shape)}, b is ${formatShape(b.shape)}${flags ? ` (with ${flags})` : ''}`,
    );
  }
  const shape = a.rank === 3 ? [a.shape[0]!, m, n] : [m, n];
  const given = checkOut(op, out, shape, a.dtype);
  if (given) {
    assertNoOverlap(op, 'out', given, 'a', a);
    assertNoOverlap(op, 'out', given, 'b', b);
  }
  const backend = getKernels(op);
  const result = (given ?? zeros(shape, { dtype: a.dtype })) as Tensor<D>;
  backend.matmul(a, b, result, { transposeA, transposeB, accumulate });
  return result;
}
