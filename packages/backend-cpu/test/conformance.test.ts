import { describeConformance } from '@scratchnet/backend/testing';
import { describe, it } from 'vitest';
import { CpuBackend } from '@scratchnet/backend-cpu';

describeConformance('cpu', () => new CpuBackend(), { describe, it });
