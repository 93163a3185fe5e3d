/**
 * Decimal text for float32 and float64 values, digit for digit what NumPy's Dragon4
 * (`np.format_float_positional` / `np.format_float_scientific`) prints.
 *
 * Dragon4 (Steele & White; Burger & Dybvig) works on exact integers: the value, its distance
 * to its neighbours and the current power of ten are scaled into big integers, and digits are
 * divided out one at a time. In "unique" mode it stops as soon as the digits printed so far
 * identify the value among its neighbours of the same precision, which is how float32 values
 * get their own shortest text (`0.1`, not `0.10000000149011612`). A cutoff (the precision)
 * stops earlier and rounds the exact value, ties to even. Exact integers are `bigint`s.
 */

/** How trailing zeros and the decimal point are treated (NumPy's 'k', '.', '0', '-'). */
export type TrimMode = 'keep' | 'zeros' | 'leaveOneZero' | 'dptZeros';

/** How `formatPositional` and `formatScientific` print a value, as NumPy's options of the same names. */
export interface Dragon4Options {
  /** Maximum digits (after the point in positional `fractional` mode); -1 for none. */
  precision: number;
  /** Minimum digits to print; -1 for none. */
  minDigits: number;
  /** Shortest digits that round-trip (true) or exact digits up to `precision` (false). */
  unique: boolean;
  /** Positional only: whether `precision` counts digits after the point (else all digits). */
  fractional: boolean;
  trim: TrimMode;
  /** Always print the sign. */
  sign: boolean;
  /** Pad with spaces on the left to this many characters before the point; -1 for none. */
  padLeft: number;
  /** Positional only: pad with spaces to this many characters after the point; -1 for none. */
  padRight: number;
  /** Scientific only: minimum exponent digits; -1 for the default of 2. */
  expDigits: number;
}

const DEFAULTS: Dragon4Options = {
  precision: -1,
  minDigits: -1,
  unique: true,
  fractional: true,
  trim: 'keep',
  sign: false,
  padLeft: -1,
  padRight: -1,
  expDigits: -1,
};

// NumPy formats into a 16384-byte scratch buffer; the digit cutoff it implies is kept so
// that exact (non-unique) output without a precision stops where NumPy's does.
const BUFFER_SIZE = 16384;

interface Decomposed {
  negative: boolean;
  /** 'inf', 'nan', or undefined for a finite value. */
  special: 'inf' | 'nan' | undefined;
  mantissa: bigint;
  exponent: number;
  mantissaBit: number;
  unequalMargins: boolean;
}

const f64 = new Float64Array(1);
const f32 = new Float32Array(1);
const u32of64 = new Uint32Array(f64.buffer);
const u32of32 = new Uint32Array(f32.buffer);
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

function decompose(value: number, float32: boolean): Decomposed {
  let negative: boolean;
  let biased: number;
  let fraction: bigint;
  let fractionBits: number;
  let bias: number;
  let maxBiased: number;
  if (float32) {
    f32[0] = value;
    const w = u32of32[0]!;
    negative = w >>> 31 === 1;
    biased = (w >>> 23) & 0xff;
    fraction = BigInt(w & 0x7fffff);
    fractionBits = 23;
    bias = 127;
    maxBiased = 0xff;
  } else {
    f64[0] = value;
    const hi = u32of64[HIGH]!;
    const lo = u32of64[1 - HIGH]!;
    negative = hi >>> 31 === 1;
    biased = (hi >>> 20) & 0x7ff;
    fraction = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
    fractionBits = 52;
    bias = 1023;
    maxBiased = 0x7ff;
  }
  if (biased === maxBiased) {
    return { negative, special: fraction === 0n ? 'inf' : 'nan', mantissa: 0n, exponent: 0, mantissaBit: 0, unequalMargins: false };
  }
  if (biased !== 0) {
    return {
      negative,
      special: undefined,
      mantissa: (1n << BigInt(fractionBits)) | fraction,
      exponent: biased - bias - fractionBits,
      mantissaBit: fractionBits,
      // at a power of two the gap to the next value below is half the gap above
      unequalMargins: biased !== 1 && fraction === 0n,
    };
  }
  return {
    negative,
    special: undefined,
    mantissa: fraction,
    exponent: 1 - bias - fractionBits,
    mantissaBit: fraction === 0n ? 0 : fraction.toString(2).length - 1,
    unequalMargins: false,
  };
}

const POW10: bigint[] = [1n];
function pow10(n: number): bigint {
  while (POW10.length <= n) POW10.push(POW10[POW10.length - 1]! * 10n);
  return POW10[n]!;
}

const LOG10_2 = 0.3010299956639812; // log10(2) as a double, as NumPy uses it

interface Digits {
  digits: string;
  /** Base-10 exponent of the first digit. */
  exponent: number;
}

