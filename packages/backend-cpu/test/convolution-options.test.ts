import { ValueError } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { CONVOLUTION_ALGORITHMS, CpuBackend } from '../src/index.js';

describe('CpuBackend options', () => {
  it('computes convolutions with im2col unless told otherwise', () => {
    expect(new CpuBackend().convolution).toBe('im2col');
    expect(new CpuBackend({ convolution: 'direct' }).convolution).toBe('direct');
    expect(CONVOLUTION_ALGORITHMS).toEqual(['im2col', 'direct']);
  });

  it('refuses an unknown algorithm or options that are not an object, by name', () => {
    expect(() => new CpuBackend({ convolution: 'winograd' as never })).toThrow(ValueError);
    expect(() => new CpuBackend({ convolution: 'winograd' as never })).toThrow(`CpuBackend: convolution must be 'im2col' or 'direct', got "winograd"`);
    expect(() => new CpuBackend(null as never)).toThrow('CpuBackend: options must be an object, got null');
  });
});
