// Training throughput of a 784-128-128-10 relu MLP (batch 128, Adam, softmax cross-entropy),
// written with the Backend kernels directly — what a layer stack runs per step — for the cpu
// backend and the worker backend with 1 and 2 threads. Build first:
// `npx tsup && node bench/mlp-step.mjs [--reps N]`. Backends take turns, best rep kept.
import { zeros as created } from '@scratchnet/tensor';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { WorkerBackend } from '../dist/index.js';

const repsFlag = process.argv.indexOf('--reps');
const reps = repsFlag === -1 ? 5 : Number(process.argv[repsFlag + 1]);
const SIZES = [784, 128, 128, 10];
const BATCH = 128;
const SAMPLES = 2048;

// Made by the library, so the worker backend may move them into shared memory (it refuses arrays adopted with new Tensor).
const zeros = (shape, Ctor = Float32Array) => created(shape, { dtype: Ctor === Int32Array ? 'int32' : 'float32' });
function random(shape, scale) {
  const t = zeros(shape);
  for (let i = 0; i < t.size; i++) t.data[i] = (Math.random() * 2 - 1) * scale;
  return t;
}

const x = random([SAMPLES, SIZES[0]], 1);
const labels = zeros([SAMPLES], Int32Array);
for (let i = 0; i < SAMPLES; i++) labels.data[i] = Math.floor(Math.random() * SIZES[3]);

/** One model's buffers, trained with `be`. */
function model() {
  const layers = [];
  for (let l = 0; l + 1 < SIZES.length; l++) {
    const [fanIn, fanOut] = [SIZES[l], SIZES[l + 1]];
    const param = (shape, scale) => ({ value: random(shape, scale), grad: zeros(shape), m: zeros(shape), v: zeros(shape) });
    layers.push({ w: param([fanIn, fanOut], Math.sqrt(6 / fanIn)), b: param([fanOut], 0), z: zeros([BATCH, fanOut]), a: zeros([BATCH, fanOut]), dz: zeros([BATCH, fanOut]), dIn: zeros([BATCH, fanIn]) });
  }
  return { layers, xb: zeros([BATCH, SIZES[0]]), yb: zeros([BATCH], Int32Array), indices: zeros([BATCH], Int32Array), losses: zeros([BATCH]), step: 0 };
}

function epoch(be, net) {
  const { layers, xb, yb, indices, losses } = net;
  for (let start = 0; start + BATCH <= SAMPLES; start += BATCH) {
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
    be.softmaxCrossentropy(last.z, yb, losses, last.dz, 1 / BATCH);
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

const backends = [
  ['cpu', new CpuBackend()],
  ['worker(1)', new WorkerBackend({ threads: 1 })],
  ['worker(2)', new WorkerBackend({ threads: 2 })],
];
const nets = backends.map(() => model());
backends.forEach(([, be], i) => epoch(be, nets[i]));
const best = backends.map(() => Infinity);
for (let r = 0; r < reps; r++) {
  backends.forEach(([, be], i) => {
    const t0 = performance.now();
    epoch(be, nets[i]);
    best[i] = Math.min(best[i], (performance.now() - t0) / 1000);
  });
}
for (const [, be] of backends) be.dispose?.();
const rate = best.map((s) => SAMPLES / s);
console.log(`MLP ${SIZES.join('-')} training, batch ${BATCH}, Adam: samples/s, best of ${reps} epochs of ${SAMPLES} (node ${process.version})`);
console.log(`cpu ${rate[0].toFixed(0)}   worker(1) ${rate[1].toFixed(0)} (${(rate[1] / rate[0]).toFixed(2)}×)   worker(2) ${rate[2].toFixed(0)} (${(rate[2] / rate[0]).toFixed(2)}×)`);
