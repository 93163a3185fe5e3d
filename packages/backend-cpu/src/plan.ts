import {
  TRANSCENDENTAL_COST,
  type Conv2dInfo,
  activationSpec,
  binarySpec,
  resolveUnaryParams,
  unarySpec,
  type ActivationOp,
  type AdamOptions,
  type ArgReduceOp,
  type BinaryOp,
  type MatmulOptions,
  type MomentumOptions,
  type ReduceOp,
  type RmspropOptions,
  type SgdOptions,
  type UnaryOp,
  type UnaryParams,
} from '@scratchnet/backend';
import { sizeOf, stridesOf, type Tensor, type TypedArray } from '@scratchnet/tensor';
import { broadcastLayout } from './broadcast-layout.js';
import type { KernelTask } from './kernels/index.js';
import { MATMUL_ROW_TILE, matmulRangeCost, type MatmulArgs } from './kernels/matmul.js';
import type { FloatArray, NumericArray } from './kernels/types.js';
import { windowArgs } from './kernels/window.js';

/**
 * How a planner reads a tensor's elements. The cpu backend reads `tensor.data`; a backend that
 * needs its own memory (shared, for threads) can move the storage first and return the new view.
 */
export type DataOf = (t: Tensor) => TypedArray;

export const plainData: DataOf = (t) => t.data;

// Planners turn Tensor arguments into a KernelTask: plain arrays and numbers, the unit count, the
// split grain and a rough cost. They trust their arguments, as kernels do (ops validated them).

const float = (data: DataOf, t: Tensor): FloatArray => data(t) as FloatArray;

/** Rough float64 operations per element of a transcendental function (the spec tables' unit). */
const TRANSCENDENTAL = TRANSCENDENTAL_COST;

export function planMatmul(
  a: Tensor,
  b: Tensor,
  out: Tensor,
  options: MatmulOptions = {},
  data: DataOf = plainData,
): KernelTask<'matmul'> {
  const transposeA = options.transposeA ?? false;
  const transposeB = options.transposeB ?? false;
  const aRank = a.shape.length;
  const bRank = b.shape.length;
  const batch = aRank === 3 ? a.shape[0]! : 1;
  const a0 = a.shape[aRank - 2]!;
  const a1 = a.shape[aRank - 1]!;
  const b0 = b.shape[bRank - 2]!;
  const b1 = b.shape[bRank - 1]!;
  const m = transposeA ? a1 : a0;
  const k = transposeA ? a0 : a1;
  const n = transposeB ? b0 : b1;
  return matmulTask({
    a: float(data, a),
    b: float(data, b),
    out: float(data, out),
    batch,
    m,
    n,
    k,
    transposeA,
    transposeB,
    bShared: bRank === 2,
    accumulate: options.accumulate ?? false,
  });
}

/** A matmul task from its arguments: rows across batches, split at row tiles, 2·n·k flops a row. */
export function matmulTask(args: MatmulArgs): KernelTask<'matmul'> {
  return {
    kernel: 'matmul',
    args,
    units: args.batch * args.m,
    grain: MATMUL_ROW_TILE,
    cost: 2 * args.n * args.k,
    rangeCost: matmulRangeCost(args),
  };
}

export function planUnary(
  op: UnaryOp,
  x: Tensor,
  out: Tensor,
  params: UnaryParams | undefined = undefined,
  data: DataOf = plainData,
): KernelTask<'unary'> {
  const { alpha, min, max } = resolveUnaryParams(op, params);
  return {
    kernel: 'unary',
    args: { op, x: data(x), out: data(out), alpha, min, max },
    units: out.size,
    grain: 1,
    cost: unarySpec(op).cost,
  };
}

export function planBinary(op: BinaryOp, a: Tensor, b: Tensor, out: Tensor, data: DataOf = plainData): KernelTask<'binary'> {
  const layout = broadcastLayout(a.shape, b.shape, out.shape);
  return {
    kernel: 'binary',
    args: { op, a: data(a), b: data(b), out: data(out), ...layout },
    units: out.size,
    grain: 1,
    // The strided walk costs address arithmetic on top of the op itself.
    cost: binarySpec(op).cost + (layout.layout === 'strided' ? 3 : 0),
  };
}

export function planWhere(cond: Tensor, a: Tensor, b: Tensor, out: Tensor, data: DataOf = plainData): KernelTask<'where'> {
  return {
    kernel: 'where',
    args: { cond: data(cond), a: data(a), b: data(b), out: data(out) },
    units: out.size,
    grain: 1,
    cost: 1,
  };
}

