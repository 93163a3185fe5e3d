// `out[i] = f(x[i])` over elements [start, end), float32 and float64, for the unary ops that are
// a few instructions per element. Transcendental ops (exp, log, sigmoid, tanh) run as JavaScript
// over the same memory (see the package README: JS Math is as fast there, and gives the cpu
// backend's bits). Op codes are those of src/kernels/codes.ts.
//
// Each op matches the cpu backend's float64 definition bit for bit, NaN, ±0 and subnormals
// included: relu `v <= 0 ? 0 : v` (NaN passes, -0 becomes +0), leakyRelu `v > 0 ? v : alpha*v`,
// clip `v < min ? min : v > max ? max : v`, sign as Math.sign. The scalar tail computes exactly
// what a vector lane computes.

import { high64, isFloat32, lanes, low64, narrow64, select } from './lanes';

export const U_NEG: i32 = 0;
export const U_ABS: i32 = 1;
export const U_SIGN: i32 = 2;
export const U_SQRT: i32 = 5;
export const U_SQUARE: i32 = 6;
export const U_RECIPROCAL: i32 = 7;
export const U_RELU: i32 = 8;
export const U_LEAKY_RELU: i32 = 9;
export const U_CLIP: i32 = 12;
export const U_SCALE: i32 = 13;

// prettier-ignore
@inline function vectorOp<T>(op: i32, v: v128, alpha: v128, minCmp: v128, minVal: v128, maxCmp: v128, maxVal: v128): v128 {
  const zero = i32x4.splat(0);
  switch (op) {
    case U_NEG: return v128.neg<T>(v);
    case U_ABS: return v128.abs<T>(v);
    case U_SIGN: {
      const one = v128.splat<T>(<T>1);
      const minusOne = v128.splat<T>(<T>-1);
      return select(one, select(minusOne, v, v128.lt<T>(v, zero)), v128.gt<T>(v, zero));
    }
    case U_SQRT: return v128.sqrt<T>(v);
    case U_SQUARE: return v128.mul<T>(v, v);
    case U_RECIPROCAL: return v128.div<T>(v128.splat<T>(<T>1), v);
    case U_RELU: return select(zero, v, v128.le<T>(v, zero));
    case U_LEAKY_RELU: return select(v, v128.mul<T>(alpha, v), v128.gt<T>(v, zero));
    case U_CLIP: return select(minVal, select(maxVal, v, v128.gt<T>(v, maxCmp)), v128.lt<T>(v, minCmp));
    default: return v128.mul<T>(alpha, v); // U_SCALE
  }
}

// prettier-ignore
@inline function scalarOp<T>(op: i32, v: T, alpha: T, minCmp: T, minVal: T, maxCmp: T, maxVal: T): T {
  switch (op) {
    case U_NEG: return -v;
    case U_ABS: return abs<T>(v);
    case U_SIGN: return v > <T>0 ? <T>1 : v < <T>0 ? <T>-1 : v;
    case U_SQRT: return sqrt<T>(v);
    case U_SQUARE: return v * v;
    case U_RECIPROCAL: return <T>1 / v;
    case U_RELU: return v <= <T>0 ? <T>0 : v;
    case U_LEAKY_RELU: return v > <T>0 ? v : alpha * v;
    case U_CLIP: return v < minCmp ? minVal : v > maxCmp ? maxVal : v;
    default: return alpha * v; // U_SCALE
  }
}

/** One op over [start, end) with its parameters already in T (exact for every op but scaled float32). */
@inline function loop<T>(op: i32, x: usize, out: usize, alpha: T, minCmp: T, minVal: T, maxCmp: T, maxVal: T, start: i32, end: i32): void {
  const size = <usize>sizeof<T>();
  const L = lanes<T>();
  const va = v128.splat<T>(alpha);
  const vminCmp = v128.splat<T>(minCmp);
  const vminVal = v128.splat<T>(minVal);
  const vmaxCmp = v128.splat<T>(maxCmp);
  const vmaxVal = v128.splat<T>(maxVal);
  let i = start;
  for (; i + L <= end; i += L) {
    const o = <usize>i * size;
    v128.store(out + o, vectorOp<T>(op, v128.load(x + o), va, vminCmp, vminVal, vmaxCmp, vmaxVal));
  }
  for (; i < end; i++) {
    const o = <usize>i * size;
    store<T>(out + o, scalarOp<T>(op, load<T>(x + o), alpha, minCmp, minVal, maxCmp, maxVal));
  }
}

