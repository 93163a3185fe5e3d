import { allocateChecked } from './allocate-checked.js';
import { isDetached } from './detached.js';
import { assertDType, assertStorable, dtypeOfArray, isInt32Value, type DataTypeMap, type DType, type TypedArray } from './dtype.js';
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

/** Options for a typed array whose own dtype is kept: a shape only. */
export interface TypedArrayTensorOptions {
  shape?: Shape;
  dtype?: undefined;
}

type Values = NestedArray | ArrayLike<number>;

/**
 * A new tensor holding a copy of `values`: a number, nested arrays (the shape is read from the
 * nesting) or a flat array / typed array with an optional `shape`. The dtype defaults to the
 * typed array's, else `float32`. An int32 tensor takes only integers it can hold exactly.
 */
export function tensor(values: Float64Array, options?: TypedArrayTensorOptions): Tensor<'float64'>;
export function tensor(values: Int32Array, options?: TypedArrayTensorOptions): Tensor<'int32'>;
export function tensor(values: Float32Array, options?: TypedArrayTensorOptions): Tensor<'float32'>;
export function tensor(values: TypedArray, options?: TypedArrayTensorOptions): Tensor;
export function tensor<D extends DType = 'float32'>(values: Values, options?: TensorOptions<D>): Tensor<D>;
export function tensor<D extends DType = 'float32'>(values: Values, options?: TensorOptions<D>): Tensor<D> {
  const op = 'tensor';
  const o = checkOptions<TensorOptions<D>>(op, options, ['dtype', 'shape']);
  const dtype = (o.dtype ?? dtypeOfArray(values) ?? 'float32') as D;
  assertDType(op, dtype);
  let flat: ArrayLike<unknown>;
  let shape: number[];
  if (typeof values === 'number') {
    flat = [values];
    shape = [];
  } else if (ArrayBuffer.isView(values)) {
    if (values instanceof DataView) throw new ValueError(`${op}: values must be a number, an array or a typed array, got a DataView`);
    if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
      throw new ValueError(`${op}: values are a ${values.constructor.name} of bigints; convert them to numbers first`);
    }
    if (isDetached(values.buffer)) {
      throw new ValueError(`${op}: the typed array's buffer is detached (transferred to a worker or by transfer()); its values are gone`);
    }
    flat = values as ArrayLike<number>;
    shape = [flat.length];
  } else if (Array.isArray(values) && !values.some(Array.isArray)) {
    flat = values;
    shape = [flat.length];
  } else if (Array.isArray(values)) {
    shape = inferShape(values);
    flat = flatten(values, shape);
  } else {
    throw new ValueError(`${op}: values must be a number, an array or a typed array, got ${describe(values)}`);
  }
  if (o.shape !== undefined) {
    assertShape(op, o.shape);
    if (sizeOf(o.shape) !== flat.length) {
      throw new ShapeError(`${op}: ${flat.length} values do not fill shape ${formatShape(o.shape)} (${sizeOf(o.shape)} elements)`);
    }
    shape = [...o.shape];
  }
  const data = allocateChecked(op, dtype, shape);
  const int32 = dtype === 'int32';
  if (ArrayBuffer.isView(values)) {
    // A typed array holds numbers only; only a float one going into int32 needs each value checked.
    if (int32 && dtypeOfArray(values) !== 'int32') {
      for (let i = 0; i < flat.length; i++) assertStorable(op, dtype, flat[i] as number, `element ${i}`);
    }
    data.set(values as never);
  } else {
    for (let i = 0; i < flat.length; i++) {
      const v = flat[i];
      if (typeof v !== 'number') throw new ValueError(`${op}: element ${i} is ${describe(v)}, not a number`);
      if (int32 && !isInt32Value(v)) assertStorable(op, dtype, v, `element ${i}`);
      data[i] = v;
    }
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

/** The leaves in row-major order; ragged nesting is a ShapeError, a leaf that is no number a ValueError. */
function flatten(values: NestedArray[], shape: number[]): number[] {
  const out: number[] = [];
  const walk = (v: unknown, depth: number, path: number[]): void => {
    if (depth === shape.length) {
      if (Array.isArray(v)) {
        throw new ShapeError(`tensor: ragged nested array: element at [${path.join(',')}] is an array, expected a number`);
      }
      if (typeof v !== 'number') throw new ValueError(`tensor: element at [${path.join(',')}] is ${describe(v)}, not a number`);
      out.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      const got = Array.isArray(v) ? `length ${v.length}` : describe(v);
      throw new ShapeError(`tensor: ragged nested array: at [${path.join(',')}] expected length ${shape[depth]}, got ${got}`);
    }
    for (let i = 0; i < v.length; i++) walk(v[i], depth + 1, [...path, i]);
  };
  walk(values, 0, []);
  return out;
}

/** A tensor of `shape` from the current allocator, zero-filled. */
export function zeros<D extends DType = 'float32'>(shape: Shape, options?: CreationOptions<D>): Tensor<D> {
  return create('zeros', shape, options);
}

/** A tensor of `shape` whose every element is `value` (an int32 tensor takes integers it holds exactly). */
export function full<D extends DType = 'float32'>(shape: Shape, value: number, options?: CreationOptions<D>): Tensor<D> {
  return filled('full', shape, value, options);
}

export function ones<D extends DType = 'float32'>(shape: Shape, options?: CreationOptions<D>): Tensor<D> {
  return filled('ones', shape, 1, options);
}

/** A tensor shaped and typed like `t`, zero-filled. */
export function zerosLike<D extends DType>(t: Tensor<D>): Tensor<D> {
  if (!(t instanceof Tensor)) throw new ValueError(`zerosLike: expected a Tensor, got ${describe(t)}`);
  return create('zerosLike', t.shape, { dtype: t.dtype });
}

function create<D extends DType>(op: string, shape: Shape, options: CreationOptions<D> | undefined): Tensor<D> {
  const dtype = (checkOptions(op, options, ['dtype']).dtype ?? 'float32') as D;
  assertDType(op, dtype);
  assertShape(op, shape);
  return new Tensor(allocateChecked(op, dtype, shape), shape);
}

function filled<D extends DType>(op: string, shape: Shape, value: number, options: CreationOptions<D> | undefined): Tensor<D> {
  if (typeof value !== 'number') throw new ValueError(`${op}: value must be a number, got ${describe(value)}`);
  const dtype = (checkOptions(op, options, ['dtype']).dtype ?? 'float32') as D;
  assertDType(op, dtype);
  assertStorable(op, dtype, value, 'value');
  const t = create(op, shape, { dtype });
  if (value !== 0) (t.data as DataTypeMap[DType]).fill(value);
  return t;
}

/**
 * Evenly spaced values in [start, stop) by `step`, like `np.arange`: `arange(5)` is 0..4,
 * `arange(2, 8, 2)` is 2, 4, 6. An int32 range must consist of integers int32 holds.
 */
export function arange<D extends DType = 'float32'>(
  startOrStop: number,
  stop?: number,
  step = 1,
  options?: CreationOptions<D>,
): Tensor<D> {
  const op = 'arange';
  const start = stop === undefined ? 0 : startOrStop;
  const end = stop === undefined ? startOrStop : stop;
  for (const [name, v] of [['start', start], ['stop', end], ['step', step]] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError(`${op}: ${name} must be a finite number, got ${describe(v)}`);
  }
  if (step === 0) throw new ValueError(`${op}: step must not be 0`);
  const dtype = (checkOptions(op, options, ['dtype']).dtype ?? 'float32') as D;
  assertDType(op, dtype);
  const n = Math.max(0, Math.ceil((end - start) / step));
  if (n > 0) {
    // The values run monotonically from the first to the last, so those two decide for int32.
    assertStorable(op, dtype, start, 'start');
    assertStorable(op, dtype, step, 'step');
    assertStorable(op, dtype, start + (n - 1) * step, 'the last value');
  }
  const t = new Tensor(allocateChecked(op, dtype, [n]), [n]);
  const data = t.data;
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return t;
}

/** `options` is undefined or a plain object with only `keys`; anything else is a ValueError naming `op`. */
function checkOptions<T extends object>(op: string, options: T | undefined, keys: readonly string[]): T {
  if (options === undefined) return {} as T;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    const hint = typeof options === 'string' ? ` (a dtype goes in options: { dtype: ${JSON.stringify(options)} })` : '';
    throw new ValueError(`${op}: options must be an object, got ${describe(options)}${hint}`);
  }
  for (const key of Object.keys(options)) {
    if (!keys.includes(key)) throw new ValueError(`${op}: unknown option ${JSON.stringify(key)}; expected ${keys.join(', ')}`);
  }
  return options;
}

/** A short description of an unexpected value for messages. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 20 ? `${value.slice(0, 17)}...` : value)}`;
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `an object (${(value as object).constructor?.name ?? 'no prototype'})`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value === 'bigint' ? 'a bigint' : typeof value;
}
