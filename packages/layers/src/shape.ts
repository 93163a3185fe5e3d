import { ShapeError, type Shape } from '@scratchnet/tensor';

/**
 * A shape whose dimensions may be unknown (`null`), as Keras prints `(None, 8)`: the batch
 * dimension (first) usually is. Layers take and return shapes of any rank — `[batch, features]`,
 * `[batch, height, width, channels]` (NHWC), …
 */
export type SymbolicShape = readonly (number | null)[];

export function formatSymbolicShape(shape: SymbolicShape): string {
  const dims = shape.map((d) => (d === null ? 'None' : String(d)));
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
}

/**
 * Checks that `shape` is a symbolic shape with a batch axis — an array of at least one entry,
 * each an integer >= 0 or null — and returns it; a ShapeError naming `where` otherwise.
 */
export function checkSymbolicShape(where: string, shape: unknown): SymbolicShape {
  if (!Array.isArray(shape) || shape.length === 0) {
    throw new ShapeError(`${where}: expected a shape with a batch axis such as [null, 8], got ${describeShape(shape)}`);
  }
  shape.forEach((d: unknown, i) => {
    if (d !== null && (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0)) {
      throw new ShapeError(`${where}: dimension ${i} of ${describeShape(shape)} must be an integer >= 0 or null`);
    }
  });
  return shape as SymbolicShape;
}

/** The shape with its batch dimension unknown: what a layer is built for. */
export function withUnknownBatch(shape: SymbolicShape | Shape): SymbolicShape {
  return [null, ...shape.slice(1)];
}

/**
 * The dimensions after the batch axis, all of which must be known (a ShapeError naming `where`
 * otherwise): what a layer needs to size its parameters.
 */
export function featureDims(where: string, shape: SymbolicShape): number[] {
  const dims = shape.slice(1);
  if (dims.some((d) => d === null)) {
    throw new ShapeError(`${where}: input shape ${formatSymbolicShape(shape)} has unknown dimensions after the batch axis`);
  }
  return dims as number[];
}

function describeShape(shape: unknown): string {
  if (Array.isArray(shape)) return `[${shape.map((d) => (d === null ? 'null' : String(d))).join(',')}]`;
  return shape === null ? 'null' : typeof shape;
}
