// Backward of the elementwise activations over elements [start, end): `dx = dy * f'(…)`, float32
// and float64, bit for bit as the cpu backend computes them in float64:
//   relu       saved = x:  saved > 0 ? dy : 0            (+0 for saved ±0, negative or NaN)
//   leakyRelu  saved = x:  saved > 0 ? dy : alpha * dy
//   sigmoid    saved = y:  dy * y * (1 - y)
//   tanh       saved = y:  dy * (1 - y * y)
//   elu        saved = y:  y > 0 ? dy : dy * (y + alpha)
// Float32 products of several terms (and by an alpha float32 cannot hold) run in float64 lanes.

import { high64, isFloat32, lanes, low64, narrow64, select } from './lanes';

export const A_RELU: i32 = 0;
export const A_LEAKY_RELU: i32 = 1;
export const A_SIGMOID: i32 = 2;
export const A_TANH: i32 = 3;
export const A_ELU: i32 = 4;

/** The float64 derivative term for one float64x2 pair (sigmoid, tanh, inexact leakyRelu). */
@inline function wide(op: i32, s: v128, g: v128, alpha: v128): v128 {
  const one = f64x2.splat(1);
  switch (op) {
    case A_LEAKY_RELU: return select(g, f64x2.mul(alpha, g), f64x2.gt(s, i32x4.splat(0)));
    case A_SIGMOID: return f64x2.mul(f64x2.mul(g, s), f64x2.sub(one, s));
    case A_ELU: return select(g, f64x2.mul(g, f64x2.add(s, alpha)), f64x2.gt(s, i32x4.splat(0)));
    default: return f64x2.mul(g, f64x2.sub(one, f64x2.mul(s, s))); // A_TANH
  }
}

@inline function wideScalar(op: i32, s: f64, g: f64, alpha: f64): f64 {
  switch (op) {
    case A_LEAKY_RELU: return s > 0 ? g : alpha * g;
    case A_SIGMOID: return g * s * (1 - s);
    case A_ELU: return s > 0 ? g : g * (s + alpha);
    default: return g * (1 - s * s); // A_TANH
  }
}

/** relu, and leakyRelu with an exact alpha: a selection (and a product exact in T). */
@inline function direct<T>(leaky: bool, saved: usize, dy: usize, dx: usize, alpha: T, start: i32, end: i32): void {
  const size = <usize>sizeof<T>();
  const L = lanes<T>();
  const zero = i32x4.splat(0);
  const va = v128.splat<T>(alpha);
  let i = start;
  for (; i + L <= end; i += L) {
    const o = <usize>i * size;
    const g = v128.load(dy + o);
    const pass = v128.gt<T>(v128.load(saved + o), zero);
    v128.store(dx + o, select(g, leaky ? v128.mul<T>(va, g) : zero, pass));
  }
  for (; i < end; i++) {
    const o = <usize>i * size;
    const g = load<T>(dy + o);
    store<T>(dx + o, load<T>(saved + o) > <T>0 ? g : leaky ? alpha * g : <T>0);
  }
}

@inline function viaF64(op: i32, saved: usize, dy: usize, dx: usize, alpha: f64, isF32: bool, start: i32, end: i32): void {
  const va = f64x2.splat(alpha);
  let i = start;
  if (isF32) {
    for (; i + 4 <= end; i += 4) {
      const o = <usize>i << 2;
      const s = v128.load(saved + o);
      const g = v128.load(dy + o);
      v128.store(dx + o, narrow64(wide(op, low64(s), low64(g), va), wide(op, high64(s), high64(g), va)));
    }
    for (; i < end; i++) {
      const o = <usize>i << 2;
      store<f32>(dx + o, <f32>wideScalar(op, <f64>load<f32>(saved + o), <f64>load<f32>(dy + o), alpha));
    }
  } else {
    for (; i + 2 <= end; i += 2) {
      const o = <usize>i << 3;
      v128.store(dx + o, wide(op, v128.load(saved + o), v128.load(dy + o), va));
    }
    for (; i < end; i++) {
      const o = <usize>i << 3;
      store<f64>(dx + o, wideScalar(op, load<f64>(saved + o), load<f64>(dy + o), alpha));
    }
  }
}

export function activationBackward_f32(op: i32, saved: usize, dy: usize, dx: usize, alpha: f64, start: i32, end: i32): void {
  if (op == A_RELU) direct<f32>(false, saved, dy, dx, 0, start, end);
  else if (op == A_LEAKY_RELU && isFloat32(alpha)) direct<f32>(true, saved, dy, dx, <f32>alpha, start, end);
  else if (op == A_LEAKY_RELU) viaF64(A_LEAKY_RELU, saved, dy, dx, alpha, true, start, end);
  else if (op == A_SIGMOID) viaF64(A_SIGMOID, saved, dy, dx, alpha, true, start, end);
  else if (op == A_ELU) viaF64(A_ELU, saved, dy, dx, alpha, true, start, end);
  else viaF64(A_TANH, saved, dy, dx, alpha, true, start, end);
}

export function activationBackward_f64(op: i32, saved: usize, dy: usize, dx: usize, alpha: f64, start: i32, end: i32): void {
  if (op == A_RELU) direct<f64>(false, saved, dy, dx, 0, start, end);
  else if (op == A_LEAKY_RELU) direct<f64>(true, saved, dy, dx, alpha, start, end);
  else if (op == A_SIGMOID) viaF64(A_SIGMOID, saved, dy, dx, alpha, false, start, end);
  else if (op == A_ELU) viaF64(A_ELU, saved, dy, dx, alpha, false, start, end);
  else viaF64(A_TANH, saved, dy, dx, alpha, false, start, end);
}
