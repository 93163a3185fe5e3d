/**
 * `@scratchnet/backend/testing`: what a backend author needs to prove a backend correct.
 * `describeConformance` registers the shared suite with your runner's `describe`/`it`;
 * `ReferenceBackend` is the plain float64 oracle the suite compares against. For a backend's own
 * tests: seeded inputs (`SuiteRandom`, `randomTensor`, `zerosTensor`) and byte comparisons for
 * backends that promise another's exact results (`sameBits`, `firstDifference`). And the one
 * finite-difference checker every scratchnet suite shares (`assertGradient`, `numericGradient`,
 * `compareGradients`; `@scratchnet/layers/testing` re-exports it).
 */
export { describeConformance } from './testing/conformance.js';
export { ReferenceBackend } from './testing/reference-backend.js';
export { ConformanceError } from './testing/check.js';
export type { ConformanceOptions, TestApi } from './testing/harness.js';
export { SuiteRandom } from './testing/random.js';
export { randomTensor, zerosTensor } from './testing/tensors.js';
export { firstDifference, sameBits } from './testing/bitwise.js';
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
} from './testing/finite-differences.js';
