// The kernel contract.
export {
  CORE_KERNELS,
  FUSED_KERNELS,
  type Backend,
  type CoreKernels,
  type FusedKernels,
  type Kernels,
  type MatmulOptions,
  type SgdOptions,
  type MomentumOptions,
  type AdamOptions,
  type RmspropOptions,
} from './backend.js';
export { BackendError } from './errors.js';
export { unreachable } from './unreachable.js';
export { setBackend, getBackend, getKernels, currentBackend, clearBackend, withBackend } from './registry.js';
export { kernelsOf } from './kernels.js';

// The op spec tables: every fact about each op, read by ops, the reference, the conformance
// suite, the layers and the model's serialization.
export {
  UNARY_SPECS,
  UNARY_OPS,
  BASE_UNARY_OPS,
  ACTIVATION_OPS,
  TRANSCENDENTAL_COST,
  unarySpec,
  activationSpec,
  isUnaryOp,
  isActivationOp,
  sigmoidScalar,
  type UnaryOp,
  type ActivationOp,
  type UnaryOpSpec,
  type UnaryTestSpec,
} from './spec/unary.js';
export type { ActivationFacts, TfjsActivationFacts } from './spec/activation-facts.js';
export {
  BINARY_SPECS,
  BINARY_OPS,
  BASE_BINARY_OPS,
  COMPARISON_OPS,
  binarySpec,
  isBinaryOp,
  type BinaryOp,
  type BinaryOpSpec,
  type BinaryTestSpec,
} from './spec/binary.js';
export {
  REDUCE_SPECS,
  REDUCE_OPS,
  ARG_REDUCE_SPECS,
  ARG_REDUCE_OPS,
  reduceSpec,
  argReduceSpec,
  isReduceOp,
  isArgReduceOp,
  type ReduceOp,
  type ArgReduceOp,
  type ReduceOpSpec,
  type ArgReduceOpSpec,
} from './spec/reduce.js';
export { NEUTRAL_PARAMS, type UnaryParams, type UnaryParamName, type ResolvedUnaryParams, type ParamSpec, type ParamRule } from './spec/params.js';
export { resolveUnaryParams } from './spec/resolve-params.js';
export {
  PADDINGS,
  conv2dInfo,
  pool2dInfo,
  inputShapeOf,
  outputShapeOf,
  filterShapeOf,
  type Conv2dInfo,
  type Conv2dGeometry,
  type Pool2dGeometry,
  type Padding,
  type Size2d,
} from './spec/conv2d-info.js';

// ops: the validated front-end users call.
export { matmul, type MatmulOpOptions } from './ops/matmul.js';
export {
  unaryOp,
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
  elu,
  clip,
  scale,
  type OutOption,
  type UnaryOpOptions,
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
export { where } from './ops/where.js';
export { activationBackward, type ActivationBackwardOptions } from './ops/activation-backward.js';
export { sum, mean, max, min, type ReduceOpOptions } from './ops/reduce.js';
export { argmax, argmin, type ArgReduceOpOptions } from './ops/arg-reduce.js';
export { softmax, logSoftmax, softmaxBackward, type SoftmaxOpOptions } from './ops/softmax.js';
export {
  softmaxCrossentropy,
  type SoftmaxCrossentropyOptions,
  type SoftmaxCrossentropyResult,
} from './ops/softmax-crossentropy.js';
export { gather } from './ops/gather.js';
export { transpose } from './ops/transpose.js';
export { fill, copy, cast, clone } from './ops/fill-copy-cast.js';
export { sgdUpdate, momentumUpdate, adamUpdate, rmspropUpdate } from './ops/optimizers.js';
export {
  conv2d,
  conv2dBackpropInput,
  conv2dBackpropFilter,
  type Conv2dOpOptions,
  type Conv2dBackpropFilterOptions,
} from './ops/conv2d.js';
export { maxPool, avgPool, maxPoolBackward, avgPoolBackward, type Pool2dOpOptions } from './ops/pool2d.js';
export { moments, type MomentsOptions } from './ops/moments.js';
export {
  batchNormalization,
  batchNormalizationBackward,
  type BatchNormalizationOptions,
  type BatchNormalizationBackwardOptions,
  type BatchNormalizationGradients,
} from './ops/batch-normalization.js';
