import { sizeOf, stridesOf, type Tensor } from '@scratchnet/tensor';
import type {
  AdamOptions,
  Backend,
  FusedKernels,
  MatmulOptions,
  MomentumOptions,
  RmspropOptions,
  SgdOptions,
} from '../backend.js';
import type { Conv2dInfo } from '../spec/conv2d-info.js';
import {
  referenceBatchNormalization,
  referenceBatchNormalizationBackward,
  referenceMoments,
} from './reference-batch-normalization.js';
import {
  referenceAvgPool,
  referenceAvgPoolBackward,
  referenceConv2d,
  referenceConv2dBackpropFilter,
  referenceConv2dBackpropInput,
  referenceMaxPool,
  referenceMaxPoolBackward,
} from './reference-conv.js';
import { activationBackwardLoop, binaryLoop, unaryLoop, whereLoop } from '../portable/elementwise.js';
import { argReduceLoop, reduceLoop } from '../portable/reductions.js';
import type { BinaryOp } from '../spec/binary.js';
import type { UnaryParams } from '../spec/params.js';
import type { ArgReduceOp, ReduceOp } from '../spec/reduce.js';
import { UNARY_OPS, type ActivationOp, type UnaryOp } from '../spec/unary.js';

/**
 * The oracle: every kernel of the Backend contract, core and fused, as the most obvious loop,
 * computing in float64 (JavaScript numbers) and storing into the destination's typed array, which
 * rounds to float32 or truncates to int32. Elementwise ops and reductions are the spec tables'
 * scalar forms (`UNARY_SPECS`, `BINARY_SPECS`, `REDUCE_SPECS`) applied element by element.
 * Clarity over speed: no blocking, no fast paths, no cleverness, so that a reader can check each
 * formula against the contract by eye. The conformance suite compares other backends against it;
 * it is itself checked against NumPy fixtures and finite differences.
 */
export class ReferenceBackend implements Backend, FusedKernels {
  readonly name: string = 'reference';
  readonly unaryOps: readonly UnaryOp[] = UNARY_OPS;

