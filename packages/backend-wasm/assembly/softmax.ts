// Softmax, log-softmax, their backward, and fused softmax-cross-entropy over rows [start, end)
// of a [rows, cols] tensor, float32 and float64, with the cpu backend's arithmetic: per row the
// maximum (NaN wins; the first of equal values), e_j = exp(x_j - max) in float64 (fdlibm's exp,
// two lanes at a time), their sum in increasing j, one log (fdlibm's) per row. The exponentials
// of a row are kept in this thread's scratch, CHUNK at a time; longer rows compute them again
// for the last pass (the same values). Each row is written on its own: any split of the rows
// gives the same bits, and they are the cpu backend's.

import { exp, expLanes, log } from './fdlibm';
import { high64, low64, narrow64 } from './lanes';

const CHUNK: i32 = 1024;

@inline function rowMax<T>(x: usize, cols: i32): f64 {
  const size = <usize>sizeof<T>();
  let max = -Infinity;
  for (let j = 0; j < cols; j++) {
    const v = <f64>load<T>(x + <usize>j * size);
    if (v > max || v != v) max = v;
  }
  return max;
}

/** e[j] = exp(x[j] - max) for j < n, as float64 in `e`. */
@inline function shiftedExp<T>(x: usize, n: i32, max: f64, e: usize): void {
  const vmax = f64x2.splat(max);
  let j = 0;
  if (sizeof<T>() == 4) {
    for (; j + 4 <= n; j += 4) {
      const v = v128.load(x + (<usize>j << 2));
      v128.store(e + (<usize>j << 3), expLanes(f64x2.sub(low64(v), vmax)));
      v128.store(e + (<usize>j << 3), expLanes(f64x2.sub(high64(v), vmax)), 16);
    }
  } else {
    for (; j + 2 <= n; j += 2) v128.store(e + (<usize>j << 3), expLanes(f64x2.sub(v128.load(x + (<usize>j << 3)), vmax)));
  }
  for (; j < n; j++) store<f64>(e + (<usize>j << 3), exp(<f64>load<T>(x + <usize>j * <usize>sizeof<T>()) - max));
}

/** The row's sum of exponentials, in increasing j; a row of one chunk leaves them in `e`. */
@inline function expSum<T>(x: usize, cols: i32, max: f64, e: usize): f64 {
  let sum = 0.0;
  for (let c0 = 0; c0 < cols; c0 += CHUNK) {
    const n = min(CHUNK, cols - c0);
    shiftedExp<T>(x + <usize>c0 * <usize>sizeof<T>(), n, max, e);
    for (let j = 0; j < n; j++) sum += load<f64>(e + (<usize>j << 3));
  }
  return sum;
}

/** The exponentials of chunk [c0, c0 + n): in `e` already when the row is one chunk, else again. */
@inline function chunkExp<T>(x: usize, cols: i32, c0: i32, n: i32, max: f64, e: usize): void {
  if (cols > CHUNK) shiftedExp<T>(x + <usize>c0 * <usize>sizeof<T>(), n, max, e);
}

@inline function storeRow<T>(out: usize, n: i32, values: usize): void {
  // values: n float64 in scratch, rounded into T.
  let j = 0;
  if (sizeof<T>() == 4) {
    for (; j + 4 <= n; j += 4) v128.store(out + (<usize>j << 2), narrow64(v128.load(values + (<usize>j << 3)), v128.load(values + (<usize>j << 3), 16)));
  } else {
    for (; j + 2 <= n; j += 2) v128.store(out + (<usize>j << 3), v128.load(values + (<usize>j << 3)));
  }
  for (; j < n; j++) store<T>(out + <usize>j * <usize>sizeof<T>(), <T>load<f64>(values + (<usize>j << 3)));
}

function softmaxRows<T>(x: usize, out: usize, cols: i32, scratch: usize, start: i32, end: i32): void {
  const size = <usize>sizeof<T>();
  for (let r = start; r < end; r++) {
    const row = x + <usize>r * <usize>cols * size;
    const dst = out + <usize>r * <usize>cols * size;
    const max = rowMax<T>(row, cols);
    const sum = expSum<T>(row, cols, max, scratch);
    const vsum = f64x2.splat(sum);
    for (let c0 = 0; c0 < cols; c0 += CHUNK) {
      const n = min(CHUNK, cols - c0);
      chunkExp<T>(row, cols, c0, n, max, scratch);
      let j = 0;
      for (; j + 2 <= n; j += 2) v128.store(scratch + (<usize>j << 3), f64x2.div(v128.load(scratch + (<usize>j << 3)), vsum));
      for (; j < n; j++) store<f64>(scratch + (<usize>j << 3), load<f64>(scratch + (<usize>j << 3)) / sum);
      storeRow<T>(dst + <usize>c0 * size, n, scratch);
    }
  }
}

function logSoftmaxRows<T>(x: usize, out: usize, cols: i32, scratch: usize, start: i32, end: i32): void {
  const size = <usize>sizeof<T>();
  for (let r = start; r < end; r++) {
    const row = x + <usize>r * <usize>cols * size;
    const dst = out + <usize>r * <usize>cols * size;
    const max = rowMax<T>(row, cols);
    const logSum = log(expSum<T>(row, cols, max, scratch));
    // x - max - logSum, in that order, per element.
    for (let j = 0; j < cols; j++) store<T>(dst + <usize>j * size, <T>(<f64>load<T>(row + <usize>j * size) - max - logSum));
  }
}

