import { PADDINGS, type Padding } from '@scratchnet/backend';
import { ShapeError, ValueError } from '@scratchnet/tensor';
import { formatSymbolicShape, type SymbolicShape } from './shape.js';

/** How messages name the layout of an image batch: channels-last, as Keras and TF.js default to. */
export const IMAGE_LAYOUT = '[batch, height, width, channels]';

/**
 * A sliding window over images, as the convolution and pooling layers configure it (Keras's
 * `kernel_size`/`pool_size`, `strides`, `padding`, `dilation_rate`), each size `[height, width]`.
 */
export interface ImageWindow {
  size: readonly [number, number];
  strides: readonly [number, number];
  dilations: readonly [number, number];
  padding: Padding;
  /** What messages call the window: `kernel`, `pool window`. */
  what: string;
}

/**
 * `[height, width]` from a positive integer or a pair of them (Keras accepts either); `fallback`
 * when absent. A ValueError naming `owner` and the option otherwise.
 */
export function pair(owner: string, option: string, value: unknown, fallback?: readonly [number, number]): [number, number] {
  if (value === undefined && fallback !== undefined) return [fallback[0], fallback[1]];
  const ok = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 1;
  if (ok(value)) return [value, value];
  if (Array.isArray(value) && value.length === 2 && ok(value[0]) && ok(value[1])) return [value[0], value[1]];
  throw new ValueError(`${owner}: ${option} must be a positive integer or [height, width] of positive integers, got ${JSON.stringify(value) ?? String(value)}`);
}

/** `'valid'` (the default, as Keras) or `'same'`; a ValueError naming `owner` otherwise. */
export function paddingOption(owner: string, value: unknown): Padding {
  if (value === undefined) return 'valid';
  if ((PADDINGS as readonly unknown[]).includes(value)) return value as Padding;
  throw new ValueError(`${owner}: padding must be ${PADDINGS.map((p) => `'${p}'`).join(' or ')}, got ${JSON.stringify(value) ?? String(value)}`);
}

/**
 * Checks that `shape` is an image batch `[batch, height, width, channels]` with known channels
 * (and `channels` of them, when given) and returns its channel count; a ShapeError naming
 * `owner`, the shape and the expected layout otherwise.
 */
export function imageChannels(owner: string, shape: SymbolicShape, channels?: number): number {
  if (shape.length !== 4) {
    throw new ShapeError(`${owner}: expected inputs of rank 4 ${IMAGE_LAYOUT}, got shape ${formatSymbolicShape(shape)} (rank ${shape.length})`);
  }
  const c = shape[3];
  if (c === null || c === undefined) {
    throw new ShapeError(`${owner}: the channels of input shape ${formatSymbolicShape(shape)} ${IMAGE_LAYOUT} must be known`);
  }
  if (channels !== undefined && c !== channels) {
    throw new ShapeError(`${owner}: expected ${IMAGE_LAYOUT} with ${plural(channels, 'channel')}, got shape ${formatSymbolicShape(shape)} (${plural(c, 'channel')})`);
  }
  return c;
}

/**
 * The output size along one axis, TensorFlow's rule (the backend's `conv2dInfo` applies the same
 * one to the tensors): `valid` keeps the positions where the (dilated) window fits, `same` keeps
 * `ceil(size / stride)`. Unknown stays unknown.
 */
function outputSize(size: number | null, window: number, stride: number, dilation: number, padding: Padding): number | null {
  if (size === null) return null;
  const effective = (window - 1) * dilation + 1;
  if (padding === 'same') return Math.ceil(size / stride);
  return size >= effective ? Math.floor((size - effective) / stride) + 1 : 0;
}

/**
 * The output shape `[batch, outHeight, outWidth, outChannels]` of `window` sliding over images
 * of `shape` (checked with `imageChannels`). An output size of 0 — a window larger than a
 * `valid` input, or an empty input — is a ShapeError naming the sizes and the padding.
 */
export function windowOutputShape(owner: string, shape: SymbolicShape, window: ImageWindow, outChannels: number): SymbolicShape {
  imageChannels(owner, shape);
  const [batch, height, width] = shape as [number | null, number | null, number | null, number];
  const { size, strides, dilations, padding, what } = window;
  const outH = outputSize(height, size[0], strides[0], dilations[0], padding);
  const outW = outputSize(width, size[1], strides[1], dilations[1], padding);
  if (outH === 0 || outW === 0) {
    const effH = (size[0] - 1) * dilations[0] + 1;
    const effW = (size[1] - 1) * dilations[1] + 1;
    const dilated = effH !== size[0] || effW !== size[1] ? ` (dilated to ${effH}×${effW})` : '';
    const dims = (d: number | null) => (d === null ? '?' : String(d));
    const input = `${dims(height)}×${dims(width)} (shape ${formatSymbolicShape(shape)}, ${IMAGE_LAYOUT})`;
    const empty = height === 0 || width === 0;
    const why = empty ? `the input ${input} is empty` : `the ${what} ${size[0]}×${size[1]}${dilated} is larger than the input ${input}`;
    throw new ShapeError(
      `${owner}: ${why}, so with padding '${padding}' the output would be ${dims(outH)}×${dims(outW)}` +
        (empty ? '' : `; use padding 'same' or a smaller ${what}`),
    );
  }
  return [batch, outH, outW, outChannels];
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