  matmul(a: Tensor, b: Tensor, out: Tensor, options: MatmulOptions = {}): void {
    const transposeA = options.transposeA ?? false;
    const transposeB = options.transposeB ?? false;
    const batch = out.rank === 3 ? out.shape[0]! : 1;
    const m = out.shape[out.rank - 2]!;
    const n = out.shape[out.rank - 1]!;
    const aRows = a.shape[a.rank - 2]!;
    const aCols = a.shape[a.rank - 1]!;
    const bRows = b.shape[b.rank - 2]!;
    const bCols = b.shape[b.rank - 1]!;
    const k = transposeA ? aRows : aCols;
    const A = a.data;
    const B = b.data;
    const C = out.data;
    for (let p = 0; p < batch; p++) {
      const aBase = p * aRows * aCols;
      const bBase = b.rank === 3 ? p * bRows * bCols : 0; // a 2-D b is shared by every batch
      const cBase = p * m * n;
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let q = 0; q < k; q++) {
            const av = transposeA ? A[aBase + q * aCols + i]! : A[aBase + i * aCols + q]!;
            const bv = transposeB ? B[bBase + j * bCols + q]! : B[bBase + q * bCols + j]!;
            s += av * bv;
          }
          C[cBase + i * n + j] = options.accumulate ? C[cBase + i * n + j]! + s : s;
        }
      }
    }
  }

  unary(op: UnaryOp, x: Tensor, out: Tensor, params?: UnaryParams): void {
    unaryLoop(op, x, out, params);
  }

  binary(op: BinaryOp, a: Tensor, b: Tensor, out: Tensor): void {
    binaryLoop(op, a, b, out);
  }

  where(cond: Tensor, a: Tensor, b: Tensor, out: Tensor): void {
    whereLoop(cond, a, b, out);
  }

  activationBackward(op: ActivationOp, saved: Tensor, dy: Tensor, dx: Tensor, params?: UnaryParams): void {
    activationBackwardLoop(op, saved, dy, dx, params);
  }

  reduce(op: ReduceOp, x: Tensor, axis: number, out: Tensor): void {
    reduceLoop(op, x, axis, out);
  }

  argReduce(op: ArgReduceOp, x: Tensor, axis: number, out: Tensor): void {
    argReduceLoop(op, x, axis, out);
  }

  softmax(x: Tensor, out: Tensor): void {
    forEachRow(x, (start, c) => {
      const X = x.data;
      const Y = out.data;
      const m = rowMax(X, start, c);
      let total = 0;
      for (let j = 0; j < c; j++) total += Math.exp(X[start + j]! - m);
      for (let j = 0; j < c; j++) Y[start + j] = Math.exp(X[start + j]! - m) / total;
    });
  }

  logSoftmax(x: Tensor, out: Tensor): void {
    forEachRow(x, (start, c) => {
      const X = x.data;
      const Y = out.data;
      const m = rowMax(X, start, c);
      let total = 0;
      for (let j = 0; j < c; j++) total += Math.exp(X[start + j]! - m);
      const logTotal = Math.log(total);
      for (let j = 0; j < c; j++) Y[start + j] = X[start + j]! - m - logTotal;
    });
  }

  softmaxBackward(y: Tensor, dy: Tensor, dx: Tensor): void {
    forEachRow(y, (start, c) => {
      const Y = y.data;
      const G = dy.data;
      const D = dx.data;
      let dot = 0;
      for (let j = 0; j < c; j++) dot += G[start + j]! * Y[start + j]!;
      for (let j = 0; j < c; j++) D[start + j] = Y[start + j]! * (G[start + j]! - dot);
    });
  }

  softmaxCrossentropy(logits: Tensor, labels: Tensor, losses: Tensor, dlogits: Tensor | null, gradScale: number): void {
    const n = logits.shape[0]!;
    const c = logits.shape[1]!;
    const X = logits.data;
    const L = labels.data;
    const sparse = labels.rank === 1;
    for (let i = 0; i < n; i++) {
      const start = i * c;
      const m = rowMax(X, start, c);
      let total = 0;
      for (let j = 0; j < c; j++) total += Math.exp(X[start + j]! - m);
      const logTotal = Math.log(total);
      // loss = -sum_j y_j * log p_j, with log p_j = x_j - m - log(sum exp(x - m)).
      let loss = 0;
      for (let j = 0; j < c; j++) {
        const target = sparse ? (L[i] === j ? 1 : 0) : L[start + j]!;
        if (target !== 0) loss -= target * (X[start + j]! - m - logTotal);
      }
      losses.data[i] = loss;
      if (dlogits) {
        for (let j = 0; j < c; j++) {
          const target = sparse ? (L[i] === j ? 1 : 0) : L[start + j]!;
          dlogits.data[start + j] = (Math.exp(X[start + j]! - m) / total - target) * gradScale;
        }
      }
    }
  }

  gather(x: Tensor, indices: Tensor, out: Tensor): void {
    const rowSize = sizeOf(x.shape.slice(1));
    const I = indices.data;
    for (let i = 0; i < I.length; i++) {
      const from = I[i]! * rowSize;
      for (let j = 0; j < rowSize; j++) out.data[i * rowSize + j] = x.data[from + j]!;
    }
  }

  transpose(x: Tensor, perm: readonly number[], out: Tensor): void {
    const rank = out.rank;
    const outStrides = stridesOf(out.shape);
    const xStrides = stridesOf(x.shape);
    for (let i = 0; i < out.size; i++) {
      // Output coordinate d walks input axis perm[d].
      let rest = i;
      let source = 0;
      for (let d = 0; d < rank; d++) {
        const coord = Math.floor(rest / outStrides[d]!);
        rest -= coord * outStrides[d]!;
        source += coord * xStrides[perm[d]!]!;
      }
      out.data[i] = x.data[source]!;
    }
  }

  fill(out: Tensor, value: number): void {
    for (let i = 0; i < out.size; i++) out.data[i] = value;
  }

  copy(src: Tensor, dst: Tensor): void {
    if (src.storage === dst.storage && src.offset === dst.offset) return;
    for (let i = 0; i < src.size; i++) dst.data[i] = src.data[i]!;
  }

  cast(src: Tensor, dst: Tensor): void {
    for (let i = 0; i < src.size; i++) {
      const v = src.data[i]!;
      // The Int32Array store then wraps what lies outside the int32 range.
      dst.data[i] = dst.dtype === 'int32' ? Math.trunc(v) : v;
    }
  }

  sgdUpdate(param: Tensor, grad: Tensor, options: SgdOptions): void {
    const wd = options.weightDecay ?? 0;
    const P = param.data;
    const G = grad.data;
    for (let i = 0; i < P.length; i++) P[i] = P[i]! - options.lr * (G[i]! + wd * P[i]!);
  }

  momentumUpdate(param: Tensor, grad: Tensor, velocity: Tensor, options: MomentumOptions): void {
    const P = param.data;
    const G = grad.data;
    const V = velocity.data;
    for (let i = 0; i < P.length; i++) {
      const v = options.momentum * V[i]! - options.lr * G[i]!;
      V[i] = v;
      P[i] = options.nesterov ? P[i]! + options.momentum * v - options.lr * G[i]! : P[i]! + v;
    }
  }

  adamUpdate(param: Tensor, grad: Tensor, m: Tensor, v: Tensor, options: AdamOptions): void {
    const { lr, beta1, beta2, epsilon, step } = options;
    const wd = options.weightDecay ?? 0;
    const P = param.data;
    const G = grad.data;
    const M = m.data;
    const V = v.data;
    const correction1 = 1 - Math.pow(beta1, step);
    const correction2 = 1 - Math.pow(beta2, step);
    for (let i = 0; i < P.length; i++) {
      const g = G[i]!;
      const mi = beta1 * M[i]! + (1 - beta1) * g;
      const vi = beta2 * V[i]! + (1 - beta2) * g * g;
      M[i] = mi;
      V[i] = vi;
      const decayed = P[i]! - lr * wd * P[i]!;
      P[i] = decayed - (lr * (mi / correction1)) / (Math.sqrt(vi / correction2) + epsilon);
    }
  }

  rmspropUpdate(
    param: Tensor,
    grad: Tensor,
    meanSquare: Tensor,
    meanGrad: Tensor | null,
    buffer: Tensor | null,
    options: RmspropOptions,
  ): void {
    const { lr, rho, epsilon } = options;
    const momentum = options.momentum ?? 0;
    const P = param.data;
    const G = grad.data;
    const S = meanSquare.data;
    for (let i = 0; i < P.length; i++) {
      const g = G[i]!;
      const s = rho * S[i]! + (1 - rho) * g * g;
      S[i] = s;
      let denominator = s + epsilon;
      if (options.centered && meanGrad) {
        const mg = rho * meanGrad.data[i]! + (1 - rho) * g;
        meanGrad.data[i] = mg;
        denominator = s - mg * mg + epsilon;
      }
      const increment = (lr * g) / Math.sqrt(denominator);
      if (momentum > 0 && buffer) {
        const b = momentum * buffer.data[i]! + increment;
        buffer.data[i] = b;
        P[i] = P[i]! - b;
      } else {
        P[i] = P[i]! - increment;
      }
    }
  }

  conv2d(x: Tensor, filter: Tensor, out: Tensor, info: Conv2dInfo): void {
    referenceConv2d(x, filter, out, info);
  }

  conv2dBackpropInput(dy: Tensor, filter: Tensor, dx: Tensor, info: Conv2dInfo): void {
    referenceConv2dBackpropInput(dy, filter, dx, info);
  }

  conv2dBackpropFilter(x: Tensor, dy: Tensor, dfilter: Tensor, info: Conv2dInfo, accumulate: boolean): void {
    referenceConv2dBackpropFilter(x, dy, dfilter, info, accumulate);
  }

  maxPool(x: Tensor, out: Tensor, info: Conv2dInfo): void {
    referenceMaxPool(x, out, info);
  }

  avgPool(x: Tensor, out: Tensor, info: Conv2dInfo): void {
    referenceAvgPool(x, out, info);
  }

  maxPoolBackward(x: Tensor, dy: Tensor, dx: Tensor, info: Conv2dInfo): void {
    referenceMaxPoolBackward(x, dy, dx, info);
  }

  avgPoolBackward(dy: Tensor, dx: Tensor, info: Conv2dInfo): void {
    referenceAvgPoolBackward(dy, dx, info);
  }

  moments(x: Tensor, mean: Tensor, variance: Tensor): void {
    referenceMoments(x, mean, variance);
  }

  batchNormalization(x: Tensor, mean: Tensor, variance: Tensor, scale: Tensor | null, offset: Tensor | null, epsilon: number, out: Tensor): void {
    referenceBatchNormalization(x, mean, variance, scale, offset, epsilon, out);
  }

  batchNormalizationBackward(
    dy: Tensor,
    x: Tensor,
    mean: Tensor,
    variance: Tensor,
    scale: Tensor | null,
    epsilon: number,
    dx: Tensor,
    dscale: Tensor,
    doffset: Tensor,
  ): void {
    referenceBatchNormalizationBackward(dy, x, mean, variance, scale, epsilon, dx, dscale, doffset);
  }
}

/** Calls `fn(start, c)` for each row of the last axis (none when the last axis is empty). */
function forEachRow(x: Tensor, fn: (start: number, c: number) => void): void {
  const c = x.shape[x.rank - 1]!;
  if (c === 0) return;
  const rows = x.size / c;
  for (let r = 0; r < rows; r++) fn(r * c, c);
}

function rowMax(data: ArrayLike<number>, start: number, c: number): number {
  let m = -Infinity;
  for (let j = 0; j < c; j++) m = Math.max(m, data[start + j]!);
  return m;
}
