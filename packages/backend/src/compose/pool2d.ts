import type { Tensor } from '@scratchnet/tensor';
import type { CoreKernels } from '../backend.js';
import type { Conv2dInfo } from '../spec/conv2d-info.js';
import { indexTensor, sumReaders, withPaddingRow } from './conv2d.js';
import type { Temps } from './temps.js';
import { insideCounts, readersOf, windowCounts, windowRows } from './window-tables.js';

// Pooling composed from core kernels: the windows gathered as rows (see window-tables.ts), then
// reduced over the tap axis; the gradients gather, for each input row, what its windows send it.

/** The windows of `x` as `[windows, taps, channels]`, taps inside the input first, padding rows holding `padValue`. */
function gatherWindows(k: CoreKernels, temps: Temps, x: Tensor, info: Conv2dInfo, padValue: number): { windows: Tensor; rows: Int32Array } {
  const { windows, taps, inputRows } = windowCounts(info);
  const c = info.inChannels;
  const padded = withPaddingRow(k, temps, x, inputRows, c, padValue);
  const rows = windowRows(info, true);
  const gathered = temps.zeros([windows * taps, c], x.dtype);
  k.gather(padded, indexTensor(temps, rows), gathered);
  return { windows: gathered.reshape([windows, taps, c]), rows };
}

/** The inside-tap count of every output position, `[1, outHeight * outWidth, 1]`, to divide by. */
function countsTensor(temps: Temps, info: Conv2dInfo, dtype: Tensor['dtype']): Tensor {
  const counts = temps.zeros([1, info.outHeight * info.outWidth, 1], dtype);
  counts.data.set(insideCounts(info));
  return counts;
}

export function composeMaxPool(k: CoreKernels, temps: Temps, x: Tensor, out: Tensor, info: Conv2dInfo): void {
  const { windows } = gatherWindows(k, temps, x, info, -Infinity);
  k.reduce('max', windows, 1, out.reshape([windows.shape[0]!, info.inChannels]));
}

export function composeAvgPool(k: CoreKernels, temps: Temps, x: Tensor, out: Tensor, info: Conv2dInfo): void {
  const { windows } = gatherWindows(k, temps, x, info, 0);
  const sums = temps.zeros([windows.shape[0]!, info.inChannels], x.dtype);
  k.reduce('sum', windows, 1, sums);
  const shape = [info.batch, info.outHeight * info.outWidth, info.inChannels];
  k.binary('div', sums.reshape(shape), countsTensor(temps, info, x.dtype), out.reshape(shape));
}

/**
 * The first maximum of each window (its tap slot, by `argmax`; padding taps come last so they
 * never win a tie) receives the window's gradient: for each input row, gather the argmax slots
 * and gradients of the windows that read it, keep those whose slot is this row's, and sum.
 */
export function composeMaxPoolBackward(k: CoreKernels, temps: Temps, x: Tensor, dy: Tensor, dx: Tensor, info: Conv2dInfo): void {
  const { windows: count, taps, inputRows } = windowCounts(info);
  const c = info.inChannels;
  const { windows, rows } = gatherWindows(k, temps, x, info, -Infinity);
  // One more row for missing readers: slot -1 matches no tap, gradient 0.
  const argmax = temps.zeros([count + 1, c], 'int32');
  k.argReduce('argmax', windows, 1, argmax.slice(0, count));
  k.fill(argmax.slice(count), -1);
  const grads = withPaddingRow(k, temps, dy, count, c, 0);
  const readers = readersOf(rows, inputRows, count * taps);
  const n = readers.table.length;
  const window = temps.zeros([n], 'int32');
  const slot = temps.zeros([n, 1], 'int32');
  for (let i = 0; i < n; i++) {
    const e = readers.table[i]!;
    window.data[i] = Math.floor(e / taps);
    slot.data[i] = e % taps;
  }
  const winners = temps.zeros([n, c], 'int32');
  k.gather(argmax, window, winners);
  const sent = temps.zeros([n, c], dy.dtype);
  k.gather(grads, window, sent);
  const mine = temps.zeros([n, c], dy.dtype);
  k.binary('equal', winners, slot, mine);
  k.where(mine, sent, temps.zeros([n, c], dy.dtype), sent);
  k.reduce('sum', sent.reshape([inputRows, readers.count, c]), 1, dx.reshape([inputRows, c]));
}

export function composeAvgPoolBackward(k: CoreKernels, temps: Temps, dy: Tensor, dx: Tensor, info: Conv2dInfo): void {
  const { windows: count, taps, inputRows } = windowCounts(info);
  const c = info.inChannels;
  const shares = temps.zeros([count + 1, c], dy.dtype);
  const shape = [info.batch, info.outHeight * info.outWidth, c];
  k.binary('div', dy.reshape(shape), countsTensor(temps, info, dy.dtype), shares.slice(0, count).reshape(shape));
  k.fill(shares.slice(count), 0);
  const readers = readersOf(windowRows(info, false), inputRows, count * taps);
  // Entries name window taps; every tap of a window sends the same share.
  const byWindow = readers.table.map((e) => Math.floor(e / taps));
  sumReaders(k, temps, shares, { table: byWindow, count: readers.count }, inputRows, c, dx);
}
