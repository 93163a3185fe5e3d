import { describe, expect, it } from 'vitest';
import { Storage, Tensor, arange, full, isCreatedArray, isDetached, rand, randint, randn, tensor, zeros, zerosLike } from '@scratchnet/tensor';

describe('isCreatedArray: arrays the creation functions allocated, not arrays a caller handed in', () => {
  it('is true for every creation function’s storage and its views', () => {
    const made = [tensor([1, 2]), zeros([2]), full([2], 3), arange(3), rand([2]), randn([2]), randint(0, 2, [2]), zerosLike(zeros([1]))];
    for (const t of made) expect(isCreatedArray(t.storage.data)).toBe(true);
    const view = made[0]!.reshape([2, 1]);
    expect(isCreatedArray(view.storage.data)).toBe(true);
  });

  it('is false for an array adopted by new Tensor() or new Storage(), which the caller still holds', () => {
    const mine = new Float32Array(4);
    expect(isCreatedArray(new Tensor(mine, [4]).storage.data)).toBe(false);
    expect(isCreatedArray(new Tensor(new Storage(new Int32Array(2)), [2]).storage.data)).toBe(false);
    // A copy made by tensor() is the library's, even from the caller's array.
    expect(isCreatedArray(tensor(mine).storage.data)).toBe(true);
  });
});

describe('isDetached', () => {
  it('tells a transferred buffer from a live one, an empty one and a shared one', () => {
    const buffer = new ArrayBuffer(8);
    expect(isDetached(buffer)).toBe(false);
    expect(isDetached(new ArrayBuffer(0))).toBe(false);
    expect(isDetached(new SharedArrayBuffer(0))).toBe(false);
    structuredClone(buffer, { transfer: [buffer] });
    expect(isDetached(buffer)).toBe(true);
  });
});
