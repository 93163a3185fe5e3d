import type { Conv2dInfo } from '../spec/conv2d-info.js';

/**
 * Index tables that turn windowed ops into row gathers. An NHWC tensor is viewed as rows of
 * channels, `[batch * height * width, channels]`; one extra row past the end (zero, or -Infinity
 * for a max) stands for every padding position. A window's taps are then rows of that view, and
 * `gather` copies them out (im2col), while the gradient side gathers, per input row, the window
 * taps that read it (col2im as a gather, so each input element sums in one fixed order).
 */

/** Windows (output pixels) and taps per window. */
export function windowCounts(info: Conv2dInfo): { windows: number; taps: number; inputRows: number } {
  return {
    windows: info.batch * info.outHeight * info.outWidth,
    taps: info.filterHeight * info.filterWidth,
    inputRows: info.batch * info.inHeight * info.inWidth,
  };
}

/**
 * The input row each window tap reads: entry `p * taps + t` for window `p = (n * outHeight + oh)
 * * outWidth + ow` and tap `t = fy * filterWidth + fx`, or `inputRows` (the padding row) where
 * the tap falls outside the input. With `insideFirst`, each window lists its taps inside the
 * input first (in window order), then its padding taps: a max over the window then meets padding
 * only after every real position, so ties (even at -Infinity) go to the first real one.
 */
export function windowRows(info: Conv2dInfo, insideFirst: boolean): Int32Array {
  const { windows, taps, inputRows } = windowCounts(info);
  const rows = new Int32Array(windows * taps);
  let e = 0;
  for (let n = 0; n < info.batch; n++) {
    for (let oh = 0; oh < info.outHeight; oh++) {
      for (let ow = 0; ow < info.outWidth; ow++) {
        let padding = 0;
        for (let fy = 0; fy < info.filterHeight; fy++) {
          const ih = oh * info.strideHeight - info.padTop + fy * info.dilationHeight;
          for (let fx = 0; fx < info.filterWidth; fx++) {
            const iw = ow * info.strideWidth - info.padLeft + fx * info.dilationWidth;
            const inside = ih >= 0 && ih < info.inHeight && iw >= 0 && iw < info.inWidth;
            if (inside) rows[e++] = (n * info.inHeight + ih) * info.inWidth + iw;
            else if (insideFirst) padding++;
            else rows[e++] = inputRows;
          }
        }
        for (; padding > 0; padding--) rows[e++] = inputRows;
      }
    }
  }
  return rows;
}

/**
 * For every input row, the window-tap entries (indices into `rows`) that read it, in increasing
 * entry order, padded with `fill` to the largest count: `[inputRows, count]`, row-major.
 */
export function readersOf(rows: Int32Array, inputRows: number, fill: number): { table: Int32Array; count: number } {
  const counts = new Int32Array(inputRows);
  for (let e = 0; e < rows.length; e++) if (rows[e]! < inputRows) counts[rows[e]!]!++;
  let count = 0;
  for (let r = 0; r < inputRows; r++) count = Math.max(count, counts[r]!);
  const table = new Int32Array(inputRows * count).fill(fill);
  counts.fill(0);
  for (let e = 0; e < rows.length; e++) {
    const r = rows[e]!;
    if (r < inputRows) table[r * count + counts[r]!++] = e;
  }
  return { table, count };
}

/** The number of taps inside the input for each output position `oh * outWidth + ow` (pooling: no dilation). */
export function insideCounts(info: Conv2dInfo): Float64Array {
  const counts = new Float64Array(info.outHeight * info.outWidth);
  for (let oh = 0; oh < info.outHeight; oh++) {
    const top = oh * info.strideHeight - info.padTop;
    const h = Math.min(top + info.filterHeight, info.inHeight) - Math.max(top, 0);
    for (let ow = 0; ow < info.outWidth; ow++) {
      const left = ow * info.strideWidth - info.padLeft;
      const w = Math.min(left + info.filterWidth, info.inWidth) - Math.max(left, 0);
      counts[oh * info.outWidth + ow] = Math.max(h, 0) * Math.max(w, 0);
    }
  }
  return counts;
}
