import { dtypeOfArray, type DataTypeMap, type DType } from './dtype.js';
import { ShapeError, ValueError, DTypeError } from './errors.js';
import { assertShape, formatShape, sizeOf, stridesOf, type Shape } from './shape.js';
import { Storage } from './storage.js';
import { formatTensor } from './format.js';

/** Nested arrays of numbers, as `toArray()` returns and `tensor()` accepts. */
export type NestedArray = number | NestedArray[];

/**
 * An n-dimensional array: a `shape`, a `dtype` and contiguous row-major `data`. Holds and
 * describes data only; math lives in the backend's kernels, reached through `@scratchnet/backend`.
 */
export class Tensor<D extends DType = DType> {
  readonly shape: Shape;
  readonly dtype: D;
  /** Number of elements: the product of `shape`. */
  readonly size: number;
  /** Storage shared with every view of this tensor. */
  readonly storage: Storage<D>;
  /** Index of this tensor's first element in `storage`. */
  readonly offset: number;
  #view: DataTypeMap[D] | undefined;
  #viewOf: DataTypeMap[D] | undefined;

  /**
   * Wraps `data` (adopted, not copied) as a tensor of `shape`. The dtype follows the typed array.
   * Prefer `tensor()`, `zeros()` and friends; this is the low-level door.
   */
  constructor(data: DataTypeMap[D] | Storage<D>, shape: Shape, offset = 0) {
    assertShape('Tensor', shape);
    const storage = data instanceof Storage ? data : new Storage(data);
    const dtype = dtypeOfArray(storage.data);
    if (dtype === undefined) {
      throw new DTypeError('Tensor: data must be a Float32Array, Float64Array or Int32Array');
    }
    const size = sizeOf(shape);
    if (!Number.isInteger(offset) || offset < 0 || offset + size > storage.length) {
      throw new ShapeError(
        `Tensor: shape ${formatShape(shape)} needs ${size} elements from offset ${offset}, storage has ${storage.length}`,
      );
    }
    if (!(data instanceof Storage) && size !== storage.length) {
      throw new ShapeError(`Tensor: data has ${storage.length} elements, shape ${formatShape(shape)} needs ${size}`);
    }
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype as D;
    this.size = size;
    this.storage = storage;
    this.offset = offset;
  }

  get rank(): number {
    return this.shape.length;
  }

  get strides(): number[] {
    return stridesOf(this.shape);
  }

  /** The tensor's elements, row-major; a view of `storage` (writes go through). */
  get data(): DataTypeMap[D] {
    const base = this.storage.data;
    if (this.offset === 0 && this.size === base.length) return base;
    if (this.#viewOf !== base) {
      this.#view = base.subarray(this.offset, this.offset + this.size) as DataTypeMap[D];
      this.#viewOf = base;
    }
    return this.#view!;
  }

  /**
   * Releases the elements now rather than when the tensor is garbage-collected (a backend's memory
   * block is freed at once). The storage is shared with every view of this tensor (`reshape`,
   * `slice`): all of them become unusable, and reading their `data` throws a DisposedError.
   * Idempotent.
   */
  dispose(): void {
    this.storage.dispose();
  }

  /** Whether this tensor's storage was disposed. */
  get disposed(): boolean {
    return this.storage.disposed;
  }

  /** The same elements under another shape, sharing storage. One dimension may be -1. */
  reshape(shape: readonly number[]): Tensor<D> {
    const resolved = resolveReshape(this.shape, shape);
    return new Tensor(this.storage, resolved, this.offset);
  }

  /** Rows `start` to `end` (exclusive) of the first axis, as a view sharing storage. */
  slice(start: number, end: number = this.shape[0] ?? 0): Tensor<D> {
    if (this.rank === 0) throw new ShapeError('slice: a scalar tensor has no axis to slice');
    const n = this.shape[0]!;
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > n || start > end) {
      throw new ShapeError(`slice: range [${start}, ${end}) is outside axis 0 of length ${n}`);
    }
    const rowSize = n === 0 ? 0 : this.size / n;
    return new Tensor(this.storage, [end - start, ...this.shape.slice(1)], this.offset + start * rowSize);
  }

  /** The single element of a tensor of size 1. */
  item(): number {
    if (this.size !== 1) {
      throw new ShapeError(`item: tensor of shape ${formatShape(this.shape)} has ${this.size} elements, not 1`);
    }
    return this.data[0]!;
  }

  /** The element at `indices` (one per axis). */
  get(...indices: number[]): number {
    if (indices.length !== this.rank) {
      throw new ShapeError(`get: ${indices.length} indices for a tensor of rank ${this.rank}`);
    }
    let flat = 0;
    const strides = this.strides;
    for (let i = 0; i < indices.length; i++) {
      const idx = indices[i]!;
      const dim = this.shape[i]!;
      if (!Number.isInteger(idx) || idx < -dim || idx >= dim) {
        throw new ValueError(`get: index ${idx} is out of range for axis ${i} of length ${dim}`);
      }
      flat += (idx < 0 ? idx + dim : idx) * strides[i]!;
    }
    return this.data[flat]!;
  }

  /** The elements as nested arrays (a plain number for a scalar). */
  toArray(): NestedArray {
    const data = this.data;
    const shape = this.shape;
    if (shape.length === 0) return data[0]!;
    const build = (axis: number, offset: number, stride: number): NestedArray[] => {
      const n = shape[axis]!;
      const inner = n === 0 ? 0 : stride / n;
      const out = new Array<NestedArray>(n);
      for (let i = 0; i < n; i++) {
        out[i] = axis === shape.length - 1 ? data[offset + i]! : build(axis + 1, offset + i * inner, inner);
      }
      return out;
    };
    return build(0, 0, this.size);
  }

  /** NumPy-style text, as `print(array)` shows it. */
  toString(): string {
    return formatTensor(this);
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Tensor(shape=${formatShape(this.shape)}, dtype=${this.dtype})\n${formatTensor(this)}`;
  }
}

function resolveReshape(from: Shape, to: readonly number[]): number[] {
  if (!Array.isArray(to)) throw new ShapeError(`reshape: shape must be an array, got ${String(to)}`);
  const size = sizeOf(from);
  let inferred = -1;
  let known = 1;
  for (let i = 0; i < to.length; i++) {
    const d = to[i]!;
    if (d === -1) {
      if (inferred !== -1) throw new ShapeError(`reshape: only one dimension may be -1, got ${formatShape(to)}`);
      inferred = i;
    } else if (!Number.isSafeInteger(d) || d < 0) {
      throw new ShapeError(`reshape: dimension ${i} of ${formatShape(to)} is ${d}; dimensions must be non-negative integers`);
    } else {
      known *= d;
    }
  }
  const out = [...to];
  if (inferred !== -1) {
    if (known === 0 || size % known !== 0) {
      throw new ShapeError(`reshape: cannot infer -1 in ${formatShape(to)} for ${size} elements (from ${formatShape(from)})`);
    }
    out[inferred] = size / known;
  } else if (known !== size) {
    throw new ShapeError(`reshape: cannot reshape ${formatShape(from)} (${size} elements) to ${formatShape(to)} (${known} elements)`);
  }
  return out;
}
