import type { Tensor } from '@scratchnet/tensor';
import { outputShapeOf } from '../../spec/conv2d-info.js';
import { batchNormalization, batchNormalizationBackward } from '../../ops/batch-normalization.js';
import { moments } from '../../ops/moments.js';
import { withBackend } from '../../registry.js';
import type { UnaryParams } from '../../spec/params.js';
import { ACTIVATION_OPS, activationSpec, unarySpec, type ActivationOp } from '../../spec/unary.js';
import { ConformanceError } from '../check.js';
import { assertGradient as checkGradient } from '../finite-differences.js';
import type { Harness, SuiteContext } from '../harness.js';
import { labelsFor, type LabelKind } from './softmax-crossentropy.js';
import type { ConvCase, PoolCase } from './conv-cases.js';
import { convInputs } from './conv2d.js';
import { poolInfo } from './pool2d.js';

/**
 * The shared checker (`finite-differences.ts`): central differences with step 1e-5, every element
 * within 1e-6 relative (absolutely below 1e-4), failing as a ConformanceError.
 */
function assertGradient(what: string, x: Tensor, analytic: Tensor, loss: () => number): void {
  checkGradient(what, x, analytic, loss, { fail: (message) => new ConformanceError(message) });
}

function dot(a: Tensor, b: Tensor): number {
  let s = 0;
  for (let i = 0; i < a.size; i++) s += a.data[i]! * b.data[i]!;
  return s;
}

function total(t: Tensor): number {
  let s = 0;
  for (let i = 0; i < t.size; i++) s += t.data[i]!;
  return s;
}

/** Inputs at least 0.1 away from 0, so a ±H step never crosses the kink of relu. */
function awayFromZero(h: Harness, shape: readonly number[]): Tensor {
  const x = h.random(shape, 'float64', { low: 0.1, high: 3 });
  for (let i = 0; i < x.size; i++) if (h.rng.next() < 0.5) x.data[i] = -x.data[i]!;
  return x;
}

function checkActivation(h: Harness, op: ActivationOp, params: UnaryParams | undefined): void {
  const shape = [3, 7];
  const x = awayFromZero(h, shape);
  const dy = h.random(shape, 'float64', { low: -2, high: 2 });
  const y = h.zeros(shape, 'float64');
  const forward = (): number => {
    h.kernels.unary(op, x, y, params);
    return dot(dy, y);
  };
  forward();
  // A copy in the backend's own memory (h.up's copies are the oracle's, in plain memory the
  // worker backend will not take over).
  const saved = h.from((activationSpec(op).saves === 'input' ? x : y).data, shape, 'float64');
  const dx = h.zeros(shape, 'float64');
  h.kernels.activationBackward(op, saved, dy, dx, params);
  assertGradient(`activationBackward ${op} vs finite differences of unary ${op}`, x, dx, forward);
}

function checkSoftmaxBackward(h: Harness, shape: readonly number[]): void {
  const x = h.random(shape, 'float64', { low: -3, high: 3 });
  const dy = h.random(shape, 'float64', { low: -2, high: 2 });
  const y = h.zeros(shape, 'float64');
  const forward = (): number => {
    h.kernels.softmax(x, y);
    return dot(dy, y);
  };
  forward();
  const dx = h.zeros(shape, 'float64');
  h.kernels.softmaxBackward(h.from(y.data, shape, 'float64'), dy, dx);
  assertGradient(`softmaxBackward [${shape.join(',')}] vs finite differences of softmax`, x, dx, forward);
}

function checkSce(h: Harness, kind: LabelKind, n: number, c: number, gradScale: number): void {
  const x = h.random([n, c], 'float64', { low: -3, high: 3 });
  const labels = labelsFor(h, kind, n, c, 'float64');
  const losses = h.zeros([n], 'float64');
  const dlogits = h.zeros([n, c], 'float64');
  h.kernels.softmaxCrossentropy(x, labels, losses, dlogits, gradScale);
  const loss = (): number => {
    h.kernels.softmaxCrossentropy(x, labels, losses, null, gradScale);
    return gradScale * total(losses);
  };
  assertGradient(`softmaxCrossentropy ${kind} [${n},${c}] gradScale ${gradScale}: dlogits vs finite differences of gradScale * sum(losses)`, x, dlogits, loss);
}

/** Small geometries for the gradient checks (each perturbs every input element twice). */
const GRADIENT_CONVS: readonly ConvCase[] = [
  { label: '3x3 same', x: [2, 5, 4, 3], filter: [3, 3, 2], padding: 'same' },
  { label: 'even 2x2 same, stride 2', x: [1, 5, 6, 2], filter: [2, 2, 3], strides: 2, padding: 'same' },
  { label: 'dilation 2, valid', x: [2, 6, 5, 1], filter: [2, 2, 2], dilations: 2, padding: 'valid' },
  { label: '1x1, stride 3 > filter', x: [1, 7, 5, 2], filter: [1, 1, 3], strides: 3, padding: 'valid' },
  { label: 'filter = input', x: [2, 3, 4, 2], filter: [3, 4, 2], padding: 'valid' },
];

const GRADIENT_POOLS: readonly PoolCase[] = [
  { label: '2x2 stride 2 valid', x: [2, 4, 6, 2], poolSize: 2, padding: 'valid' },
  { label: '3x3 stride 2 same', x: [1, 5, 6, 3], poolSize: 3, strides: 2, padding: 'same' },
  { label: '2x2 stride 1 same (overlapping)', x: [2, 4, 3, 1], poolSize: 2, strides: 1, padding: 'same' },
  { label: '1x1, stride 2 > window', x: [1, 5, 5, 2], poolSize: 1, strides: 2, padding: 'valid' },
];

