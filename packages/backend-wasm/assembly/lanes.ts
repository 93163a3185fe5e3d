// Helpers shared by the elementwise kernels.
//
// The float32 kernels produce the very bits the cpu backend produces: it computes every element
// in float64 and rounds once when storing. A single +, -, *, / or sqrt of float32 operands gives
// the same result either way (float64 has more than twice float32's precision, so rounding
// twice is harmless), and so do comparisons and selections. Expressions of several operations, or
// a float64 parameter that float32 cannot hold (leakyRelu's alpha = 0.1), are computed in float64
// lanes: a float32 vector is widened into two float64 halves and narrowed back.

/** Elements of T in one v128. */
@inline export function lanes<T>(): i32 {
  return 16 / sizeof<T>();
}

/** Lanes 0 and 1 of a float32x4 as float64x2. */
@inline export function low64(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

/** Lanes 2 and 3 of a float32x4 as float64x2. */
@inline export function high64(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<i32>(v, v, 2, 3, 2, 3));
}

/** Two float64x2 halves rounded back into one float32x4 (lanes lo0, lo1, hi0, hi1). */
@inline export function narrow64(lo: v128, hi: v128): v128 {
  return v128.shuffle<i64>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 2);
}

/** All-ones lanes where `mask` is set select `a`, else `b`. */
@inline export function select(a: v128, b: v128, mask: v128): v128 {
  return v128.bitselect(a, b, mask);
}

/** Whether `x`, a float64 parameter, is exactly a float32 (then float32 arithmetic matches float64's). */
@inline export function isFloat32(x: f64): bool {
  return <f64><f32>x == x;
}
