// Training throughput of a 784-128-128-10 relu MLP (batch 128, Adam, softmax cross-entropy),
// float32, written with the Backend kernels directly — what a layer stack runs per step — for
// the wasm backend on 1 and 2 threads, the cpu backend and the worker backend on 2 threads, and
// the same step in tfjs-wasm (tfjs-core ops under optimizer.minimize). After a build:
// `node bench/mlp-step.mjs [--reps N] [--spins 2000,20000] [--single-steps N]` (extra wasm(2)
// columns polling that many times before sleeping). Contenders take turns, epoch after epoch;
// best epoch kept. On a busy machine, `--single-steps N` times N single steps per contender (in
// turns) and keeps the fastest: the speed of a step that ran without being preempted.
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import path from 'node:path';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { WorkerBackend } from '@scratchnet/backend-worker';
import { Tensor } from '@scratchnet/tensor';
import * as tf from '@tensorflow/tfjs-core';
// Gradients for optimizer.minimize: tfjs-core alone registers none; tfjs-layers' Node build does on import.
import '@tensorflow/tfjs-layers';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { WasmBackend } from '../dist/index.js';

function flag(name, fallback) {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : process.argv[at + 1];
}
const reps = Number(flag('--reps', '5'));
const singleSteps = Number(flag('--single-steps', '0'));
const spinVariants = flag('--spins', '')
  .split(',')
  .filter((s) => s !== '')
  .map(Number);
const SPINS = Symbol.for('@scratchnet/backend-wasm.spins');
const SIZES = [784, 128, 128, 10];
const BATCH = 128;
const SAMPLES = 2048;

let seed = 1;
const uniform = () => {
  seed = (seed * 16807) % 2147483647;
  return seed / 2147483647;
};
const xData = Float32Array.from({ length: SAMPLES * SIZES[0] }, () => uniform());
const labelData = Int32Array.from({ length: SAMPLES }, () => Math.floor(uniform() * SIZES[3]));
const weightData = SIZES.slice(0, -1).map((fanIn, l) => Float32Array.from({ length: fanIn * SIZES[l + 1] }, () => (uniform() * 2 - 1) * Math.sqrt(6 / fanIn)));

/** One model's buffers for a scratchnet backend (its allocator's memory when it has one). */
function model(be) {
  const zeros = (shape, dtype = 'float32') => {
    const n = shape.reduce((p, d) => p * d, 1);
    return new Tensor(be.allocator ? be.allocator.allocate(dtype, n) : new (dtype === 'int32' ? Int32Array : Float32Array)(n), shape);
  };
  const x = zeros([SAMPLES, SIZES[0]]);
  x.data.set(xData);
  const labels = zeros([SAMPLES], 'int32');
  labels.data.set(labelData);
  const layers = [];
  for (let l = 0; l + 1 < SIZES.length; l++) {
    const [fanIn, fanOut] = [SIZES[l], SIZES[l + 1]];
    const param = (shape, init) => {
      const value = zeros(shape);
      if (init) value.data.set(init);
      return { value, grad: zeros(shape), m: zeros(shape), v: zeros(shape) };
    };
    layers.push({ w: param([fanIn, fanOut], weightData[l]), b: param([fanOut]), z: zeros([BATCH, fanOut]), a: zeros([BATCH, fanOut]), dz: zeros([BATCH, fanOut]), dIn: zeros([BATCH, fanIn]) });
  }
  return { x, labels, layers, xb: zeros([BATCH, SIZES[0]]), yb: zeros([BATCH], 'int32'), indices: zeros([BATCH], 'int32'), losses: zeros([BATCH]), step: 0, next: 0 };
}

function epoch(be, net, steps = SAMPLES / BATCH) {
  const { x, labels, layers, xb, yb, indices, losses } = net;
  for (let s = 0; s < steps; s++) {
    const start = (net.next++ % (SAMPLES / BATCH)) * BATCH;
    for (let i = 0; i < BATCH; i++) indices.data[i] = start + i;
    be.gather(x, indices, xb);
    be.gather(labels, indices, yb);
    let input = xb;
    layers.forEach((layer, l) => {
      be.matmul(input, layer.w.value, layer.z);
      be.binary('add', layer.z, layer.b.value, layer.z);
      if (l + 1 < layers.length) be.unary('relu', layer.z, layer.a);
      input = l + 1 < layers.length ? layer.a : layer.z;
    });
    const last = layers[layers.length - 1];
    be.softmaxCrossEntropy(last.z, yb, losses, last.dz, 1 / BATCH);
    for (let l = layers.length - 1; l >= 0; l--) {
      const layer = layers[l];
      const below = l === 0 ? xb : layers[l - 1].a;
      be.matmul(below, layer.dz, layer.w.grad, { transposeA: true });
      be.reduce('sum', layer.dz, 0, layer.b.grad);
      if (l > 0) {
        be.matmul(layer.dz, layer.w.value, layer.dIn, { transposeB: true });
        be.activationBackward('relu', layers[l - 1].z, layer.dIn, layers[l - 1].dz);
      }
    }
    net.step++;
    for (const layer of layers) {
      for (const p of [layer.w, layer.b]) be.adamUpdate(p.value, p.grad, p.m, p.v, { lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, step: net.step });
    }
  }
}

