import {
  DTypeError,
  ShapeError,
  ValueError,
  formatShape,
  isFloatDType,
  tensorProblem,
  shapesEqual,
  type DType,
  type Shape,
  type Tensor,
} from '@scratchnet/tensor';

/**
 * Checks shared by the ops. Every message starts with the op's name and shows the offending
 * shapes, dtypes or values, so a failure deep in a model still says what was wrong where.
 */

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'no constructor'})`;
  return typeof value;
}

/** An op or option name as the user gave it: quoted when it is a string. */
export function describeName(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : describeValue(value);
}

export function assertTensor(op: string, name: string, value: unknown): asserts value is Tensor {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !('shape' in value) || !('data' in value)) {
    throw new ValueError(`${op}: ${name} must be a Tensor, got ${describeValue(value)}`);
  }
  const problem = tensorProblem(value);
  if (problem !== null) throw new ValueError(`${op}: ${name} is not a valid Tensor: ${problem}`);
}

export function assertFloat(op: string, name: string, t: Tensor): void {
  if (!isFloatDType(t.dtype)) {
    throw new DTypeError(`${op}: ${name} has dtype ${t.dtype}; ${op} needs float32 or float64 (convert with cast(${name}, 'float32'))`);
  }
}

export function assertSameDType(op: string, nameA: string, a: Tensor, nameB: string, b: Tensor): void {
  if (a.dtype !== b.dtype) {
    throw new DTypeError(
      `${op}: dtypes differ: ${nameA} is ${a.dtype}, ${nameB} is ${b.dtype}; convert one with cast(${nameB}, '${a.dtype}')`,
    );
  }
}

export function assertShapeIs(op: string, name: string, t: Tensor, expected: Shape): void {
  if (!shapesEqual(t.shape, expected)) {
    throw new ShapeError(`${op}: ${name} has shape ${formatShape(t.shape)}, expected ${formatShape(expected)}`);
  }
}

export function assertSameShape(op: string, nameA: string, a: Tensor, nameB: string, b: Tensor): void {
  if (!shapesEqual(a.shape, b.shape)) {
    throw new ShapeError(`${op}: shapes differ: ${nameA} is ${formatShape(a.shape)}, ${nameB} is ${formatShape(b.shape)}`);
  }
}

/**
 * Validates a caller-supplied destination: a tensor of exactly `shape` and (unless `dtype` is
 * null, meaning any) `dtype`. Returns it, or undefined when the caller passed none.
 */
export function checkOut(op: string, out: unknown, shape: Shape, dtype: DType | null, name = 'out'): Tensor | undefined {
  if (out === undefined) return undefined;
  assertTensor(op, name, out);
  assertShapeIs(op, name, out, shape);
  if (dtype !== null && out.dtype !== dtype) {
    throw new DTypeError(`${op}: ${name} has dtype ${out.dtype}, expected ${dtype}`);
  }
  return out;
}

/** Whether two tensors share at least one element of memory. */
export function overlaps(a: Tensor, b: Tensor): boolean {
  if (a.storage !== b.storage || a.size === 0 || b.size === 0) return false;
  return a.offset < b.offset + b.size && b.offset < a.offset + a.size;
}

/** Whether two tensors are the very same elements (the same tensor, or a reshape of it). */
export function sameElements(a: Tensor, b: Tensor): boolean {
  return a.storage === b.storage && a.offset === b.offset && a.size === b.size;
}

/** Kernels assume an output does not share memory with an input unless their contract says so. */
export function assertNoOverlap(op: string, outName: string, out: Tensor, inName: string, input: Tensor): void {
  if (overlaps(out, input)) {
    throw new ValueError(`${op}: ${outName} shares memory with ${inName}; pass a separate tensor`);
  }
}

/** For kernels that may work in place: `out` is either exactly `input` or disjoint from it. */
export function assertInPlaceOrDisjoint(op: string, outName: string, out: Tensor, inName: string, input: Tensor): void {
  if (overlaps(out, input) && !sameElements(out, input)) {
    throw new ValueError(`${op}: ${outName} partly overlaps ${inName}; pass ${inName} itself (in place) or a separate tensor`);
  }
}

export function assertBoolean(op: string, name: string, value: unknown): asserts value is boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new ValueError(`${op}: ${name} must be true or false, got ${describeValue(value)}`);
  }
}

export function assertFinite(op: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValueError(`${op}: ${name} must be a finite number, got ${typeof value === 'number' ? value : describeValue(value)}`);
  }
}

/** A finite number in [lo, hi) (or [lo, hi] when `hiInclusive`). */
export function assertInRange(op: string, name: string, value: unknown, lo: number, hi: number, hiInclusive = false): asserts value is number {
  assertFinite(op, name, value);
  if (value < lo || (hiInclusive ? value > hi : value >= hi)) {
    throw new ValueError(`${op}: ${name} must be in [${lo}, ${hi}${hiInclusive ? ']' : ')'}, got ${value}`);
  }
}

export function assertPositive(op: string, name: string, value: unknown): asserts value is number {
  assertFinite(op, name, value);
  if (value <= 0) throw new ValueError(`${op}: ${name} must be > 0, got ${value}`);
}

export function assertNonNegative(op: string, name: string, value: unknown): asserts value is number {
  assertFinite(op, name, value);
  if (value < 0) throw new ValueError(`${op}: ${name} must be >= 0, got ${value}`);
}

export function assertOptions(op: string, options: unknown): void {
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
    throw new ValueError(`${op}: options must be an object, got ${describeValue(options)}`);
  }
}

/** Whether `value` can be stored in an int32 tensor without being changed. */
export function isInt32Value(value: number): boolean {
  return Number.isInteger(value) && value >= -2147483648 && value <= 2147483647;
}

/** Refuses option names `op` does not know (a misspelt `stride` would otherwise be ignored). */
export function assertKnownOptions(op: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if ((options as Record<string, unknown>)[key] !== undefined && !known.includes(key)) {
      throw new ValueError(`${op}: unknown option ${JSON.stringify(key)}; the options are ${known.join(', ')}`);
    }
  }
}