export function planActivationBackward(
  op: ActivationOp,
  saved: Tensor,
  dy: Tensor,
  dx: Tensor,
  params: UnaryParams | undefined = undefined,
  data: DataOf = plainData,
): KernelTask<'activationBackward'> {
  return {
    kernel: 'activationBackward',
    args: {
      op,
      saved: float(data, saved),
      dy: float(data, dy),
      dx: float(data, dx),
      alpha: resolveUnaryParams(op, params).alpha,
    },
    units: dx.size,
    grain: 1,
    cost: activationSpec(op).backwardCost,
  };
}

/** `x` viewed as `[outer, axisLen, inner]` around `axis` (negative counts from the end). */
export function axisView(shape: readonly number[], axis: number): { outer: number; axisLen: number; inner: number } {
  const a = axis < 0 ? axis + shape.length : axis;
  return {
    outer: sizeOf(shape.slice(0, a)),
    axisLen: shape[a]!,
    inner: sizeOf(shape.slice(a + 1)),
  };
}

export function planReduce(op: ReduceOp, x: Tensor, axis: number, out: Tensor, data: DataOf = plainData): KernelTask<'reduce'> {
  const view = axisView(x.shape, axis);
  return {
    kernel: 'reduce',
    args: { op, x: data(x), out: data(out), ...view },
    units: view.outer * view.inner,
    grain: 1,
    cost: Math.max(1, view.axisLen),
  };
}

export function planArgReduce(
  op: ArgReduceOp,
  x: Tensor,
  axis: number,
  out: Tensor,
  data: DataOf = plainData,
): KernelTask<'argReduce'> {
  const view = axisView(x.shape, axis);
  return {
    kernel: 'argReduce',
    args: { op, x: data(x), out: data(out) as Int32Array, ...view },
    units: view.outer * view.inner,
    grain: 1,
    cost: Math.max(1, view.axisLen),
  };
}

/** Rows and columns of the last axis (a scalar is one row of one column). */
function lastAxisRows(t: Tensor): { rows: number; cols: number } {
  const cols = t.shape.length === 0 ? 1 : t.shape[t.shape.length - 1]!;
  return { rows: cols === 0 ? 0 : t.size / cols, cols };
}

export function planSoftmax(
  kind: 'softmax' | 'logSoftmax',
  x: Tensor,
  out: Tensor,
  data: DataOf = plainData,
): KernelTask<'softmax' | 'logSoftmax'> {
  const { rows, cols } = lastAxisRows(x);
  return {
    kernel: kind,
    args: { x: float(data, x), out: float(data, out), rows, cols },
    units: rows,
    grain: 1,
    cost: cols * (TRANSCENDENTAL + 3),
  };
}

export function planSoftmaxBackward(y: Tensor, dy: Tensor, dx: Tensor, data: DataOf = plainData): KernelTask<'softmaxBackward'> {
  const { rows, cols } = lastAxisRows(y);
  return {
    kernel: 'softmaxBackward',
    args: { y: float(data, y), dy: float(data, dy), dx: float(data, dx), rows, cols },
    units: rows,
    grain: 1,
    cost: cols * 4,
  };
}

export function planSoftmaxCrossentropy(
  logits: Tensor,
  labels: Tensor,
  losses: Tensor,
  dlogits: Tensor | null,
  gradScale: number,
  data: DataOf = plainData,
): KernelTask<'softmaxCrossentropy'> {
  const { rows, cols } = lastAxisRows(logits);
  return {
    kernel: 'softmaxCrossentropy',
    args: {
      logits: float(data, logits),
      // Class indices come as int32; dense targets share the logits' float dtype.
      labels: data(labels) as FloatArray | Int32Array,
      sparse: labels.dtype === 'int32',
      losses: float(data, losses),
      dlogits: dlogits === null ? null : float(data, dlogits),
      gradScale,
      rows,
      cols,
    },
    units: rows,
    grain: 1,
    cost: cols * (TRANSCENDENTAL + 6),
  };
}

export function planGather(x: Tensor, indices: Tensor, out: Tensor, data: DataOf = plainData): KernelTask<'gather'> {
  const rowSize = sizeOf(x.shape.slice(1));
  return {
    kernel: 'gather',
    args: { x: data(x), indices: data(indices) as Int32Array, out: data(out), rowSize },
    units: indices.size,
    grain: 1,
    cost: Math.max(1, rowSize),
  };
}

export function planTranspose(
  x: Tensor,
  perm: readonly number[],
  out: Tensor,
  data: DataOf = plainData,
): KernelTask<'transpose'> {
  const xStrides = stridesOf(x.shape);
  return {
    kernel: 'transpose',
    args: {
      x: data(x),
      out: data(out),
      shape: [...out.shape],
      strides: perm.map((p) => xStrides[p]!),
    },
    units: out.size,
    grain: 1,
    cost: 3,
  };
}

export function planFill(out: Tensor, value: number, data: DataOf = plainData): KernelTask<'fill'> {
  return { kernel: 'fill', args: { out: data(out), value }, units: out.size, grain: 1, cost: 1 };
}

