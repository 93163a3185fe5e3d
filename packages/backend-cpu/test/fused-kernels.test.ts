import { CORE_KERNELS, FUSED_KERNELS } from '@scratchnet/backend';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../src/index.js';

// The fused kernels are optional in the contract (ops composes the missing ones from the core), so
// nothing would fail if the cpu backend silently lost one — only its speed. This says it has all.
describe('the cpu backend implements the whole contract', () => {
  const backend = new CpuBackend() as unknown as Record<string, unknown>;
  it.each([...CORE_KERNELS, ...FUSED_KERNELS])('%s', (name) => {
    expect(typeof backend[name]).toBe('function');
  });
});
