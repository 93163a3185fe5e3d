import { sizeOf, stridesOf, type Tensor } from '@scratchnet/tensor';
import type {
  ActivationOp,
  AdamOptions,
  ArgReduceOp,
  Backend,
  BinaryOp,
  MatmulOptions,
  MomentumOptions,
  ReduceOp,
  RmspropOptions,
  SgdOptions,
  UnaryOp,
  UnaryParams,
} from '../backend.js';

/**
 * The oracle: every kernel of the Backend contract as the most obvious loop, computing in
 * float64 (JavaScript numbers) and storing into the destination's typed array, which rounds to
 * float32 or truncates to int32. Clarity over speed: no blocking, no fast paths, no cleverness,
 * so that a reader can check each formula against the contract by eye. The conformance suite
 * compares other backends against it; it is itself checked against NumPy fixtures and finite
 * differences.
 */
export class ReferenceBackend implements Backend {
  readonly name: string = 'reference';

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

  unary(op: UnaryOp, x: Tensor, out: Tensor, params: UnaryParams = {}): void {
    const X = x.data;
    const Y = out.data;
    for (let i = 0; i < X.length; i++) Y[i] = unaryValue(op, X[i]!, params);
  }

  binary(op: BinaryOp, a: Tensor, b: Tensor, out: Tensor): void {
    const rank = out.rank;
    const outStrides = stridesOf(out.shape);
    const aStrides = broadcastStrides(a.shape, rank);
    const bStrides = broadcastStrides(b.shape, rank);
    const A = a.data;
    const B = b.data;
    const Y = out.data;
    for (let i = 0; i < out.size; i++) {
      // Split the flat output index into coordinates; a broadcast axis has stride 0.
      let rest = i;
      let ia = 0;
      let ib = 0;
      for (let d = 0; d < rank; d++) {
        const coord = Math.floor(rest / outStrides[d]!);
        rest -= coord * outStrides[d]!;
        ia += coord * aStrides[d]!;
        ib += coord * bStrides[d]!;
      }
      Y[i] = binaryValue(op, A[ia]!, B[ib]!);
    }
  }

  activationBackward(op: ActivationOp, saved: Tensor, dy: Tensor, dx: Tensor, params: UnaryParams = {}): void {
    const S = saved.data;
    const G = dy.data;
    const D = dx.data;
    for (let i = 0; i < S.length; i++) {
      const s = S[i]!;
      const g = G[i]!;
      switch (op) {
        case 'relu':
          D[i] = s > 0 ? g : 0;
          break;
        case 'leakyRelu':
          D[i] = s > 0 ? g : (params.alpha ?? 0) * g;
          break;
        case 'sigmoid':
          D[i] = g * s * (1 - s);
          break;
        case 'tanh':
          D[i] = g * (1 - s * s);
          break;
      }
    }
  }

  reduce(op: ReduceOp, x: Tensor, axis: number, out: Tensor): void {
    const { outer, len, inner } = axisView(x.shape, axis);
    const X = x.data;
    const Y = out.data;
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        let acc = op === 'max' ? -Infinity : op === 'min' ? Infinity : 0;
        for (let r = 0; r < len; r++) {
          const v = X[(o * len + r) * inner + j]!;
          if (op === 'max') acc = v > acc ? v : acc;
          else if (op === 'min') acc = v < acc ? v : acc;
          else acc += v;
        }
        Y[o * inner + j] = op === 'mean' ? acc / len : acc;
      }
    }
  }

  argReduce(op: ArgReduceOp, x: Tensor, axis: number, out: Tensor): void {
    const { outer, len, inner } = axisView(x.shape, axis);
    const X = x.data;
    const Y = out.data;
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        let best = 0;
        for (let r = 1; r < len; r++) {
          const v = X[(o * len + r) * inner + j]!;
          const current = X[(o * len + best) * inner + j]!;
          // Strict comparison keeps the first index on ties.
          if (op === 'argmax' ? v > current : v < current) best = r;
        }
        Y[o * inner + j] = best;
      }
    }
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

  softmaxCrossEntropy(logits: Tensor, labels: Tensor, losses: Tensor, dlogits: Tensor | null, gradScale: number): void {
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

  rmspropUpdate(param: Tensor, grad: Tensor, meanSquare: Tensor, buffer: Tensor | null, options: RmspropOptions): void {
    const { lr, rho, epsilon } = options;
    const momentum = options.momentum ?? 0;
    const P = param.data;
    const G = grad.data;
    const S = meanSquare.data;
    for (let i = 0; i < P.length; i++) {
      const g = G[i]!;
      const s = rho * S[i]! + (1 - rho) * g * g;
      S[i] = s;
      const step = g / (Math.sqrt(s) + epsilon);
      if (momentum > 0 && buffer) {
        const b = momentum * buffer.data[i]! + step;
        buffer.data[i] = b;
        P[i] = P[i]! - lr * b;
      } else {
        P[i] = P[i]! - lr * step;
      }
    }
  }
}

function unaryValue(op: UnaryOp, x: number, params: UnaryParams): number {
  switch (op) {
    case 'neg':
      return -x;
    case 'abs':
      return Math.abs(x);
    case 'sign':
      return Math.sign(x);
    case 'exp':
      return Math.exp(x);
    case 'log':
      return Math.log(x);
    case 'sqrt':
      return Math.sqrt(x);
    case 'square':
      return x * x;
    case 'reciprocal':
      return 1 / x;
    case 'relu':
      // Written so that NaN fails the test and passes through, as in PyTorch.
      return x <= 0 ? 0 : x;
    case 'leakyRelu':
      return x > 0 ? x : (params.alpha ?? 0) * x;
    case 'sigmoid':
      return 1 / (1 + Math.exp(-x));
    case 'tanh':
      return Math.tanh(x);
    case 'clip':
      return Math.min(Math.max(x, params.min ?? -Infinity), params.max ?? Infinity);
    case 'scale':
      return (params.alpha ?? 1) * x;
  }
}

function binaryValue(op: BinaryOp, a: number, b: number): number {
  switch (op) {
    case 'add':
      return a + b;
    case 'sub':
      return a - b;
    case 'mul':
      return a * b;
    case 'div':
      return a / b;
    case 'pow':
      return Math.pow(a, b);
    case 'maximum':
      return Math.max(a, b);
    case 'minimum':
      return Math.min(a, b);
    case 'squaredDifference':
      return (a - b) * (a - b);
    case 'equal':
      return a === b ? 1 : 0;
    case 'greater':
      return a > b ? 1 : 0;
    case 'less':
      return a < b ? 1 : 0;
  }
}

/** Strides of `shape` aligned right against `rank` axes, 0 on axes where it broadcasts. */
function broadcastStrides(shape: readonly number[], rank: number): number[] {
  const own = stridesOf(shape);
  const out = new Array<number>(rank).fill(0);
  for (let i = 0; i < shape.length; i++) {
    const d = rank - shape.length + i;
    out[d] = shape[i] === 1 ? 0 : own[i]!;
  }
  return out;
}

/** `shape` viewed as `[outer, shape[axis], inner]`. */
function axisView(shape: readonly number[], axis: number): { outer: number; len: number; inner: number } {
  return {
    outer: sizeOf(shape.slice(0, axis)),
    len: shape[axis]!,
    inner: sizeOf(shape.slice(axis + 1)),
  };
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
