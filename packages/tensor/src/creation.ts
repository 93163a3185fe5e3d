import { allocate } from './allocator.js';
import { assertDType, dtypeOfArray, type DataTypeMap, type DType } from './dtype.js';
import { ShapeError, ValueError } from './errors.js';
import { assertShape, formatShape, sizeOf, type Shape } from './shape.js';
import { Tensor, type NestedArray } from './tensor.js';

export interface CreationOptions<D extends DType = DType> {
  dtype?: D;
}

export interface TensorOptions<D extends DType = DType> extends CreationOptions<D> {
  /** Shape for flat input; required to give a flat array or typed array more than one axis. */
  shape?: Shape;
}

type Values = NestedArray | ArrayLike<number>;

/**
 * A new tensor holding a copy of `values`: a number, nested arrays (the shape is read from the
 * nesting) or a flat array / typed array with an optional `shape`. The dtype defaults to the
 * typed array's, else `float32`.
 */
export function tensor<D extends DType = 'float32'>(values: Values, options: TensorOptions<D> = {}): Tensor<D> {
  const dtype = (options.dtype ?? dtypeOfArray(values) ?? 'float32') as D;
  assertDType('tensor', dtype);
  let flat: ArrayLike<number>;
  let shape: number[];
  if (typeof values === 'number') {
    flat = [values];
    shape = [];
  } else if (ArrayBuffer.isView(values) || (Array.isArray(values) && !values.some(Array.isArray))) {
    flat = values as ArrayLike<number>;
    shape = [flat.length];
  } else if (Array.isArray(values)) {
    shape = inferShape(values);
    flat = flatten(values, shape);
  } else {
    throw new ValueError(`tensor: values must be a number, an array or a typed array, got ${typeof values}`);
  }
  if (options.shape !== undefined) {
    assertShape('tensor', options.shape);
    if (sizeOf(options.shape) !== flat.length) {
      throw new ShapeError(`tensor: ${flat.length} values do not fill shape ${formatShape(options.shape)} (${sizeOf(options.shape)} elements)`);
    }
    shape = [...options.shape];
  }
  const data = allocate(dtype, flat.length);
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i]!;
    if (typeof v !== 'number') throw new ValueError(`tensor: element ${i} is ${typeof v}, not a number`);
    data[i] = v;
  }
  return new Tensor(data, shape);
}

function inferShape(values: NestedArray[]): number[] {
  const shape: number[] = [];
  let level: NestedArray = values;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0]!;
  }
  return shape;
}

function flatten(values: NestedArray[], shape: number[]): number[] {
  const out: number[] = [];
  const walk = (v: NestedArray, depth: number, path: number[]): void => {
    if (depth === shape.length) {
      if (typeof v !== 'number') {
        throw new ShapeError(`tensor: ragged nested array: element at [${path.join(',')}] is an array, expected a number`);
      }
      out.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      const got = Array.isArray(v) ? `length ${v.length}` : 'a number';
      throw new ShapeError(`tensor: ragged nested array: at [${path.join(',')}] expected length ${shape[depth]}, got ${got}`);
    }
    for (let i = 0; i < v.length; i++) walk(v[i]!, depth + 1, [...path, i]);
  };
  walk(values, 0, []);
  return out;
}

/** A tensor of `shape` from the current allocator, zero-filled. */
export function zeros<D extends DType = 'float32'>(shape: Shape, options: CreationOptions<D> = {}): Tensor<D> {
  const dtype = (options.dtype ?? 'float32') as D;
  assertDType('zeros', dtype);
  assertShape('zeros', shape);
  return new Tensor(allocate(dtype, sizeOf(shape)), shape);
}

/** A tensor of `shape` whose every element is `value`. */
export function full<D extends DType = 'float32'>(shape: Shape, value: number, options: CreationOptions<D> = {}): Tensor<D> {
  if (typeof value !== 'number') throw new ValueError(`full: value must be a number, got ${typeof value}`);
  const t = zeros(shape, options);
  if (value !== 0) (t.data as DataTypeMap[DType]).fill(value);
  return t;
}

export function ones<D extends DType = 'float32'>(shape: Shape, options: CreationOptions<D> = {}): Tensor<D> {
  return full(shape, 1, options);
}

/** A tensor shaped and typed like `t`, zero-filled. */
export function zerosLike<D extends DType>(t: Tensor<D>): Tensor<D> {
  return zeros(t.shape, { dtype: t.dtype });
}

/**
 * Evenly spaced values in [start, stop) by `step`, like `np.arange`: `arange(5)` is 0..4,
 * `arange(2, 8, 2)` is 2, 4, 6.
 */
export function arange<D extends DType = 'float32'>(
  startOrStop: number,
  stop?: number,
  step = 1,
  options: CreationOptions<D> = {},
): Tensor<D> {
  const start = stop === undefined ? 0 : startOrStop;
  const end = stop === undefined ? startOrStop : stop;
  for (const [name, v] of [['start', start], ['stop', end], ['step', step]] as const) {
    if (!Number.isFinite(v)) throw new ValueError(`arange: ${name} must be a finite number, got ${v}`);
  }
  if (step === 0) throw new ValueError('arange: step must not be 0');
  const n = Math.max(0, Math.ceil((end - start) / step));
  const t = zeros([n], options);
  const data = t.data;
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return t;
}
