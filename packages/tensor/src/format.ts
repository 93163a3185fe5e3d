import { formatPositional, formatScientific } from './dragon4.js';
import type { DType } from './dtype.js';
import { stridesOf } from './shape.js';
import type { Tensor } from './tensor.js';

/*
 * NumPy's `str(array)` (what `print(array)` shows) under the default print options:
 * precision 8, floatmode 'maxprec', suppress=False, linewidth 75, threshold 1000 with
 * edgeitems 3. The structure follows numpy/_core/arrayprint.py so that the same rules give
 * the same text: one formatter per array (shared width, shared notation), then a recursive
 * layout that wraps rows and separates blocks with blank lines.
 */

const PRECISION = 8;
const LINE_WIDTH = 75;
const THRESHOLD = 1000;
const EDGE_ITEMS = 3;
const SUMMARY = '...';

/** Text for a tensor exactly as NumPy's `print(array)` shows the same array. */
export function formatTensor(t: Tensor): string {
  const data = t.data;
  const shape = t.shape;
  if (shape.length === 0) return formatScalar(data[0]!, t.dtype);
  if (t.size === 0) return '[]';
  const summarize = t.size > THRESHOLD;
  const shown = summarize ? edgeValues(data, shape) : Array.from(data);
  const format = t.dtype === 'int32' ? integerFormatter(shown) : floatFormatter(shown, t.dtype === 'float32');
  return layout(data, shape, format, summarize);
}

/**
 * A 0-d array prints as its scalar: `str(np.float64(x))`, shortest round-trip digits,
 * positional between 1e-4 and 1e16 (1e6 for float32), scientific outside.
 */
function formatScalar(value: number, dtype: DType): string {
  if (dtype === 'int32') return String(value);
  const float32 = dtype === 'float32';
  const abs = Math.abs(value);
  const positional = Number.isNaN(value) || value === 0 || (abs < (float32 ? 1e6 : 1e16) && abs >= 1e-4);
  return positional
    ? formatPositional(value, float32, { trim: 'leaveOneZero', fractional: false })
    : formatScientific(value, float32, { trim: 'dptZeros' });
}

/** The values NumPy's summarized print looks at: the first and last 3 along each long axis. */
function edgeValues(data: ArrayLike<number>, shape: readonly number[]): number[] {
  const out: number[] = [];
  const strides = stridesOf(shape);
  const walk = (axis: number, offset: number): void => {
    if (axis === shape.length) {
      out.push(data[offset]!);
      return;
    }
    const n = shape[axis]!;
    const stride = strides[axis]!;
    for (const i of shownIndices(n, true)) walk(axis + 1, offset + i * stride);
  };
  walk(0, 0);
  return out;
}

function shownIndices(n: number, summarize: boolean): number[] {
  if (summarize && n > 2 * EDGE_ITEMS) {
    return [0, 1, 2, n - 3, n - 2, n - 1];
  }
  return Array.from({ length: n }, (_, i) => i);
}

type Formatter = (value: number) => string;

/** Integers right-aligned to the width of the longest of the largest and smallest. */
function integerFormatter(values: number[]): Formatter {
  let max = -Infinity;
  let min = Infinity;
  for (const v of values) {
    if (v > max) max = v;
    if (v < min) min = v;
  }
  const width = Math.max(String(max).length, String(min).length);
  return (v) => String(v).padStart(width);
}

/**
 * NumPy's FloatingFormat: pick positional or scientific notation for the whole array, print
 * every finite value once to learn the widths, then pad each value to them.
 */