/** leakyRelu and scale of float32 by an alpha float32 cannot hold: the product in float64. */
function scaledF32ViaF64(leaky: bool, x: usize, out: usize, alpha: f64, start: i32, end: i32): void {
  const va = f64x2.splat(alpha);
  const zero = i32x4.splat(0);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const o = <usize>i << 2;
    const v = v128.load(x + o);
    const scaled = narrow64(f64x2.mul(va, low64(v)), f64x2.mul(va, high64(v)));
    v128.store(out + o, leaky ? select(v, scaled, f32x4.gt(v, zero)) : scaled);
  }
  for (; i < end; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(x + o);
    const scaled = <f32>(alpha * <f64>v);
    store<f32>(out + o, leaky ? (v > 0 ? v : scaled) : scaled);
  }
}

// Dispatch with the op as a constant in each inlined loop.
// prettier-ignore
@inline function dispatch<T>(op: i32, x: usize, out: usize, alpha: T, minCmp: T, minVal: T, maxCmp: T, maxVal: T, start: i32, end: i32): void {
  switch (op) {
    case U_NEG: loop<T>(U_NEG, x, out, alpha, minCmp, minVal, maxCmp, maxVal, start, end); break;
    case U_ABS: loop<T>(U_ABS, x, out, alpha, minCmp, minVal, maxCmp, maxVal, start, end); break;
    case U_SIGN: loop<T>(U_SIGN, x, out, alpha, minCmp, minVal, maxCmp, maxVal, start, end); break;
    case U_SQRT: loop<T>(U_SQRT, x, out, alpha, minCmp, minVal, maxCmp, maxVal, start, end); break;
    case U_SQUARE: loop<T>(U_SQUARE, x, out, alpha, minCmp, minVal, maxCmp, maxVal, start, end); break;
    case U_RECIPROCAL: loop<T>(U_RECIPROCAL, x, out, alpha, minCmp, minVal, maxCmp, maxVal, start, end); break;
    case U_RELU: loop<T>(U_RELU, x, out, alpha, minCmp, minVal, maxCmp, maxVal, start, end); break;
    case U_LEAKY_RELU: loop<T>(U_LEAKY_RELU, x, out, alpha, minCmp, minVal, maxCmp, maxVal, start, end); break;
    case U_CLIP: loop<T>(U_CLIP, x, out, alpha, minCmp, minVal, maxCmp, maxVal, start, end); break;
    case U_SCALE: loop<T>(U_SCALE, x, out, alpha, minCmp, minVal, maxCmp, maxVal, start, end); break;
    default: unreachable();
  }
}

/**
 * float32. `minCmp`/`maxCmp` are the float32 thresholds equivalent to comparing with the float64
 * bounds (the smallest float32 >= min, the largest <= max), `minVal`/`maxVal` the bounds rounded
 * to float32, as the caller computes them.
 */
export function unary_f32(op: i32, x: usize, out: usize, alpha: f64, minCmp: f64, minVal: f64, maxCmp: f64, maxVal: f64, start: i32, end: i32): void {
  if ((op == U_LEAKY_RELU || op == U_SCALE) && !isFloat32(alpha)) {
    scaledF32ViaF64(op == U_LEAKY_RELU, x, out, alpha, start, end);
    return;
  }
  dispatch<f32>(op, x, out, <f32>alpha, <f32>minCmp, <f32>minVal, <f32>maxCmp, <f32>maxVal, start, end);
}

export function unary_f64(op: i32, x: usize, out: usize, alpha: f64, minCmp: f64, minVal: f64, maxCmp: f64, maxVal: f64, start: i32, end: i32): void {
  dispatch<f64>(op, x, out, alpha, minCmp, minVal, maxCmp, maxVal, start, end);
}
