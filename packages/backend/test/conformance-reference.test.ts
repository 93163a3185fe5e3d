import { describe, it } from 'vitest';
import { ReferenceBackend, describeConformance } from '@scratchnet/backend/testing';

// The suite run against its own oracle: proves the suite itself runs green (the reference
// backend is checked independently against NumPy in reference-numpy.test.ts).
describeConformance('reference', () => new ReferenceBackend(), { describe, it });
