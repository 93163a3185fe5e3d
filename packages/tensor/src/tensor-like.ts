import { dtypeOfArray, isDType } from './dtype.js';
import { formatShape } from './shape.js';
import type { Tensor } from './tensor.js';

/**
 * What is wrong with `value` as a tensor, or null when nothing is: a `shape` of non-negative
 * integers, a known `dtype`, `size` the product of the shape, and `data` a typed array of that
 * dtype holding exactly `size` elements. Duck-typed rather than `instanceof`, so that a tensor made
 * by a second copy of this package (a duplicated dependency) is accepted, while an object whose
 * fields disagree (a hand-made or corrupted "tensor") is not: kernels index `data` by `shape`.
 */
export function tensorProblem(value: unknown): string | null {
  if (value === null || typeof value !== 'object') return 'it is not an object';
  const t = value as Partial<Record<keyof Tensor, unknown>>;
  const { shape, dtype, size } = t;
  if (!Array.isArray(shape)) return 'it has no shape array';
  if (!shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) {
    return `its shape [${shape.map(String).join(',')}] is not a list of non-negative integers`;
  }
  if (!isDType(dtype)) return `its dtype ${JSON.stringify(dtype)} is not float32, float64 or int32`;
  let expected = 1;
  for (const d of shape as number[]) expected *= d;
  if (size !== expected) return `its size ${String(size)} is not the ${expected} elements of shape ${formatShape(shape as number[])}`;
  let data: unknown;
  try {
    data = t.data;
  } catch (error) {
    return `its data cannot be read (${error instanceof Error ? error.message : String(error)})`;
  }
  if (!ArrayBuffer.isView(data)) return 'its data is not a typed array';
  const dataType = dtypeOfArray(data);
  if (dataType !== dtype) return `its data is a ${data.constructor.name}, not the ${dtype} array its dtype says`;
  const length = (data as unknown as ArrayLike<number>).length;
  if (length !== expected) return `its data holds ${length} elements, shape ${formatShape(shape as number[])} needs ${expected}`;
  return null;
}

/** Whether `value` is a consistent tensor (see `tensorProblem`). */
export function isTensor(value: unknown): value is Tensor {
  return tensorProblem(value) === null;
}
