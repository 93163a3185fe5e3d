import type { Padding, Size2d } from '../../spec/conv2d-info.js';

/** A convolution the suite runs: input `[batch, height, width, channels]`, filter `[height, width, outChannels]`. */
export interface ConvCase {
  label: string;
  x: readonly [number, number, number, number];
  filter: readonly [number, number, number];
  padding: Padding;
  strides?: Size2d;
  dilations?: Size2d;
}

/** A pooling window the suite runs over an input `[batch, height, width, channels]`. */
export interface PoolCase {
  label: string;
  x: readonly [number, number, number, number];
  poolSize: Size2d;
  padding: Padding;
  strides?: Size2d;
}

/**
 * The edge shapes: 1×1 filters, a filter as large as the input, strides larger than the filter,
 * odd sizes, `same` with even filters (padding on the bottom/right), dilation 2, batch 0, 1 and 3,
 * channels 1 and 3+, sizes straddling 4-wide tiles, and batches large enough to split over threads.
 */
export const CONV_CASES: readonly ConvCase[] = [
  { label: '1x1 filter', x: [2, 5, 4, 3], filter: [1, 1, 4], padding: 'valid' },
  { label: '1x1 filter, stride 2 > filter, same', x: [1, 7, 6, 2], filter: [1, 1, 3], strides: 2, padding: 'same' },
  { label: 'filter = input, valid', x: [3, 5, 5, 1], filter: [5, 5, 2], padding: 'valid' },
  { label: 'filter = input, same', x: [1, 4, 3, 2], filter: [4, 3, 2], padding: 'same' },
  { label: 'stride 3 > filter 2, valid', x: [2, 8, 7, 3], filter: [2, 2, 4], strides: 3, padding: 'valid' },
  { label: 'odd sizes, 3x3 same', x: [3, 7, 9, 3], filter: [3, 3, 5], padding: 'same' },
  { label: 'even 2x2 same (pads bottom/right)', x: [1, 5, 6, 1], filter: [2, 2, 1], padding: 'same' },
  { label: 'even 4x2 same, stride 2', x: [2, 9, 8, 2], filter: [4, 2, 3], strides: 2, padding: 'same' },
  { label: 'dilation 2, same', x: [1, 9, 8, 3], filter: [3, 3, 2], dilations: 2, padding: 'same' },
  { label: 'dilations [2,1], strides [1,2], valid', x: [2, 8, 9, 2], filter: [2, 3, 3], dilations: [2, 1], strides: [1, 2], padding: 'valid' },
  { label: 'strides [2,3], valid', x: [1, 11, 10, 4], filter: [3, 2, 3], strides: [2, 3], padding: 'valid' },
  { label: 'empty batch', x: [0, 5, 5, 2], filter: [3, 3, 2], padding: 'same' },
  { label: '1x1 input', x: [2, 1, 1, 3], filter: [1, 1, 2], padding: 'valid' },
  { label: '1x1 input, 3x3 same', x: [1, 1, 1, 2], filter: [3, 3, 2], padding: 'same' },
  { label: 'channels straddling tiles', x: [3, 6, 5, 17], filter: [3, 3, 33], padding: 'same' },
  { label: "the demo's 5x5x8 same on 28x28x1", x: [2, 28, 28, 1], filter: [5, 5, 8], padding: 'same' },
  { label: '3x3x32 valid on 13x13x16', x: [3, 13, 13, 16], filter: [3, 3, 32], padding: 'valid' },
  // Large enough that a backend working a chunk of images at a time needs several chunks.
  { label: 'a batch of 15, 28x28x1 by 5x5x8 same', x: [15, 28, 28, 1], filter: [5, 5, 8], padding: 'same' },
];

/** Pooling edge shapes, as for the convolutions. */
export const POOL_CASES: readonly PoolCase[] = [
  { label: '2x2 stride 2 valid', x: [2, 6, 6, 3], poolSize: 2, padding: 'valid' },
  { label: '2x2 stride 2 valid, odd input', x: [1, 7, 5, 2], poolSize: 2, padding: 'valid' },
  { label: '3x3 stride 2 same', x: [1, 7, 8, 2], poolSize: 3, strides: 2, padding: 'same' },
  { label: '2x2 stride 1 same (overlapping, even window)', x: [2, 5, 5, 1], poolSize: 2, strides: 1, padding: 'same' },
  { label: '3x2 strides [1,2] valid', x: [1, 6, 7, 2], poolSize: [3, 2], strides: [1, 2], padding: 'valid' },
  { label: 'window = input', x: [3, 5, 5, 1], poolSize: 5, padding: 'valid' },
  { label: '1x1 window, stride 3 > window', x: [1, 7, 7, 3], poolSize: 1, strides: 3, padding: 'valid' },
  { label: '2x2 window, stride 3 > window, same', x: [2, 8, 7, 4], poolSize: 2, strides: 3, padding: 'same' },
  { label: 'empty batch', x: [0, 4, 4, 2], poolSize: 2, padding: 'valid' },
  { label: '1x1 input, 2x2 same', x: [1, 1, 1, 5], poolSize: 2, padding: 'same' },
  { label: '3x3 stride 2 same, 17 channels', x: [2, 13, 13, 17], poolSize: 3, strides: 2, padding: 'same' },
  { label: "the demo's 2x2 pool on 28x28x8", x: [3, 28, 28, 8], poolSize: 2, padding: 'valid' },
];

export function convOptions(c: ConvCase): { strides?: Size2d; padding: Padding; dilations?: Size2d } {
  return { strides: c.strides, padding: c.padding, dilations: c.dilations };
}

export function poolOptions(c: PoolCase): { poolSize: Size2d; strides?: Size2d; padding: Padding } {
  return { poolSize: c.poolSize, strides: c.strides, padding: c.padding };
}