/**
 * The Dragon4 digit loop: digits of mantissa·2^exponent, stopping when unique (or, in exact
 * mode, when the remainder is zero), at `cutoffMax`, but not before `cutoffMin`.
 */
function dragon4(
  d: Decomposed,
  unique: boolean,
  fractionCutoff: boolean,
  cutoffMax: number,
  cutoffMin: number,
  bufferSize: number,
): Digits {
  const { mantissa, exponent, mantissaBit, unequalMargins } = d;
  if (mantissa === 0n) return { digits: '0', exponent: 0 };
  const isEven = (mantissa & 1n) === 0n;

  // value = scaledValue / scale; the margins are half the distances to the neighbours,
  // everything doubled (quadrupled with unequal margins) to stay integral.
  let scaledValue: bigint;
  let scale: bigint;
  let marginLow: bigint;
  if (unequalMargins) {
    if (exponent > 0) {
      scaledValue = mantissa << BigInt(exponent + 2);
      scale = 4n;
      marginLow = 1n << BigInt(exponent);
    } else {
      scaledValue = mantissa << 2n;
      scale = 1n << BigInt(-exponent + 2);
      marginLow = 1n;
    }
  } else if (exponent > 0) {
    scaledValue = mantissa << BigInt(exponent + 1);
    scale = 2n;
    marginLow = 1n << BigInt(exponent);
  } else {
    scaledValue = mantissa << 1n;
    scale = 1n << BigInt(-exponent + 1);
    marginLow = 1n;
  }
  const highOf = (low: bigint): bigint => (unequalMargins ? low * 2n : low);

  // Estimate floor(log10(v)) + 1 (correct or one too low), then fix it with one comparison.
  let digitExponent = Math.ceil((mantissaBit + exponent) * LOG10_2 - 0.69);
  if (cutoffMax >= 0 && fractionCutoff && digitExponent <= -cutoffMax) {
    digitExponent = -cutoffMax + 1;
  }
  if (digitExponent > 0) {
    scale *= pow10(digitExponent);
  } else if (digitExponent < 0) {
    const p = pow10(-digitExponent);
    scaledValue *= p;
    marginLow *= p;
  }
  if (scaledValue >= scale) {
    digitExponent += 1;
  } else {
    scaledValue *= 10n;
    marginLow *= 10n;
  }
  let marginHigh = highOf(marginLow);

  let cutoffMaxExponent = digitExponent - bufferSize;
  if (cutoffMax >= 0) {
    const desired = fractionCutoff ? -cutoffMax : digitExponent - cutoffMax;
    if (desired > cutoffMaxExponent) cutoffMaxExponent = desired;
  }
  let cutoffMinExponent = digitExponent;
  if (cutoffMin >= 0) {
    const desired = fractionCutoff ? -cutoffMin : digitExponent - cutoffMin;
    if (desired < cutoffMinExponent) cutoffMinExponent = desired;
  }
  let outExponent = digitExponent - 1;

  const out: number[] = [];
  let low = false;
  let high = false;
  let digit: number;
  if (unique) {
    for (;;) {
      digitExponent -= 1;
      digit = Number(scaledValue / scale);
      scaledValue %= scale;
      const valueHigh = scaledValue + marginHigh;
      low = isEven ? scaledValue <= marginLow : scaledValue < marginLow;
      high = isEven ? valueHigh >= scale : valueHigh > scale;
      if (((low || high) && digitExponent <= cutoffMinExponent) || digitExponent === cutoffMaxExponent) break;
      out.push(digit);
      scaledValue *= 10n;
      marginLow *= 10n;
      marginHigh = highOf(marginLow);
    }
  } else {
    for (;;) {
      digitExponent -= 1;
      digit = Number(scaledValue / scale);
      scaledValue %= scale;
      if (scaledValue === 0n || digitExponent === cutoffMaxExponent) break;
      out.push(digit);
      scaledValue *= 10n;
    }
  }

  // Round the last digit: down if only the low neighbour is in reach, up if only the high
  // one is, otherwise to nearest by the exact remainder, ties to even.
  let roundDown = low;
  if (low === high) {
    const twice = scaledValue * 2n;
    roundDown = twice < scale || (twice === scale && (digit & 1) === 0);
  }
  if (roundDown) {
    out.push(digit);
  } else if (digit < 9) {
    out.push(digit + 1);
  } else {
    // carry through trailing nines; all nines become a 1 at the next power of ten
    for (;;) {
      if (out.length === 0) {
        out.push(1);
        outExponent += 1;
        break;
      }
      const last = out.pop()!;
      if (last !== 9) {
        out.push(last + 1);
        break;
      }
    }
  }
  return { digits: out.join(''), exponent: outExponent };
}

function signOf(d: Decomposed, forceSign: boolean): string {
  if (d.negative) return '-';
  return forceSign ? '+' : '';
}

function specialText(d: Decomposed, sign: string): string {
  // NumPy prints a sign for infinities only
  return d.special === 'inf' ? `${sign}inf` : 'nan';
}

