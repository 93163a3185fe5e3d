/**
 * `@scratchnet/backend/testing`: what a backend author needs to prove a backend correct.
 * `describeConformance` registers the shared suite with your runner's `describe`/`it`;
 * `ReferenceBackend` is the plain float64 oracle the suite compares against.
 */
export { describeConformance } from './testing/conformance.js';
export { ReferenceBackend } from './testing/reference-backend.js';
export { ConformanceError } from './testing/check.js';
export type { ConformanceOptions, TestApi } from './testing/harness.js';
