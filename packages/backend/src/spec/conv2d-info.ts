import { ShapeError, ValueError, assertShape, formatShape, type Shape } from '@scratchnet/tensor';

/**
 * # The geometry of a 2-D convolution or pooling window, channels-last (NHWC)
 *
 * Inputs are `[batch, height, width, channels]` as in Keras and TF.js; a convolution filter is
 * `[filterHeight, filterWidth, inChannels, outChannels]` (TF.js's layout). Output sizes and
 * padding follow TensorFlow exactly:
 *
 * - `valid`: no padding; `out = floor((in - effective) / stride) + 1`, where a dilated filter
 *   covers `effective = (filter - 1) * dilation + 1` input positions. The filter must fit.
 * - `same`: `out = ceil(in / stride)`; the padding needed, `max((out - 1) * stride + effective -
 *   in, 0)`, is split with the smaller half on top/left and the extra one on the bottom/right
 *   (an even filter at stride 1 pads one more row below than above).
 *
 * Output position `(oh, ow)` reads input rows `oh * strideHeight - padTop + fy * dilationHeight`
 * for `fy` in `[0, filterHeight)` (columns alike); positions outside the input are padding: zero
 * for a convolution and an average (which divides by the positions inside only, as TensorFlow
 * does), ignored by a max.
 *
 * Every kernel of the convolution family receives one `Conv2dInfo`, made and checked by the ops
 * (pooling uses the same record, with `outChannels = inChannels` and dilation 1).
 */
export interface Conv2dInfo {
  readonly batch: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly inChannels: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly outChannels: number;
  readonly filterHeight: number;
  readonly filterWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly dilationHeight: number;
  readonly dilationWidth: number;
  readonly padding: Padding;
  readonly padTop: number;
  readonly padBottom: number;
  readonly padLeft: number;
  readonly padRight: number;
}

/** The padding modes of convolution and pooling, as TensorFlow names them. */
export const PADDINGS = Object.freeze(['valid', 'same'] as const);

/** `valid` (no padding) or `same` (the output keeps `ceil(input / stride)`; extra padding goes bottom/right). */
export type Padding = (typeof PADDINGS)[number];

/** One number for both axes, or `[height, width]`. */
export type Size2d = number | readonly [number, number];

/** The window options of a convolution. */
export interface Conv2dGeometry {
  /** Step between output positions; default 1. */
  strides?: Size2d;
  /** Default `'valid'` (as Keras). */
  padding?: Padding;
  /** Spacing between filter taps (atrous convolution); default 1. */
  dilations?: Size2d;
}

/** The window options of a pooling op. */
export interface Pool2dGeometry {
  /** Window size. */
  poolSize: Size2d;
  /** Default: `poolSize` (as Keras), so windows tile the input. */
  strides?: Size2d;
  /** Default `'valid'`. */
  padding?: Padding;
}

const X_LAYOUT = '[batch, height, width, channels]';
const FILTER_LAYOUT = '[filterHeight, filterWidth, inChannels, outChannels]';

/** The input shape `x` names, as the ops' messages show it: `x [2,5,5,3] ([batch, height, width, channels])`. */
function describeX(name: string, shape: Shape): string {
  return `${name} ${formatShape(shape)} (${X_LAYOUT})`;
}

function isPositiveInteger(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 1;
}

/** `[height, width]` from a number or a pair of positive integers; `fallback` when absent. */
export function size2d(op: string, name: string, value: unknown, fallback: readonly [number, number] | undefined): [number, number] {
  if (value === undefined && fallback !== undefined) return [fallback[0], fallback[1]];
  if (isPositiveInteger(value)) return [value, value];
  if (Array.isArray(value) && value.length === 2 && isPositiveInteger(value[0]) && isPositiveInteger(value[1])) {
    return [value[0], value[1]];
  }
  const got = Array.isArray(value) ? `[${value.map(String).join(',')}]` : typeof value === 'string' ? JSON.stringify(value) : String(value);
  throw new ValueError(`${op}: ${name} must be a positive integer or [height, width] of positive integers, got ${got}`);
}

function paddingOf(op: string, value: unknown): Padding {
  if (value === undefined) return 'valid';
  if ((PADDINGS as readonly unknown[]).includes(value)) return value as Padding;
  const got = typeof value === 'string' ? JSON.stringify(value) : String(value);
  throw new ValueError(`${op}: padding must be ${PADDINGS.map((p) => `'${p}'`).join(' or ')}, got ${got}`);
}

/** A 4-D input shape with non-zero height, width and channels (an empty batch is allowed). */
function checkInput(op: string, name: string, shape: unknown, padding: Padding): [number, number, number, number] {
  assertShape(op, shape);
  if (shape.length !== 4) {
    throw new ShapeError(`${op}: ${name} must be 4-D ${X_LAYOUT}, got shape ${formatShape(shape)} (rank ${shape.length})`);
  }
  const [, h, w, c] = shape as [number, number, number, number];
  const empty = [['height', h], ['width', w], ['channels', c]].filter(([, v]) => v === 0).map(([k]) => k);
  if (empty.length > 0) {
    throw new ShapeError(
      `${op}: ${describeX(name, shape)} has ${empty.map((k) => `${k} 0`).join(' and ')}, so the output (padding '${padding}') would be empty; ` +
        'height, width and channels must be at least 1',
    );
  }
  return shape as unknown as [number, number, number, number];
}

interface Axis {
  out: number;
  before: number;
  after: number;
}

