/**
 * Natural logarithm rounded correctly to the nearest double.
 *
 * Why not `Math.log`: NumPy's polar Gaussian calls the C library's `log`, and V8's `Math.log`
 * (an fdlibm port, error < 1 ulp) disagrees with glibc's in the last bit for about 3% of
 * arguments, which would make `randn` drift from NumPy. glibc's `log` is correctly rounded
 * for all but about 1 argument in 1800, so a correctly rounded log matches it everywhere else.
 *
 * Method: x = 2^e · m with m in [√½, √2); m = c · (1 + r) with c = i/128 from a table, so
 * log x = e·ln2 + log c + log1p(r), |r| < 1/180. Everything is carried in double-double
 * (~106 bits); the result is accepted only if the whole error interval rounds to one double,
 * else a slower, more precise series decides. No allocation per call.
 */

// Dekker/Knuth double-double primitives. Results go to these two slots instead of to new
// objects so that a call allocates nothing.
let outHi = 0;
let outLo = 0;

const SPLITTER = 134217729; // 2^27 + 1

function twoSum(a: number, b: number): void {
  const s = a + b;
  const bb = s - a;
  outLo = a - (s - bb) + (b - bb);
  outHi = s;
}

function twoProduct(a: number, b: number): void {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  outLo = ah * bh - p + ah * bl + al * bh + al * bl;
  outHi = p;
}

function ddAdd(ah: number, al: number, bh: number, bl: number): void {
  twoSum(ah, bh);
  const sh = outHi;
  const sl = outLo;
  twoSum(al, bl);
  const th = outHi;
  const tl = outLo;
  let s2 = sl + th;
  const h = sh + s2;
  s2 = s2 - (h - sh) + tl;
  const hh = h + s2;
  outLo = s2 - (hh - h);
  outHi = hh;
}

function ddMul(ah: number, al: number, bh: number, bl: number): void {
  twoProduct(ah, bh);
  const p = outHi;
  const e = outLo + (ah * bl + al * bh);
  const h = p + e;
  outLo = e - (h - p);
  outHi = h;
}

function ddDiv(ah: number, al: number, bh: number, bl: number): void {
  const q1 = ah / bh;
  ddMul(q1, 0, bh, bl);
  ddAdd(ah, al, -outHi, -outLo);
  const rh = outHi;
  const rl = outLo;
  const q2 = rh / bh;
  ddMul(q2, 0, bh, bl);
  ddAdd(rh, rl, -outHi, -outLo);
  const q3 = outHi / bh;
  const h = q1 + q2;
  const l = q2 - (h - q1);
  ddAdd(h, l, q3, 0);
}

const LN2_HI = 0.6931471805599453;
const LN2_LO = 2.3190468138462996e-17;

/** log(m) for m in [1/2, 2] as 2·atanh((m-1)/(m+1)), summed in double-double to ~2^-104. */
function logSeries(m: number): void {
  twoSum(m, 1);
  ddDiv(m - 1, 0, outHi, outLo); // m - 1 is exact here (Sterbenz)
  const sh = outHi;
  const sl = outLo;
  ddMul(sh, sl, sh, sl);
  const qh = outHi;
  const ql = outLo;
  let ph = sh;
  let pl = sl;
  let sumH = sh;
  let sumL = sl;
  for (let k = 3; k < 400; k += 2) {
    ddMul(ph, pl, qh, ql);
    ph = outHi;
    pl = outLo;
    ddDiv(ph, pl, k, 0);
    if (Math.abs(outHi) < 1e-36 * Math.abs(sumH)) break;
    ddAdd(sumH, sumL, outHi, outLo);
    sumH = outHi;
    sumL = outLo;
  }
  outHi = 2 * sumH;
  outLo = 2 * sumL;
}

// Table over c = i/128, i in [90, 182): 1/c rounded to a double, and -log of that double.
const TABLE_FIRST = 90;
const TABLE_LAST = 182;
let invC: Float64Array | undefined;
let logCHi: Float64Array | undefined;
let logCLo: Float64Array | undefined;

function buildTable(): void {
  invC = new Float64Array(TABLE_LAST + 1);
  logCHi = new Float64Array(TABLE_LAST + 1);
  logCLo = new Float64Array(TABLE_LAST + 1);
  for (let i = TABLE_FIRST; i <= TABLE_LAST; i++) {
    const inv = 128 / i;
    invC[i] = inv;
    logSeries(inv);
    logCHi[i] = -outHi;
    logCLo[i] = -outLo;
  }
}

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
// Index of the high word of a double in `words`, whatever the platform's endianness.
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** The double nearest to `hi + lo`, if every value within `relErr` of it rounds the same way. */
function roundIfSafe(hi: number, lo: number, relErr: number): number {
  const err = Math.abs(hi) * relErr;
  const a = hi + (lo - err);
  const b = hi + (lo + err);
  return a === b ? a : NaN;
}

/** `log(x)` correctly rounded to nearest (ties cannot occur for log of a double other than 1). */
export function correctlyRoundedLog(x: number): number {
  if (!(x > 0) || x === Infinity) return Math.log(x); // NaN, negatives, ±0, +Infinity
  if (x === 1) return 0;
  if (invC === undefined) buildTable();

  // x = 2^e * m, m in [1, 2), subnormals scaled up first.
  bits[0] = x;
  let high = words[HIGH]!;
  let e = (high >>> 20) & 0x7ff;
  if (e === 0) {
    bits[0] = x * 18014398509481984; // 2^54
    high = words[HIGH]!;
    e = ((high >>> 20) & 0x7ff) - 54;
  }
  e -= 1023;
  words[HIGH] = (high & 0x000fffff) | 0x3ff00000;
  let m = bits[0]!;
  if (m > Math.SQRT2) {
    m *= 0.5;
    e += 1;
  }

  const i = Math.round(m * 128);
  // r = m/c - 1 = m * invc - 1, exactly as a double-double (the product is exact in two
  // doubles and subtracting 1 from a number this close to 1 is exact).
  twoProduct(m, invC![i]!);
  twoSum(outHi - 1, outLo);
  const rh = outHi;
  const rl = outLo;
  // log1p(r) = r - r²/2 + r³·(1/3 - r/4 + ...): the first two terms in double-double, the
  // tail (below 2^-21 relative) in double, truncated after r^10.
  twoProduct(rh, rh);
  const sqH = outHi;
  const sqL = outLo + 2 * rh * rl;
  const tail =
    rh * rh * rh *
    (1 / 3 - rh * (1 / 4 - rh * (1 / 5 - rh * (1 / 6 - rh * (1 / 7 - rh * (1 / 8 - rh * (1 / 9 - rh / 10)))))));
  ddAdd(rh, rl, -0.5 * sqH, -0.5 * sqL);
  ddAdd(outHi, outLo, tail, 0);
  ddAdd(logCHi![i]!, logCLo![i]!, outHi, outLo);
  const partHi = outHi;
  const partLo = outLo;
  twoProduct(e, LN2_HI);
  ddAdd(outHi, outLo + e * LN2_LO, partHi, partLo);
  const fast = roundIfSafe(outHi, outLo, 2 ** -64);
  if (fast === fast) return fast;

  // Within 2^-64 of a rounding boundary (about 1 call in 1000): decide with the series.
  logSeries(m);
  const seriesHi = outHi;
  const seriesLo = outLo;
  twoProduct(e, LN2_HI);
  ddAdd(outHi, outLo + e * LN2_LO, seriesHi, seriesLo);
  const slow = roundIfSafe(outHi, outLo, 2 ** -98);
  return slow === slow ? slow : outHi;
}
