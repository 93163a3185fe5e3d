import type { Tensor } from '@scratchnet/tensor';
import type { AdamOptions, CoreKernels, MomentumOptions, RmspropOptions, SgdOptions } from '../backend.js';
import type { Temps } from './temps.js';

// Optimizer updates composed from core kernels, in place, in the order the fused kernels'
// formulas state (each step rounds to the parameter's dtype; the fused kernels round once).

const scale = (k: CoreKernels, x: Tensor, alpha: number, out: Tensor): void => k.unary('scale', x, out, { alpha });

export function composeSgd(k: CoreKernels, temps: Temps, param: Tensor, grad: Tensor, o: SgdOptions): void {
  const step = temps.like(param);
  scale(k, param, o.weightDecay ?? 0, step);
  k.binary('add', grad, step, step);
  scale(k, step, o.lr, step);
  k.binary('sub', param, step, param);
}

export function composeMomentum(k: CoreKernels, temps: Temps, param: Tensor, grad: Tensor, velocity: Tensor, o: MomentumOptions): void {
  const lrGrad = temps.like(param);
  scale(k, grad, o.lr, lrGrad);
  scale(k, velocity, o.momentum, velocity);
  k.binary('sub', velocity, lrGrad, velocity);
  if (o.nesterov) {
    const step = temps.like(param);
    scale(k, velocity, o.momentum, step);
    k.binary('sub', step, lrGrad, step);
    k.binary('add', param, step, param);
  } else {
    k.binary('add', param, velocity, param);
  }
}

/** `s = rate * s + (1 - rate) * g` (with `g` squared first when `square`). */
function movingAverage(k: CoreKernels, temps: Temps, state: Tensor, g: Tensor, rate: number, square: boolean): void {
  const t = temps.like(g);
  if (square) k.unary('square', g, t);
  scale(k, square ? t : g, 1 - rate, t);
  scale(k, state, rate, state);
  k.binary('add', state, t, state);
}

export function composeAdam(k: CoreKernels, temps: Temps, param: Tensor, grad: Tensor, m: Tensor, v: Tensor, o: AdamOptions): void {
  movingAverage(k, temps, m, grad, o.beta1, false);
  movingAverage(k, temps, v, grad, o.beta2, true);
  const wd = o.weightDecay ?? 0;
  if (wd !== 0) scale(k, param, 1 - o.lr * wd, param);
  const denom = temps.like(param);
  scale(k, v, 1 / (1 - Math.pow(o.beta2, o.step)), denom);
  k.unary('sqrt', denom, denom);
  k.binary('add', denom, temps.scalar(o.epsilon, param.dtype), denom);
  const step = temps.like(param);
  scale(k, m, o.lr / (1 - Math.pow(o.beta1, o.step)), step);
  k.binary('div', step, denom, step);
  k.binary('sub', param, step, param);
}

export function composeRmsprop(
  k: CoreKernels,
  temps: Temps,
  param: Tensor,
  grad: Tensor,
  meanSquare: Tensor,
  meanGrad: Tensor | null,
  buffer: Tensor | null,
  o: RmspropOptions,
): void {
  movingAverage(k, temps, meanSquare, grad, o.rho, true);
  const denom = temps.like(param);
  if (meanGrad !== null) {
    movingAverage(k, temps, meanGrad, grad, o.rho, false);
    k.unary('square', meanGrad, denom);
    k.binary('sub', meanSquare, denom, denom);
    k.binary('add', denom, temps.scalar(o.epsilon, param.dtype), denom);
  } else {
    k.binary('add', meanSquare, temps.scalar(o.epsilon, param.dtype), denom);
  }
  k.unary('sqrt', denom, denom);
  const increment = temps.like(param);
  scale(k, grad, o.lr, increment);
  k.binary('div', increment, denom, increment);
  if (buffer !== null) {
    scale(k, buffer, o.momentum ?? 0, buffer);
    k.binary('add', buffer, increment, buffer);
    k.binary('sub', param, buffer, param);
  } else {
    k.binary('sub', param, increment, param);
  }
}
