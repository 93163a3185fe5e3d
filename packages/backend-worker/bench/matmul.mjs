// Matmul throughput: cpu backend vs worker backend with 1 and 2 threads, measured in the same
// run, float32. Build first: `npx tsup && node bench/matmul.mjs [--reps N]`.
//
// Each timing runs enough calls to last ~0.2 s; the backends take turns, rep after rep, and the
// best rep of each is kept, so that load from other processes (this machine is shared) hits all
// columns alike and a quiet moment is found for each.
import { tensor, zeros } from '@scratchnet/tensor';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { WorkerBackend } from '../dist/index.js';

const repsFlag = process.argv.indexOf('--reps');
const reps = repsFlag === -1 ? 7 : Number(process.argv[repsFlag + 1]);
if (!(reps >= 1)) {
  console.error('usage: node bench/matmul.mjs [--reps N (>= 1)]');
  process.exit(2);
}

const cases = [
  ['128³', 128, 128, 128],
  ['256³', 256, 256, 256],
  ['512³', 512, 512, 512],
  ['1024³', 1024, 1024, 1024],
  ['128×784×128', 128, 784, 128],
];

function random(shape) {
  const size = shape.reduce((p, d) => p * d, 1);
  const data = new Float32Array(size);
  for (let i = 0; i < size; i++) data[i] = Math.random() * 2 - 1;
  return tensor(data, { shape }); // a copy the worker backend may move into shared memory
}

const backends = [
  ['cpu', new CpuBackend()],
  ['worker(1)', new WorkerBackend({ threads: 1 })],
  ['worker(2)', new WorkerBackend({ threads: 2 })],
];

const rows = [];
for (const [label, m, k, n] of cases) {
  const flops = 2 * m * n * k;
  const calls = Math.max(1, Math.round(4e8 / flops));
  const a = random([m, k]);
  const b = random([k, n]);
  const outs = backends.map(() => zeros([m, n]));
  backends.forEach(([, be], i) => be.matmul(a, b, outs[i]));
  const best = backends.map(() => Infinity);
  for (let r = 0; r < reps; r++) {
    backends.forEach(([, be], i) => {
      const t0 = performance.now();
      for (let c = 0; c < calls; c++) be.matmul(a, b, outs[i]);
      best[i] = Math.min(best[i], (performance.now() - t0) / 1000 / calls);
    });
  }
  rows.push([label, ...best.map((s) => flops / s / 1e9)]);
}
for (const [, be] of backends) be.dispose?.();

const pad = (s, w) => String(s).padEnd(w);
console.log(`matmul float32 GFLOP/s, best of ${reps} reps (node ${process.version}, ${backends.length} backends in turn)`);
console.log(`${pad('shape (m×k×n)', 16)}${pad('cpu', 8)}${pad('worker(1)', 11)}${pad('worker(2)', 11)}${pad('w(1)/cpu', 10)}w(2)/cpu`);
for (const [label, cpu, w1, w2] of rows) {
  console.log(`${pad(label, 16)}${pad(cpu.toFixed(2), 8)}${pad(w1.toFixed(2), 11)}${pad(w2.toFixed(2), 11)}${pad(`${(w1 / cpu).toFixed(2)}×`, 10)}${(w2 / cpu).toFixed(2)}×`);
}
