import { describeOpProperties } from '../../../test-support/op-properties.js';
import { CoreOnlyBackend } from './core-only-backend.js';

// The compositions of the fused kernels, on random shapes, views and special values.
describeOpProperties('core only (fused kernels composed)', () => new CoreOnlyBackend());
