import type { CpuBackend } from '@scratchnet/backend-cpu';
import { firstDifference, sameBits, SuiteRandom } from '@scratchnet/backend/testing';
import type { Tensor } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { WasmBackend } from './built.js';
import { randomTensor, zerosTensor } from './scenarios.js';

const SAMPLES = 192;
const FEATURES = 48;
const HIDDEN = 96;
const CLASSES = 6;
const BATCH = 64;
const EPOCHS = 3;

interface Trained {
  params: Record<string, Tensor>;
  epochLosses: number[];
}

/**
 * Trains a 48-96-6 relu MLP with Adam for three epochs on a fixed synthetic problem, using the
 * Backend kernels directly (what a layer stack does): gather a shuffled batch, forward (matmul,
 * bias add, relu, matmul, bias add, fused softmax-cross-entropy), backward (matmuls with
 * transposes, bias sums, relu backward), and Adam on every parameter.
 */
function train(be: CpuBackend): Trained {
  const rng = new SuiteRandom(7);
  const x = randomTensor(rng, [SAMPLES, FEATURES], 'float32');
  const teacher = randomTensor(rng, [FEATURES, CLASSES], 'float32');
  const teacherLogits = zerosTensor([SAMPLES, CLASSES]);
  be.matmul(x, teacher, teacherLogits);
  const labels = zerosTensor([SAMPLES], 'int32');
  be.argReduce('argmax', teacherLogits, 1, labels);

  const params: Record<string, Tensor> = {
    w1: randomTensor(rng, [FEATURES, HIDDEN], 'float32', -0.2, 0.2),
    b1: zerosTensor([HIDDEN]),
    w2: randomTensor(rng, [HIDDEN, CLASSES], 'float32', -0.2, 0.2),
    b2: zerosTensor([CLASSES]),
  };
  const grads: Record<string, Tensor> = {};
  const m: Record<string, Tensor> = {};
  const v: Record<string, Tensor> = {};
  for (const [name, p] of Object.entries(params)) {
    grads[name] = zerosTensor(p.shape);
    m[name] = zerosTensor(p.shape);
    v[name] = zerosTensor(p.shape);
  }
  const xb = zerosTensor([BATCH, FEATURES]);
  const yb = zerosTensor([BATCH], 'int32');
  const h = zerosTensor([BATCH, HIDDEN]);
  const a = zerosTensor([BATCH, HIDDEN]);
  const logits = zerosTensor([BATCH, CLASSES]);
  const losses = zerosTensor([BATCH]);
  const dlogits = zerosTensor([BATCH, CLASSES]);
  const da = zerosTensor([BATCH, HIDDEN]);
  const dh = zerosTensor([BATCH, HIDDEN]);
  const indices = zerosTensor([BATCH], 'int32');

  const epochLosses: number[] = [];
  let step = 0;
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    const order = Array.from({ length: SAMPLES }, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let total = 0;
    for (let start = 0; start < SAMPLES; start += BATCH) {
      for (let i = 0; i < BATCH; i++) indices.data[i] = order[start + i]!;
      be.gather(x, indices, xb);
      be.gather(labels, indices, yb);
      be.matmul(xb, params.w1!, h);
      be.binary('add', h, params.b1!, h);
      be.unary('relu', h, a);
      be.matmul(a, params.w2!, logits);
      be.binary('add', logits, params.b2!, logits);
      be.softmaxCrossentropy(logits, yb, losses, dlogits, 1 / BATCH);
      for (let i = 0; i < BATCH; i++) total += losses.data[i]!;
      be.matmul(a, dlogits, grads.w2!, { transposeA: true });
      be.reduce('sum', dlogits, 0, grads.b2!);
      be.matmul(dlogits, params.w2!, da, { transposeB: true });
      be.activationBackward('relu', h, da, dh);
      be.matmul(xb, dh, grads.w1!, { transposeA: true });
      be.reduce('sum', dh, 0, grads.b1!);
      step++;
      for (const name of Object.keys(params)) {
        be.adamUpdate(params[name]!, grads[name]!, m[name]!, v[name]!, { lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, step });
      }
    }
    epochLosses.push(total / SAMPLES);
  }
  return { params, epochLosses };
}

describe('three epochs of a small MLP', () => {
  const single = new WasmBackend();
  const expected = train(single);

  it('learn on one thread (the comparison is not between two untrained nets)', () => {
    expect(expected.epochLosses[2]!).toBeLessThan(0.8 * expected.epochLosses[0]!);
  });

  for (const [name, options] of [
    ['2 threads, every kernel split', { threads: 2, inlineThreshold: 0 }],
    ['4 threads, every kernel split', { threads: 4, inlineThreshold: 0 }],
    ['2 threads, default thresholds', { threads: 2 }],
  ] as const) {
    it(`end with the one-thread weights, bit for bit (${name})`, () => {
      const backend = new WasmBackend(options);
      try {
        const actual = train(backend);
        expect(actual.epochLosses).toEqual(expected.epochLosses);
        for (const [param, t] of Object.entries(actual.params)) {
          const want = expected.params[param]!;
          if (!sameBits(t.data, want.data)) {
            const at = firstDifference(t.data, want.data);
            expect.fail(`${param} differs first at element ${at}: threads ${t.data[at]}, one thread ${want.data[at]}`);
          }
        }
      } finally {
        backend.dispose();
      }
    });
  }
});
