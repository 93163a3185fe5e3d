import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  formatPositional,
  formatScientific,
  formatShapeTuple,
  formatTensor,
  tensor,
  type DType,
  type Dragon4Options,
  type TrimMode,
} from '@scratchnet/tensor';

// Fixture made by test/fixtures/gen_format.py: NumPy's str(array) under default print options.
type Encoded = number | 'nan' | 'inf' | '-inf';
interface ArrayCase {
  name: string;
  dtype: DType;
  shape: number[];
  values: Encoded[];
  expected: string;
}
interface Dragon4Case {
  value: number;
  float32: boolean;
  kind: 'positional' | 'scientific';
  options: Record<string, number | boolean | string>;
  expected: string;
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/format.json', import.meta.url), 'utf8')) as {
  arrays: ArrayCase[];
  dragon4: Dragon4Case[];
};

function decode(v: Encoded): number {
  if (v === 'nan') return Number.NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  return v;
}

function build(c: ArrayCase) {
  const values = c.values.map(decode);
  return c.shape.length === 0 ? tensor(values[0]!, { dtype: c.dtype }) : tensor(values, { dtype: c.dtype, shape: c.shape });
}

describe('formatTensor matches NumPy print(array)', () => {
  for (const c of fixture.arrays) {
    it(c.name, () => {
      const t = build(c);
      // the fixture's values must survive the trip into the tensor unchanged
      expect(Array.from(t.data)).toEqual(c.values.map(decode));
      expect(formatTensor(t)).toBe(c.expected);
    });
  }

  it('the lesson’s printed probabilities are among the cases', () => {
    const probs = fixture.arrays.find((c) => c.name === 'lesson probabilities')!;
    expect(probs.shape).toEqual([4, 3]);
    expect(formatTensor(build(probs)).split('\n')).toHaveLength(4);
  });

  it('toString() and util.inspect use the same text', () => {
    const c = fixture.arrays.find((a) => a.name === 'lesson X = randn(4, 3)')!;
    const t = build(c);
    expect(String(t)).toBe(c.expected);
    const inspect = (t as unknown as Record<symbol, () => string>)[Symbol.for('nodejs.util.inspect.custom')]!;
    expect(inspect.call(t)).toBe(`Tensor(shape=[4,3], dtype=float64)\n${c.expected}`);
  });

  it('formats a view (slice) by its own elements', () => {
    const t = tensor([[1, 2], [3.5, 4], [5, 6]], { dtype: 'float64' });
    expect(formatTensor(t.slice(1, 2))).toBe('[[3.5 4. ]]');
  });
});

const TRIM: Record<string, TrimMode> = { k: 'keep', '.': 'zeros', '0': 'leaveOneZero', '-': 'dptZeros' };

function toOptions(o: Dragon4Case['options']): Partial<Dragon4Options> {
  const out: Partial<Dragon4Options> = {};
  if (o.precision !== undefined) out.precision = o.precision as number;
  if (o.min_digits !== undefined) out.minDigits = o.min_digits as number;
  if (o.unique !== undefined) out.unique = o.unique as boolean;
  if (o.fractional !== undefined) out.fractional = o.fractional as boolean;
  if (o.trim !== undefined) out.trim = TRIM[o.trim as string]!;
  if (o.sign !== undefined) out.sign = o.sign as boolean;
  if (o.pad_left !== undefined) out.padLeft = o.pad_left as number;
  if (o.pad_right !== undefined) out.padRight = o.pad_right as number;
  if (o.exp_digits !== undefined) out.expDigits = o.exp_digits as number;
  return out;
}

describe('Dragon4 matches np.format_float_positional / np.format_float_scientific', () => {
  it(`${fixture.dragon4.length} values × options, float64 and float32`, () => {
    for (const c of fixture.dragon4) {
      const fn = c.kind === 'positional' ? formatPositional : formatScientific;
      const got = fn(c.value, c.float32, toOptions(c.options));
      expect(got, `${c.kind}(${c.value}, float32=${c.float32}, ${JSON.stringify(c.options)})`).toBe(c.expected);
    }
  });

  it('float32 values print their own shortest digits, not the double’s', () => {
    expect(formatPositional(Math.fround(0.1), true)).toBe('0.1');
    expect(formatPositional(Math.fround(0.1), false)).toBe('0.10000000149011612');
  });
});

describe('formatShapeTuple', () => {
  it('prints shapes as NumPy tuples', () => {
    expect(formatShapeTuple([4, 3])).toBe('(4, 3)');
    expect(formatShapeTuple([4])).toBe('(4,)');
    expect(formatShapeTuple([])).toBe('()');
  });
});
