// exp, sigmoid, log, tanh and elu over elements [start, end), float32 and float64, computed in
// float64 by fdlibm's algorithms (fdlibm.ts) and rounded once: the cpu backend's bits (V8's
// Math.exp, log, expm1 and tanh are fdlibm's). exp and sigmoid run two float64 lanes at a time;
// log, tanh and elu are scalar (their branches do not vectorize).

import { exp, expLanes, expm1, log, tanh } from './fdlibm';
import { high64, low64, narrow64 } from './lanes';

export const T_EXP: i32 = 0;
export const T_SIGMOID: i32 = 1;
export const T_LOG: i32 = 2;
export const T_TANH: i32 = 3;
export const T_ELU: i32 = 4;

/**
 * The cpu backend's sigmoid: `v >= 0 ? 1 / (1 + exp(-v)) : exp(v) / (1 + exp(v))`. Both branches
 * take exp of -|v| (the same argument, -0 included), so one exp serves.
 */
@inline function sigmoidLanes(v: v128): v128 {
  const e = expLanes(f64x2.neg(f64x2.abs(v)));
  const onePlus = f64x2.add(f64x2.splat(1), e);
  return v128.bitselect(f64x2.div(f64x2.splat(1), onePlus), f64x2.div(e, onePlus), f64x2.ge(v, f64x2.splat(0)));
}

@inline function sigmoidScalar(v: f64): f64 {
  if (v >= 0) return 1 / (1 + exp(-v));
  const e = exp(v);
  return e / (1 + e);
}

@inline function lanesOp(op: i32, v: v128): v128 {
  return op == T_EXP ? expLanes(v) : sigmoidLanes(v);
}

/** The cpu backend's elu: `v > 0 ? v : alpha * expm1(v)` (NaN fails the test and stays NaN). */
@inline function eluScalar(v: f64, alpha: f64): f64 {
  return v > 0 ? v : alpha * expm1(v);
}

@inline function scalarOp(op: i32, v: f64, alpha: f64): f64 {
  return op == T_EXP ? exp(v) : op == T_SIGMOID ? sigmoidScalar(v) : op == T_LOG ? log(v) : op == T_TANH ? tanh(v) : eluScalar(v, alpha);
}

@inline function run<T>(op: i32, x: usize, out: usize, alpha: f64, start: i32, end: i32): void {
  const size = <usize>sizeof<T>();
  let i = start;
  if (op == T_EXP || op == T_SIGMOID) {
    if (sizeof<T>() == 4) {
      for (; i + 4 <= end; i += 4) {
        const o = <usize>i << 2;
        const v = v128.load(x + o);
        v128.store(out + o, narrow64(lanesOp(op, low64(v)), lanesOp(op, high64(v))));
      }
    } else {
      for (; i + 2 <= end; i += 2) {
        const o = <usize>i << 3;
        v128.store(out + o, lanesOp(op, v128.load(x + o)));
      }
    }
  }
  for (; i < end; i++) {
    const o = <usize>i * size;
    store<T>(out + o, <T>scalarOp(op, <f64>load<T>(x + o), alpha));
  }
}

/** `alpha`: elu's saturation (the other ops ignore it). */
export function transcendental_f32(op: i32, x: usize, out: usize, alpha: f64, start: i32, end: i32): void {
  if (op == T_EXP) run<f32>(T_EXP, x, out, 0, start, end);
  else if (op == T_SIGMOID) run<f32>(T_SIGMOID, x, out, 0, start, end);
  else if (op == T_LOG) run<f32>(T_LOG, x, out, 0, start, end);
  else if (op == T_TANH) run<f32>(T_TANH, x, out, 0, start, end);
  else run<f32>(T_ELU, x, out, alpha, start, end);
}

/** `alpha`: elu's saturation (the other ops ignore it). */
export function transcendental_f64(op: i32, x: usize, out: usize, alpha: f64, start: i32, end: i32): void {
  if (op == T_EXP) run<f64>(T_EXP, x, out, 0, start, end);
  else if (op == T_SIGMOID) run<f64>(T_SIGMOID, x, out, 0, start, end);
  else if (op == T_LOG) run<f64>(T_LOG, x, out, 0, start, end);
  else if (op == T_TANH) run<f64>(T_TANH, x, out, 0, start, end);
  else run<f64>(T_ELU, x, out, alpha, start, end);
}

/** Test hooks: the scalar functions, to compare with Math.exp and Math.log over many inputs. */
export function fdlibmExp(x: f64): f64 {
  return exp(x);
}

export function fdlibmLog(x: f64): f64 {
  return log(x);
}

export function fdlibmExpm1(x: f64): f64 {
  return expm1(x);
}

export function fdlibmTanh(x: f64): f64 {
  return tanh(x);
}

/** Test hook: exp of two lanes (stored at `out`), to compare the branch-free path with the scalar one. */
export function fdlibmExpLanes(x: usize, out: usize): void {
  v128.store(out, expLanes(v128.load(x)));
}