/** Output size and padding along one axis, TensorFlow's rule (see `Conv2dInfo`). */
function axisGeometry(inSize: number, filter: number, stride: number, dilation: number, padding: Padding): Axis {
  const effective = (filter - 1) * dilation + 1;
  if (padding === 'valid') {
    return { out: inSize >= effective ? Math.floor((inSize - effective) / stride) + 1 : 0, before: 0, after: 0 };
  }
  const out = Math.ceil(inSize / stride);
  const total = Math.max((out - 1) * stride + effective - inSize, 0);
  const before = Math.floor(total / 2);
  return { out, before, after: total - before };
}

interface Window {
  op: string;
  name: string;
  xShape: Shape;
  filter: [number, number];
  strides: [number, number];
  dilations: [number, number];
  padding: Padding;
  outChannels: number;
  what: string;
}

function windowInfo(w: Window): Conv2dInfo {
  const [batch, inHeight, inWidth, inChannels] = w.xShape as [number, number, number, number];
  const rows = axisGeometry(inHeight, w.filter[0], w.strides[0], w.dilations[0], w.padding);
  const cols = axisGeometry(inWidth, w.filter[1], w.strides[1], w.dilations[1], w.padding);
  if (rows.out === 0 || cols.out === 0) {
    const effH = (w.filter[0] - 1) * w.dilations[0] + 1;
    const effW = (w.filter[1] - 1) * w.dilations[1] + 1;
    const dilated = effH !== w.filter[0] || effW !== w.filter[1] ? ` (dilated to ${effH}×${effW})` : '';
    throw new ShapeError(
      `${w.op}: the ${w.what} ${w.filter[0]}×${w.filter[1]}${dilated} is larger than the input ${inHeight}×${inWidth} of ` +
        `${describeX(w.name, w.xShape)} with padding 'valid', so the output would be ${rows.out}×${cols.out}; ` +
        `use padding 'same' or a smaller ${w.what}`,
    );
  }
  return {
    batch,
    inHeight,
    inWidth,
    inChannels,
    outHeight: rows.out,
    outWidth: cols.out,
    outChannels: w.outChannels,
    filterHeight: w.filter[0],
    filterWidth: w.filter[1],
    strideHeight: w.strides[0],
    strideWidth: w.strides[1],
    dilationHeight: w.dilations[0],
    dilationWidth: w.dilations[1],
    padding: w.padding,
    padTop: rows.before,
    padBottom: rows.after,
    padLeft: cols.before,
    padRight: cols.after,
  };
}

/**
 * Checks a convolution of an input of shape `xShape` by a filter of shape `filterShape` and
 * returns its geometry. Throws a `ShapeError` naming the expected layouts for a wrong rank, a
 * channel mismatch, an empty height/width/channel axis or a filter larger than a `valid` input,
 * and a `ValueError` for malformed options. `name` is what the messages call the input.
 */
export function conv2dInfo(op: string, xShape: Shape, filterShape: Shape, options: Conv2dGeometry = {}, name = 'x'): Conv2dInfo {
  const padding = paddingOf(op, options.padding);
  const x = checkInput(op, name, xShape, padding);
  assertShape(op, filterShape);
  if (filterShape.length !== 4) {
    throw new ShapeError(`${op}: filter must be 4-D ${FILTER_LAYOUT}, got shape ${formatShape(filterShape)} (rank ${filterShape.length})`);
  }
  const [fh, fw, fin, fout] = filterShape as [number, number, number, number];
  if (fh === 0 || fw === 0 || fout === 0) {
    throw new ShapeError(`${op}: filter ${formatShape(filterShape)} (${FILTER_LAYOUT}) has a dimension of 0; each must be at least 1`);
  }
  if (fin !== x[3]) {
    throw new ShapeError(
      `${op}: ${describeX(name, xShape)} has ${x[3]} channels but filter ${formatShape(filterShape)} (${FILTER_LAYOUT}) takes ${fin}`,
    );
  }
  return windowInfo({
    op,
    name,
    xShape: x,
    filter: [fh, fw],
    strides: size2d(op, 'strides', options.strides, [1, 1]),
    dilations: size2d(op, 'dilations', options.dilations, [1, 1]),
    padding,
    outChannels: fout,
    what: 'filter',
  });
}

/** Checks a pooling window over an input of shape `xShape` and returns its geometry (see `conv2dInfo`). */
export function pool2dInfo(op: string, xShape: Shape, options: Pool2dGeometry, name = 'x'): Conv2dInfo {
  const padding = paddingOf(op, options.padding);
  const x = checkInput(op, name, xShape, padding);
  const poolSize = size2d(op, 'poolSize', options.poolSize, undefined);
  return windowInfo({
    op,
    name,
    xShape: x,
    filter: poolSize,
    strides: size2d(op, 'strides', options.strides, poolSize),
    dilations: [1, 1],
    padding,
    outChannels: x[3],
    what: 'pool window',
  });
}

/** `[batch, inHeight, inWidth, inChannels]`. */
export function inputShapeOf(info: Conv2dInfo): [number, number, number, number] {
  return [info.batch, info.inHeight, info.inWidth, info.inChannels];
}

/** `[batch, outHeight, outWidth, outChannels]`. */
export function outputShapeOf(info: Conv2dInfo): [number, number, number, number] {
  return [info.batch, info.outHeight, info.outWidth, info.outChannels];
}

/** `[filterHeight, filterWidth, inChannels, outChannels]`. */
export function filterShapeOf(info: Conv2dInfo): [number, number, number, number] {
  return [info.filterHeight, info.filterWidth, info.inChannels, info.outChannels];
}

/** The window options in words, for messages: `strides 2×2, dilations 1×1, padding 'same'`. */
export function describeWindow(info: Conv2dInfo): string {
  return (
    `strides ${info.strideHeight}×${info.strideWidth}, dilations ${info.dilationHeight}×${info.dilationWidth}, ` +
    `padding '${info.padding}'`
  );
}
