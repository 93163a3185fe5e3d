// `out[i] = f(a[ia], b[ib])` over elements [start, end) of `out`, float32 and float64, for the
// broadcast layouts that reduce to contiguous runs: equal shapes, a scalar operand, and a row
// repeated over the rows of `out` (a bias). The general strided walk, `pow` and int32 run as
// JavaScript. Every op matches the cpu backend's float64 definition bit for bit: maximum and
// minimum propagate NaN and order -0 below +0 (as Math.max/min), comparisons write 1 or 0, and
// squaredDifference is computed in float64 for float32 (its two roundings would otherwise differ).

import { high64, lanes, low64, narrow64, select } from './lanes';

export const B_ADD: i32 = 0;
export const B_SUB: i32 = 1;
export const B_MUL: i32 = 2;
export const B_DIV: i32 = 3;
export const B_MAXIMUM: i32 = 5;
export const B_MINIMUM: i32 = 6;
export const B_SQUARED_DIFFERENCE: i32 = 7;
export const B_EQUAL: i32 = 8;
export const B_GREATER: i32 = 9;
export const B_LESS: i32 = 10;

/** Layouts (as the cpu backend's planner names them). */
export const L_SAME: i32 = 0;
export const L_SCALAR_A: i32 = 1;
export const L_SCALAR_B: i32 = 2;
export const L_ROW_A: i32 = 3;
export const L_ROW_B: i32 = 4;

// prettier-ignore
@inline function vectorOp<T>(op: i32, x: v128, y: v128): v128 {
  switch (op) {
    case B_ADD: return v128.add<T>(x, y);
    case B_SUB: return v128.sub<T>(x, y);
    case B_MUL: return v128.mul<T>(x, y);
    case B_DIV: return v128.div<T>(x, y);
    case B_MAXIMUM: return v128.max<T>(x, y);
    case B_MINIMUM: return v128.min<T>(x, y);
    case B_SQUARED_DIFFERENCE: {
      if (sizeof<T>() == 8) {
        const d = f64x2.sub(x, y);
        return f64x2.mul(d, d);
      }
      const lo = f64x2.sub(low64(x), low64(y));
      const hi = f64x2.sub(high64(x), high64(y));
      return narrow64(f64x2.mul(lo, lo), f64x2.mul(hi, hi));
    }
    case B_EQUAL: return v128.and(v128.eq<T>(x, y), v128.splat<T>(<T>1));
    case B_GREATER: return v128.and(v128.gt<T>(x, y), v128.splat<T>(<T>1));
    default: return v128.and(v128.lt<T>(x, y), v128.splat<T>(<T>1)); // B_LESS
  }
}

// prettier-ignore
@inline function scalarOp<T>(op: i32, x: T, y: T): T {
  switch (op) {
    case B_ADD: return x + y;
    case B_SUB: return x - y;
    case B_MUL: return x * y;
    case B_DIV: return x / y;
    case B_MAXIMUM: return max<T>(x, y);
    case B_MINIMUM: return min<T>(x, y);
    case B_SQUARED_DIFFERENCE: {
      const d = <f64>x - <f64>y;
      return <T>(d * d);
    }
    case B_EQUAL: return x == y ? <T>1 : <T>0;
    case B_GREATER: return x > y ? <T>1 : <T>0;
    default: return x < y ? <T>1 : <T>0; // B_LESS
  }
}

/**
 * `count` elements: out[t] = op(a[t], b[t]), where a scalar operand (flag set) is its element 0
 * for every t. Inlined with constant op and flags.
 */
@inline function run<T>(op: i32, a: usize, aScalar: bool, b: usize, bScalar: bool, out: usize, count: i32): void {
  const size = <usize>sizeof<T>();
  const L = lanes<T>();
  const xs = aScalar ? load<T>(a) : <T>0;
  const ys = bScalar ? load<T>(b) : <T>0;
  const vx = v128.splat<T>(xs);
  const vy = v128.splat<T>(ys);
  let t = 0;
  for (; t + L <= count; t += L) {
    const o = <usize>t * size;
    const x = aScalar ? vx : v128.load(a + o);
    const y = bScalar ? vy : v128.load(b + o);
    v128.store(out + o, vectorOp<T>(op, x, y));
  }
  for (; t < count; t++) {
    const o = <usize>t * size;
    store<T>(out + o, scalarOp<T>(op, aScalar ? xs : load<T>(a + o), bScalar ? ys : load<T>(b + o)));
  }
}

// prettier-ignore
@inline function runShape<T>(op: i32, a: usize, aScalar: bool, b: usize, bScalar: bool, out: usize, count: i32): void {
  if (aScalar) run<T>(op, a, true, b, false, out, count);
  else if (bScalar) run<T>(op, a, false, b, true, out, count);
  else run<T>(op, a, false, b, false, out, count);
}

// prettier-ignore
export function span<T>(op: i32, a: usize, aScalar: bool, b: usize, bScalar: bool, out: usize, count: i32): void {
  switch (op) {
    case B_ADD: runShape<T>(B_ADD, a, aScalar, b, bScalar, out, count); break;
    case B_SUB: runShape<T>(B_SUB, a, aScalar, b, bScalar, out, count); break;
    case B_MUL: runShape<T>(B_MUL, a, aScalar, b, bScalar, out, count); break;
    case B_DIV: runShape<T>(B_DIV, a, aScalar, b, bScalar, out, count); break;
    case B_MAXIMUM: runShape<T>(B_MAXIMUM, a, aScalar, b, bScalar, out, count); break;
    case B_MINIMUM: runShape<T>(B_MINIMUM, a, aScalar, b, bScalar, out, count); break;
    case B_SQUARED_DIFFERENCE: runShape<T>(B_SQUARED_DIFFERENCE, a, aScalar, b, bScalar, out, count); break;
    case B_EQUAL: runShape<T>(B_EQUAL, a, aScalar, b, bScalar, out, count); break;
    case B_GREATER: runShape<T>(B_GREATER, a, aScalar, b, bScalar, out, count); break;
    case B_LESS: runShape<T>(B_LESS, a, aScalar, b, bScalar, out, count); break;
    default: unreachable();
  }
}

