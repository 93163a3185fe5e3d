// exp, log, expm1 and tanh as fdlibm computes them (e_exp.c, e_log.c, s_expm1.c, s_tanh.c; Sun
// Microsystems, 1993, freely
// redistributable with this notice kept), with V8's one change (exp(1) is E: the algorithm gets
// its last bit wrong), which is what V8's Math.exp, log, expm1 and tanh run:
// the cpu backend's transcendental kernels call those, so these give its bits exactly. Checked
// against V8's on hundreds of thousands of inputs (test/transcendental.test.ts).
//
// `expLanes` is the same exp on two float64 lanes for the common range, written branch-free
// with the same operations in the same order; lanes outside it (|x| >= 706, NaN) take the scalar
// function, so every result is still fdlibm's.

const LN2_HI: f64 = 6.93147180369123816490e-01;
const LN2_LO: f64 = 1.90821492927058770002e-10;
const INV_LN2: f64 = 1.44269504088896338700e+00;
const P1: f64 = 1.66666666666666019037e-01;
const P2: f64 = -2.77777777770155933842e-03;
const P3: f64 = 6.61375632143793436117e-05;
const P4: f64 = -1.65339022054652515390e-06;
const P5: f64 = 4.13813679705723846039e-08;
const O_THRESHOLD: f64 = 7.09782712893383973096e+02;
const U_THRESHOLD: f64 = -7.45133219101941108420e+02;
const HUGE: f64 = 1.0e300;
const TWO_M1000: f64 = 9.33263618503218878990e-302;
/** V8 returns this for exp(1), where the algorithm's result is one bit off. */
const E: f64 = 2.718281828459045;

@inline function highWord(x: f64): i32 {
  return <i32>(reinterpret<u64>(x) >>> 32);
}

@inline function lowWord(x: f64): u32 {
  return <u32>reinterpret<u64>(x);
}

@inline function fromWords(hi: i32, lo: u32): f64 {
  return reinterpret<f64>((<u64><u32>hi << 32) | <u64>lo);
}

/** fdlibm's exp (e_exp.c). */
export function exp(x: f64): f64 {
  let hx = highWord(x);
  const xsb = (hx >>> 31) & 1;
  hx &= 0x7fffffff;
  let hi: f64 = 0;
  let lo: f64 = 0;
  let k: i32 = 0;
  if (hx >= 0x40862e42) {
    if (hx >= 0x7ff00000) {
      if (((hx & 0xfffff) | <i32>lowWord(x)) != 0) return x + x;
      return xsb == 0 ? x : 0.0;
    }
    if (x > O_THRESHOLD) return HUGE * HUGE;
    if (x < U_THRESHOLD) return TWO_M1000 * TWO_M1000;
  }
  if (hx > 0x3fd62e42) {
    if (hx < 0x3ff0a2b2) {
      if (x == 1.0) return E;
      hi = xsb == 0 ? x - LN2_HI : x + LN2_HI;
      lo = xsb == 0 ? LN2_LO : -LN2_LO;
      k = 1 - xsb - xsb;
    } else {
      k = <i32>(INV_LN2 * x + (xsb == 0 ? 0.5 : -0.5));
      const t = <f64>k;
      hi = x - t * LN2_HI;
      lo = t * LN2_LO;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) {
    if (HUGE + x > 1.0) return 1.0 + x;
  } else {
    k = 0;
  }
  const t = x * x;
  const twopk = k >= -1021 ? fromWords(0x3ff00000 + (k << 20), 0) : fromWords(0x3ff00000 + ((k + 1000) << 20), 0);
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k == 0) return 1.0 - ((x * c) / (c - 2.0) - x);
  const y = 1.0 - ((lo - (x * c) / (2.0 - c)) - hi);
  if (k >= -1021) {
    if (k == 1024) return y * 2.0 * 8.98846567431157953865e+307;
    return y * twopk;
  }
  return y * twopk * TWO_M1000;
}

/** |x| below this (high word 0x3e300000: 2^-28): exp is 1 + x. */
const TINY: f64 = 3.725290298461914e-9;
/** |x| from this (high word 0x3fd62e43) on: a reduction by k*ln2 (below it, k = 0). */
const REDUCE: f64 = 0.3465735912322998;
/** |x| below this: k >= -1021 and no overflow, the branch-free path (the rest goes scalar). */
const FAST: f64 = 706.0;

/**
 * fdlibm's exp on both float64 lanes. In the fast range the branches of `exp` become selections:
 * the k = 0 and k = ±1 cases are the general reduction with that k (same operations, same
 * results), 2^k is built from its bits, |x| < 2^-28 gives 1 + x, and 1 gives E.
 */
