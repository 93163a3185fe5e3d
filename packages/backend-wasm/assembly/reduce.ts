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

/**
 * Reduction along the last axis (inner = 1): output o is row o of x, [axisLen] long. Four rows at
 * a time, each with its own float64 accumulator in index order (the cpu backend's sum for each),
 * so that the additions of different rows overlap instead of waiting on each other.
 */
@inline function rows<T>(op: i32, x: usize, out: usize, axisLen: i32, start: i32, end: i32): void {
  const size = <usize>sizeof<T>();
  const init = op == R_MAX ? -Infinity : op == R_MIN ? Infinity : 0.0;
  const divisor: f64 = op == R_MEAN ? <f64>axisLen : 1.0;
  const rowBytes = <usize>axisLen * size;
  let o = start;
  for (; o + 4 <= end; o += 4) {
    const r0 = x + <usize>o * rowBytes;
    const r1 = r0 + rowBytes;
    const r2 = r1 + rowBytes;
    const r3 = r2 + rowBytes;
    let a0 = init;
    let a1 = init;
    let a2 = init;
    let a3 = init;
    for (let j = 0; j < axisLen; j++) {
      const at = <usize>j * size;
      a0 = stepScalar(op, a0, <f64>load<T>(r0 + at));
      a1 = stepScalar(op, a1, <f64>load<T>(r1 + at));
      a2 = stepScalar(op, a2, <f64>load<T>(r2 + at));
      a3 = stepScalar(op, a3, <f64>load<T>(r3 + at));
    }
    const dst = out + <usize>o * size;
    store<T>(dst, <T>(a0 / divisor));
    store<T>(dst + size, <T>(a1 / divisor));
    store<T>(dst + 2 * size, <T>(a2 / divisor));
    store<T>(dst + 3 * size, <T>(a3 / divisor));
  }
  for (; o < end; o++) {
    const r = x + <usize>o * rowBytes;
    let a = init;
    for (let j = 0; j < axisLen; j++) a = stepScalar(op, a, <f64>load<T>(r + <usize>j * size));
    store<T>(out + <usize>o * size, <T>(a / divisor));
  }
}

@inline function dispatchRows<T>(op: i32, x: usize, out: usize, axisLen: i32, start: i32, end: i32): void {
  switch (op) {
    case R_SUM: rows<T>(R_SUM, x, out, axisLen, start, end); break;
    case R_MEAN: rows<T>(R_MEAN, x, out, axisLen, start, end); break;
    case R_MAX: rows<T>(R_MAX, x, out, axisLen, start, end); break;
    case R_MIN: rows<T>(R_MIN, x, out, axisLen, start, end); break;
    default: unreachable();
  }
}

export function reduceRows_f32(op: i32, x: usize, out: usize, axisLen: i32, start: i32, end: i32): void {
  dispatchRows<f32>(op, x, out, axisLen, start, end);
}

export function reduceRows_f64(op: i32, x: usize, out: usize, axisLen: i32, start: i32, end: i32): void {
  dispatchRows<f64>(op, x, out, axisLen, start, end);
}

/**
 * Index of the first max (min) along the axis, `x` viewed as [outer, axisLen, inner], into int32
 * `out` over output positions [start, end); NaN counts as the extreme (its first index wins); an
 * empty axis gives -1. Compared in the element type (exact for int32 and floats alike).
 */
@inline function argReduce<T>(isMax: bool, x: usize, out: usize, axisLen: i32, inner: i32, start: i32, end: i32): void {
  const size = <usize>sizeof<T>();
  const stride = <usize>inner * size;
  for (let o = start; o < end; o++) {
    if (axisLen == 0) {
      store<i32>(out + (<usize>o << 2), -1);
      continue;
    }
    const outer = o / inner;
    let src = x + (<usize>outer * <usize>axisLen * <usize>inner + <usize>(o - outer * inner)) * size;
    let best = load<T>(src);
    let index = 0;
    if (best == best) {
      for (let j = 1; j < axisLen; j++) {
        src += stride;
        const v = load<T>(src);
        if (v != v) {
          index = j;
          break;
        }
        if (isMax ? v > best : v < best) {
          best = v;
          index = j;
        }
      }
    }
    store<i32>(out + (<usize>o << 2), index);
  }
}

export function argReduce_f32(isMax: bool, x: usize, out: usize, axisLen: i32, inner: i32, start: i32, end: i32): void {
  if (isMax) argReduce<f32>(true, x, out, axisLen, inner, start, end);
  else argReduce<f32>(false, x, out, axisLen, inner, start, end);
}

export function argReduce_f64(isMax: bool, x: usize, out: usize, axisLen: i32, inner: i32, start: i32, end: i32): void {
  if (isMax) argReduce<f64>(true, x, out, axisLen, inner, start, end);
  else argReduce<f64>(false, x, out, axisLen, inner, start, end);
}

export function argReduce_i32(isMax: bool, x: usize, out: usize, axisLen: i32, inner: i32, start: i32, end: i32): void {
  if (isMax) argReduce<i32>(true, x, out, axisLen, inner, start, end);
  else argReduce<i32>(false, x, out, axisLen, inner, start, end);
}

export function reduceColumns_f32(op: i32, x: usize, out: usize, axisLen: i32, inner: i32, scratch: usize, start: i32, end: i32): void {
  dispatch<f32>(op, x, out, axisLen, inner, scratch, start, end);
}

export function reduceColumns_f64(op: i32, x: usize, out: usize, axisLen: i32, inner: i32, scratch: usize, start: i32, end: i32): void {
  dispatch<f64>(op, x, out, axisLen, inner, scratch, start, end);
}
