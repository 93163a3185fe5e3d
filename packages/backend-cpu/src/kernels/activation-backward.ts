import { unreachable, type ActivationOp } from '@scratchnet/backend';
import { reluBackward } from './relu.js';
import type { FloatArray, RangeKernel } from './types.js';

/**
 * `dx = dy * f'(…)` over elements. `saved` is what the activation's spec row says it saves: the
 * input for `relu`/`leakyRelu`, the output for `elu`/`sigmoid`/`tanh`.
 */
export interface ActivationBackwardArgs {
  op: ActivationOp;
  saved: FloatArray;
  dy: FloatArray;
  dx: FloatArray;
  /** Slope of `leakyRelu`, saturation of `elu`. */
  alpha: number;
}

// The derivative at 0 is taken as 0 for relu and as alpha for leakyRelu (the left limit), as in
// PyTorch and TensorFlow.
export const activationBackward: RangeKernel<ActivationBackwardArgs> = (args, start, end) => {
  const { saved, dy, dx, alpha } = args;
  const op = args.op;
  switch (op) {
    case 'relu':
      reluBackward(saved, dy, dx, start, end);
      return;
    case 'leakyRelu':
      for (let i = start; i < end; i++) {
        const g = dy[i]!;
        dx[i] = saved[i]! > 0 ? g : alpha * g;
      }
      return;
    case 'elu':
      // From the output: y > 0 where x > 0; elsewhere the derivative alpha * e^x is y + alpha.
      for (let i = start; i < end; i++) {
        const y = saved[i]!;
        const g = dy[i]!;
        dx[i] = y > 0 ? g : g * (y + alpha);
      }
      return;
    case 'sigmoid':
      for (let i = start; i < end; i++) {
        const y = saved[i]!;
        dx[i] = dy[i]! * y * (1 - y);
      }
      return;
    case 'tanh':
      for (let i = start; i < end; i++) {
        const y = saved[i]!;
        dx[i] = dy[i]! * (1 - y * y);
      }
      return;
    default:
      unreachable(op, 'cpu activationBackward');
  }
};
