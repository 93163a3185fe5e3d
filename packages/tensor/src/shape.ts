import { ShapeError } from './errors.js';

/** A tensor's dimensions, outermost first: `[]` for a scalar, `[4, 3]` for 4 rows of 3. */
export type Shape = readonly number[];

/** Formats a shape the way error messages show it: `[4,3]`. */
export function formatShape(shape: Shape): string {
  return `[${shape.join(',')}]`;
}

/** Formats a shape as NumPy prints `.shape`: `(4, 3)`, `(4,)`, `()`. */
export function formatShapeTuple(shape: Shape): string {
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(', ')})`;
}

/** Throws a ShapeError naming `op` unless every dimension is a non-negative safe integer. */
export function assertShape(op: string, shape: unknown): asserts shape is Shape {
  if (!Array.isArray(shape)) {
    throw new ShapeError(`${op}: shape must be an array of dimensions, got ${String(shape)}`);
  }
  for (let i = 0; i < shape.length; i++) {
    const d: unknown = shape[i];
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      throw new ShapeError(
        `${op}: dimension ${i} of shape ${formatShape(shape as number[])} is ${String(d)}; dimensions must be non-negative integers`,
      );
    }
  }
}

/** Number of elements a tensor of `shape` holds: the product of its dimensions (1 for a scalar). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides in elements. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

/** Whether two shapes have the same rank and the same dimensions. */
export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Normalizes a possibly negative axis against `rank`, throwing a ShapeError naming `op`. */
export function normalizeAxis(op: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new ShapeError(`${op}: axis ${axis} is out of range for a tensor of rank ${rank}`);
  }
  return axis < 0 ? axis + rank : axis;
}
