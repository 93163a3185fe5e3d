import { describe, expect, it } from 'vitest';
import { FUSED_KERNELS, kernelsOf } from '@scratchnet/backend';
import { describeConformance } from '@scratchnet/backend/testing';
import { CoreOnlyBackend } from './core-only-backend.js';

// A backend implementing only the core passes the shared suite unchanged: the fused kernels are
// composed from its core kernels, and ops newer than the first contract come from the spec.
describeConformance('core only (fused kernels composed)', () => new CoreOnlyBackend(), { describe, it });

describe('a core-only backend', () => {
  it('has none of the fused kernels itself, so the suite above checked every composition', () => {
    const backend = new CoreOnlyBackend() as unknown as Record<string, unknown>;
    for (const name of FUSED_KERNELS) expect(backend[name]).toBeUndefined();
    const kernels = kernelsOf(new CoreOnlyBackend()) as unknown as Record<string, unknown>;
    for (const name of FUSED_KERNELS) expect(typeof kernels[name]).toBe('function');
  });
});
