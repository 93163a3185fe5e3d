import { CpuBackend } from '@scratchnet/backend-cpu';
import { describeOpProperties } from '../../../test-support/op-properties.js';

describeOpProperties('cpu', () => new CpuBackend());
