import type { DType, Tensor } from '@scratchnet/tensor';
import { withBackend } from '../../registry.js';
import { matmul } from '../../ops/matmul.js';
import { add, greater, mul, sub } from '../../ops/binary.js';
import { clip, elu, exp, leakyRelu, relu, scale, sigmoid, unaryOp } from '../../ops/unary.js';
import { where } from '../../ops/where.js';
import { activationBackward } from '../../ops/activation-backward.js';
import { max, mean, min, sum } from '../../ops/reduce.js';
import { argmax, argmin } from '../../ops/arg-reduce.js';
import { logSoftmax, softmax, softmaxBackward } from '../../ops/softmax.js';
import { softmaxCrossentropy } from '../../ops/softmax-crossentropy.js';
import { gather } from '../../ops/gather.js';
import { transpose } from '../../ops/transpose.js';
import { cast, clone, copy, fill } from '../../ops/fill-copy-cast.js';
import { adamUpdate, momentumUpdate, rmspropUpdate, sgdUpdate } from '../../ops/optimizers.js';
import { conv2d, conv2dBackpropFilter, conv2dBackpropInput } from '../../ops/conv2d.js';
import { avgPool, avgPoolBackward, maxPool, maxPoolBackward } from '../../ops/pool2d.js';
import { conv2dInfo, outputShapeOf, pool2dInfo } from '../../spec/conv2d-info.js';
import { assertMatches } from '../check.js';
import type { Harness, SuiteContext } from '../harness.js';
import { labelsFor } from './softmax-crossentropy.js';

/**
 * The ops front-end on this backend (under `withBackend`) against the same ops on the
 * reference backend with float64 copies of the inputs. This runs the kernels the way the ops
 * call them: reshaped views, transposes around softmax and scattered reductions, in place.
 */
function compare(h: Harness, what: string, inputs: readonly Tensor[], run: (inputs: Tensor[]) => Tensor | Tensor[]): void {
  // Copy first: some ops update their inputs in place.
  const refInputs = inputs.map((t) => h.up(t));
  const got = withBackend(h.backend, () => run([...inputs]));
  const expected = withBackend(h.ref, () => run(refInputs));
  const g = Array.isArray(got) ? got : [got];
  const e = Array.isArray(expected) ? expected : [expected];
  g.forEach((t, i) => assertMatches(`ops ${what}${g.length > 1 ? ` result ${i}` : ''}`, t, e[i]!));
}

