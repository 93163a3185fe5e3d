import { ACTIVATION_OPS, UNARY_SPECS, conv2dInfo, filterShapeOf, outputShapeOf, pool2dInfo, type Conv2dInfo, type Padding } from '@scratchnet/backend';
import { CpuBackend } from '@scratchnet/backend-cpu';
import type { DType, Tensor } from '@scratchnet/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { WorkerBackend } from './built.js';
import { firstDifference, randomTensor, sameBits, SuiteRandom, zerosTensor } from './helpers.js';

/**
 * Every kernel on random shapes, in real threads, against CpuBackend: the written tensors must
 * hold the very same bytes. Each scenario draws its shapes and values from a seeded generator,
 * so the cpu run and the worker run see identical inputs (fresh tensors in plain memory; the
 * worker backend moves them into shared memory itself).
 */
interface Call {
  run(b: CpuBackend): void;
  /** Every tensor the call writes (outputs and in-place state). */
  written: Tensor[];
  label: string;
}

type Scenario = (rng: SuiteRandom) => Call;

const FLOATS: readonly DType[] = ['float32', 'float64'];

/** A dimension, mostly small and odd, sometimes large enough to split over many tiles. */
function dim(rng: SuiteRandom, max = 70): number {
  const r = rng.next();
  if (r < 0.05) return 1;
  if (r < 0.15) return rng.int(max, 3 * max);
  return rng.int(2, max);
}

function shapeOf(rng: SuiteRandom, rankMin = 1, rankMax = 3, max = 40): number[] {
  return Array.from({ length: rng.int(rankMin, rankMax) }, () => dim(rng, max));
}

/** Shapes `a` and `b` that broadcast to `out` (dimensions dropped from the front or set to 1). */
function broadcastPair(rng: SuiteRandom): [number[], number[], number[]] {
  const out = shapeOf(rng, 1, 4, 24);
  const operand = (): number[] => {
    const drop = rng.int(0, out.length);
    return out.slice(drop).map((d) => (rng.next() < 0.3 ? 1 : d));
  };
  return [operand(), operand(), out];
}

/**
 * A random convolution: sizes 1 to 20 (sometimes a batch large enough for several im2col chunks
 * of the cpu backend), filters 1 to 5, strides 1 to 3, dilation 1 or 2, either padding.
 */
function convGeometry(rng: SuiteRandom): Conv2dInfo {
  const big = rng.next() < 0.15;
  const batch = big ? rng.int(12, 20) : rng.int(1, 4);
  const [h, w] = big ? [28, 28] : [rng.int(1, 20), rng.int(1, 20)];
  const c = big ? 1 : rng.int(1, 9);
  const filter = [rng.int(1, 5), rng.int(1, 5), c, big ? 8 : rng.int(1, 17)];
  const strides: [number, number] = [rng.int(1, 3), rng.int(1, 3)];
  const dilations: [number, number] = rng.next() < 0.3 ? [rng.int(1, 2), rng.int(1, 2)] : [1, 1];
  let padding: Padding = rng.next() < 0.5 ? 'same' : 'valid';
  if ((filter[0]! - 1) * dilations[0] + 1 > h || (filter[1]! - 1) * dilations[1] + 1 > w) padding = 'same';
  return conv2dInfo('bitwise', [batch, h, w, c], filter, { strides, dilations, padding });
}

function poolGeometry(rng: SuiteRandom): Conv2dInfo {
  const shape = [rng.int(1, 4), rng.int(1, 24), rng.int(1, 24), rng.int(1, 20)];
  const poolSize: [number, number] = [rng.int(1, 3), rng.int(1, 3)];
  // Half the time windows that tile (the usual 2×2 stride 2), else any stride (overlapping or sparse).
  const strides: [number, number] = rng.next() < 0.5 ? poolSize : [rng.int(1, 3), rng.int(1, 3)];
  let padding: Padding = rng.next() < 0.5 ? 'same' : 'valid';
  if (poolSize[0] > shape[1]! || poolSize[1] > shape[2]!) padding = 'same';
  return pool2dInfo('bitwise', shape, { poolSize, strides, padding });
}

