import { sizeOf, type Tensor } from '@scratchnet/tensor';
import { argReduceSpec, reduceSpec, type ArgReduceOp, type ReduceOp } from '../spec/reduce.js';

/** `shape` viewed as `[outer, shape[axis], inner]`. */
export function axisView(shape: readonly number[], axis: number): { outer: number; len: number; inner: number } {
  return {
    outer: sizeOf(shape.slice(0, axis)),
    len: shape[axis]!,
    inner: sizeOf(shape.slice(axis + 1)),
  };
}

/** Each output folded over the axis in increasing index order by the spec's `step`. */
export function reduceLoop(op: ReduceOp, x: Tensor, axis: number, out: Tensor): void {
  const { init, step, finish } = reduceSpec(op);
  const { outer, len, inner } = axisView(x.shape, axis);
  const X = x.data;
  const Y = out.data;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      let acc = init;
      for (let r = 0; r < len; r++) acc = step(acc, X[(o * len + r) * inner + j]!);
      Y[o * inner + j] = finish(acc, len);
    }
  }
}

/** First index on ties; the first NaN wins; -1 over an empty axis. */
export function argReduceLoop(op: ArgReduceOp, x: Tensor, axis: number, out: Tensor): void {
  const { better } = argReduceSpec(op);
  const { outer, len, inner } = axisView(x.shape, axis);
  const X = x.data;
  const Y = out.data;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      let best = len === 0 ? -1 : 0;
      for (let r = 0; r < len; r++) {
        const v = X[(o * len + r) * inner + j]!;
        if (v !== v) {
          best = r;
          break;
        }
        if (r > 0 && better(v, X[(o * len + best) * inner + j]!)) best = r;
      }
      Y[o * inner + j] = best;
    }
  }
}
