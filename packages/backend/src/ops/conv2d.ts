import { ShapeError, ValueError, formatShape, shapesEqual, zeros, type DType, type Shape, type Tensor } from '@scratchnet/tensor';
import { getKernels } from '../registry.js';
import {
  conv2dInfo,
  describeWindow,
  filterShapeOf,
  inputShapeOf,
  outputShapeOf,
  type Conv2dGeometry,
  type Conv2dInfo,
} from '../spec/conv2d-info.js';
import {
  assertBoolean,
  assertFloat,
  assertKnownOptions,
  assertNoOverlap,
  assertOptions,
  assertSameDType,
  assertTensor,
  checkOut,
} from './validate.js';

/** Options of `conv2d` and `conv2dBackpropInput`: strides, padding, dilations and a destination. */
export interface Conv2dOpOptions extends Conv2dGeometry {
  /** Destination of the result's shape and the inputs' dtype; allocated when absent. */
  out?: Tensor;
}

/** Options of `conv2dBackpropFilter`: those of `conv2d`, and whether to add into `out`. */
export interface Conv2dBackpropFilterOptions extends Conv2dOpOptions {
  /** Add the gradient to `out` instead of overwriting it (gradient accumulation); needs `out`. */
  accumulate?: boolean;
}

const GEOMETRY = ['strides', 'padding', 'dilations'] as const;

/** `dy` must have the forward op's output shape; the message names the forward op. */
export function assertOutputGradient(op: string, dy: Tensor, info: Conv2dInfo, forward: string): void {
  const expected = outputShapeOf(info);
  if (!shapesEqual(dy.shape, expected)) {
    throw new ShapeError(
      `${op}: dy has shape ${formatShape(dy.shape)}, expected ${formatShape(expected)} ([batch, outHeight, outWidth, outChannels] ` +
        `of ${forward}, ${describeWindow(info)})`,
    );
  }
}

function forwardOf(info: Conv2dInfo): string {
  return `conv2d of x ${formatShape(inputShapeOf(info))} by filter ${formatShape(filterShapeOf(info))}`;
}

/**
 * 2-D convolution, channels-last: `x` `[batch, height, width, inChannels]` by `filter`
 * `[filterHeight, filterWidth, inChannels, outChannels]` (TF.js's layout) gives
 * `[batch, outHeight, outWidth, outChannels]`. `strides` and `dilations` are a number or
 * `[height, width]` (default 1); `padding` is `'valid'` (default) or `'same'`, TensorFlow's rule
 * (an even filter pads one more row and column on the bottom and right). float32/float64.
 */
export function conv2d<D extends DType>(x: Tensor<D>, filter: Tensor<D>, options: Conv2dOpOptions = {}): Tensor<D> {
  const op = 'conv2d';
  assertTensor(op, 'x', x);
  assertTensor(op, 'filter', filter);
  assertOptions(op, options);
  assertKnownOptions(op, options, [...GEOMETRY, 'out']);
  assertFloat(op, 'x', x);
  assertFloat(op, 'filter', filter);
  assertSameDType(op, 'x', x, 'filter', filter);
  const info = conv2dInfo(op, x.shape, filter.shape, options);
  const shape = outputShapeOf(info);
  const given = checkOut(op, options.out, shape, x.dtype);
  if (given) {
    assertNoOverlap(op, 'out', given, 'x', x);
    assertNoOverlap(op, 'out', given, 'filter', filter);
  }
  const k = getKernels(op);
  const result = (given ?? zeros(shape, { dtype: x.dtype })) as Tensor<D>;
  k.conv2d(x, filter, result, info);
  return result;
}

/**
 * The gradient of `conv2d` with respect to its input, `[batch, height, width, inChannels]` =
 * `inputShape`, from `dy` (the gradient of its output) and the filter; the options are the
 * forward op's. (TF.js: `conv2DBackpropInput`; the transpose of the convolution.)
 */
export function conv2dBackpropInput<D extends DType>(inputShape: Shape, dy: Tensor<D>, filter: Tensor<D>, options: Conv2dOpOptions = {}): Tensor<D> {
  const op = 'conv2dBackpropInput';
  assertTensor(op, 'dy', dy);
  assertTensor(op, 'filter', filter);
  assertOptions(op, options);
  assertKnownOptions(op, options, [...GEOMETRY, 'out']);
  assertFloat(op, 'dy', dy);
  assertFloat(op, 'filter', filter);
  assertSameDType(op, 'dy', dy, 'filter', filter);
  const info = conv2dInfo(op, inputShape, filter.shape, options, 'inputShape');
  assertOutputGradient(op, dy, info, forwardOf(info));
  const shape = inputShapeOf(info);
  const given = checkOut(op, options.out, shape, dy.dtype);
  if (given) {
    assertNoOverlap(op, 'out', given, 'dy', dy);
    assertNoOverlap(op, 'out', given, 'filter', filter);
  }
  const k = getKernels(op);
  const result = (given ?? zeros(shape, { dtype: dy.dtype })) as Tensor<D>;
  k.conv2dBackpropInput(dy, filter, result, info);
  return result;
}

/**
 * The gradient of `conv2d` with respect to its filter, of shape `filterShape`
 * (`[filterHeight, filterWidth, inChannels, outChannels]`), from the forward op's input `x` and
 * `dy`; with `accumulate`, added to `out`.
 */
export function conv2dBackpropFilter<D extends DType>(
  x: Tensor<D>,
  dy: Tensor<D>,
  filterShape: Shape,
  options: Conv2dBackpropFilterOptions = {},
): Tensor<D> {
  const op = 'conv2dBackpropFilter';
  assertTensor(op, 'x', x);
  assertTensor(op, 'dy', dy);
  assertOptions(op, options);
  assertKnownOptions(op, options, [...GEOMETRY, 'out', 'accumulate']);
  const { accumulate = false } = options;
  assertBoolean(op, 'accumulate', accumulate);
  if (accumulate && options.out === undefined) {
    throw new ValueError(`${op}: accumulate adds the gradient to out, so it needs out`);
  }
  assertFloat(op, 'x', x);
  assertFloat(op, 'dy', dy);
  assertSameDType(op, 'x', x, 'dy', dy);
  const info = conv2dInfo(op, x.shape, filterShape, options);
  assertOutputGradient(op, dy, info, forwardOf(info));
  const shape = filterShapeOf(info);
  const given = checkOut(op, options.out, shape, x.dtype);
  if (given) {
    assertNoOverlap(op, 'out', given, 'x', x);
    assertNoOverlap(op, 'out', given, 'dy', dy);
  }
  const k = getKernels(op);
  const result = (given ?? zeros(shape, { dtype: x.dtype })) as Tensor<D>;
  k.conv2dBackpropFilter(x, dy, result, info, accumulate);
  return result;
}
