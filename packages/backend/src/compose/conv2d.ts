import type { Tensor } from '@scratchnet/tensor';
import type { CoreKernels } from '../backend.js';
import type { Conv2dInfo } from '../spec/conv2d-info.js';
import type { Temps } from './temps.js';
import { readersOf, windowCounts, windowRows } from './window-tables.js';

// The convolution kernels composed from core kernels: im2col as a `gather` of rows from the
// input viewed as `[batch * height * width, channels]` plus a zero row for padding, then one
// matmul against the filter viewed as `[filterHeight * filterWidth * inChannels, outChannels]`.

/** `x` as `[rows + 1, channels]` rows with `value` in the extra last row. */
export function withPaddingRow(k: CoreKernels, temps: Temps, x: Tensor, rows: number, channels: number, value: number): Tensor {
  const padded = temps.zeros([rows + 1, channels], x.dtype);
  k.copy(x, padded.slice(0, rows));
  k.fill(padded.slice(rows), value);
  return padded;
}

/** `rows` as an int32 tensor (the indices `gather` takes). */
export function indexTensor(temps: Temps, rows: Int32Array): Tensor {
  const t = temps.zeros([rows.length], 'int32');
  t.data.set(rows);
  return t;
}

/** The windows of `x` as `[windows, taps * channels]`: im2col. */
function im2col(k: CoreKernels, temps: Temps, x: Tensor, info: Conv2dInfo): Tensor {
  const { windows, taps, inputRows } = windowCounts(info);
  const c = info.inChannels;
  const padded = withPaddingRow(k, temps, x, inputRows, c, 0);
  const cols = temps.zeros([windows * taps, c], x.dtype);
  k.gather(padded, indexTensor(temps, windowRows(info, false)), cols);
  return cols.reshape([windows, taps * c]);
}

export function composeConv2d(k: CoreKernels, temps: Temps, x: Tensor, filter: Tensor, out: Tensor, info: Conv2dInfo): void {
  const { windows, taps } = windowCounts(info);
  const cols = im2col(k, temps, x, info);
  k.matmul(cols, filter.reshape([taps * info.inChannels, info.outChannels]), out.reshape([windows, info.outChannels]));
}

export function composeConv2dBackpropFilter(
  k: CoreKernels,
  temps: Temps,
  x: Tensor,
  dy: Tensor,
  dfilter: Tensor,
  info: Conv2dInfo,
  accumulate: boolean,
): void {
  const { windows, taps } = windowCounts(info);
  const cols = im2col(k, temps, x, info);
  const dw = dfilter.reshape([taps * info.inChannels, info.outChannels]);
  k.matmul(cols, dy.reshape([windows, info.outChannels]), dw, { transposeA: true, accumulate });
}

/**
 * `dcols = dy @ filterᵀ` holds, for every window tap, its gradient row; col2im then gathers for
 * each input row the taps that read it (a zero row standing in for missing ones) and sums them.
 */
export function composeConv2dBackpropInput(k: CoreKernels, temps: Temps, dy: Tensor, filter: Tensor, dx: Tensor, info: Conv2dInfo): void {
  const { windows, taps, inputRows } = windowCounts(info);
  const c = info.inChannels;
  const entries = windows * taps;
  const dcols = temps.zeros([entries + 1, c], dy.dtype);
  k.matmul(
    dy.reshape([windows, info.outChannels]),
    filter.reshape([taps * c, info.outChannels]),
    dcols.slice(0, entries).reshape([windows, taps * c]),
    { transposeB: true },
  );
  sumReaders(k, temps, dcols, readersOf(windowRows(info, false), inputRows, entries), inputRows, c, dx);
}

/** `dx[r] = sum over j of source[table[r, j]]`, rows of `channels`, in table order. */
export function sumReaders(
  k: CoreKernels,
  temps: Temps,
  source: Tensor,
  readers: { table: Int32Array; count: number },
  inputRows: number,
  channels: number,
  dx: Tensor,
): void {
  const gathered = temps.zeros([inputRows * readers.count, channels], source.dtype);
  k.gather(source, indexTensor(temps, readers.table), gathered);
  k.reduce('sum', gathered.reshape([inputRows, readers.count, channels]), 1, dx.reshape([inputRows, channels]));
}