export function expLanes(x: v128): v128 {
  const ax = f64x2.abs(x);
  // NaN fails the comparison, so it goes to the scalar function too.
  if (!v128.all_true<i64>(f64x2.lt(ax, f64x2.splat(FAST)))) {
    return f64x2.replace_lane(f64x2.splat(exp(f64x2.extract_lane(x, 0))), 1, exp(f64x2.extract_lane(x, 1)));
  }
  const negative = f64x2.lt(x, f64x2.splat(0));
  const half = v128.bitselect(f64x2.splat(-0.5), f64x2.splat(0.5), negative);
  const reduce = f64x2.ge(ax, f64x2.splat(REDUCE));
  // k: trunc(x / ln2 ± 0.5) where reduced, else 0.
  const kf = v128.and(f64x2.trunc(f64x2.add(f64x2.mul(f64x2.splat(INV_LN2), x), half)), reduce);
  const hi = f64x2.sub(x, f64x2.mul(kf, f64x2.splat(LN2_HI)));
  const lo = f64x2.mul(kf, f64x2.splat(LN2_LO));
  const r = f64x2.sub(hi, lo);
  const t = f64x2.mul(r, r);
  let poly = f64x2.add(f64x2.splat(P4), f64x2.mul(t, f64x2.splat(P5)));
  poly = f64x2.add(f64x2.splat(P3), f64x2.mul(t, poly));
  poly = f64x2.add(f64x2.splat(P2), f64x2.mul(t, poly));
  poly = f64x2.add(f64x2.splat(P1), f64x2.mul(t, poly));
  const c = f64x2.sub(r, f64x2.mul(t, poly));
  const one = f64x2.splat(1.0);
  const two = f64x2.splat(2.0);
  const rc = f64x2.mul(r, c);
  // k = 0: 1 - ((r c) / (c - 2) - r).
  const atZero = f64x2.sub(one, f64x2.sub(f64x2.div(rc, f64x2.sub(c, two)), r));
  // k != 0: (1 - ((lo - (r c) / (2 - c)) - hi)) * 2^k.
  const y = f64x2.sub(one, f64x2.sub(f64x2.sub(lo, f64x2.div(rc, f64x2.sub(two, c))), hi));
  const k64 = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(kf));
  const twopk = i64x2.shl(i64x2.add(k64, i64x2.splat(1023)), 52);
  const scaled = f64x2.mul(y, twopk);
  const kZero = f64x2.eq(kf, f64x2.splat(0));
  const general = v128.bitselect(f64x2.splat(E), v128.bitselect(atZero, scaled, kZero), f64x2.eq(x, one));
  return v128.bitselect(f64x2.add(one, x), general, f64x2.lt(ax, f64x2.splat(TINY)));
}

const TWO54: f64 = 1.80143985094819840000e+16;
const LG1: f64 = 6.666666666666735130e-01;
const LG2: f64 = 3.999999999940941908e-01;
const LG3: f64 = 2.857142874366239149e-01;
const LG4: f64 = 2.222219843214978396e-01;
const LG5: f64 = 1.818357216161805012e-01;
const LG6: f64 = 1.531383769920937332e-01;
const LG7: f64 = 1.479819860511658591e-01;

