import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError, Storage, Tensor, ValueError, arange, tensor, zeros } from '@scratchnet/tensor';

describe('Tensor basics', () => {
  it('describes itself: shape, dtype, size, rank, strides', () => {
    const t = zeros([2, 3, 4], { dtype: 'float64' });
    expect(t.shape).toEqual([2, 3, 4]);
    expect(t.dtype).toBe('float64');
    expect(t.size).toBe(24);
    expect(t.rank).toBe(3);
    expect(t.strides).toEqual([12, 4, 1]);
    expect(Object.isFrozen(t.shape)).toBe(true);
  });

  it('the constructor adopts typed arrays and checks them', () => {
    const data = new Int32Array([1, 2, 3, 4]);
    const t = new Tensor(data, [2, 2]);
    expect(t.dtype).toBe('int32');
    expect(t.data).toBe(data);
    expect(() => new Tensor(new Float32Array(3), [2, 2])).toThrow(
      new ShapeError('Tensor: shape [2,2] needs 4 elements from offset 0, storage has 3'),
    );
    expect(() => new Tensor(new Float32Array(5), [2, 2])).toThrow(new ShapeError('Tensor: data has 5 elements, shape [2,2] needs 4'));
    expect(() => new Tensor([1, 2] as unknown as Float32Array, [2])).toThrow(
      new DTypeError('Tensor: data must be a Float32Array, Float64Array or Int32Array'),
    );
    expect(() => new Tensor(new Storage(new Float32Array(4)), [3], 2)).toThrow(
      new ShapeError('Tensor: shape [3] needs 3 elements from offset 2, storage has 4'),
    );
    expect(() => new Tensor(new Float32Array(2), [2, -1])).toThrow(ShapeError);
  });
});

describe('reshape', () => {
  it('is a view: same storage, writes go through both ways', () => {
    const t = arange(6, undefined, 1, { dtype: 'float64' });
    const m = t.reshape([2, 3]);
    expect(m.shape).toEqual([2, 3]);
    expect(m.storage).toBe(t.storage);
    m.data[4] = 40;
    expect(t.data[4]).toBe(40);
    t.data[0] = -1;
    expect(m.get(0, 0)).toBe(-1);
  });

  it('infers one -1 dimension', () => {
    const t = zeros([4, 6]);
    expect(t.reshape([-1]).shape).toEqual([24]);
    expect(t.reshape([3, -1]).shape).toEqual([3, 8]);
    expect(t.reshape([-1, 2, 3]).shape).toEqual([4, 2, 3]);
    expect(zeros([1]).reshape([]).shape).toEqual([]);
    expect(zeros([0, 5]).reshape([0, 1, 5]).shape).toEqual([0, 1, 5]);
  });

  it('rejects impossible shapes with ShapeError naming them', () => {
    const t = zeros([4, 6]);
    expect(() => t.reshape([5, 5])).toThrow(new ShapeError('reshape: cannot reshape [4,6] (24 elements) to [5,5] (25 elements)'));
    expect(() => t.reshape([-1, -1])).toThrow(new ShapeError('reshape: only one dimension may be -1, got [-1,-1]'));
    expect(() => t.reshape([5, -1])).toThrow(new ShapeError('reshape: cannot infer -1 in [5,-1] for 24 elements (from [4,6])'));
    expect(() => t.reshape([0, -1])).toThrow(new ShapeError('reshape: cannot infer -1 in [0,-1] for 24 elements (from [4,6])'));
    expect(() => t.reshape([-2, -12])).toThrow(new ShapeError('reshape: dimension 0 of [-2,-12] is -2; dimensions must be non-negative integers'));
    expect(() => t.reshape([2.5, 2])).toThrow(ShapeError);
  });

  it('keeps the offset of a view', () => {
    const t = arange(12, undefined, 1, { dtype: 'int32' }).reshape([4, 3]);
    const rows = t.slice(1, 3).reshape([3, 2]);
    expect(rows.toArray()).toEqual([[3, 4], [5, 6], [7, 8]]);
  });
});