const describeConv = (info: Conv2dInfo): string =>
  `x [${info.batch},${info.inHeight},${info.inWidth},${info.inChannels}] filter [${filterShapeOf(info)}] strides ${info.strideHeight}x${info.strideWidth} dilations ${info.dilationHeight}x${info.dilationWidth} ${info.padding}`;

/** Pool inputs: random, or small integers (ties, so the first maximum must win the same way). */
function poolInput(rng: SuiteRandom, info: Conv2dInfo, dtype: DType): Tensor {
  const shape = [info.batch, info.inHeight, info.inWidth, info.inChannels];
  if (rng.next() < 0.5) return randomTensor(rng, shape, dtype);
  const x = randomTensor(rng, shape, dtype, 0, 2);
  for (let i = 0; i < x.size; i++) x.data[i] = Math.floor(x.data[i]!);
  return x;
}

const SCENARIOS: Record<string, Scenario> = {
  conv2d(rng) {
    const dtype = rng.pick(FLOATS);
    const info = convGeometry(rng);
    const x = randomTensor(rng, [info.batch, info.inHeight, info.inWidth, info.inChannels], dtype);
    const filter = randomTensor(rng, filterShapeOf(info), dtype);
    const out = zerosTensor(outputShapeOf(info), dtype);
    return { run: (be) => be.conv2d(x, filter, out, info), written: [out], label: `${dtype} ${describeConv(info)}` };
  },
  conv2dBackpropInput(rng) {
    const dtype = rng.pick(FLOATS);
    const info = convGeometry(rng);
    const dy = randomTensor(rng, outputShapeOf(info), dtype);
    const filter = randomTensor(rng, filterShapeOf(info), dtype);
    const dx = zerosTensor([info.batch, info.inHeight, info.inWidth, info.inChannels], dtype);
    return { run: (be) => be.conv2dBackpropInput(dy, filter, dx, info), written: [dx], label: `${dtype} ${describeConv(info)}` };
  },
  conv2dBackpropFilter(rng) {
    const dtype = rng.pick(FLOATS);
    const info = convGeometry(rng);
    const x = randomTensor(rng, [info.batch, info.inHeight, info.inWidth, info.inChannels], dtype);
    const dy = randomTensor(rng, outputShapeOf(info), dtype);
    const dfilter = randomTensor(rng, filterShapeOf(info), dtype);
    const accumulate = rng.next() < 0.5;
    return {
      run: (be) => be.conv2dBackpropFilter(x, dy, dfilter, info, accumulate),
      written: [dfilter],
      label: `${dtype} ${describeConv(info)} accumulate=${accumulate}`,
    };
  },
  maxPool(rng) {
    const dtype = rng.pick(FLOATS);
    const info = poolGeometry(rng);
    const x = poolInput(rng, info, dtype);
    const out = zerosTensor(outputShapeOf(info), dtype);
    return { run: (be) => be.maxPool(x, out, info), written: [out], label: `${dtype} ${describeConv(info)}` };
  },
  avgPool(rng) {
    const dtype = rng.pick(FLOATS);
    const info = poolGeometry(rng);
    const x = poolInput(rng, info, dtype);
    const out = zerosTensor(outputShapeOf(info), dtype);
    return { run: (be) => be.avgPool(x, out, info), written: [out], label: `${dtype} ${describeConv(info)}` };
  },
  maxPoolBackward(rng) {
    const dtype = rng.pick(FLOATS);
    const info = poolGeometry(rng);
    const x = poolInput(rng, info, dtype);
    const dy = randomTensor(rng, outputShapeOf(info), dtype);
    const dx = randomTensor(rng, x.shape, dtype);
    return { run: (be) => be.maxPoolBackward(x, dy, dx, info), written: [dx], label: `${dtype} ${describeConv(info)}` };
  },
  moments(rng) {
    const dtype = rng.pick(FLOATS);
    const [rows, channels] = [dim(rng, 400), dim(rng, 40)];
    const x = randomTensor(rng, [rows, channels], dtype, 3, 9);
    const mean = zerosTensor([channels], dtype);
    const variance = zerosTensor([channels], dtype);
    return { run: (be) => be.moments(x, mean, variance), written: [mean, variance], label: `${dtype} [${rows},${channels}]` };
  },
  batchNormalization(rng) {
    const dtype = rng.pick(FLOATS);
    const [rows, channels] = [dim(rng, 400), dim(rng, 40)];
    const x = randomTensor(rng, [rows, channels], dtype);
    const [mean, variance, scale, offset] = [0, 0.5, 0.5, -1].map((lo) => randomTensor(rng, [channels], dtype, lo, lo + 1));
    const withParameters = rng.next() < 0.5;
    const out = rng.next() < 0.3 ? x : zerosTensor([rows, channels], dtype);
    return {
      run: (be) => be.batchNormalization(x, mean!, variance!, withParameters ? scale! : null, withParameters ? offset! : null, 0.001, out),
      written: [out],
      label: `${dtype} [${rows},${channels}] parameters=${withParameters} inPlace=${out === x}`,
    };
  },
  batchNormalizationBackward(rng) {
    const dtype = rng.pick(FLOATS);
    const [rows, channels] = [dim(rng, 400), dim(rng, 40)];
    const x = randomTensor(rng, [rows, channels], dtype);
    const dy = randomTensor(rng, [rows, channels], dtype);
    const [mean, variance, scale] = [0, 0.5, 0.5].map((lo) => randomTensor(rng, [channels], dtype, lo, lo + 1));
    const dx = rng.next() < 0.3 ? dy : zerosTensor([rows, channels], dtype);
    const dscale = zerosTensor([channels], dtype);
    const doffset = zerosTensor([channels], dtype);
    return {
      run: (be) => be.batchNormalizationBackward(dy, x, mean!, variance!, scale!, 0.001, dx, dscale, doffset),
      written: [dx, dscale, doffset],
      label: `${dtype} [${rows},${channels}] inPlace=${dx === dy}`,
    };
  },
  avgPoolBackward(rng) {
    const dtype = rng.pick(FLOATS);
    const info = poolGeometry(rng);
    const dy = randomTensor(rng, outputShapeOf(info), dtype);
    const dx = randomTensor(rng, [info.batch, info.inHeight, info.inWidth, info.inChannels], dtype);
    return { run: (be) => be.avgPoolBackward(dy, dx, info), written: [dx], label: `${dtype} ${describeConv(info)}` };
  },
  matmul(rng) {
    const dtype = rng.pick(FLOATS);
    const [m, k, n] = [dim(rng, 90), dim(rng, 90), dim(rng, 90)];
    const transposeA = rng.next() < 0.5;
    const transposeB = rng.next() < 0.5;
    const batch = rng.next() < 0.3 ? rng.int(1, 4) : 0;
    const shared = batch > 0 && rng.next() < 0.5;
    const accumulate = rng.next() < 0.3;
    const aShape = transposeA ? [k, m] : [m, k];
    const bShape = transposeB ? [n, k] : [k, n];
    const a = randomTensor(rng, batch ? [batch, ...aShape] : aShape, dtype);
    const b = randomTensor(rng, batch && !shared ? [batch, ...bShape] : bShape, dtype);
    const out = randomTensor(rng, batch ? [batch, m, n] : [m, n], dtype);
    return {
      run: (be) => be.matmul(a, b, out, { transposeA, transposeB, accumulate }),
      written: [out],
      label: `${dtype} ${batch}x${m}x${k}x${n} tA=${transposeA} tB=${transposeB} shared=${shared} acc=${accumulate}`,
    };
  },
  unary(rng) {
    const op = rng.pick(['neg', 'abs', 'sign', 'exp', 'log', 'sqrt', 'square', 'reciprocal', 'relu', 'leakyRelu', 'sigmoid', 'tanh', 'clip', 'scale'] as const);
    const dtype = rng.pick(FLOATS);
    const shape = shapeOf(rng);
    const x = randomTensor(rng, shape, dtype, -4, 4);
    const inPlace = rng.next() < 0.3;
    const out = inPlace ? x : zerosTensor(shape, dtype);
    const params = { alpha: rng.uniform(0, 2), min: -0.5, max: 0.75 };
    return { run: (be) => be.unary(op, x, out, params), written: [out], label: `${op} ${dtype} [${shape}] inPlace=${inPlace}` };
  },
  binary(rng) {
    const op = rng.pick(['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'squaredDifference', 'equal', 'greater', 'less'] as const);
    const dtype = rng.pick(['float32', 'float64', 'int32'] as const);
    const [aShape, bShape, outShape] = broadcastPair(rng);
    const a = randomTensor(rng, aShape, dtype, 1, 4);
    const b = randomTensor(rng, bShape, dtype, 1, 4);
    const out = zerosTensor(outShape, dtype);
    return { run: (be) => be.binary(op, a, b, out), written: [out], label: `${op} ${dtype} [${aShape}] [${bShape}] -> [${outShape}]` };
  },
  activationBackward(rng) {
    const op = rng.pick(ACTIVATION_OPS);
    const dtype = rng.pick(FLOATS);
    const shape = shapeOf(rng);
    const saved = randomTensor(rng, shape, dtype);
    const dy = randomTensor(rng, shape, dtype);
    const dx = zerosTensor(shape, dtype);
    const params = 'alpha' in UNARY_SPECS[op].params ? { alpha: 0.2 } : undefined;
    return { run: (be) => be.activationBackward(op, saved, dy, dx, params), written: [dx], label: `${op} ${dtype} [${shape}]` };
  },
  reduce(rng) {
    const op = rng.pick(['sum', 'mean', 'max', 'min'] as const);
    const dtype = rng.pick(FLOATS);
    const shape = shapeOf(rng, 1, 3, 60);
    const axis = rng.int(0, shape.length - 1);
    const x = randomTensor(rng, shape, dtype);
    const out = zerosTensor(shape.filter((_, i) => i !== axis), dtype);
    return { run: (be) => be.reduce(op, x, axis, out), written: [out], label: `${op} ${dtype} [${shape}] axis ${axis}` };
  },
  argReduce(rng) {
    const op = rng.pick(['argmax', 'argmin'] as const);
    const dtype = rng.pick(['float32', 'int32'] as const);
    const shape = shapeOf(rng, 1, 3, 60);
    const axis = rng.int(0, shape.length - 1);
    const x = randomTensor(rng, shape, dtype, -5, 5);
    const out = zerosTensor(shape.filter((_, i) => i !== axis), 'int32');
    return { run: (be) => be.argReduce(op, x, axis, out), written: [out], label: `${op} ${dtype} [${shape}] axis ${axis}` };
  },
  softmax(rng) {
    const dtype = rng.pick(FLOATS);
    const shape = shapeOf(rng, 1, 3, 50);
    const x = randomTensor(rng, shape, dtype, -20, 20);
    const out = zerosTensor(shape, dtype);
    return { run: (be) => be.softmax(x, out), written: [out], label: `${dtype} [${shape}]` };
  },
  logSoftmax(rng) {
    const dtype = rng.pick(FLOATS);
    const shape = shapeOf(rng, 1, 3, 50);
    const x = randomTensor(rng, shape, dtype, -20, 20);
    const out = zerosTensor(shape, dtype);
    return { run: (be) => be.logSoftmax(x, out), written: [out], label: `${dtype} [${shape}]` };
  },
  softmaxBackward(rng) {
    const dtype = rng.pick(FLOATS);
    const shape = shapeOf(rng, 1, 3, 50);
    const y = randomTensor(rng, shape, dtype, 0, 1);
    const dy = randomTensor(rng, shape, dtype);
    const dx = zerosTensor(shape, dtype);
    return { run: (be) => be.softmaxBackward(y, dy, dx), written: [dx], label: `${dtype} [${shape}]` };
  },
  softmaxCrossentropy(rng) {
    const dtype = rng.pick(FLOATS);
    const [n, c] = [dim(rng, 200), dim(rng, 20)];
    const sparse = rng.next() < 0.5;
    const logits = randomTensor(rng, [n, c], dtype, -8, 8);
    const labels = sparse ? randomTensor(rng, [n], 'int32', 0, c - 1) : randomTensor(rng, [n, c], dtype, 0, 1);
    const losses = zerosTensor([n], dtype);
    const dlogits = rng.next() < 0.7 ? zerosTensor([n, c], dtype) : null;
    const scale = 1 / n;
    return {
      run: (be) => be.softmaxCrossentropy(logits, labels, losses, dlogits, scale),
      written: dlogits ? [losses, dlogits] : [losses],
      label: `${dtype} [${n},${c}] sparse=${sparse} grad=${dlogits !== null}`,
    };
  },
  gather(rng) {
    const dtype = rng.pick(['float32', 'float64', 'int32'] as const);
    const shape = shapeOf(rng, 1, 3, 30);
    const x = randomTensor(rng, shape, dtype, -9, 9);
    const m = dim(rng, 100);
    const indices = randomTensor(rng, [m], 'int32', 0, shape[0]! - 1);
    const out = zerosTensor([m, ...shape.slice(1)], dtype);
    return { run: (be) => be.gather(x, indices, out), written: [out], label: `${dtype} [${shape}] by ${m} indices` };
  },
  transpose(rng) {
    const dtype = rng.pick(['float32', 'float64', 'int32'] as const);
    const shape = shapeOf(rng, 2, 4, 20);
    const perm = shape.map((_, i) => i);
    for (let i = perm.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [perm[i], perm[j]] = [perm[j]!, perm[i]!];
    }
    const x = randomTensor(rng, shape, dtype, -9, 9);
    const out = zerosTensor(perm.map((p) => shape[p]!), dtype);
    return { run: (be) => be.transpose(x, perm, out), written: [out], label: `${dtype} [${shape}] perm [${perm}]` };
  },
  fill(rng) {
    const dtype = rng.pick(['float32', 'float64', 'int32'] as const);
    const shape = shapeOf(rng, 1, 3, 80);
    const out = randomTensor(rng, shape, dtype);
    const value = rng.uniform(-3, 3);
    return { run: (be) => be.fill(out, value), written: [out], label: `${dtype} [${shape}]` };
  },
  copy(rng) {
    const dtype = rng.pick(['float32', 'float64', 'int32'] as const);
    const shape = shapeOf(rng, 1, 3, 80);
    const src = randomTensor(rng, shape, dtype, -9, 9);
    const dst = zerosTensor([src.size], dtype);
    return { run: (be) => be.copy(src, dst), written: [dst], label: `${dtype} [${shape}]` };
  },
  cast(rng) {
    const from = rng.pick(['float32', 'float64', 'int32'] as const);
    const to = rng.pick(['float32', 'float64', 'int32'] as const);
    const shape = shapeOf(rng, 1, 3, 80);
    const src = randomTensor(rng, shape, from, -1e3, 1e3);
    const dst = zerosTensor(shape, to);
    return { run: (be) => be.cast(src, dst), written: [dst], label: `${from} -> ${to} [${shape}]` };
  },
  sgdUpdate(rng) {
    const dtype = rng.pick(FLOATS);
    const shape = shapeOf(rng, 1, 2, 400);
    const param = randomTensor(rng, shape, dtype);
    const grad = randomTensor(rng, shape, dtype);
    const options = { lr: 0.05, weightDecay: rng.next() < 0.5 ? 0 : 0.01 };
    return { run: (be) => be.sgdUpdate(param, grad, options), written: [param], label: `${dtype} [${shape}]` };
  },
  momentumUpdate(rng) {
    const dtype = rng.pick(FLOATS);
    const shape = shapeOf(rng, 1, 2, 400);
    const param = randomTensor(rng, shape, dtype);
    const grad = randomTensor(rng, shape, dtype);
    const velocity = randomTensor(rng, shape, dtype);
    const options = { lr: 0.05, momentum: 0.9, nesterov: rng.next() < 0.5 };
    return { run: (be) => be.momentumUpdate(param, grad, velocity, options), written: [param, velocity], label: `${dtype} [${shape}] nesterov=${options.nesterov}` };
  },
  adamUpdate(rng) {
    const dtype = rng.pick(FLOATS);
    const shape = shapeOf(rng, 1, 2, 400);
    const param = randomTensor(rng, shape, dtype);
    const grad = randomTensor(rng, shape, dtype);
    const m = randomTensor(rng, shape, dtype);
    const v = randomTensor(rng, shape, dtype, 0, 1);
    const options = { lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, step: rng.int(1, 50), weightDecay: rng.next() < 0.5 ? 0 : 0.01 };
    return { run: (be) => be.adamUpdate(param, grad, m, v, options), written: [param, m, v], label: `${dtype} [${shape}] step ${options.step}` };
  },
  rmspropUpdate(rng) {
    const dtype = rng.pick(FLOATS);
    const shape = shapeOf(rng, 1, 2, 400);
    const param = randomTensor(rng, shape, dtype);
    const grad = randomTensor(rng, shape, dtype);
    const meanSquare = randomTensor(rng, shape, dtype, 0, 1);
    const momentum = rng.next() < 0.5 ? 0 : 0.9;
    const centered = rng.next() < 0.5;
    const buffer = momentum ? randomTensor(rng, shape, dtype) : null;
    // Small running means keep the centered variance s - mg² positive.
    const meanGrad = centered ? randomTensor(rng, shape, dtype, -0.1, 0.1) : null;
    const options = { lr: 0.01, rho: 0.9, epsilon: 1e-7, momentum, centered };
    return {
      run: (be) => be.rmspropUpdate(param, grad, meanSquare, meanGrad, buffer, options),
      written: [param, meanSquare, ...(meanGrad ? [meanGrad] : []), ...(buffer ? [buffer] : [])],
      label: `${dtype} [${shape}] momentum=${momentum} centered=${centered}`,
    };
  },
  where(rng) {
    const dtype = rng.pick(FLOATS);
    const shape = shapeOf(rng);
    const cond = randomTensor(rng, shape, dtype);
    for (let i = 0; i < cond.size; i += 3) cond.data[i] = 0;
    const a = randomTensor(rng, shape, dtype);
    const b = randomTensor(rng, shape, dtype);
    const out = zerosTensor(shape, dtype);
    return { run: (be) => be.where(cond, a, b, out), written: [out], label: `${dtype} [${shape}]` };
  },
};

const TRIALS = 12;

const configs: Array<[string, () => WorkerBackend]> = [
  ['2 threads, everything split', () => new WorkerBackend({ threads: 2, inlineThreshold: 0 })],
  ['3 threads, everything split', () => new WorkerBackend({ threads: 3, inlineThreshold: 0 })],
  ['4 threads, default thresholds', () => new WorkerBackend({ threads: 4 })],
];

describe('worker results are bitwise identical to cpu results', () => {
  it('the scenarios cover every Backend kernel', () => {
    const kernelMethods = Object.getOwnPropertyNames(CpuBackend.prototype).filter(
      (p) => p !== 'constructor' && p !== 'dataOf' && p !== 'run' && p !== 'unaryOps' && p !== 'convolution',
    );
    expect(Object.keys(SCENARIOS).sort()).toEqual(kernelMethods.sort());
  });

  for (const [configName, make] of configs) {
    describe(configName, () => {
      const backend = make();
      const cpu = new CpuBackend();
      afterAll(() => backend.dispose());

      for (const [kernel, scenario] of Object.entries(SCENARIOS)) {
        it(`${kernel} on ${TRIALS} random shapes`, () => {
          for (let trial = 0; trial < TRIALS; trial++) {
            const seed = 1000 * trial + kernel.length;
            const expected = scenario(new SuiteRandom(seed));
            expected.run(cpu);
            const actual = scenario(new SuiteRandom(seed));
            actual.run(backend);
            actual.written.forEach((t, i) => {
              const want = expected.written[i]!;
              if (!sameBits(t.data, want.data)) {
                const at = firstDifference(t.data, want.data);
                expect.fail(`${kernel} ${actual.label}: output ${i} differs first at element ${at}: worker ${t.data[at]}, cpu ${want.data[at]}`);
              }
            });
          }
        });
      }
    });
  }
});
