import { describe, expect, it } from 'vitest';
import { DTypeError, ValueError, arange, assertStorable, full, isInt32Value, ones, tensor } from '@scratchnet/tensor';

/**
 * An int32 tensor takes only the integers it holds exactly. An Int32Array store would truncate
 * 1.5 to 1, turn NaN into 0 and wrap 3e9 to -1294967296: creation refuses those, as the
 * backend's `fill` and `add` refuse them, with a DTypeError naming the value.
 */
describe('int32 creation never changes a value silently', () => {
  it('tensor(): each value an int32 cannot hold is a DTypeError naming its index', () => {
    expect(() => tensor([1.5, NaN, 3e9], { dtype: 'int32' })).toThrow(
      new DTypeError(
        'tensor: element 0 is 1.5, which an int32 tensor cannot hold exactly (only integers in [-2147483648, 2147483647]); round it first or use a float dtype',
      ),
    );
    expect(() => tensor([1, NaN], { dtype: 'int32' })).toThrow(/^tensor: element 1 is NaN, which an int32 tensor cannot hold exactly/);
    expect(() => tensor([[1, 2], [3e9, 4]], { dtype: 'int32' })).toThrow(/^tensor: element 2 is 3000000000, which an int32/);
    expect(() => tensor([-2147483649], { dtype: 'int32' })).toThrow(DTypeError);
    expect(() => tensor([Infinity], { dtype: 'int32' })).toThrow(DTypeError);
    expect(() => tensor(new Float64Array([2, 0.5]), { dtype: 'int32' })).toThrow(/^tensor: element 1 is 0\.5/);
    expect(() => tensor(2.5, { dtype: 'int32' })).toThrow(DTypeError);
    // What int32 holds goes in unchanged, from every kind of input.
    expect(Array.from(tensor([-2147483648, 0, 2147483647], { dtype: 'int32' }).data)).toEqual([-2147483648, 0, 2147483647]);
    expect(Array.from(tensor(new Float32Array([3, -4]), { dtype: 'int32' }).data)).toEqual([3, -4]);
    expect(Array.from(tensor([-0], { dtype: 'int32' }).data)).toEqual([0]);
  });

  it('full() and ones(): the fill value obeys the same rule', () => {
    expect(() => full([2], 1.5, { dtype: 'int32' })).toThrow(
      new DTypeError(
        'full: value is 1.5, which an int32 tensor cannot hold exactly (only integers in [-2147483648, 2147483647]); round it first or use a float dtype',
      ),
    );
    expect(() => full([2], NaN, { dtype: 'int32' })).toThrow(DTypeError);
    expect(() => full([2], 2 ** 31, { dtype: 'int32' })).toThrow(DTypeError);
    expect(Array.from(full([2], -7, { dtype: 'int32' }).data)).toEqual([-7, -7]);
    expect(Array.from(ones([2], { dtype: 'int32' }).data)).toEqual([1, 1]);
    expect(Array.from(full([2], 1.5).data)).toEqual([1.5, 1.5]);
  });

  it('full(shape, value, "int32") is not silently float32: the dtype belongs in the options', () => {
    expect(() => full([2], 1.5, 'int32' as never)).toThrow(
      new ValueError('full: options must be an object, got the string "int32" (a dtype goes in options: { dtype: "int32" })'),
    );
    expect(() => full([2], 1, { dtpye: 'int32' } as never)).toThrow(new ValueError('full: unknown option "dtpye"; expected dtype'));
  });

  it('arange(): an int32 range of fractions or beyond the range is refused', () => {
    expect(() => arange(0, 1, 0.5, { dtype: 'int32' })).toThrow(/^arange: step is 0\.5, which an int32 tensor cannot hold exactly/);
    expect(() => arange(0.5, 3, 1, { dtype: 'int32' })).toThrow(/^arange: start is 0\.5/);
    expect(() => arange(0, 4e9, 1e9, { dtype: 'int32' })).toThrow(/^arange: the last value is 3000000000/);
    expect(Array.from(arange(0, 3e9, 1e9, { dtype: 'int32' }).data)).toEqual([0, 1e9, 2e9]);
    expect(Array.from(arange(5, 0, -2, { dtype: 'int32' }).data)).toEqual([5, 3, 1]);
  });

  it('one helper holds the rule', () => {
    expect([0, -0, 7, -2147483648, 2147483647].every(isInt32Value)).toBe(true);
    expect([0.5, NaN, Infinity, 2147483648, -2147483649].some(isInt32Value)).toBe(false);
    expect(() => assertStorable('op', 'int32', 0.5, 'x')).toThrow(/^op: x is 0\.5, which an int32 tensor cannot hold exactly/);
    expect(() => assertStorable('op', 'float32', NaN, 'x')).not.toThrow();
  });
});
