import type { Tensor } from '@scratchnet/tensor';
import type { CoreKernels } from '../backend.js';
import type { ResolvedUnaryParams } from '../spec/params.js';
import type { Temps } from './temps.js';

/**
 * How an activation's backward form is composed from core kernels, for a backend without a fused
 * `activationBackward` for it: `dx = dy * f'(saved)`, written into `dx` (which may be `dy`).
 */
export type ComposeActivationBackward = (
  k: CoreKernels,
  temps: Temps,
  saved: Tensor,
  dy: Tensor,
  dx: Tensor,
  p: ResolvedUnaryParams,
) => void;