export function planCopy(kind: 'copy' | 'cast', src: Tensor, dst: Tensor, data: DataOf = plainData): KernelTask<'copy' | 'cast'> {
  return {
    kernel: kind,
    args: { src: data(src) as NumericArray, dst: data(dst) as NumericArray },
    units: dst.size,
    grain: 1,
    cost: 1,
  };
}

export function planSgd(param: Tensor, grad: Tensor, options: SgdOptions, data: DataOf = plainData): KernelTask<'sgd'> {
  return {
    kernel: 'sgd',
    args: { param: float(data, param), grad: float(data, grad), lr: options.lr, weightDecay: options.weightDecay ?? 0 },
    units: param.size,
    grain: 1,
    cost: 3,
  };
}

export function planMomentum(
  param: Tensor,
  grad: Tensor,
  velocity: Tensor,
  options: MomentumOptions,
  data: DataOf = plainData,
): KernelTask<'momentum'> {
  return {
    kernel: 'momentum',
    args: {
      param: float(data, param),
      grad: float(data, grad),
      velocity: float(data, velocity),
      lr: options.lr,
      momentum: options.momentum,
      nesterov: options.nesterov ?? false,
    },
    units: param.size,
    grain: 1,
    cost: 5,
  };
}

export function planAdam(
  param: Tensor,
  grad: Tensor,
  m: Tensor,
  v: Tensor,
  options: AdamOptions,
  data: DataOf = plainData,
): KernelTask<'adam'> {
  return {
    kernel: 'adam',
    args: {
      param: float(data, param),
      grad: float(data, grad),
      m: float(data, m),
      v: float(data, v),
      lr: options.lr,
      beta1: options.beta1,
      beta2: options.beta2,
      epsilon: options.epsilon,
      biasCorrection1: 1 - Math.pow(options.beta1, options.step),
      biasCorrection2: 1 - Math.pow(options.beta2, options.step),
      weightDecay: options.weightDecay ?? 0,
    },
    units: param.size,
    grain: 1,
    cost: 15,
  };
}

export function planRmsprop(
  param: Tensor,
  grad: Tensor,
  meanSquare: Tensor,
  meanGrad: Tensor | null,
  buffer: Tensor | null,
  options: RmspropOptions,
  data: DataOf = plainData,
): KernelTask<'rmsprop'> {
  const momentum = options.momentum ?? 0;
  return {
    kernel: 'rmsprop',
    args: {
      param: float(data, param),
      grad: float(data, grad),
      meanSquare: float(data, meanSquare),
      // State a variant does not use is neither needed nor touched.
      meanGrad: options.centered === true && meanGrad !== null ? float(data, meanGrad) : null,
      buffer: momentum !== 0 && buffer !== null ? float(data, buffer) : null,
      lr: options.lr,
      rho: options.rho,
      epsilon: options.epsilon,
      momentum,
    },
    units: param.size,
    grain: 1,
    cost: 14,
  };
}

export function planPool(kind: 'maxPool' | 'avgPool', x: Tensor, out: Tensor, info: Conv2dInfo, data: DataOf = plainData): KernelTask<'maxPool' | 'avgPool'> {
  return {
    kernel: kind,
    args: { ...windowArgs(info), x: float(data, x), out: float(data, out) },
    units: info.batch * info.outHeight * info.outWidth,
    grain: 1,
    cost: info.filterHeight * info.filterWidth * info.inChannels,
  };
}

export function planPoolBackward(
  kind: 'maxPoolBackward' | 'maxPoolBackwardDisjoint' | 'avgPoolBackward',
  x: Tensor | null,
  dy: Tensor,
  dx: Tensor,
  info: Conv2dInfo,
  data: DataOf = plainData,
): KernelTask<'maxPoolBackward' | 'maxPoolBackwardDisjoint' | 'avgPoolBackward'> {
  const taps = info.filterHeight * info.filterWidth;
  if (kind === 'maxPoolBackwardDisjoint') {
    return {
      kernel: kind,
      args: { ...windowArgs(info), x: float(data, x!), dy: float(data, dy), dx: float(data, dx) },
      units: info.batch * info.outHeight * info.outWidth,
      grain: 1,
      cost: info.inChannels * (taps + 1),
    };
  }
  // Windows reading each pixel: about (pool / stride)² of them; the max pool searches each one again.
  const readers = Math.max(1, Math.ceil(info.filterHeight / info.strideHeight) * Math.ceil(info.filterWidth / info.strideWidth));
  return {
    kernel: kind,
    args: { ...windowArgs(info), x: x === null ? null : float(data, x), dy: float(data, dy), dx: float(data, dx) },
    units: info.batch * info.inHeight * info.inWidth,
    grain: 1,
    cost: info.inChannels * readers * (kind === 'maxPoolBackward' ? taps + 1 : 2),
  };
}
