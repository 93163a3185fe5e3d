/**
 * `@scratchnet/layers/testing`: what a test of a layer or a loss needs — above all the one
 * finite-difference checker every scratchnet suite shares. Isomorphic, like the main entry.
 */
export {
  DEFAULT_FLOOR,
  DEFAULT_STEP,
  GradientCheckError,
  assertGradient,
  compareGradients,
  numericGradient,
  type AssertGradientOptions,
  type GradientComparison,
  type HasData,
  type NumberArray,
} from '@scratchnet/backend/testing';
export { checkLayerGradients, type LayerGradientCheck, type LayerGradientCheckOptions } from './testing/check-layer-gradients.js';
export { checkLossGradient } from './testing/check-loss-gradient.js';
