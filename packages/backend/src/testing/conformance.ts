import type { Backend } from '../backend.js';
import { SuiteContext, type ConformanceOptions, type TestApi } from './harness.js';
import { registerActivationBackward } from './suites/activation-backward.js';
import { registerBatchNormalization } from './suites/batch-normalization.js';
import { registerBinary } from './suites/binary.js';
import { registerConv2d } from './suites/conv2d.js';
import { registerFillCopyCast } from './suites/fill-copy-cast.js';
import { registerGather } from './suites/gather.js';
import { registerGradients } from './suites/gradients.js';
import { registerMatmul } from './suites/matmul.js';
import { registerOps } from './suites/ops.js';
import { registerOptimizers } from './suites/optimizers.js';
import { registerPool2d } from './suites/pool2d.js';
import { registerReduce } from './suites/reduce.js';
import { registerSoftmax } from './suites/softmax.js';
import { registerSoftmaxCrossentropy } from './suites/softmax-crossentropy.js';
import { registerSpecialValues } from './suites/special-values.js';
import { registerTranspose } from './suites/transpose.js';
import { registerUnary } from './suites/unary.js';
import { registerWhere } from './suites/where.js';

/**
 * Registers the backend conformance suite with your test runner:
 *
 * ```ts
 * import { describe, it } from 'vitest';
 * import { describeConformance } from '@scratchnet/backend/testing';
 * describeConformance('cpu', () => new CpuBackend(), { describe, it });
 * ```
 *
 * Every kernel of the Backend contract is run directly and through the ops front-end, for
 * float32 and float64 (and int32 where the contract allows it), on shapes with 0 and 1, odd
 * sizes and sizes that straddle tiles, and compared with the plain float64 ReferenceBackend
 * (or, for conversions, with obvious loops in the suite). Backward kernels are also checked
 * against central differences, and the elementwise ops that are easy to get wrong on bits or
 * comparisons against NaN, ±Infinity, ±0 and subnormals, exactly. Each test builds its own
 * backend with `makeBackend` and calls its `dispose()` afterwards. A failure names the kernel,
 * dtype, shapes and the first wrong element with both values.
 */
export function describeConformance(name: string, makeBackend: () => Backend, api: TestApi, options: ConformanceOptions = {}): void {
  const ctx = new SuiteContext(api, makeBackend, options);
  api.describe(`backend conformance: ${name}`, () => {
    registerMatmul(ctx);
    registerUnary(ctx);
    registerBinary(ctx);
    registerWhere(ctx);
    registerActivationBackward(ctx);
    registerSpecialValues(ctx);
    registerReduce(ctx);
    registerSoftmax(ctx);
    registerSoftmaxCrossentropy(ctx);
    registerGather(ctx);
    registerTranspose(ctx);
    registerFillCopyCast(ctx);
    registerOptimizers(ctx);
    registerConv2d(ctx);
    registerPool2d(ctx);
    registerBatchNormalization(ctx);
    registerGradients(ctx);
    registerOps(ctx);
  });
}