/** fdlibm's log (e_log.c). */
export function log(x: f64): f64 {
  let hx = highWord(x);
  const lx = lowWord(x);
  let k: i32 = 0;
  if (hx < 0x00100000) {
    if (((hx & 0x7fffffff) | <i32>lx) == 0) return -TWO54 / 0.0;
    if (hx < 0) return (x - x) / 0.0;
    k -= 54;
    x *= TWO54;
    hx = highWord(x);
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const i = (hx + 0x95f64) & 0x100000;
  x = fromWords(hx | (i ^ 0x3ff00000), lowWord(x));
  k += i >> 20;
  const f = x - 1.0;
  if ((0x000fffff & (2 + hx)) < 3) {
    if (f == 0) {
      if (k == 0) return 0;
      const dk = <f64>k;
      return dk * LN2_HI + dk * LN2_LO;
    }
    const R = f * f * (0.5 - 0.33333333333333333 * f);
    if (k == 0) return f - R;
    const dk = <f64>k;
    return dk * LN2_HI - ((R - dk * LN2_LO) - f);
  }
  const s = f / (2.0 + f);
  const dk = <f64>k;
  const z = s * s;
  let i2 = hx - 0x6147a;
  const w = z * z;
  const j = 0x6b851 - hx;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  i2 |= j;
  const R = t2 + t1;
  if (i2 > 0) {
    const hfsq = 0.5 * f * f;
    if (k == 0) return f - (hfsq - s * (hfsq + R));
    return dk * LN2_HI - ((hfsq - (s * (hfsq + R) + dk * LN2_LO)) - f);
  }
  if (k == 0) return f - s * (f - R);
  return dk * LN2_HI - ((s * (f - R) - dk * LN2_LO) - f);
}

const Q1: f64 = -3.33333333333331316428e-02;
const Q2: f64 = 1.58730158725481460165e-03;
const Q3: f64 = -7.93650757867487942473e-05;
const Q4: f64 = 4.00821782732936239552e-06;
const Q5: f64 = -2.01099218183624371326e-07;
const TINY_VALUE: f64 = 1.0e-300;

/** fdlibm's expm1 (s_expm1.c): e^x - 1, accurate near 0. */
export function expm1(x: f64): f64 {
  let hx = highWord(x);
  const xsb = hx & 0x80000000;
  hx &= 0x7fffffff;
  if (hx >= 0x4043687a) {
    if (hx >= 0x40862e42) {
      if (hx >= 0x7ff00000) {
        if (((hx & 0xfffff) | <i32>lowWord(x)) != 0) return x + x;
        return xsb == 0 ? x : -1.0;
      }
      if (x > O_THRESHOLD) return HUGE * HUGE;
    }
    if (xsb != 0 && x + TINY_VALUE < 0.0) return TINY_VALUE - 1.0;
  }
  let hi: f64 = 0;
  let lo: f64 = 0;
  let c: f64 = 0;
  let k: i32 = 0;
  if (hx > 0x3fd62e42) {
    if (hx < 0x3ff0a2b2) {
      if (xsb == 0) {
        hi = x - LN2_HI;
        lo = LN2_LO;
        k = 1;
      } else {
        hi = x + LN2_HI;
        lo = -LN2_LO;
        k = -1;
      }
    } else {
      k = <i32>(INV_LN2 * x + (xsb == 0 ? 0.5 : -0.5));
      const t = <f64>k;
      hi = x - t * LN2_HI;
      lo = t * LN2_LO;
    }
    x = hi - lo;
    c = (hi - x) - lo;
  } else if (hx < 0x3c900000) {
    const t = HUGE + x;
    return x - (t - (HUGE + x));
  } else {
    k = 0;
  }
  const hfx = 0.5 * x;
  const hxs = x * hfx;
  const r1 = 1.0 + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))));
  let t = 3.0 - r1 * hfx;
  let e = hxs * ((r1 - t) / (6.0 - x * t));
  if (k == 0) return x - (x * e - hxs);
  const twopk = fromWords(0x3ff00000 + (k << 20), 0);
  e = x * (e - c) - c;
  e -= hxs;
  if (k == -1) return 0.5 * (x - e) - 0.5;
  if (k == 1) {
    if (x < -0.25) return -2.0 * (e - (x + 0.5));
    return 1.0 + 2.0 * (x - e);
  }
  if (k <= -2 || k > 56) {
    let y = 1.0 - (e - x);
    if (k == 1024) y = y * 2.0 * 8.98846567431157953865e+307;
    else y = y * twopk;
    return y - 1.0;
  }
  let y: f64;
  if (k < 20) {
    t = fromWords(0x3ff00000 - (0x200000 >> k), 0);
    y = t - (e - x);
    y = y * twopk;
  } else {
    t = fromWords((0x3ff - k) << 20, 0);
    y = x - (e + t);
    y += 1.0;
    y = y * twopk;
  }
  return y;
}

/** fdlibm's tanh (s_tanh.c). */
export function tanh(x: f64): f64 {
  const jx = highWord(x);
  const ix = jx & 0x7fffffff;
  if (ix >= 0x7ff00000) {
    if (jx >= 0) return 1.0 / x + 1.0;
    return 1.0 / x - 1.0;
  }
  let z: f64;
  if (ix < 0x40360000) {
    if (ix < 0x3e300000) {
      if (HUGE + x > 1.0) return x;
    }
    if (ix >= 0x3ff00000) {
      const t = expm1(2.0 * abs<f64>(x));
      z = 1.0 - 2.0 / (t + 2.0);
    } else {
      const t = expm1(-2.0 * abs<f64>(x));
      z = -t / (t + 2.0);
    }
  } else {
    z = 1.0 - TINY_VALUE;
  }
  return jx >= 0 ? z : -z;
}
