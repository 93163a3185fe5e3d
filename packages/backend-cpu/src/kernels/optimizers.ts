import type { FloatArray, RangeKernel } from './types.js';

// Fused in-place optimizer updates over elements. Each element's new state is computed in
// float64 from that element alone, so any split gives the same bits.

/** Arguments of the `sgd` kernel: `param` updated in place from `grad`. */
export interface SgdArgs {
  param: FloatArray;
  grad: FloatArray;
  lr: number;
  weightDecay: number;
}

/** Arguments of the `momentum` kernel: `param` and its `velocity` updated in place. */
export interface MomentumArgs {
  param: FloatArray;
  grad: FloatArray;
  velocity: FloatArray;
  lr: number;
  momentum: number;
  nesterov: boolean;
}

/** Arguments of the `adam` kernel: `param` and its moments `m`, `v` updated in place. */
export interface AdamArgs {
  param: FloatArray;
  grad: FloatArray;
  m: FloatArray;
  v: FloatArray;
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** `1 - beta1^step` and `1 - beta2^step`, computed once by the planner. */
  biasCorrection1: number;
  biasCorrection2: number;
  weightDecay: number;
}

/** Arguments of the `rmsprop` kernel: `param`, `meanSquare` (and `buffer`) updated in place. */
export interface RmspropArgs {
  param: FloatArray;
  grad: FloatArray;
  meanSquare: FloatArray;
  /** Running mean of the gradient; null unless centered. */
  meanGrad: FloatArray | null;
  /** Momentum buffer; null for plain RMSprop. */
  buffer: FloatArray | null;
  lr: number;
  rho: number;
  epsilon: number;
  momentum: number;
}

/** `param -= lr * (grad + weightDecay * param)`. */
export const sgd: RangeKernel<SgdArgs> = (args, start, end) => {
  const { param, grad, lr, weightDecay } = args;
  for (let i = start; i < end; i++) {
    const p = param[i]!;
    param[i] = p - lr * (grad[i]! + weightDecay * p);
  }
};

/** Keras form: `v = momentum v - lr g`; `param += v`, or with Nesterov `param += momentum v - lr g`. */
export const momentum: RangeKernel<MomentumArgs> = (args, start, end) => {
  const { param, grad, velocity, lr, nesterov } = args;
  const mu = args.momentum;
  for (let i = start; i < end; i++) {
    const g = grad[i]!;
    const v = mu * velocity[i]! - lr * g;
    velocity[i] = v;
    param[i] = param[i]! + (nesterov ? mu * v - lr * g : v);
  }
};

/**
 * Adam; AdamW when `weightDecay > 0` (decoupled: `param -= lr * weightDecay * param` first).
 * The step uses the new moments in float64, before they are rounded into `m` and `v`.
 */
export const adam: RangeKernel<AdamArgs> = (args, start, end) => {
  const { param, grad, m, v, lr, beta1, beta2, epsilon, biasCorrection1, biasCorrection2, weightDecay } = args;
  const decay = lr * weightDecay;
  for (let i = start; i < end; i++) {
    const g = grad[i]!;
    const mi = beta1 * m[i]! + (1 - beta1) * g;
    const vi = beta2 * v[i]! + (1 - beta2) * g * g;
    m[i] = mi;
    v[i] = vi;
    let p = param[i]!;
    if (decay !== 0) p -= decay * p;
    param[i] = p - (lr * (mi / biasCorrection1)) / (Math.sqrt(vi / biasCorrection2) + epsilon);
  }
};

/**
 * TensorFlow.js's and Keras's form: `s = rho s + (1-rho) g²`; centered, `mg = rho mg + (1-rho) g`
 * and `d = s - mg² + epsilon`, else `d = s + epsilon`; `increment = lr g / sqrt(d)`; with
 * momentum `b = momentum b + increment`, `param -= b`, else `param -= increment`. The step uses
 * the new state in float64, before it is rounded into the state arrays.
 */
export const rmsprop: RangeKernel<RmspropArgs> = (args, start, end) => {
  const { param, grad, meanSquare, meanGrad, buffer, lr, rho, epsilon } = args;
  const mu = args.momentum;
  for (let i = start; i < end; i++) {
    const g = grad[i]!;
    const s = rho * meanSquare[i]! + (1 - rho) * g * g;
    meanSquare[i] = s;
    let denominator = s + epsilon;
    if (meanGrad !== null) {
      const mg = rho * meanGrad[i]! + (1 - rho) * g;
      meanGrad[i] = mg;
      denominator = s - mg * mg + epsilon;
    }
    const increment = (lr * g) / Math.sqrt(denominator);
    if (buffer !== null) {
      const b = mu * buffer[i]! + increment;
      buffer[i] = b;
      param[i] = param[i]! - b;
    } else {
      param[i] = param[i]! - increment;
    }
  }
};