/** The same step in tfjs: its ops and Adam under optimizer.minimize, one batch at a time. */
function tfjsTrainer() {
  const x = tf.tensor2d(xData, [SAMPLES, SIZES[0]]);
  const y = tf.cast(tf.oneHot(tf.tensor1d(labelData, 'int32'), SIZES[3]), 'float32');
  const vars = SIZES.slice(0, -1).flatMap((fanIn, l) => [tf.variable(tf.tensor2d(weightData[l], [fanIn, SIZES[l + 1]])), tf.variable(tf.zeros([SIZES[l + 1]]))]);
  const optimizer = tf.train.adam(1e-3, 0.9, 0.999, 1e-7);
  let next = 0;
  return (steps = SAMPLES / BATCH) => {
    for (let s = 0; s < steps; s++) {
      const start = (next++ % (SAMPLES / BATCH)) * BATCH;
      tf.tidy(() => {
        const xb = tf.slice(x, [start, 0], [BATCH, SIZES[0]]);
        const yb = tf.slice(y, [start, 0], [BATCH, SIZES[3]]);
        const cost = optimizer.minimize(() => {
          let h = xb;
          for (let l = 0; l < vars.length; l += 2) {
            h = tf.add(tf.matMul(h, vars[l]), vars[l + 1]);
            if (l + 2 < vars.length) h = tf.relu(h);
          }
          return tf.losses.softmaxCrossEntropy(yb, h);
        }, true);
        cost.dataSync();
      });
    }
  };
}

const require = createRequire(import.meta.url);
setWasmPaths(path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep);
tf.env().set('PROD', true);
if (!(await tf.setBackend('wasm'))) throw new Error('tfjs: the wasm backend failed to initialize');
await tf.ready();

const contenders = [
  ['wasm(1)', new WasmBackend({ threads: 1 })],
  ['wasm(2)', new WasmBackend({ threads: 2 })],
  ...spinVariants.map((n) => [`wasm(2) spins ${n}`, new WasmBackend({ threads: 2, [SPINS]: { worker: n, caller: n } })]),
  ['worker(2)', new WorkerBackend({ threads: 2 })],
  ['cpu', new CpuBackend()],
].map(([name, be]) => {
  const net = model(be);
  return [name, (steps) => epoch(be, net, steps), be];
});
contenders.push(['tfjs-wasm', tfjsTrainer(), null]);

const load = () => loadavg().map((v) => v.toFixed(2)).join(' ');
const loadBefore = load();
for (const [, run] of contenders) run();
const best = contenders.map(() => Infinity);
const perRun = singleSteps > 0 ? BATCH : SAMPLES;
for (let r = 0; r < (singleSteps > 0 ? singleSteps : reps); r++) {
  contenders.forEach(([, run], i) => {
    const t0 = performance.now();
    run(singleSteps > 0 ? 1 : undefined);
    best[i] = Math.min(best[i], (performance.now() - t0) / 1000);
  });
}
for (const [, , be] of contenders) be?.dispose?.();
const rates = best.map((s) => perRun / s);
const tfjsRate = rates[rates.length - 1];
const protocol = singleSteps > 0 ? `fastest of ${singleSteps} single steps` : `best of ${reps} epochs of ${SAMPLES}`;
console.log(`MLP ${SIZES.join('-')} training step, batch ${BATCH}, Adam, float32: samples/s, ${protocol} (node ${process.version}, tfjs ${tf.version_core})`);
console.log(`load average (1, 5, 15 min): ${loadBefore} before, ${load()} after`);
console.log('');
console.log('| contender | samples/s | vs tfjs-wasm |');
console.log('| --- | ---: | ---: |');
contenders.forEach(([name], i) => console.log(`| ${name} | ${rates[i].toFixed(0)} | ${(rates[i] / tfjsRate).toFixed(2)}× |`));
