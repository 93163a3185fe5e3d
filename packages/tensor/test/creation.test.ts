import { describe, expect, it } from 'vitest';
import { arange, DTypeError, full, ones, ShapeError, tensor, ValueError, zeros, zerosLike } from '@scratchnet/tensor';

describe('tensor()', () => {
  it('reads the shape from nested arrays', () => {
    const t = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float32');
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('makes a 0-d tensor from a number and a 1-D one from a flat array', () => {
    const s = tensor(2.5);
    expect(s.shape).toEqual([]);
    expect(s.size).toBe(1);
    expect(s.item()).toBe(2.5);
    expect(tensor([1, 2, 3]).shape).toEqual([3]);
    expect(tensor([]).shape).toEqual([0]);
  });

  it('keeps a typed array’s dtype and copies its values', () => {
    const src = new Float64Array([0.1, 0.2]);
    const t = tensor(src);
    expect(t.dtype).toBe('float64');
    expect(t.data).not.toBe(src);
    src[0] = 9;
    expect(t.data[0]).toBe(0.1);
    expect(tensor(new Int32Array([1, 2])).dtype).toBe('int32');
  });

  it('applies a dtype and a shape', () => {
    expect(Array.from(tensor([0.1], { dtype: 'float32' }).data)).toEqual([Math.fround(0.1)]);
    expect(Array.from(tensor([1.7, -1.7], { dtype: 'int32' }).data)).toEqual([1, -1]);
    const t = tensor([1, 2, 3, 4, 5, 6], { shape: [3, 2] });
    expect(t.toArray()).toEqual([[1, 2], [3, 4], [5, 6]]);
  });

  it('rejects ragged arrays, bad elements, bad shapes and dtypes by name', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(new ShapeError('tensor: ragged nested array: at [1] expected length 2, got length 1'));
    expect(() => tensor([[1, 2], 3] as never)).toThrow(ShapeError);
    expect(() => tensor([[1, [2]], [3, 4]] as never)).toThrow(
      new ShapeError('tensor: ragged nested array: element at [0,1] is an array, expected a number'),
    );
    expect(() => tensor([1, 'a'] as never)).toThrow(new ValueError('tensor: element 1 is string, not a number'));
    expect(() => tensor([1, 2, 3], { shape: [2, 2] })).toThrow(new ShapeError('tensor: 3 values do not fill shape [2,2] (4 elements)'));
    expect(() => tensor([1], { dtype: 'float16' as 'float32' })).toThrow(
      new DTypeError('tensor: unknown dtype "float16"; expected one of float32, float64, int32'),
    );
    expect(() => tensor('abc' as never)).toThrow(ValueError);
  });
});

describe('zeros, ones, full, zerosLike', () => {
  it('fill with the value in the requested dtype', () => {
    expect(Array.from(zeros([2, 2]).data)).toEqual([0, 0, 0, 0]);
    const o = ones([3], { dtype: 'int32' });
    expect(o.dtype).toBe('int32');
    expect(Array.from(o.data)).toEqual([1, 1, 1]);
    expect(Array.from(full([2], 0.5, { dtype: 'float64' }).data)).toEqual([0.5, 0.5]);
    const like = zerosLike(ones([2, 3], { dtype: 'float64' }));
    expect(like.shape).toEqual([2, 3]);
    expect(like.dtype).toBe('float64');
    expect(zeros([]).shape).toEqual([]);
    expect(zeros([]).size).toBe(1);
  });

  it('reject bad shapes, dtypes and values', () => {
    expect(() => zeros([2, -1])).toThrow(new ShapeError('zeros: dimension 1 of shape [2,-1] is -1; dimensions must be non-negative integers'));
    expect(() => zeros([1.5])).toThrow(ShapeError);
    expect(() => zeros(3 as never)).toThrow(new ShapeError('zeros: shape must be an array of dimensions, got 3'));
    expect(() => ones([2], { dtype: 'uint8' as 'int32' })).toThrow(DTypeError);
    expect(() => full([2], 'x' as never)).toThrow(new ValueError('full: value must be a number, got string'));
  });
});

describe('arange', () => {
  it('counts like np.arange', () => {
    expect(Array.from(arange(5).data)).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(arange(2, 8, 2).data)).toEqual([2, 4, 6]);
    expect(Array.from(arange(5, 0, -2).data)).toEqual([5, 3, 1]);
    expect(Array.from(arange(0, 1, 0.25, { dtype: 'float64' }).data)).toEqual([0, 0.25, 0.5, 0.75]);
    expect(arange(3, 1).size).toBe(0);
    expect(zeros([2, 0]).size).toBe(0);
  });

  it('rejects a zero step and non-finite bounds', () => {
    expect(() => arange(0, 5, 0)).toThrow(new ValueError('arange: step must not be 0'));
    expect(() => arange(Infinity)).toThrow(new ValueError('arange: stop must be a finite number, got Infinity'));
    expect(() => arange(0, 1, Number.NaN)).toThrow(new ValueError('arange: step must be a finite number, got NaN'));
  });
});
