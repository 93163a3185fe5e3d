import { full, zeros } from '@scratchnet/tensor';
import type { Initializer } from './initializer.js';

export const zerosInitializer: Initializer = (shape, { dtype }) => zeros(shape, { dtype });
export const onesInitializer: Initializer = (shape, { dtype }) => full(shape, 1, { dtype });
