import type { Tensor } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../src/index.js';
import { cloneTensor, randomTensor, SuiteRandom, toleranceRatio, tolerances } from './helpers.js';

const backend = new CpuBackend();
const STEPS = 4;
const SIZE = 37;

/** Runs `steps` updates with fresh gradients; returns the backend's and the reference's state. */
function simulate(
  dtype: 'float32' | 'float64',
  stateCount: number,
  kernel: (param: Tensor, grad: Tensor, state: Tensor[], step: number) => void,
  reference: (p: number, g: number, state: number[], step: number) => number,
): { got: Tensor[]; want: number[][] } {
  const rng = new SuiteRandom(7);
  const param = randomTensor(rng, [SIZE], dtype);
  const state = Array.from({ length: stateCount }, () => randomTensor(rng, [SIZE], dtype, 0, 0.5));
  const want = [Array.from(param.data), ...state.map((s) => Array.from(s.data))];
  for (let step = 1; step <= STEPS; step++) {
    const grad = randomTensor(rng, [SIZE], dtype);
    kernel(param, grad, state, step);
    for (let i = 0; i < SIZE; i++) {
      const s = want.slice(1).map((w) => w[i]!);
      want[0]![i] = reference(want[0]![i]!, grad.data[i]!, s, step);
      s.forEach((v, j) => (want[j + 1]![i] = v));
    }
  }
  return { got: [param, ...state], want };
}

function expectMatch(dtype: 'float32' | 'float64', result: { got: Tensor[]; want: number[][] }): void {
  // Float32 state is rounded after every step; allow for a few steps of that.
  const { rtol, atol } = tolerances(dtype);
  result.got.forEach((t, i) => {
    expect(toleranceRatio(t.data, result.want[i]!, rtol * 8, atol * 8), `tensor ${i}`).toBeLessThanOrEqual(1);
  });
}

describe('optimizer updates follow the formulas in the Backend docs', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    it(`sgd with weight decay (${dtype})`, () => {
      const o = { lr: 0.1, weightDecay: 0.01 };
      expectMatch(dtype, simulate(dtype, 0, (p, g) => backend.sgdUpdate(p, g, o), (p, g) => p - o.lr * (g + o.weightDecay * p)));
    });

    for (const nesterov of [false, true]) {
      it(`momentum, nesterov=${nesterov} (${dtype})`, () => {
        const o = { lr: 0.05, momentum: 0.9, nesterov };
        expectMatch(
          dtype,
          simulate(
            dtype,
            1,
            (p, g, [v]) => backend.momentumUpdate(p, g, v!, o),
            (p, g, s) => {
              s[0] = o.momentum * s[0]! - o.lr * g;
              return nesterov ? p + o.momentum * s[0] - o.lr * g : p + s[0];
            },
          ),
        );
      });
    }

    for (const weightDecay of [0, 0.1]) {
      it(`adam${weightDecay ? 'W' : ''} (${dtype})`, () => {
        const o = { lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay };
        expectMatch(
          dtype,
          simulate(
            dtype,
            2,
            (p, g, [m, v], step) => backend.adamUpdate(p, g, m!, v!, { ...o, step }),
            (p, g, s, step) => {
              p -= o.lr * weightDecay * p;
              s[0] = o.beta1 * s[0]! + (1 - o.beta1) * g;
              s[1] = o.beta2 * s[1]! + (1 - o.beta2) * g * g;
              const mHat = s[0] / (1 - o.beta1 ** step);
              const vHat = s[1] / (1 - o.beta2 ** step);
              return p - (o.lr * mHat) / (Math.sqrt(vHat) + o.epsilon);
            },
          ),
        );
      });
    }

    for (const [momentum, centered] of [[0, false], [0.8, false], [0, true], [0.8, true]] as const) {
      it(`rmsprop, momentum=${momentum}, centered=${centered} (${dtype})`, () => {
        const o = { lr: 0.01, rho: 0.9, epsilon: 1e-7, momentum, centered };
        expectMatch(
          dtype,
          simulate(
            dtype,
            3,
            (p, g, [s, mg, b]) => backend.rmspropUpdate(p, g, s!, centered ? mg! : null, momentum ? b! : null, o),
            (p, g, s) => {
              // TensorFlow.js's tf.train.rmsprop and Keras's RMSprop, written out.
              s[0] = o.rho * s[0]! + (1 - o.rho) * g * g;
              let denominator = s[0] + o.epsilon;
              if (centered) {
                s[1] = o.rho * s[1]! + (1 - o.rho) * g;
                denominator = s[0] - s[1] * s[1] + o.epsilon;
              }
              const increment = (o.lr * g) / Math.sqrt(denominator);
              if (momentum === 0) return p - increment;
              s[2] = momentum * s[2]! + increment;
              return p - s[2];
            },
          ),
        );
      });
    }
  }

  it('rmsprop without momentum leaves a given buffer untouched', () => {
    const rng = new SuiteRandom(8);
    const param = randomTensor(rng, [5], 'float64');
    const buffer = randomTensor(rng, [5], 'float64');
    const before = cloneTensor(buffer);
    backend.rmspropUpdate(param, randomTensor(rng, [5], 'float64'), randomTensor(rng, [5], 'float64', 0, 1), null, buffer, {
      lr: 0.1,
      rho: 0.9,
      epsilon: 1e-7,
    });
    expect(Array.from(buffer.data)).toEqual(Array.from(before.data));
  });
});