export function registerOps(ctx: SuiteContext): void {
  ctx.api.describe('ops on this backend', () => {
    for (const dtype of ['float32', 'float64'] as DType[]) {
      ctx.test(`matmul ${dtype}: 2-D, transposed, batched, accumulating into out`, (h) => {
        compare(h, 'matmul [17,33]x[33,9]', [h.random([17, 33], dtype), h.random([33, 9], dtype)], ([a, b]) => matmul(a!, b!));
        compare(h, 'matmul transposeA transposeB', [h.random([33, 17], dtype), h.random([9, 33], dtype)], ([a, b]) =>
          matmul(a!, b!, { transposeA: true, transposeB: true }),
        );
        compare(h, 'matmul batched 3-D x 2-D', [h.random([3, 5, 65], dtype), h.random([65, 4], dtype)], ([a, b]) => matmul(a!, b!));
        compare(h, 'matmul accumulate', [h.random([4, 6], dtype), h.random([6, 5], dtype), h.random([4, 5], dtype)], ([a, b, out]) =>
          matmul(a!, b!, { accumulate: true, out: out! }),
        );
      });
      ctx.test(`elementwise ${dtype}: broadcasting, numbers, in place`, (h) => {
        compare(h, 'add bias in place', [h.random([8, 5], dtype), h.random([5], dtype)], ([x, bias]) => add(x!, bias!, { out: x! }));
        compare(h, 'sub column', [h.random([8, 5], dtype), h.random([8, 1], dtype)], ([x, c]) => sub(x!, c!));
        compare(h, 'mul by a number', [h.random([3, 4], dtype)], ([x]) => mul(x!, 2.5));
        compare(h, 'greater than a number', [h.random([3, 4], dtype)], ([x]) => greater(x!, 0));
        compare(h, 'relu, sigmoid, exp, leakyRelu, elu, clip, scale, unaryOp', [h.random([4, 9], dtype, { low: -3, high: 3 })], ([x]) => [
          elu(x!),
          elu(x!, 0.5),
          unaryOp('leakyRelu', x!),
          unaryOp('elu', x!, { params: { alpha: 2 } }),
          relu(x!),
          sigmoid(x!),
          exp(x!),
          leakyRelu(x!, 0.1),
          clip(x!, -1, 1),
          scale(x!, -2),
        ]);
        compare(h, 'activationBackward', [h.random([4, 9], dtype, { low: -3, high: 3 }), h.random([4, 9], dtype)], ([x, dy]) => [
          activationBackward('relu', x!, dy!),
          activationBackward('leakyRelu', x!, dy!, { alpha: 0.3 }),
          activationBackward('elu', elu(x!), dy!),
        ]);
        compare(h, 'where, broadcasting cond, a and b', [h.random([4, 1], dtype, { low: -1, high: 1 }), h.random([4, 9], dtype), h.random([9], dtype)], ([c, a, b]) =>
          where(greater(c!, 0), a!, b!),
        );
      });
      ctx.test(`reductions ${dtype}: all axes, contiguous and scattered axes, keepDims`, (h) => {
        const inputs = [h.random([3, 4, 5, 2], dtype, { low: -2, high: 2 })];
        compare(h, 'sum over all axes', inputs, ([x]) => sum(x!));
        compare(h, 'sum over axes [1,2]', inputs, ([x]) => sum(x!, { axis: [1, 2] }));
        compare(h, 'sum over axes [0,2] keepDims', inputs, ([x]) => sum(x!, { axis: [0, 2], keepDims: true }));
        compare(h, 'mean over axes [0,-1]', inputs, ([x]) => mean(x!, { axis: [0, -1] }));
        compare(h, 'max over axes [1,3]', inputs, ([x]) => max(x!, { axis: [3, 1] }));
        compare(h, 'min over axis 2', inputs, ([x]) => min(x!, { axis: 2 }));
        compare(h, 'argmax axis 1, argmin axis -1', inputs, ([x]) => [argmax(x!, { axis: 1 }), argmin(x!)]);
      });
      ctx.test(`softmax family ${dtype}: last axis and other axes`, (h) => {
        const inputs = [h.random([3, 4, 5], dtype, { low: -3, high: 3 }), h.random([3, 4, 5], dtype)];
        compare(h, 'softmax', inputs, ([x]) => softmax(x!));
        compare(h, 'softmax axis 0', inputs, ([x]) => softmax(x!, { axis: 0 }));
        compare(h, 'logSoftmax axis 1', inputs, ([x]) => logSoftmax(x!, { axis: 1 }));
        compare(h, 'softmaxBackward axis 1', inputs, ([x, dy]) => softmaxBackward(softmax(x!, { axis: 1 }), dy!, { axis: 1 }));
        const logits = h.random([6, 4], dtype, { low: -3, high: 3 });
        compare(h, 'softmaxCrossentropy sparse', [logits, labelsFor(h, 'sparse', 6, 4, dtype)], ([x, y]) => {
          const { losses, dlogits } = softmaxCrossentropy(x!, y!, { withGrad: true, gradScale: 1 / 6 });
          return [losses, dlogits!];
        });
        compare(h, 'softmaxCrossentropy soft', [logits, labelsFor(h, 'soft', 6, 4, dtype)], ([x, y]) => softmaxCrossentropy(x!, y!).losses);
      });
      ctx.test(`data movement ${dtype}: gather, transpose, cast, clone, fill, copy`, (h) => {
        const x = h.random([7, 3, 2], dtype, { low: -5, high: 5 });
        compare(h, 'gather', [x, h.from([6, 0, 0, 3], [4], 'int32')], ([t, i]) => gather(t!, i!));
        compare(h, 'transpose (reversed axes)', [x], ([t]) => transpose(t!));
        compare(h, 'transpose [1,0,2]', [x], ([t]) => transpose(t!, [1, 0, 2]));
        compare(h, 'cast to int32', [x], ([t]) => cast(t!, 'int32'));
        compare(h, 'clone', [x], ([t]) => clone(t!));
        compare(h, 'fill', [h.zeros([2, 3], dtype)], ([t]) => fill(t!, -0.25));
        compare(h, 'copy into a reshaped destination', [x, h.zeros([6, 7], dtype)], ([t, d]) => copy(t!, d!));
      });
      ctx.test(`convolution and pooling ${dtype}: options, accumulation into out`, (h) => {
        const x = h.random([2, 9, 8, 3], dtype);
        const filter = h.random([4, 3, 3, 5], dtype);
        const options = { strides: [2, 1] as const, padding: 'same' as const, dilations: [1, 2] as const };
        const dy = h.random(outputShapeOf(conv2dInfo('ops', x.shape, filter.shape, options)), dtype);
        compare(h, 'conv2d strides [2,1], dilations [1,2], same', [x, filter], ([a, f]) => conv2d(a!, f!, options));
        compare(h, 'conv2dBackpropInput', [dy, filter], ([g, f]) => conv2dBackpropInput(x.shape, g!, f!, options));
        compare(h, 'conv2dBackpropFilter accumulating into out', [x, dy, h.random(filter.shape, dtype)], ([a, g, out]) =>
          conv2dBackpropFilter(a!, g!, filter.shape, { ...options, accumulate: true, out: out! }),
        );
        const pool = { poolSize: 3, strides: 2, padding: 'same' } as const;
        const pdy = h.random(outputShapeOf(pool2dInfo('ops', x.shape, pool)), dtype);
        compare(h, 'maxPool, avgPool 3x3 stride 2 same', [x], ([a]) => [maxPool(a!, pool), avgPool(a!, pool)]);
        compare(h, 'maxPoolBackward, avgPoolBackward', [pdy, x], ([g, a]) => [maxPoolBackward(g!, a!, pool), avgPoolBackward(g!, a!.shape, pool)]);
      });
      ctx.test(`optimizer updates ${dtype} over several steps`, (h) => {
        const param = h.random([5, 3], dtype);
        const grads = [1, 2, 3].map(() => h.random([5, 3], dtype));
        const state = (low: number) => h.random([5, 3], dtype, { low, high: 0.5 });
        compare(h, 'sgdUpdate', [param, ...grads], ([p, ...g]) => {
          g.forEach((gi) => sgdUpdate(p!, gi, { lr: 0.1, weightDecay: 0.01 }));
          return p!;
        });
        compare(h, 'momentumUpdate', [param, state(-0.5), ...grads], ([p, v, ...g]) => {
          g.forEach((gi) => momentumUpdate(p!, gi, v!, { lr: 0.1, momentum: 0.9, nesterov: true }));
          return [p!, v!];
        });
        compare(h, 'adamUpdate', [param, state(-0.5), state(0), ...grads], ([p, m, v, ...g]) => {
          g.forEach((gi, i) => adamUpdate(p!, gi, m!, v!, { lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, step: i + 1 }));
          return [p!, m!, v!];
        });
        compare(h, 'rmspropUpdate', [param, state(0), state(-0.5), ...grads], ([p, s, b, ...g]) => {
          g.forEach((gi) => rmspropUpdate(p!, gi, s!, null, b!, { lr: 0.01, rho: 0.9, epsilon: 1e-7, momentum: 0.5 }));
          return [p!, s!, b!];
        });
      });
    }
  });
}
