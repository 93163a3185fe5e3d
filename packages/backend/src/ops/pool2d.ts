import { ValueError, formatShape, zeros, type DType, type Shape, type Tensor } from '@scratchnet/tensor';
import { getKernels } from '../registry.js';
import { inputShapeOf, outputShapeOf, pool2dInfo, type Conv2dInfo, type Pool2dGeometry } from '../spec/conv2d-info.js';
import { assertOutputGradient } from './conv2d.js';
import {
  assertFloat,
  assertKnownOptions,
  assertNoOverlap,
  assertOptions,
  assertSameDType,
  assertTensor,
  checkOut,
} from './validate.js';

/** Options of `maxPool`, `avgPool` and their backward forms: the window geometry and a destination. */
export interface Pool2dOpOptions extends Pool2dGeometry {
  /** Destination of the result's shape and the input's dtype; allocated when absent. */
  out?: Tensor;
}

const KNOWN = ['poolSize', 'strides', 'padding', 'out'] as const;

function checkOptions(op: string, options: unknown): asserts options is Pool2dOpOptions {
  if (options === undefined) throw new ValueError(`${op}: needs options with at least poolSize, e.g. { poolSize: 2 }`);
  assertOptions(op, options);
  assertKnownOptions(op, options as object, KNOWN);
}

function forward(op: string, kind: 'maxPool' | 'avgPool', x: Tensor, options: Pool2dOpOptions): Tensor {
  assertTensor(op, 'x', x);
  checkOptions(op, options);
  assertFloat(op, 'x', x);
  const info = pool2dInfo(op, x.shape, options);
  const shape = outputShapeOf(info);
  const given = checkOut(op, options.out, shape, x.dtype);
  if (given) assertNoOverlap(op, 'out', given, 'x', x);
  const k = getKernels(op);
  const result = given ?? zeros(shape, { dtype: x.dtype });
  k[kind](x, result, info);
  return result;
}

function describeForward(op: string, info: Conv2dInfo): string {
  return `${op} of x ${formatShape(inputShapeOf(info))} with poolSize ${info.filterHeight}×${info.filterWidth}`;
}

/**
 * Max over `poolSize` windows of `x` `[batch, height, width, channels]`, per channel: `strides`
 * default to `poolSize`, `padding` `'valid'` (default) or `'same'` (padding ignored). NaN propagates.
 */
export function maxPool<D extends DType>(x: Tensor<D>, options: Pool2dOpOptions): Tensor<D> {
  return forward('maxPool', 'maxPool', x, options) as Tensor<D>;
}

/**
 * Mean over `poolSize` windows of `x`, per channel; with `'same'` padding a window divides by the
 * positions inside the input only (TensorFlow's rule).
 */
export function avgPool<D extends DType>(x: Tensor<D>, options: Pool2dOpOptions): Tensor<D> {
  return forward('avgPool', 'avgPool', x, options) as Tensor<D>;
}

/**
 * The gradient of `maxPool` with respect to `x`: each window's `dy` goes to its maximum (the
 * first in window order on ties), summed where windows overlap. Takes the forward op's input.
 */
export function maxPoolBackward<D extends DType>(dy: Tensor<D>, x: Tensor<D>, options: Pool2dOpOptions): Tensor<D> {
  const op = 'maxPoolBackward';
  assertTensor(op, 'dy', dy);
  assertTensor(op, 'x', x);
  checkOptions(op, options);
  assertFloat(op, 'dy', dy);
  assertSameDType(op, 'dy', dy, 'x', x);
  const info = pool2dInfo(op, x.shape, options);
  assertOutputGradient(op, dy, info, describeForward('maxPool', info));
  const given = checkOut(op, options.out, x.shape, x.dtype);
  if (given) {
    assertNoOverlap(op, 'out', given, 'dy', dy);
    assertNoOverlap(op, 'out', given, 'x', x);
  }
  const k = getKernels(op);
  const result = (given ?? zeros(x.shape, { dtype: x.dtype })) as Tensor<D>;
  k.maxPoolBackward(x, dy, result, info);
  return result;
}

/** The gradient of `avgPool` with respect to its input, of shape `inputShape`. */
export function avgPoolBackward<D extends DType>(dy: Tensor<D>, inputShape: Shape, options: Pool2dOpOptions): Tensor<D> {
  const op = 'avgPoolBackward';
  assertTensor(op, 'dy', dy);
  checkOptions(op, options);
  assertFloat(op, 'dy', dy);
  const info = pool2dInfo(op, inputShape, options, 'inputShape');
  assertOutputGradient(op, dy, info, describeForward('avgPool', info));
  const shape = inputShapeOf(info);
  const given = checkOut(op, options.out, shape, dy.dtype);
  if (given) assertNoOverlap(op, 'out', given, 'dy', dy);
  const k = getKernels(op);
  const result = (given ?? zeros(shape, { dtype: dy.dtype })) as Tensor<D>;
  k.avgPoolBackward(dy, result, info);
  return result;
}

