import type { Tensor } from '@scratchnet/tensor';
import type { CoreKernels } from '../backend.js';
import type { ResolvedUnaryParams } from '../spec/params.js';
import type { ActivationOp } from '../spec/unary.js';
import type { Temps } from './temps.js';
import type { ComposeActivationBackward } from './types.js';

/**
 * `dx = saved > 0 ? dy : otherwise`, through `where`, so that a selected value is passed on
 * bit for bit: NaN and infinities in `dy` stay where a mask multiply would make NaN of 0 × ∞.
 */
function selectPositive(k: CoreKernels, temps: Temps, saved: Tensor, dy: Tensor, otherwise: Tensor, dx: Tensor): void {
  const mask = temps.like(saved);
  k.binary('greater', saved, temps.scalar(0, saved.dtype), mask);
  k.where(mask, dy, otherwise, dx);
}

/**
 * Each activation's backward composed from core kernels. Exact where the fused kernels are exact
 * (relu and leakyRelu select or scale once); the others round once per step, within the
 * conformance tolerance.
 */
export const COMPOSE_ACTIVATION_BACKWARD: { readonly [K in ActivationOp]: ComposeActivationBackward } = {
  relu: (k, temps, x, dy, dx) => selectPositive(k, temps, x, dy, temps.like(dy), dx),
  leakyRelu: (k, temps, x, dy, dx, p: ResolvedUnaryParams) => {
    const scaled = temps.like(dy);
    k.unary('scale', dy, scaled, { alpha: p.alpha });
    selectPositive(k, temps, x, dy, scaled, dx);
  },
  elu: (k, temps, y, dy, dx, p) => {
    // x <= 0: dy * (y + alpha).
    const t = temps.like(dy);
    k.binary('add', y, temps.scalar(p.alpha, y.dtype), t);
    k.binary('mul', dy, t, t);
    selectPositive(k, temps, y, dy, t, dx);
  },
  sigmoid: (k, temps, y, dy, dx) => {
    const t = temps.like(dy);
    k.binary('sub', temps.scalar(1, y.dtype), y, t);
    k.binary('mul', y, t, t);
    k.binary('mul', dy, t, dx);
  },
  tanh: (k, temps, y, dy, dx) => {
    const t = temps.like(dy);
    k.unary('square', y, t);
    k.binary('sub', temps.scalar(1, y.dtype), t, t);
    k.binary('mul', dy, t, dx);
  },
};
