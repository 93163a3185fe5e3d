import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tf.grad needs the gradients registered (tfjs-layers does this for a model's fit).
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureWasmConv2dBackpropFilter } from '../src/contenders/tfjs-conv2d-backprop-filter.js';

beforeAll(() => {
  const require = createRequire(import.meta.url);
  setWasmPaths(path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep);
  tf.env().set('PROD', true);
});

// [x shape, filter shape, strides, padding]: valid and same, odd and even filters, strides 1 and 2.
type Shape4 = [number, number, number, number];
const CASES: [Shape4, Shape4, number, 'valid' | 'same'][] = [
  [[3, 9, 8, 2], [3, 3, 2, 4], 1, 'valid'],
  [[2, 8, 8, 3], [5, 5, 3, 2], 1, 'same'],
  [[2, 9, 7, 2], [2, 3, 2, 3], 2, 'same'],
  [[2, 9, 7, 1], [4, 4, 1, 3], 2, 'valid'],
  [[4, 28, 28, 1], [5, 5, 1, 12], 1, 'valid'],
];

/** d(sum(conv2d(x, f) · dy)) / df on the active backend: Conv2DBackpropFilter, through tf.grad. */
function filterGradient(x: number[], xShape: Shape4, dy: number[], filterShape: Shape4, strides: number, padding: 'valid' | 'same'): Float32Array {
  return tf.tidy(() => {
    const xs = tf.tensor4d(x, xShape);
    const f = tf.zeros(filterShape) as tf.Tensor4D;
    const dys = tf.tensor(dy, tf.conv2d(xs, f, strides, padding).shape);
    return tf.grad((w: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(xs, w as tf.Tensor4D, strides, padding), dys)))(f).dataSync() as Float32Array;
  });
}

describe("the bench's Conv2DBackpropFilter for tfjs-wasm", () => {
  it('is missing from tfjs-wasm 4.22, and registered once', async () => {
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
    ensureWasmConv2dBackpropFilter();
    ensureWasmConv2dBackpropFilter();
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it("equals the cpu backend's kernel (float32, ≤ 1e-5 relative)", async () => {
    ensureWasmConv2dBackpropFilter();
    await tf.setBackend('cpu');
    const inputs = CASES.map(([xShape, fShape, s, p], i) => {
      const x = Array.from(tf.randomNormal(xShape, 0, 1, 'float32', i).dataSync());
      const outShape = tf.conv2d(tf.zeros(xShape) as tf.Tensor4D, tf.zeros(fShape) as tf.Tensor4D, s, p).shape as number[];
      const dy = Array.from(tf.randomNormal(outShape, 0, 1, 'float32', 100 + i).dataSync());
      return { x, dy };
    });
    const expected = CASES.map(([xShape, fShape, s, p], i) => filterGradient(inputs[i]!.x, xShape, inputs[i]!.dy, fShape, s, p));
    expect(await tf.setBackend('wasm')).toBe(true);
    CASES.forEach(([xShape, fShape, s, p], i) => {
      const actual = filterGradient(inputs[i]!.x, xShape, inputs[i]!.dy, fShape, s, p);
      const want = expected[i]!;
      expect(actual.length).toBe(want.length);
      let diff = 0;
      let scale = 0;
      want.forEach((v, j) => {
        diff = Math.max(diff, Math.abs(actual[j]! - v));
        scale = Math.max(scale, Math.abs(v));
      });
      expect(diff / scale, `case ${i}`).toBeLessThan(1e-5);
    });
    await tf.setBackend('cpu');
  });
});
