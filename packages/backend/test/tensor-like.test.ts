import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValueError, tensor } from '@scratchnet/tensor';
import { add, clearBackend, matmul, relu, setBackend } from '@scratchnet/backend';
import { ReferenceBackend } from '@scratchnet/backend/testing';

// Kernels index `data` by `shape`: an object whose fields disagree must stop at the op.
beforeAll(() => setBackend(new ReferenceBackend()));
afterAll(() => clearBackend());

const fake = (fields: Record<string, unknown>) => ({ shape: [2, 2], dtype: 'float32', size: 4, data: new Float32Array(4), storage: {}, offset: 0, rank: 2, ...fields });

describe('tensor-like objects whose fields disagree', () => {
  it('are refused with a ValueError saying what disagrees, never computed on', () => {
    expect(() => add(fake({ data: new Float32Array([5]) }) as never, 1)).toThrow(
      new ValueError('add: a is not a valid Tensor: its data holds 1 elements, shape [2,2] needs 4'),
    );
    expect(() => relu(fake({ size: 1 }) as never)).toThrow('relu: x is not a valid Tensor: its size 1 is not the 4 elements of shape [2,2]');
    expect(() => relu(fake({ shape: [2, -2] }) as never)).toThrow('relu: x is not a valid Tensor: its shape [2,-2] is not a list of non-negative integers');
    expect(() => relu(fake({ dtype: 'float64' }) as never)).toThrow('relu: x is not a valid Tensor: its data is a Float32Array, not the float64 array its dtype says');
    expect(() => relu(fake({ dtype: 'bfloat16' }) as never)).toThrow('relu: x is not a valid Tensor: its dtype "bfloat16" is not float32, float64 or int32');
    expect(() => matmul(tensor([[1, 2]]), fake({ data: [1, 2, 3, 4] }) as never)).toThrow('matmul: b is not a valid Tensor: its data is not a typed array');
  });

  it('a consistent tensor-like object (a second copy of the tensor package) is accepted', () => {
    const other = fake({ data: new Float32Array([1, -2, 3, -4]) });
    expect(Array.from(relu(other as never).data)).toEqual([1, 0, 3, 0]);
  });
});