function floatFormatter(values: number[], float32: boolean): Formatter {
  const finite = values.filter((v) => Number.isFinite(v));
  let scientific = false;
  let maxAbs = 0;
  let minAbs = Infinity;
  for (const v of finite) {
    const a = Math.abs(v);
    if (a === 0) continue;
    if (a > maxAbs) maxAbs = a;
    if (a < minAbs) minAbs = a;
  }
  if (maxAbs > 0) {
    // NumPy compares in the array's own dtype: for float32 the thresholds and the ratio are
    // float32 numbers, and its large-value cutoff is 10**min(8, decimal precision of dtype).
    scientific = float32
      ? maxAbs >= 1e6 || minAbs < Math.fround(1e-4) || Math.fround(maxAbs / minAbs) > 1000
      : maxAbs >= 1e8 || minAbs < 1e-4 || maxAbs / minAbs > 1000;
  }

  let padLeft = 0;
  let padRight = 0;
  let precision = PRECISION;
  let minDigits = 0;
  let expDigits = -1;
  if (finite.length > 0 && scientific) {
    let maxExp = 0;
    precision = 0;
    for (const v of finite) {
      const s = formatScientific(v, float32, { precision: PRECISION, trim: 'zeros' });
      const [mantissa = '', exp = ''] = s.split('e');
      const [whole = '', fraction = ''] = mantissa.split('.');
      padLeft = Math.max(padLeft, whole.length);
      maxExp = Math.max(maxExp, exp.length);
      precision = Math.max(precision, fraction.length);
    }
    expDigits = maxExp - 1;
    minDigits = precision;
    padRight = expDigits + 2 + precision;
  } else if (finite.length > 0) {
    for (const v of finite) {
      const s = formatPositional(v, float32, { precision: PRECISION, trim: 'zeros' });
      const [whole = '', fraction = ''] = s.split('.');
      padLeft = Math.max(padLeft, whole.length);
      padRight = Math.max(padRight, fraction.length);
    }
  }
  if (finite.length !== values.length) {
    // make room for nan / inf / -inf, right-aligned under the numbers
    const negInf = values.some((v) => v === -Infinity) ? 1 : 0;
    const offset = padRight + 1;
    padLeft = Math.max(padLeft, 3 - offset, 3 + negInf - offset);
  }
  const width = padLeft + padRight + 1;

  return (v) => {
    if (!Number.isFinite(v)) {
      const text = Number.isNaN(v) ? 'nan' : v < 0 ? '-inf' : 'inf';
      return text.padStart(width);
    }
    return scientific
      ? formatScientific(v, float32, { precision, minDigits, trim: 'keep', padLeft, expDigits })
      : formatPositional(v, float32, { precision, minDigits, trim: 'zeros', padLeft, padRight });
  };
}

/**
 * NumPy's `_formatArray`: brackets and separators, rows wrapped at the line width with a
 * hanging indent, `...` where a long axis is summarized, and rank-1 blank lines between
 * blocks of a rank-r array.
 */
function layout(data: ArrayLike<number>, shape: readonly number[], format: Formatter, summarize: boolean): string {
  const strides = stridesOf(shape);
  const recurse = (axis: number, offset: number, indent: string, width: number): string => {
    const axesLeft = shape.length - axis;
    if (axesLeft === 0) return format(data[offset]!);
    const nextIndent = `${indent} `;
    const nextWidth = width - 1; // room for the closing ']'
    const n = shape[axis]!;
    const stride = strides[axis]!;
    const showSummary = summarize && 2 * EDGE_ITEMS < n;
    const leading = showSummary ? EDGE_ITEMS : 0;
    const trailing = showSummary ? EDGE_ITEMS : n;
    const item = (i: number): string => recurse(axis + 1, offset + i * stride, nextIndent, nextWidth);

    let s = '';
    if (axesLeft === 1) {
      const elemWidth = width - 1;
      let line = indent;
      const extend = (word: string): void => {
        // wrap unless the line holds nothing but its indent (wrapping would not help)
        if (line.length + word.length > elemWidth && line.length > indent.length) {
          s += `${line.trimEnd()}\n`;
          line = indent;
        }
        line += word;
      };
      for (let i = 0; i < leading; i++) {
        extend(item(i));
        line += ' ';
      }
      if (showSummary) {
        extend(SUMMARY);
        line += ' ';
      }
      for (let i = trailing; i > 1; i--) {
        extend(item(n - i));
        line += ' ';
      }
      extend(item(n - 1));
      s += line;
    } else {
      const lineSep = '\n'.repeat(axesLeft - 1);
      for (let i = 0; i < leading; i++) s += indent + item(i) + lineSep;
      if (showSummary) s += indent + SUMMARY + lineSep;
      for (let i = trailing; i > 1; i--) s += indent + item(n - i) + lineSep;
      s += indent + item(n - 1);
    }
    return `[${s.slice(indent.length)}]`;
  };
  return recurse(0, 0, ' ', LINE_WIDTH);
}