/**
 * Per row: loss `lse - (z[label] - max)` (sparse int32 labels) or `sum_j y_j (lse - (z_j - max))`
 * (dense, in increasing j; terms with y_j = 0 left out when `skipZeroTargets`), and when
 * `dlogits` != 0, `(e_j / sum - y_j) * gradScale`.
 */
function crossEntropyRows<T>(
  logits: usize, labels: usize, sparse: bool, losses: usize, dlogits: usize, gradScale: f64, cols: i32,
  skipZeroTargets: bool, scratch: usize, start: i32, end: i32,
): void {
  const size = <usize>sizeof<T>();
  for (let r = start; r < end; r++) {
    const row = logits + <usize>r * <usize>cols * size;
    const max = rowMax<T>(row, cols);
    const sum = expSum<T>(row, cols, max, scratch);
    const lse = log(sum);
    let loss = 0.0;
    let label = -1;
    if (sparse) {
      label = load<i32>(labels + (<usize>r << 2));
      loss = lse - (<f64>load<T>(row + <usize>label * size) - max);
    } else {
      const y = labels + <usize>r * <usize>cols * size;
      for (let j = 0; j < cols; j++) {
        const yj = <f64>load<T>(y + <usize>j * size);
        if (skipZeroTargets && yj == 0) continue;
        loss += yj * (lse - (<f64>load<T>(row + <usize>j * size) - max));
      }
    }
    store<T>(losses + <usize>r * size, <T>loss);
    if (dlogits == 0) continue;
    const dst = dlogits + <usize>r * <usize>cols * size;
    const y = labels + <usize>r * <usize>cols * size;
    for (let c0 = 0; c0 < cols; c0 += CHUNK) {
      const n = min(CHUNK, cols - c0);
      chunkExp<T>(row, cols, c0, n, max, scratch);
      for (let j = 0; j < n; j++) {
        const c = c0 + j;
        const target = sparse ? (c == label ? 1.0 : 0.0) : <f64>load<T>(y + <usize>c * size);
        store<f64>(scratch + (<usize>j << 3), (load<f64>(scratch + (<usize>j << 3)) / sum - target) * gradScale);
      }
      storeRow<T>(dst + <usize>c0 * size, n, scratch);
    }
  }
}

/** dx = y * (dy - dot), dot = sum_j dy_j y_j in increasing j, per row. */
function softmaxBackwardRows<T>(y: usize, dy: usize, dx: usize, cols: i32, start: i32, end: i32): void {
  const size = <usize>sizeof<T>();
  for (let r = start; r < end; r++) {
    const o = <usize>r * <usize>cols * size;
    let dot = 0.0;
    for (let j = 0; j < cols; j++) dot += <f64>load<T>(dy + o + <usize>j * size) * <f64>load<T>(y + o + <usize>j * size);
    const vdot = f64x2.splat(dot);
    let j = 0;
    if (sizeof<T>() == 4) {
      for (; j + 4 <= cols; j += 4) {
        const at = o + (<usize>j << 2);
        const yv = v128.load(y + at);
        const g = v128.load(dy + at);
        const lo = f64x2.mul(low64(yv), f64x2.sub(low64(g), vdot));
        const hi = f64x2.mul(high64(yv), f64x2.sub(high64(g), vdot));
        v128.store(dx + at, narrow64(lo, hi));
      }
    } else {
      for (; j + 2 <= cols; j += 2) {
        const at = o + (<usize>j << 3);
        v128.store(dx + at, f64x2.mul(v128.load(y + at), f64x2.sub(v128.load(dy + at), vdot)));
      }
    }
    for (; j < cols; j++) {
      const at = o + <usize>j * size;
      store<T>(dx + at, <T>(<f64>load<T>(y + at) * (<f64>load<T>(dy + at) - dot)));
    }
  }
}

export const S_SOFTMAX: i32 = 0;
export const S_LOG_SOFTMAX: i32 = 1;

export function softmax_f32(kind: i32, x: usize, out: usize, cols: i32, scratch: usize, start: i32, end: i32): void {
  if (kind == S_SOFTMAX) softmaxRows<f32>(x, out, cols, scratch, start, end);
  else logSoftmaxRows<f32>(x, out, cols, scratch, start, end);
}

export function softmax_f64(kind: i32, x: usize, out: usize, cols: i32, scratch: usize, start: i32, end: i32): void {
  if (kind == S_SOFTMAX) softmaxRows<f64>(x, out, cols, scratch, start, end);
  else logSoftmaxRows<f64>(x, out, cols, scratch, start, end);
}

export function softmaxBackward_f32(y: usize, dy: usize, dx: usize, cols: i32, start: i32, end: i32): void {
  softmaxBackwardRows<f32>(y, dy, dx, cols, start, end);
}

export function softmaxBackward_f64(y: usize, dy: usize, dx: usize, cols: i32, start: i32, end: i32): void {
  softmaxBackwardRows<f64>(y, dy, dx, cols, start, end);
}

export function crossEntropy_f32(
  logits: usize, labels: usize, sparse: bool, losses: usize, dlogits: usize, gradScale: f64, cols: i32,
  skipZeroTargets: bool, scratch: usize, start: i32, end: i32,
): void {
  crossEntropyRows<f32>(logits, labels, sparse, losses, dlogits, gradScale, cols, skipZeroTargets, scratch, start, end);
}

export function crossEntropy_f64(
  logits: usize, labels: usize, sparse: bool, losses: usize, dlogits: usize, gradScale: f64, cols: i32,
  skipZeroTargets: bool, scratch: usize, start: i32, end: i32,
): void {
  crossEntropyRows<f64>(logits, labels, sparse, losses, dlogits, gradScale, cols, skipZeroTargets, scratch, start, end);
}
