import { ACTIVATION_OPS, conv2dInfo, pool2dInfo, UNARY_OPS, unarySpec, type Conv2dInfo } from '@scratchnet/backend';
import type { CpuBackend } from '@scratchnet/backend-cpu';
import { randomTensor as plainRandom, type SuiteRandom } from '@scratchnet/backend/testing';
import { broadcastShapes, zeros, type DType, type Tensor } from '@scratchnet/tensor';

/**
 * Random calls of every kernel, drawn from a seeded generator so that two backends can be given
 * identical inputs (fresh tensors in plain memory made by creation functions; the wasm backend
 * moves them into its own memory itself) and their outputs compared byte for byte.
 */
export interface Call {
  /** Runs the call on a backend (the cpu backend, or the wasm backend, which extends it). */
  run(b: CpuBackend): void;
  /** Every tensor the call writes (outputs and in-place state). */
  written: Tensor[];
  label: string;
}

export type Scenario = (rng: SuiteRandom) => Call;

/** A uniform random tensor in plain memory from a creation function (so a backend may move it). */
export function randomTensor(rng: SuiteRandom, shape: readonly number[], dtype: DType = 'float32', lo = -1, hi = 1): Tensor {
  const t = zeros(shape, { dtype });
  t.data.set(plainRandom(rng, shape, dtype, lo, hi).data);
  return t;
}

export function zerosTensor(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return zeros(shape, { dtype });
}

const FLOATS: readonly DType[] = ['float32', 'float64'];

/** NaN, infinities, signed zeros, subnormals of both widths, huge values. */
const SPECIALS = [NaN, Infinity, -Infinity, 0, -0, 1e-40, -1e-40, 1e-45, 5e-324, -5e-324, 3.4e38, -3.4e38, 1.7e308];

/** A dimension, mostly small and odd, sometimes large enough to split over many tiles. */
export function dim(rng: SuiteRandom, max = 70): number {
  const r = rng.next();
  if (r < 0.05) return 1;
  if (r < 0.15) return rng.int(max, 3 * max);
  return rng.int(2, max);
}

export function shapeOf(rng: SuiteRandom, rankMin = 1, rankMax = 3, max = 40): number[] {
  return Array.from({ length: rng.int(rankMin, rankMax) }, () => dim(rng, max));
}

/** A random float tensor with special values sprinkled in (about one in 8 elements). */
function withSpecials(rng: SuiteRandom, shape: readonly number[], dtype: DType, lo: number, hi: number): Tensor {
  const t = randomTensor(rng, shape, dtype, lo, hi);
  if (dtype !== 'int32') for (let i = 0; i < t.size; i++) if (rng.next() < 0.125) t.data[i] = rng.pick(SPECIALS);
  return t;
}

/**
 * Shapes `a` and `b` (dimensions of a base shape dropped from the front or set to 1) and `out`,
 * their broadcast, as ops computes it.
 */
function broadcastPair(rng: SuiteRandom): [number[], number[], number[]] {
  const base = shapeOf(rng, 1, 4, 24);
  const operand = (): number[] => {
    const drop = rng.int(0, base.length);
    return base.slice(drop).map((d) => (rng.next() < 0.3 ? 1 : d));
  };
  // Row vectors (bias adds) and scalars often: the layouts with SIMD kernels.
  const r = rng.next();
  const [a, b] = r < 0.2 ? [base, base.slice(-1)] : r < 0.3 ? [[], base] : [operand(), operand()];
  return [a, b, broadcastShapes('binary', a, b)];
}

