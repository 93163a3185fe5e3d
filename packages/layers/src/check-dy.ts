import { DTypeError, ShapeError, ValueError, formatShape, shapesEqual, type DType, type Shape, type Tensor } from '@scratchnet/tensor';

/**
 * `backward`'s argument check: `dy` must be a tensor shaped and typed like the output of the
 * last training-mode `forward`, which `expected` describes (undefined when there was none).
 * Naming the layer here beats a kernel-level message from deep inside `backward`.
 */
export function checkDy(owner: string, dy: unknown, expected: { shape: Shape; dtype: DType } | undefined): asserts dy is Tensor {
  if (expected === undefined) throw new ValueError(`${owner}.backward: call forward(x, { training: true }) first`);
  const t = dy as Partial<Tensor> | null;
  if (t === null || typeof t !== 'object' || !Array.isArray(t.shape) || !ArrayBuffer.isView(t.data)) {
    throw new ValueError(`${owner}.backward: dy must be a Tensor, got ${dy === null ? 'null' : typeof dy}`);
  }
  if (!shapesEqual(t.shape, expected.shape)) {
    throw new ShapeError(
      `${owner}.backward: dy has shape ${formatShape(t.shape)}, expected ${formatShape(expected.shape)} (the output of the last training forward)`,
    );
  }
  if (t.dtype !== expected.dtype) {
    throw new DTypeError(`${owner}.backward: dy is ${String(t.dtype)}, the output was ${expected.dtype}`);
  }
}
