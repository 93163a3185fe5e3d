import { stridesOf, type Tensor } from '@scratchnet/tensor';
import type { UnaryParams } from '../spec/params.js';
import { resolveUnaryParams } from '../spec/resolve-params.js';
import { activationSpec, unarySpec, type ActivationOp, type UnaryOp } from '../spec/unary.js';
import { binarySpec, type BinaryOp } from '../spec/binary.js';

/**
 * Elementwise ops as plain loops over the specs' scalar forms, computing in float64 and storing
 * into the destination's typed array (which rounds to float32 or truncates to int32). They are
 * the reference backend's kernels, and `ops`' fallback for an op a backend does not implement:
 * every tensor's elements are a typed array, so these run on any backend's memory.
 */

export function unaryLoop(op: UnaryOp, x: Tensor, out: Tensor, params: UnaryParams | undefined): void {
  const forward = unarySpec(op).forward;
  const p = resolveUnaryParams(op, params);
  const X = x.data;
  const Y = out.data;
  for (let i = 0; i < X.length; i++) Y[i] = forward(X[i]!, p);
}

export function activationBackwardLoop(op: ActivationOp, saved: Tensor, dy: Tensor, dx: Tensor, params: UnaryParams | undefined): void {
  const backward = activationSpec(op).backward;
  const p = resolveUnaryParams(op, params);
  const S = saved.data;
  const G = dy.data;
  const D = dx.data;
  for (let i = 0; i < S.length; i++) D[i] = backward(S[i]!, G[i]!, p);
}

export function binaryLoop(op: BinaryOp, a: Tensor, b: Tensor, out: Tensor): void {
  const forward = binarySpec(op).forward;
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
    Y[i] = forward(A[ia]!, B[ib]!);
  }
}

export function whereLoop(cond: Tensor, a: Tensor, b: Tensor, out: Tensor): void {
  const C = cond.data;
  const A = a.data;
  const B = b.data;
  const Y = out.data;
  for (let i = 0; i < Y.length; i++) Y[i] = C[i] !== 0 ? A[i]! : B[i]!;
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
