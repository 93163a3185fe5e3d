import { describe, expect, expectTypeOf, it } from 'vitest';
import { arange, DTypeError, full, ones, ShapeError, tensor, ValueError, zeros, zerosLike, type Tensor } from '@scratchnet/tensor';

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
    expect(Array.from(tensor([17, -17, 2147483647, -2147483648], { dtype: 'int32' }).data)).toEqual([17, -17, 2147483647, -2147483648]);
    const t = tensor([1, 2, 3, 4, 5, 6], { shape: [3, 2] });
    expect(t.toArray()).toEqual([[1, 2], [3, 4], [5, 6]]);
  });

  it('rejects ragged arrays, bad elements, bad shapes and dtypes by name', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(new ShapeError('tensor: ragged nested array: at [1] expected length 2, got length 1'));
    expect(() => tensor([[1, 2], 3] as never)).toThrow(ShapeError);
    expect(() => tensor([[1, [2]], [3, 4]] as never)).toThrow(
      new ShapeError('tensor: ragged nested array: element at [0,1] is an array, expected a number'),
    );
    expect(() => tensor([1, 'a'] as never)).toThrow(new ValueError('tensor: element 1 is the string "a", not a number'));
    expect(() => tensor([1, 2, 3], { shape: [2, 2] })).toThrow(new ShapeError('tensor: 3 values do not fill shape [2,2] (4 elements)'));
    expect(() => tensor([1], { dtype: 'float16' as 'float32' })).toThrow(
      new DTypeError('tensor: unknown dtype "float16"; expected one of float32, float64, int32'),
    );
    expect(() => tensor('abc' as never)).toThrow(ValueError);
  });

  it('a leaf that is not a number is named for what it is, at its index', () => {
    expect(() => tensor([[1, undefined, 3]] as never)).toThrow(new ValueError('tensor: element at [0,1] is undefined, not a number'));
    expect(() => tensor([[1, 2], [null, 4]] as never)).toThrow(new ValueError('tensor: element at [1,0] is null, not a number'));
    expect(() => tensor([[1, '2', 3]] as never)).toThrow(new ValueError('tensor: element at [0,1] is the string "2", not a number'));
    expect(() => tensor([[true]] as never)).toThrow(new ValueError('tensor: element at [0,0] is true, not a number'));
    expect(() => tensor([[{}]] as never)).toThrow(new ValueError('tensor: element at [0,0] is an object (Object), not a number'));
    expect(() => tensor([1, undefined] as never)).toThrow(new ValueError('tensor: element 1 is undefined, not a number'));
    expect(() => tensor([[1n]] as never)).toThrow(new ValueError('tensor: element at [0,0] is a bigint, not a number'));
    expect(() => tensor(new DataView(new ArrayBuffer(8)) as never)).toThrow(ValueError);
    expect(() => tensor(new BigInt64Array(2) as never)).toThrow(new ValueError('tensor: values are a BigInt64Array of bigints; convert them to numbers first'));
    expect(Array.from(tensor(new Uint8Array([1, 255])).data)).toEqual([1, 255]);
  });

  it('a typed array over a detached buffer is refused, not read as empty', () => {
    const source = new Float32Array([1, 2, 3]);
    structuredClone(source.buffer, { transfer: [source.buffer] });
    expect(() => tensor(source)).toThrow(
      new ValueError("tensor: the typed array's buffer is detached (transferred to a worker or by transfer()); its values are gone"),
    );
  });

  it('a typed array keeps its dtype in the static type too', () => {
    const f64 = tensor(new Float64Array(4));
    expectTypeOf(f64).toEqualTypeOf<Tensor<'float64'>>();
    expect(f64.dtype).toBe('float64');
    const i32 = tensor(new Int32Array(2), { shape: [2, 1] });
    expectTypeOf(i32).toEqualTypeOf<Tensor<'int32'>>();
    expect(i32.dtype).toBe('int32');
    expectTypeOf(tensor(new Float32Array(1))).toEqualTypeOf<Tensor<'float32'>>();
    // An explicit dtype converts, and the type follows it.
    const cast = tensor(new Float64Array([1, 2]), { dtype: 'float32' });
    expectTypeOf(cast).toEqualTypeOf<Tensor<'float32'>>();
    expect(cast.dtype).toBe('float32');
    expectTypeOf(tensor([1, 2])).toEqualTypeOf<Tensor<'float32'>>();
    expectTypeOf(tensor([1, 2], { dtype: 'int32' })).toEqualTypeOf<Tensor<'int32'>>();
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
    expect(() => full([2], 'x' as never)).toThrow(new ValueError('full: value must be a number, got the string "x"'));
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
