import type { ActivationOp } from '@scratchnet/backend';
import { reluBackward } from './relu.js';
import type { FloatArray, RangeKernel } from './types.js';

/**
 * `dx = dy * f'(…)` over elements. `saved` is the activation's input for `relu`/`leakyRelu` and
 * its output for `sigmoid`/`tanh`.
 */
export interface ActivationBackwardArgs {
  op: ActivationOp;
  saved: FloatArray;
  dy: FloatArray;
  dx: FloatArray;
  /** Slope of `leakyRelu`. */
  alpha: number;
}

// The derivative at 0 is taken as 0 for relu and as alpha for leakyRelu (the left limit), as in
// PyTorch and TensorFlow.
export const activationBackward: RangeKernel<ActivationBackwardArgs> = (args, start, end) => {
  const { saved, dy, dx, alpha } = args;
  switch (args.op) {
    case 'relu':
      reluBackward(saved, dy, dx, start, end);
      return;
    case 'leakyRelu':
      for (let i = start; i < end; i++) {
        const g = dy[i]!;
        dx[i] = saved[i]! > 0 ? g : alpha * g;
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
  }
};