describe('slice', () => {
  const t = arange(12, undefined, 1, { dtype: 'float64' }).reshape([4, 3]);

  it('takes rows of axis 0 as a view', () => {
    const s = t.slice(1, 3);
    expect(s.shape).toEqual([2, 3]);
    expect(s.offset).toBe(3);
    expect(Array.from(s.data)).toEqual([3, 4, 5, 6, 7, 8]);
    s.data[0] = 30;
    expect(t.get(1, 0)).toBe(30);
    t.data[3] = 3;
    expect(t.slice(2).shape).toEqual([2, 3]);
    expect(t.slice(4).size).toBe(0);
  });

  it('rejects ranges outside the axis and scalars', () => {
    expect(() => t.slice(3, 5)).toThrow(new ShapeError('slice: range [3, 5) is outside axis 0 of length 4'));
    expect(() => t.slice(-1, 2)).toThrow(ShapeError);
    expect(() => t.slice(2, 1)).toThrow(new ShapeError('slice: range [2, 1) is outside axis 0 of length 4'));
    expect(() => tensor(1).slice(0)).toThrow(new ShapeError('slice: a scalar tensor has no axis to slice'));
  });
});

describe('item, get, toArray', () => {
  it('item reads the single element of any rank', () => {
    expect(tensor(2.5, { dtype: 'float64' }).item()).toBe(2.5);
    expect(tensor([[7]], { dtype: 'int32' }).item()).toBe(7);
    expect(() => zeros([2, 2]).item()).toThrow(new ShapeError('item: tensor of shape [2,2] has 4 elements, not 1'));
  });

  it('get indexes per axis, negative from the end', () => {
    const t = tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float64' });
    expect(t.get(1, 2)).toBe(6);
    expect(t.get(-1, -3)).toBe(4);
    expect(tensor(9).get()).toBe(9);
    expect(() => t.get(1)).toThrow(new ShapeError('get: 1 indices for a tensor of rank 2'));
    expect(() => t.get(2, 0)).toThrow(new ValueError('get: index 2 is out of range for axis 0 of length 2'));
    expect(() => t.get(0, -4)).toThrow(new ValueError('get: index -4 is out of range for axis 1 of length 3'));
    expect(() => t.get(0, 0.5)).toThrow(ValueError);
  });

  it('toArray nests by shape', () => {
    expect(tensor([[1, 2], [3, 4]]).toArray()).toEqual([[1, 2], [3, 4]]);
    expect(tensor(3).toArray()).toBe(3);
    expect(zeros([2, 0]).toArray()).toEqual([[], []]);
    expect(zeros([0, 3]).toArray()).toEqual([]);
    expect(arange(8, undefined, 1, { dtype: 'int32' }).reshape([2, 2, 2]).toArray()).toEqual([[[0, 1], [2, 3]], [[4, 5], [6, 7]]]);
  });
});

describe('Storage.replace', () => {
  it('moves every view onto the new array', () => {
    const t = tensor([1, 2, 3, 4], { dtype: 'float32' });
    const view = t.reshape([2, 2]);
    const row = view.slice(1);
    const next = new Float32Array(new SharedArrayBuffer(16));
    t.storage.replace(next);
    expect(t.data).toBe(next);
    expect(Array.from(next)).toEqual([1, 2, 3, 4]);
    expect(view.storage.shared).toBe(true);
    next[3] = 40;
    expect(row.toArray()).toEqual([[3, 40]]);
    expect(view.get(1, 1)).toBe(40);
  });

  it('rejects another dtype or length', () => {
    const s = new Storage(new Float32Array(4));
    expect(s.shared).toBe(false);
    expect(() => s.replace(new Float64Array(4) as unknown as Float32Array)).toThrow(
      new DTypeError('Storage.replace: new array holds float64, storage holds float32'),
    );
    expect(() => s.replace(new Float32Array(3))).toThrow(new ShapeError('Storage.replace: new array has 3 elements, storage has 4'));
  });
});
