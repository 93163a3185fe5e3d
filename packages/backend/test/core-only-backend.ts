import type { Tensor } from '@scratchnet/tensor';
import type { ArgReduceOp, Backend, BinaryOp, MatmulOptions, ReduceOp, UnaryOp, UnaryParams } from '@scratchnet/backend';
import { ReferenceBackend } from '@scratchnet/backend/testing';

/**
 * A backend with the core kernels only — no fused kernel, no op list — as a third-party backend
 * written against the first contract would look. Its kernels are the reference's, so every
 * difference the conformance suite could find lies in what `ops` composes for it: the fused
 * kernels from the core, and ops added to the spec since (`elu`) from their scalar form.
 */
export class CoreOnlyBackend implements Backend {
  readonly name = 'core-only';
  readonly #ref = new ReferenceBackend();

  matmul(a: Tensor, b: Tensor, out: Tensor, options?: MatmulOptions): void {
    this.#ref.matmul(a, b, out, options);
  }

  unary(op: UnaryOp, x: Tensor, out: Tensor, params?: UnaryParams): void {
    if (op === 'elu') throw new Error('core-only: elu is not among the base unary ops; ops must not ask for it');
    this.#ref.unary(op, x, out, params);
  }

  binary(op: BinaryOp, a: Tensor, b: Tensor, out: Tensor): void {
    this.#ref.binary(op, a, b, out);
  }

  where(cond: Tensor, a: Tensor, b: Tensor, out: Tensor): void {
    this.#ref.where(cond, a, b, out);
  }

  reduce(op: ReduceOp, x: Tensor, axis: number, out: Tensor): void {
    this.#ref.reduce(op, x, axis, out);
  }

  argReduce(op: ArgReduceOp, x: Tensor, axis: number, out: Tensor): void {
    this.#ref.argReduce(op, x, axis, out);
  }

  gather(x: Tensor, indices: Tensor, out: Tensor): void {
    this.#ref.gather(x, indices, out);
  }

  transpose(x: Tensor, perm: readonly number[], out: Tensor): void {
    this.#ref.transpose(x, perm, out);
  }

  fill(out: Tensor, value: number): void {
    this.#ref.fill(out, value);
  }

  copy(src: Tensor, dst: Tensor): void {
    this.#ref.copy(src, dst);
  }

  cast(src: Tensor, dst: Tensor): void {
    this.#ref.cast(src, dst);
  }
}
