export type {
  Backend,
  MatmulOptions,
  UnaryOp,
  UnaryParams,
  BinaryOp,
  ActivationOp,
  ReduceOp,
  ArgReduceOp,
  SgdOptions,
  MomentumOptions,
  AdamOptions,
  RmspropOptions,
} from './backend.js';
export { UNARY_OPS, BINARY_OPS, COMPARISON_OPS } from './backend.js';
export { BackendError } from './errors.js';
export { setBackend, getBackend, currentBackend, clearBackend, withBackend } from './registry.js';

// ops: the validated front-end users call.
export { matmul, type MatmulOpOptions } from './ops/matmul.js';
export {
  neg,
  abs,
  sign,
  exp,
  log,
  sqrt,
  square,
  reciprocal,
  relu,
  sigmoid,
  tanh,
  leakyRelu,
  clip,
  scale,
  type OutOption,
} from './ops/unary.js';
export {
  add,
  sub,
  mul,
  div,
  pow,
  maximum,
  minimum,
  squaredDifference,
  equal,
  greater,
  less,
  type Operand,
} from './ops/binary.js';
export { activationBackward, type ActivationBackwardOptions } from './ops/activation-backward.js';
export { sum, mean, max, min, type ReduceOpOptions } from './ops/reduce.js';
export { argmax, argmin, type ArgReduceOpOptions } from './ops/arg-reduce.js';
export { softmax, logSoftmax, softmaxBackward, type SoftmaxOpOptions } from './ops/softmax.js';
export {
  softmaxCrossEntropy,
  type SoftmaxCrossEntropyOptions,
  type SoftmaxCrossEntropyResult,
} from './ops/softmax-cross-entropy.js';
export { gather } from './ops/gather.js';
export { transpose } from './ops/transpose.js';
export { fill, copy, cast, clone } from './ops/fill-copy-cast.js';
export { sgdUpdate, momentumUpdate, adamUpdate, rmspropUpdate } from './ops/optimizers.js';