/** `cols`: the row length for the row layouts (ignored otherwise). */
function binary<T>(op: i32, layout: i32, a: usize, b: usize, out: usize, cols: i32, start: i32, end: i32): void {
  const size = <usize>sizeof<T>();
  const s = <usize>start * size;
  switch (layout) {
    case L_SAME:
      span<T>(op, a + s, false, b + s, false, out + s, end - start);
      return;
    case L_SCALAR_A:
      span<T>(op, a, true, b + s, false, out + s, end - start);
      return;
    case L_SCALAR_B:
      span<T>(op, a + s, false, b, true, out + s, end - start);
      return;
    default: {
      // L_ROW_A / L_ROW_B: one operand is a [cols] row repeated over the rows of out.
      const rowA = layout == L_ROW_A;
      let i = start;
      let c = start % cols;
      while (i < end) {
        const count = min(cols - c, end - i);
        const full = <usize>i * size;
        const row = <usize>c * size;
        if (rowA) span<T>(op, a + row, false, b + full, false, out + full, count);
        else span<T>(op, a + full, false, b + row, false, out + full, count);
        i += count;
        c = 0;
      }
    }
  }
}

export function binary_f32(op: i32, layout: i32, a: usize, b: usize, out: usize, cols: i32, start: i32, end: i32): void {
  binary<f32>(op, layout, a, b, out, cols, start, end);
}

export function binary_f64(op: i32, layout: i32, a: usize, b: usize, out: usize, cols: i32, start: i32, end: i32): void {
  binary<f64>(op, layout, a, b, out, cols, start, end);
}

/**
 * The general broadcast walk (the cpu backend's 'strided' layout): `out`'s shape and each
 * operand's element strides per axis (0 where broadcast) are `rank` int32s at `shape`,
 * `aStrides`, `bStrides`. A row of the last axis at a time, offsets recomputed per row; a row
 * whose operands are contiguous or constant along it runs through `span` (SIMD).
 */
function strided<T>(op: i32, a: usize, b: usize, out: usize, rank: i32, shape: usize, aStrides: usize, bStrides: usize, start: i32, end: i32): void {
  const size = <usize>sizeof<T>();
  const last = rank - 1;
  const inner = load<i32>(shape + (<usize>last << 2));
  const sa = load<i32>(aStrides + (<usize>last << 2));
  const sb = load<i32>(bStrides + (<usize>last << 2));
  let i = start;
  while (i < end) {
    let rem = i / inner;
    const c = i - rem * inner;
    let ia = c * sa;
    let ib = c * sb;
    for (let axis = last - 1; axis >= 0; axis--) {
      const dim = load<i32>(shape + (<usize>axis << 2));
      const q = rem / dim;
      const coord = rem - q * dim;
      ia += coord * load<i32>(aStrides + (<usize>axis << 2));
      ib += coord * load<i32>(bStrides + (<usize>axis << 2));
      rem = q;
    }
    const count = min(inner - c, end - i);
    const pa = a + <usize>ia * size;
    const pb = b + <usize>ib * size;
    const po = out + <usize>i * size;
    if ((sa == 1 || sa == 0) && (sb == 1 || sb == 0) && !(sa == 0 && sb == 0)) {
      span<T>(op, pa, sa == 0, pb, sb == 0, po, count);
    } else {
      for (let t = 0; t < count; t++) {
        store<T>(po + <usize>t * size, scalarOpOf<T>(op, load<T>(pa + <usize>(t * sa) * size), load<T>(pb + <usize>(t * sb) * size)));
      }
    }
    i += count;
  }
}

/** scalarOp with the op not known at compile time (the strided walk's general rows). */
function scalarOpOf<T>(op: i32, x: T, y: T): T {
  switch (op) {
    case B_ADD: return scalarOp<T>(B_ADD, x, y);
    case B_SUB: return scalarOp<T>(B_SUB, x, y);
    case B_MUL: return scalarOp<T>(B_MUL, x, y);
    case B_DIV: return scalarOp<T>(B_DIV, x, y);
    case B_MAXIMUM: return scalarOp<T>(B_MAXIMUM, x, y);
    case B_MINIMUM: return scalarOp<T>(B_MINIMUM, x, y);
    case B_SQUARED_DIFFERENCE: return scalarOp<T>(B_SQUARED_DIFFERENCE, x, y);
    case B_EQUAL: return scalarOp<T>(B_EQUAL, x, y);
    case B_GREATER: return scalarOp<T>(B_GREATER, x, y);
    default: return scalarOp<T>(B_LESS, x, y);
  }
}

export function binaryStrided_f32(op: i32, a: usize, b: usize, out: usize, rank: i32, shape: usize, aStrides: usize, bStrides: usize, start: i32, end: i32): void {
  strided<f32>(op, a, b, out, rank, shape, aStrides, bStrides, start, end);
}

export function binaryStrided_f64(op: i32, a: usize, b: usize, out: usize, rank: i32, shape: usize, aStrides: usize, bStrides: usize, start: i32, end: i32): void {
  strided<f64>(op, a, b, out, rank, shape, aStrides, bStrides, start, end);
}