/** `value` in positional notation (`123.456`), as `np.format_float_positional` prints it. */
export function formatPositional(value: number, float32: boolean, options: Partial<Dragon4Options> = {}): string {
  const o = { ...DEFAULTS, ...options };
  const d = decompose(value, float32);
  const sign = signOf(d, o.sign);
  if (d.special !== undefined) return specialText(d, sign);
  const hasSign = sign === '' ? 0 : 1;

  const { digits, exponent: printExponent } = dragon4(
    d,
    o.unique,
    o.fractional,
    o.precision,
    o.minDigits,
    BUFFER_SIZE - 1 - hasSign,
  );
  const numDigits = digits.length;
  let body: string;
  let wholeDigits: number;
  let fractionDigits = 0;
  if (printExponent >= 0) {
    wholeDigits = printExponent + 1;
    if (numDigits <= wholeDigits) {
      body = digits + '0'.repeat(wholeDigits - numDigits);
    } else {
      fractionDigits = numDigits - wholeDigits;
      body = `${digits.slice(0, wholeDigits)}.${digits.slice(wholeDigits)}`;
    }
  } else {
    const zeros = -(printExponent + 1);
    body = `0.${'0'.repeat(zeros)}${digits}`;
    fractionDigits = numDigits + zeros;
    wholeDigits = 1;
  }
  if (o.trim !== 'dptZeros' && fractionDigits === 0) body += '.';

  const addDigits = o.unique ? o.minDigits : o.precision;
  const desiredFraction = o.fractional ? Math.max(addDigits, 0) : addDigits - wholeDigits;
  if (o.trim === 'leaveOneZero') {
    if (fractionDigits === 0) {
      body += '0';
      fractionDigits = 1;
    }
  } else if (o.trim === 'keep' && desiredFraction > fractionDigits) {
    body += '0'.repeat(desiredFraction - fractionDigits);
    fractionDigits = desiredFraction;
  }
  if (o.trim !== 'keep' && fractionDigits > 0) {
    while (body.endsWith('0')) {
      body = body.slice(0, -1);
      fractionDigits--;
    }
    if (body.endsWith('.')) {
      if (o.trim === 'leaveOneZero') {
        body += '0';
        fractionDigits++;
      } else if (o.trim === 'dptZeros') {
        body = body.slice(0, -1);
      }
    }
  }
  if (o.padRight >= fractionDigits) {
    // with the point trimmed away, a space stands in for it
    if (o.trim === 'dptZeros' && fractionDigits === 0) body += ' ';
    body += ' '.repeat(o.padRight - fractionDigits);
  }
  let text = sign + body;
  if (o.padLeft > wholeDigits + hasSign) text = ' '.repeat(o.padLeft - (wholeDigits + hasSign)) + text;
  return text;
}

/** `value` in scientific notation (`1.5e-05`), as `np.format_float_scientific` prints it. */
export function formatScientific(value: number, float32: boolean, options: Partial<Dragon4Options> = {}): string {
  const o = { ...DEFAULTS, ...options };
  const d = decompose(value, float32);
  const sign = signOf(d, o.sign);
  if (d.special !== undefined) return specialText(d, sign);

  const leftChars = 1 + (sign === '' ? 0 : 1);
  const pad = o.padLeft > leftChars ? ' '.repeat(o.padLeft - leftChars) : '';
  const { digits, exponent } = dragon4(
    d,
    o.unique,
    false,
    o.precision < 0 ? -1 : o.precision + 1,
    o.minDigits < 0 ? -1 : o.minDigits + 1,
    BUFFER_SIZE - pad.length - sign.length,
  );
  let body = digits[0]!;
  let fractionDigits = digits.length - 1;
  if (fractionDigits > 0) body += `.${digits.slice(1)}`;
  if (o.trim !== 'dptZeros' && fractionDigits === 0) body += '.';

  const addDigits = Math.max(o.unique ? o.minDigits : o.precision, 0);
  if (o.trim === 'leaveOneZero') {
    if (fractionDigits === 0) {
      body += '0';
      fractionDigits = 1;
    }
  } else if (o.trim === 'keep' && addDigits > fractionDigits) {
    body += '0'.repeat(addDigits - fractionDigits);
    fractionDigits = addDigits;
  }
  if (o.trim !== 'keep' && fractionDigits > 0) {
    while (body.endsWith('0')) {
      body = body.slice(0, -1);
      fractionDigits--;
    }
    if (o.trim === 'leaveOneZero' && body.endsWith('.')) body += '0';
  }

  const expDigits = o.expDigits < 0 ? 2 : Math.min(o.expDigits, 5);
  const expText = String(Math.abs(exponent)).padStart(expDigits, '0');
  return `${pad}${sign}${body}e${exponent < 0 ? '-' : '+'}${expText}`;
}
