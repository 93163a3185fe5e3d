import type { ActivationOp, BinaryOp, ReduceOp, UnaryOp } from '@scratchnet/backend';
import type { BinaryLayout } from '@scratchnet/backend-cpu';

// The integer codes the kernel module uses for ops and layouts (assembly/unary.ts, binary.ts,
// activation-backward.ts, reduce.ts). An op without a code here has no kernel in the module and
// runs as JavaScript.

/** Unary ops with a SIMD kernel (the transcendental ones: TRANSCENDENTAL_CODES). */
export const UNARY_CODES: Partial<Record<UnaryOp, number>> = {
  neg: 0,
  abs: 1,
  sign: 2,
  sqrt: 5,
  square: 6,
  reciprocal: 7,
  relu: 8,
  leakyRelu: 9,
  clip: 12,
  scale: 13,
};

/** Unary ops computed with the module's fdlibm exp, log, expm1 and tanh (the cpu backend's bits). */
export const TRANSCENDENTAL_CODES: Partial<Record<UnaryOp, number>> = {
  exp: 0,
  sigmoid: 1,
  log: 2,
  tanh: 3,
  elu: 4,
};

/** Binary ops with a SIMD kernel; pow runs as JavaScript (Math.pow). */
export const BINARY_CODES: Partial<Record<BinaryOp, number>> = {
  add: 0,
  sub: 1,
  mul: 2,
  div: 3,
  maximum: 5,
  minimum: 6,
  squaredDifference: 7,
  equal: 8,
  greater: 9,
  less: 10,
};

/** Broadcast layouts with a SIMD kernel; 'strided' runs as JavaScript. */
export const LAYOUT_CODES: Partial<Record<BinaryLayout, number>> = {
  same: 0,
  scalarA: 1,
  scalarB: 2,
  rowA: 3,
  rowB: 4,
};

export const ACTIVATION_CODES: Record<ActivationOp, number> = {
  relu: 0,
  leakyRelu: 1,
  sigmoid: 2,
  tanh: 3,
  elu: 4,
};

export const REDUCE_CODES: Record<ReduceOp, number> = {
  sum: 0,
  mean: 1,
  max: 2,
  min: 3,
};
