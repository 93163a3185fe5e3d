import { CORE_KERNELS, FUSED_KERNELS } from '@scratchnet/backend';
import { afterAll, describe, expect, it } from 'vitest';
import { WorkerBackend } from './built.js';

// The fused kernels are optional in the contract (ops composes the missing ones from the core), so
// nothing would fail if the worker backend silently lost one — only its speed. This says it has all.
describe('the worker backend implements the whole contract', () => {
  const worker = new WorkerBackend({ threads: 2 });
  afterAll(() => worker.dispose());
  const backend = worker as unknown as Record<string, unknown>;
  it.each([...CORE_KERNELS, ...FUSED_KERNELS])('%s', (name) => {
    expect(typeof backend[name]).toBe('function');
  });
});
