import { full, zeros } from '@scratchnet/tensor';
import type { Initializer } from './initializer.js';

/** All zeros: the default for biases. */
export const zerosInitializer: Initializer = (shape, { dtype }) => zeros(shape, { dtype });
/** All ones: the default for BatchNormalization's `gamma` and moving variance. */
export const onesInitializer: Initializer = (shape, { dtype }) => full(shape, 1, { dtype });