function checkConv(h: Harness, c: ConvCase): void {
  const { x, filter, dy, info } = convInputs(h, c, 'float64');
  const y = h.zeros(outputShapeOf(info), 'float64');
  const forward = (): number => {
    h.kernels.conv2d(x, filter, y, info);
    return dot(dy, y);
  };
  const dx = h.zeros(x.shape, 'float64');
  h.kernels.conv2dBackpropInput(dy, filter, dx, info);
  assertGradient(`conv2dBackpropInput (${c.label}) vs finite differences of conv2d`, x, dx, forward);
  const df = h.zeros(filter.shape, 'float64');
  h.kernels.conv2dBackpropFilter(x, dy, df, info, false);
  assertGradient(`conv2dBackpropFilter (${c.label}) vs finite differences of conv2d`, filter, df, forward);
}

/**
 * Distinct inputs at least 0.01 apart (a shuffled ladder), so a ±H step never changes which
 * element of a window is the maximum.
 */
function ladder(h: Harness, shape: readonly number[]): Tensor {
  const x = h.zeros(shape, 'float64');
  for (let i = 0; i < x.size; i++) x.data[i] = 0.01 * i - 0.005 * x.size;
  for (let i = x.size - 1; i > 0; i--) {
    const j = h.rng.int(0, i);
    [x.data[i], x.data[j]] = [x.data[j]!, x.data[i]!];
  }
  return x;
}

function checkPool(h: Harness, c: PoolCase): void {
  const info = poolInfo(c);
  const x = ladder(h, c.x);
  const dy = h.random(outputShapeOf(info), 'float64', { low: -2, high: 2 });
  const y = h.zeros(outputShapeOf(info), 'float64');
  for (const kind of ['maxPool', 'avgPool'] as const) {
    const forward = (): number => {
      h.kernels[kind](x, y, info);
      return dot(dy, y);
    };
    const dx = h.zeros(x.shape, 'float64');
    if (kind === 'maxPool') h.kernels.maxPoolBackward(x, dy, dx, info);
    else h.kernels.avgPoolBackward(dy, dx, info);
    assertGradient(`${kind}Backward (${c.label}) vs finite differences of ${kind}`, x, dx, forward);
  }
}

/**
 * Batch normalization in training, through the ops on this backend: `dx`, `dscale` and
 * `doffset` of `sum(dy * batchNormalization(x, moments(x)…))`, the statistics recomputed from
 * the perturbed `x` each time.
 */
function checkBatchNormalization(h: Harness, shape: readonly number[], axis: number[]): void {
  const x = h.random(shape, 'float64', { low: -2, high: 3 });
  const statistics = shape.map((d, i) => (axis.includes(i) ? 1 : d));
  const scale = h.random(statistics, 'float64', { low: 0.5, high: 2 });
  const offset = h.random(statistics, 'float64', { low: -1, high: 1 });
  const dy = h.random(shape, 'float64', { low: -2, high: 2 });
  const epsilon = 0.01;
  const forward = (): number =>
    withBackend(h.backend, () => {
      const { mean, variance } = moments(x, { axis, keepDims: true });
      return dot(dy, batchNormalization(x, mean, variance, { scale, offset, epsilon }));
    });
  const { dx, dscale, doffset } = withBackend(h.backend, () => {
    const { mean, variance } = moments(x, { axis, keepDims: true });
    return batchNormalizationBackward(dy, x, mean, variance, { scale, epsilon, axis });
  });
  const what = `batchNormalizationBackward [${shape.join(',')}] over axes [${axis.join(',')}]`;
  assertGradient(`${what}: dx vs finite differences`, x, dx, forward);
  assertGradient(`${what}: dscale vs finite differences`, scale, dscale, forward);
  assertGradient(`${what}: doffset vs finite differences`, offset, doffset, forward);
}

export function registerGradients(ctx: SuiteContext): void {
  ctx.api.describe('gradients agree with central differences (float64)', () => {
    for (const op of ACTIVATION_OPS) {
      ctx.test(`activationBackward ${op}`, (h) => checkActivation(h, op, unarySpec(op).test.params));
    }
    ctx.test('softmaxBackward', (h) => {
      for (const shape of [[1, 1], [3, 5], [2, 2, 4], [1, 17]]) checkSoftmaxBackward(h, shape);
    });
    for (const kind of ['sparse', 'one-hot', 'soft'] as const) {
      ctx.test(`softmaxCrossentropy gradient, ${kind} labels`, (h) => {
        checkSce(h, kind, 4, 6, 1);
        checkSce(h, kind, 5, 3, 1 / 5);
        checkSce(h, kind, 1, 1, 1);
        checkSce(h, kind, 2, 17, 0.5);
      });
    }
    ctx.test('conv2dBackpropInput and conv2dBackpropFilter', (h) => {
      for (const c of GRADIENT_CONVS) checkConv(h, c);
    });
    ctx.test('maxPoolBackward and avgPoolBackward', (h) => {
      for (const c of GRADIENT_POOLS) checkPool(h, c);
    });
    ctx.test('batchNormalizationBackward (ops) in training, NHWC and 2-D', (h) => {
      checkBatchNormalization(h, [3, 4, 3, 2], [0, 1, 2]);
      checkBatchNormalization(h, [5, 3], [0]);
      checkBatchNormalization(h, [2, 3, 4], [0, 2]);
    });
  });
}
