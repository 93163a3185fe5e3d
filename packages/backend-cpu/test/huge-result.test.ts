import { clearBackend, matmul, setBackend } from '@scratchnet/backend';
import { AllocationError, zeros } from '@scratchnet/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../src/index.js';

beforeAll(() => setBackend(new CpuBackend()));
afterAll(() => clearBackend());

describe('an op whose result is too large to allocate', () => {
  it('matmul of [2**20,1] and [1,2**20] (a 2**40-element result): an AllocationError naming the shape and bytes', () => {
    const a = zeros([2 ** 20, 1]);
    const b = zeros([1, 2 ** 20]);
    let caught: unknown;
    try {
      matmul(a, b);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AllocationError);
    expect((caught as Error).message).toMatch(
      /^zeros: a float32 tensor of shape \[1048576,1048576\] needs 4398046511104 bytes \(4\.00 TiB\); the allocation failed \(.+\)$/,
    );
  });
});
