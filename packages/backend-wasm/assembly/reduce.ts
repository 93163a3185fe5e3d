// Reduction along an axis whose inner size is > 1 (`x` viewed as [outer, axisLen, inner], `out`
// as [outer, inner]: a column sum such as a bias gradient), over output positions [start, end).
// As in the cpu backend, every output is one float64 accumulation over the axis in increasing
// index order started from the op's identity, so the bits are the cpu backend's and do not
// depend on the range. Positions are taken CHUNK at a time with float64 accumulators in this
// thread's scratch, so that `x` is read row by row.

import { high64, low64, select } from './lanes';

export const R_SUM: i32 = 0;
export const R_MEAN: i32 = 1;
export const R_MAX: i32 = 2;
export const R_MIN: i32 = 3;

const CHUNK: i32 = 1024;
/** Scratch bytes this kernel needs: CHUNK float64 accumulators. */
export const REDUCE_SCRATCH_BYTES: i32 = CHUNK * 8;

/** acc = combine(acc, v) on float64x2, with the cpu backend's rules (NaN sticks; first of equals wins). */
@inline function step(op: i32, acc: v128, v: v128): v128 {
  switch (op) {
    case R_MAX: return select(v, acc, v128.or(f64x2.gt(v, acc), f64x2.ne(v, v)));
    case R_MIN: return select(v, acc, v128.or(f64x2.lt(v, acc), f64x2.ne(v, v)));
    default: return f64x2.add(acc, v);
  }
}

@inline function stepScalar(op: i32, acc: f64, v: f64): f64 {
  switch (op) {
    case R_MAX: return v > acc || v != v ? v : acc;
    case R_MIN: return v < acc || v != v ? v : acc;
    default: return acc + v;
  }
}

@inline function columns<T>(op: i32, x: usize, out: usize, axisLen: i32, inner: i32, scratch: usize, start: i32, end: i32): void {
  const size = <usize>sizeof<T>();
  const isF32 = sizeof<T>() == 4;
  const init = op == R_MAX ? -Infinity : op == R_MIN ? Infinity : 0.0;
  const divisor: f64 = op == R_MEAN ? <f64>axisLen : 1.0;
  let o = start;
  while (o < end) {
    const outer = o / inner;
    const i0 = o - outer * inner;
    const count = min(min(inner - i0, end - o), CHUNK);
    for (let t = 0; t < count; t++) store<f64>(scratch + (<usize>t << 3), init);
    let src = x + (<usize>outer * <usize>axisLen * <usize>inner + <usize>i0) * size;
    const stride = <usize>inner * size;
    for (let j = 0; j < axisLen; j++) {
      let t = 0;
      if (isF32) {
        for (; t + 4 <= count; t += 4) {
          const v = v128.load(src + (<usize>t << 2));
          const a = scratch + (<usize>t << 3);
          v128.store(a, step(op, v128.load(a), low64(v)));
          v128.store(a, step(op, v128.load(a, 16), high64(v)), 16);
        }
      } else {
        for (; t + 2 <= count; t += 2) {
          const a = scratch + (<usize>t << 3);
          v128.store(a, step(op, v128.load(a), v128.load(src + (<usize>t << 3))));
        }
      }
      for (; t < count; t++) {
        const a = scratch + (<usize>t << 3);
        store<f64>(a, stepScalar(op, load<f64>(a), <f64>load<T>(src + <usize>t * size)));
      }
      src += stride;
    }
    const dst = out + <usize>o * size;
    for (let t = 0; t < count; t++) store<T>(dst + <usize>t * size, <T>(load<f64>(scratch + (<usize>t << 3)) / divisor));
    o += count;
  }
}

@inline function dispatch<T>(op: i32, x: usize, out: usize, axisLen: i32, inner: i32, scratch: usize, start: i32, end: i32): void {
  switch (op) {
    case R_SUM: columns<T>(R_SUM, x, out, axisLen, inner, scratch, start, end); break;
    case R_MEAN: columns<T>(R_MEAN, x, out, axisLen, inner, scratch, start, end); break;
    case R_MAX: columns<T>(R_MAX, x, out, axisLen, inner, scratch, start, end); break;
    case R_MIN: columns<T>(R_MIN, x, out, axisLen, inner, scratch, start, end); break;
    default: unreachable();
  }
}

export function reduceColumns_f32(op: i32, x: usize, out: usize, axisLen: i32, inner: i32, scratch: usize, start: i32, end: i32): void {
  dispatch<f32>(op, x, out, axisLen, inner, scratch, start, end);
}

export function reduceColumns_f64(op: i32, x: usize, out: usize, axisLen: i32, inner: i32, scratch: usize, start: i32, end: i32): void {
  dispatch<f64>(op, x, out, axisLen, inner, scratch, start, end);
}
