import type { FloatArray, NumericArray } from './types.js';

/**
 * ReLU forward and backward on the bits of the numbers, without a branch on the sign.
 *
 * Why. Activations entering a ReLU are positive or negative at random, so `v <= 0 ? 0 : v`
 * mispredicts about every second element: 68 µs for 16k random-sign float32 values on the
 * development VM against 13 µs for one sign, and ReLU forward plus backward were ~3% of a
 * training step. A mask built from the sign bit selects the same values at the same speed
 * whatever the signs.
 *
 * The results equal the plain definitions exactly: forward `v <= 0 ? 0 : v` (so -0 becomes +0
 * and NaN passes through) and backward `saved > 0 ? dy : 0` (+0 where saved is ±0, NaN or
 * negative). Arrays of other types, and big-endian machines, use the plain definitions.
 */

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const int32View = (a: FloatArray): Int32Array => new Int32Array(a.buffer, a.byteOffset, a.byteLength >> 2);

/** `out[i] = x[i] <= 0 ? 0 : x[i]` for i in [start, end). */
export function reluForward(x: NumericArray, out: NumericArray, start: number, end: number): void {
  if (x instanceof Float32Array && out instanceof Float32Array) {
    reluForward32(int32View(x), int32View(out), start, end);
  } else if (LITTLE_ENDIAN && x instanceof Float64Array && out instanceof Float64Array) {
    reluForward64(x, int32View(x), int32View(out), start, end);
  } else {
    for (let i = start; i < end; i++) {
      const v = x[i]!;
      out[i] = v <= 0 ? 0 : v;
    }
  }
}

function reluForward32(x: Int32Array, out: Int32Array, start: number, end: number): void {
  for (let i = start; i < end; i++) {
    const b = x[i]!;
    // All ones for a clear sign bit or a NaN (magnitude above infinity's), else zero.
    const keep = ~(b >> 31) | ((0x7f800000 - (b & 0x7fffffff)) >> 31);
    out[i] = b & keep;
  }
}

function reluForward64(x: Float64Array, xi: Int32Array, out: Int32Array, start: number, end: number): void {
  for (let i = start; i < end; i++) {
    const hi = xi[2 * i + 1]!;
    let keep = ~(hi >> 31);
    // NaN is rare, so this branch is always predicted.
    if (x[i] !== x[i]) keep = -1;
    out[2 * i] = xi[2 * i]! & keep;
    out[2 * i + 1] = hi & keep;
  }
}

/** `dx[i] = saved[i] > 0 ? dy[i] : 0` for i in [start, end). */
export function reluBackward(saved: FloatArray, dy: FloatArray, dx: FloatArray, start: number, end: number): void {
  if (saved instanceof Float32Array && dy instanceof Float32Array && dx instanceof Float32Array) {
    reluBackward32(int32View(saved), int32View(dy), int32View(dx), start, end);
  } else if (LITTLE_ENDIAN && saved instanceof Float64Array && dy instanceof Float64Array && dx instanceof Float64Array) {
    reluBackward64(saved, int32View(saved), int32View(dy), int32View(dx), start, end);
  } else {
    for (let i = start; i < end; i++) dx[i] = saved[i]! > 0 ? dy[i]! : 0;
  }
}

function reluBackward32(saved: Int32Array, dy: Int32Array, dx: Int32Array, start: number, end: number): void {
  for (let i = start; i < end; i++) {
    const s = saved[i]!;
    // saved > 0 exactly when its bits, as an int, lie in [1, 0x7f800000] (+denormal to +Infinity).
    const pass = ~(((0x7f800000 - s) | (s - 1)) >> 31);
    dx[i] = dy[i]! & pass;
  }
}

function reluBackward64(saved: Float64Array, si: Int32Array, dy: Int32Array, dx: Int32Array, start: number, end: number): void {
  for (let i = start; i < end; i++) {
    const hi = si[2 * i + 1]!;
    // High words in [1, 0x7ff00000] are positive; the two ends need the low word too (+denormal
    // below 2^-1042 at 0, NaN at 0x7ff00000), rare enough for a branch.
    let pass = ~(((0x7ff00000 - hi) | (hi - 1)) >> 31);
    if (hi === 0 || hi === 0x7ff00000) pass = saved[i]! > 0 ? -1 : 0;
    dx[2 * i] = dy[2 * i]! & pass;
    dx[2 * i + 1] = dy[2 * i + 1]! & pass;
  }
}