export const SCENARIOS: Record<string, Scenario> = {
  matmul(rng) {
    const dtype = rng.pick(FLOATS);
    // k > 400 sometimes: several of matmul's k-blocks (assembly/matmul.ts, KC).
    const [m, k, n] = [dim(rng, 90), rng.next() < 0.1 ? rng.int(401, 1000) : dim(rng, 90), dim(rng, 90)];
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
    const op = rng.pick(UNARY_OPS);
    const dtype = rng.pick(unarySpec(op).floatOnly ? FLOATS : (['float32', 'float64', 'int32'] as const));
    const shape = shapeOf(rng);
    const x = withSpecials(rng, shape, dtype, -4, 4);
    const inPlace = rng.next() < 0.3;
    const out = inPlace ? x : zerosTensor(shape, dtype);
    // An alpha float32 can hold (0.5, 2) and one it cannot (0.1, 0.3): both float32 paths.
    const alpha = rng.pick([0.1, 0.3, 0.5, 2, rng.uniform(0, 2), ...(op === 'scale' ? [-1.5] : [])]);
    const params = { alpha, min: rng.pick([-0.5, -0.1, 0]), max: rng.pick([0.75, 0.3, 1]) };
    return { run: (be) => be.unary(op, x, out, params), written: [out], label: `${op} ${dtype} [${shape}] inPlace=${inPlace} ${JSON.stringify(params)}` };
  },
  binary(rng) {
    const op = rng.pick(['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'squaredDifference', 'equal', 'greater', 'less'] as const);
    const dtype = rng.pick(['float32', 'float64', 'float32', 'float64', 'int32'] as const);
    const [aShape, bShape, outShape] = broadcastPair(rng);
    const a = withSpecials(rng, aShape, dtype, -4, 4);
    const b = rng.next() < 0.2 ? a.reshape(a.shape) : withSpecials(rng, bShape, dtype, -4, 4);
    const sameAsA = b === a || b.storage === a.storage;
    const out = zerosTensor(sameAsA ? aShape : outShape, dtype);
    const bb = sameAsA ? a : b;
    return { run: (be) => be.binary(op, a, bb, out), written: [out], label: `${op} ${dtype} [${aShape}] [${bb.shape}] -> [${out.shape}]` };
  },
  activationBackward(rng) {
    const op = rng.pick(ACTIVATION_OPS);
    const dtype = rng.pick(FLOATS);
    const shape = shapeOf(rng);
    const saved = withSpecials(rng, shape, dtype, -1, 1);
    const dy = withSpecials(rng, shape, dtype, -1, 1);
    const dx = zerosTensor(shape, dtype);
    const alpha = rng.pick([0.2, 0.25, 0.01]);
    return { run: (be) => be.activationBackward(op, saved, dy, dx, { alpha }), written: [dx], label: `${op} ${dtype} [${shape}] alpha ${alpha}` };
  },
  reduce(rng) {
    const op = rng.pick(['sum', 'mean', 'max', 'min'] as const);
    const dtype = rng.pick(op === 'mean' ? FLOATS : (['float32', 'float64', 'int32'] as const));
    const shape = shapeOf(rng, 1, 3, 60);
    const axis = rng.int(0, shape.length - 1);
    const x = withSpecials(rng, shape, dtype, -2, 2);
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
    // Dense targets with exact zeros, which the loss leaves out.
    const labels = sparse ? randomTensor(rng, [n], 'int32', 0, c - 1) : randomTensor(rng, [n, c], dtype, 0, 1);
    if (!sparse) for (let i = 0; i < labels.size; i++) if (rng.next() < 0.4) labels.data[i] = 0;
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
    const src = withSpecials(rng, shape, from, -1e3, 1e3);
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
    const centered = rng.next() < 0.5;
    const meanGrad = centered ? randomTensor(rng, shape, dtype, -0.1, 0.1) : null;
    const momentum = rng.next() < 0.5 ? 0 : 0.9;
    const buffer = momentum ? randomTensor(rng, shape, dtype) : null;
    const options = { lr: 0.01, rho: 0.9, epsilon: 1e-7, momentum, centered };
    const state = [meanSquare, meanGrad, buffer].filter((t): t is Tensor => t !== null);
    return {
      run: (be) => be.rmspropUpdate(param, grad, meanSquare, meanGrad, buffer, options),
      written: [param, ...state],
      label: `${dtype} [${shape}] centered=${centered} momentum=${momentum}`,
    };
  },
  where(rng) {
    const dtype = rng.pick(['float32', 'float64', 'int32'] as const);
    const condType = rng.pick(['float32', 'float64', 'int32'] as const);
    const shape = shapeOf(rng, 1, 3, 60);
    const cond = withSpecials(rng, shape, condType, -1, 1);
    if (condType === 'int32') for (let i = 0; i < cond.size; i++) cond.data[i] = rng.int(-1, 1);
    const a = withSpecials(rng, shape, dtype, -9, 9);
    const b = withSpecials(rng, shape, dtype, -9, 9);
    const out = zerosTensor(shape, dtype);
    return { run: (be) => be.where(cond, a, b, out), written: [out], label: `${condType} cond, ${dtype} [${shape}]` };
  },
  conv2d(rng) {
    const { info, dtype, label } = convCase(rng);
    const x = randomTensor(rng, [info.batch, info.inHeight, info.inWidth, info.inChannels], dtype);
    const filter = randomTensor(rng, [info.filterHeight, info.filterWidth, info.inChannels, info.outChannels], dtype);
    const out = zerosTensor([info.batch, info.outHeight, info.outWidth, info.outChannels], dtype);
    return { run: (be) => be.conv2d(x, filter, out, info), written: [out], label };
  },
  conv2dBackpropInput(rng) {
    const { info, dtype, label } = convCase(rng);
    const dy = randomTensor(rng, [info.batch, info.outHeight, info.outWidth, info.outChannels], dtype);
    const filter = randomTensor(rng, [info.filterHeight, info.filterWidth, info.inChannels, info.outChannels], dtype);
    const dx = randomTensor(rng, [info.batch, info.inHeight, info.inWidth, info.inChannels], dtype);
    return { run: (be) => be.conv2dBackpropInput(dy, filter, dx, info), written: [dx], label };
  },
  conv2dBackpropFilter(rng) {
    const { info, dtype, label } = convCase(rng);
    const x = randomTensor(rng, [info.batch, info.inHeight, info.inWidth, info.inChannels], dtype);
    const dy = randomTensor(rng, [info.batch, info.outHeight, info.outWidth, info.outChannels], dtype);
    const dfilter = randomTensor(rng, [info.filterHeight, info.filterWidth, info.inChannels, info.outChannels], dtype);
    const accumulate = rng.next() < 0.4;
    return { run: (be) => be.conv2dBackpropFilter(x, dy, dfilter, info, accumulate), written: [dfilter], label: `${label} accumulate=${accumulate}` };
  },
  pool(rng) {
    const { info, dtype, label } = poolCase(rng);
    const kind = rng.pick(['maxPool', 'avgPool'] as const);
    const x = withSpecials(rng, [info.batch, info.inHeight, info.inWidth, info.inChannels], dtype, -2, 2);
    const out = zerosTensor([info.batch, info.outHeight, info.outWidth, info.outChannels], dtype);
    return { run: (be) => be[kind](x, out, info), written: [out], label: `${kind} ${label}` };
  },
  poolBackward(rng) {
    const { info, dtype, label } = poolCase(rng);
    const kind = rng.pick(['maxPoolBackward', 'avgPoolBackward'] as const);
    const x = withSpecials(rng, [info.batch, info.inHeight, info.inWidth, info.inChannels], dtype, -2, 2);
    // Ties, so that the first maximum must be the one found.
    for (let i = 0; i < x.size; i++) if (rng.next() < 0.2) x.data[i] = 1;
    const dy = randomTensor(rng, [info.batch, info.outHeight, info.outWidth, info.outChannels], dtype);
    const dx = randomTensor(rng, [info.batch, info.inHeight, info.inWidth, info.inChannels], dtype);
    const run = kind === 'maxPoolBackward' ? (be: CpuBackend) => be.maxPoolBackward(x, dy, dx, info) : (be: CpuBackend) => be.avgPoolBackward(dy, dx, info);
    return { run, written: [dx], label: `${kind} ${label}` };
  },
  moments(rng) {
    const { x, channels, dtype, label } = batchNormCase(rng);
    const mean = zerosTensor([channels], dtype);
    const variance = zerosTensor([channels], dtype);
    return { run: (be) => be.moments(x, mean, variance), written: [mean, variance], label };
  },
  batchNormalization(rng) {
    const { x, channels, dtype, label } = batchNormCase(rng);
    const mean = randomTensor(rng, [channels], dtype);
    const variance = randomTensor(rng, [channels], dtype, 0, 2);
    const scale = rng.next() < 0.7 ? randomTensor(rng, [channels], dtype) : null;
    const offset = rng.next() < 0.7 ? randomTensor(rng, [channels], dtype) : null;
    const inPlace = rng.next() < 0.3;
    const out = inPlace ? x : zerosTensor(x.shape, dtype);
    return { run: (be) => be.batchNormalization(x, mean, variance, scale, offset, 1e-3, out), written: [out], label: `${label} inPlace=${inPlace}` };
  },
  batchNormalizationBackward(rng) {
    const { x, channels, dtype, label } = batchNormCase(rng);
    const dy = randomTensor(rng, x.shape, dtype);
    const mean = randomTensor(rng, [channels], dtype);
    const variance = randomTensor(rng, [channels], dtype, 0, 2);
    const scale = rng.next() < 0.7 ? randomTensor(rng, [channels], dtype) : null;
    const dx = rng.next() < 0.3 ? dy : zerosTensor(x.shape, dtype);
    const dscale = zerosTensor([channels], dtype);
    const doffset = zerosTensor([channels], dtype);
    return {
      run: (be) => be.batchNormalizationBackward(dy, x, mean, variance, scale, 1e-3, dx, dscale, doffset),
      written: [dx, dscale, doffset],
      label: `${label} inPlace=${dx === dy}`,
    };
  },
};

/** A convolution's geometry: small images, odd sizes, strides, dilations, both paddings. */
function convCase(rng: SuiteRandom): { info: Conv2dInfo; dtype: DType; label: string } {
  const dtype = rng.pick(FLOATS);
  const [fh, fw] = [rng.int(1, 4), rng.int(1, 4)];
  const dilations: [number, number] = rng.next() < 0.2 ? [rng.int(1, 2), rng.int(1, 2)] : [1, 1];
  const strides: [number, number] = [rng.int(1, 3), rng.int(1, 3)];
  const padding = rng.pick(['valid', 'same'] as const);
  const xShape = [rng.int(0, 5), rng.int(fh * dilations[0], 14), rng.int(fw * dilations[1], 14), rng.int(1, 12)];
  const filterShape = [fh, fw, xShape[3]!, rng.next() < 0.1 ? rng.int(40, 70) : rng.int(1, 20)];
  const info = conv2dInfo('conv2d', xShape, filterShape, { strides, padding, dilations });
  return { info, dtype, label: `${dtype} x [${xShape}] filter [${filterShape}] strides [${strides}] dilations [${dilations}] ${padding}` };
}

function poolCase(rng: SuiteRandom): { info: Conv2dInfo; dtype: DType; label: string } {
  const dtype = rng.pick(FLOATS);
  const poolSize: [number, number] = [rng.int(1, 3), rng.int(1, 3)];
  const strides: [number, number] = rng.next() < 0.5 ? poolSize : [rng.int(1, 3), rng.int(1, 3)];
  const padding = rng.pick(['valid', 'same'] as const);
  const xShape = [rng.int(0, 4), rng.int(poolSize[0], 12), rng.int(poolSize[1], 12), rng.int(1, 20)];
  const info = pool2dInfo('pool', xShape, { poolSize, strides, padding });
  return { info, dtype, label: `${dtype} x [${xShape}] pool [${poolSize}] strides [${strides}] ${padding}` };
}

function batchNormCase(rng: SuiteRandom): { x: Tensor; channels: number; dtype: DType; label: string } {
  const dtype = rng.pick(FLOATS);
  const shape = [rng.int(0, 3), rng.int(1, 9), rng.int(1, 9), rng.int(1, 24)];
  if (rng.next() < 0.3) shape.splice(1, 2, rng.int(1, 400));
  const x = randomTensor(rng, shape, dtype, -3, 3);
  return { x, channels: shape[shape.length - 1]!, dtype, label: `${dtype} x [${shape}]` };
}
