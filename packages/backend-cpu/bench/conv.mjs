// Convolution throughput of the cpu backend on one thread, im2col + matmul against direct loops,
// on the layers of the demo's CNNs (batch 64, float32), timed alternately in one run; and the
// pooling kernels on their outputs. GFLOP/s counts 2·batch·outH·outW·outC·fh·fw·inC per kernel.
// Build first (`pnpm build` at the root), then `node bench/conv.mjs [--reps N] [--dtype float64]
// [--batch N] [--only conv,pool,bn]`.
import { loadavg } from 'node:os';
import {
  batchNormalization,
  batchNormalizationBackward,
  conv2dInfo,
  moments,
  outputShapeOf,
  pool2dInfo,
  setBackend,
} from '@scratchnet/backend';
import { Tensor } from '@scratchnet/tensor';
import { CpuBackend } from '../dist/index.js';

const flag = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i === -1 ? fallback : process.argv[i + 1];
};
const reps = Number(flag('--reps', 5));
const dtype = flag('--dtype', 'float32');
const batch = Number(flag('--batch', 64));
const only = flag('--only', 'conv,pool,bn').split(',');
const Data = { float32: Float32Array, float64: Float64Array }[dtype];
if (Data === undefined || !(reps >= 1) || !(batch >= 1)) {
  console.error('usage: node bench/conv.mjs [--reps N (>= 1)] [--dtype float32|float64] [--batch N] [--only conv,pool,bn]');
  process.exit(2);
}

/** [label, input [h, w, c], filter [fh, fw, out], options] */
const convs = [
  ['A1 28×28×1 → 5×5×8 same', [28, 28, 1], [5, 5, 8], { padding: 'same' }],
  ['A2 14×14×8 → 5×5×16 same', [14, 14, 8], [5, 5, 16], { padding: 'same' }],
  ['B1 28×28×1 → 3×3×32 valid', [28, 28, 1], [3, 3, 32], { padding: 'valid' }],
  ['B2 13×13×32 → 3×3×64 valid', [13, 13, 32], [3, 3, 64], { padding: 'valid' }],
];
const pools = [
  ['A 28×28×8 pool 2', [28, 28, 8]],
  ['A 14×14×16 pool 2', [14, 14, 16]],
  ['B 26×26×32 pool 2', [26, 26, 32]],
  ['B 11×11×64 pool 2', [11, 11, 64]],
];

function random(shape) {
  const size = shape.reduce((p, d) => p * d, 1);
  const data = new Data(size);
  for (let i = 0; i < size; i++) data[i] = Math.random() * 2 - 1;
  return new Tensor(data, shape);
}

/** Calls of `fn` lasting about 50 ms. */
function callsFor(fn) {
  fn();
  let calls = 1;
  for (let t = 0; t < 0.05; calls *= 2) {
    const t0 = performance.now();
    for (let c = 0; c < calls; c++) fn();
    t = (performance.now() - t0) / 1000;
  }
  return calls;
}

/** Best seconds per call of each function, timed in turn, `reps` rounds. */
function timeAlternately(fns) {
  const calls = fns.map(callsFor);
  const best = fns.map(() => Infinity);
  for (let r = 0; r < reps; r++) {
    fns.forEach((fn, i) => {
      const t0 = performance.now();
      for (let c = 0; c < calls[i]; c++) fn();
      best[i] = Math.min(best[i], (performance.now() - t0) / 1000 / calls[i]);
    });
  }
  return best;
}

const im2col = new CpuBackend({ convolution: 'im2col' });
const direct = new CpuBackend({ convolution: 'direct' });
const auto = new CpuBackend(); // the default, for the pooling kernels
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const pad = (s, w) => String(s).padEnd(w);
const num = (x) => x.toFixed(2).padStart(7);

if (only.includes('conv')) {
console.log(`conv2d ${dtype}, batch ${batch}, one thread, best of ${reps}, alternating (node ${process.version}); load average ${load()}`);
console.log(`${pad('shape', 30)}${pad('kernel', 22)}${pad('im2col GFLOP/s', 16)}${pad('direct GFLOP/s', 16)}im2col/direct`);
const totals = { im2col: 0, direct: 0 };
for (const [label, [h, w, c], [fh, fw, o], options] of convs) {
  const info = conv2dInfo('bench', [batch, h, w, c], [fh, fw, c, o], options);
  const x = random([batch, h, w, c]);
  const f = random([fh, fw, c, o]);
  const y = random(outputShapeOf(info));
  const dy = random(outputShapeOf(info));
  const dx = random(x.shape);
  const df = random(f.shape);
  const flops = 2 * info.batch * info.outHeight * info.outWidth * o * fh * fw * c;
  const kernels = [
    ['conv2d', (b) => b.conv2d(x, f, y, info)],
    ['conv2dBackpropInput', (b) => b.conv2dBackpropInput(dy, f, dx, info)],
    ['conv2dBackpropFilter', (b) => b.conv2dBackpropFilter(x, dy, df, info, false)],
  ];
  for (const [name, call] of kernels) {
    const [tIm2col, tDirect] = timeAlternately([() => call(im2col), () => call(direct)]);
    totals.im2col += tIm2col;
    totals.direct += tDirect;
    console.log(`${pad(label, 30)}${pad(name, 22)}${num(flops / tIm2col / 1e9).padEnd(16)}${num(flops / tDirect / 1e9).padEnd(16)}${(tDirect / tIm2col).toFixed(2).padStart(6)}`);
  }
}
console.log(`one forward+backward of all four convolutions: im2col ${(totals.im2col * 1e3).toFixed(1)} ms, direct ${(totals.direct * 1e3).toFixed(1)} ms`);

}

if (only.includes('pool')) {
console.log(`\npooling ${dtype}, batch ${batch}, 2×2 stride 2 valid (GB/s of input read)`);
console.log(`${pad('shape', 30)}${pad('maxPool', 10)}${pad('backward', 10)}${pad('avgPool', 10)}backward`);
for (const [label, [h, w, c]] of pools) {
  const info = pool2dInfo('bench', [batch, h, w, c], { poolSize: 2 });
  const x = random([batch, h, w, c]);
  const y = random(outputShapeOf(info));
  const dx = random(x.shape);
  const times = timeAlternately([
    () => auto.maxPool(x, y, info),
    () => auto.maxPoolBackward(x, y, dx, info),
    () => auto.avgPool(x, y, info),
    () => auto.avgPoolBackward(y, dx, info),
  ]);
  const bytes = x.size * Data.BYTES_PER_ELEMENT;
  console.log(`${pad(label, 30)}${times.map((t) => (bytes / t / 1e9).toFixed(2).padEnd(10)).join('')}`);
}
}

if (only.includes('bn')) {
  // Batch normalization in training (moments, forward, backward) through the ops: the cpu
  // backend's kernels, and the same ops composed from its core kernels (a backend without them),
  // against the convolution whose output they normalize (forward and both gradients).
  const composed = new CpuBackend();
  for (const name of ['moments', 'batchNormalization', 'batchNormalizationBackward']) composed[name] = undefined;
  console.log(`\nbatch normalization in training (ops) vs the convolution before it, ${dtype}, batch ${batch}`);
  console.log(`${pad('layer', 30)}${pad('kernels ms', 12)}${pad('composed ms', 13)}${pad('conv ms', 10)}${pad('composed/kernels', 18)}kernels/conv`);
  for (const [label, [h, w, c], [fh, fw, o], options] of convs) {
    const info = conv2dInfo('bench', [batch, h, w, c], [fh, fw, c, o], options);
    const x = random([batch, h, w, c]);
    const f = random([fh, fw, c, o]);
    const y = random(outputShapeOf(info));
    const dy = random(outputShapeOf(info));
    const dx = random(x.shape);
    const df = random(f.shape);
    const scale = random([o]);
    const offset = random([o]);
    const batchNorm = (backend) => () => {
      setBackend(backend);
      const { mean, variance } = moments(y, { axis: [0, 1, 2] });
      batchNormalization(y, mean, variance, { scale, offset });
      batchNormalizationBackward(dy, y, mean, variance, { scale });
    };
    const [tFused, tComposed, tConv] = timeAlternately([
      batchNorm(auto),
      batchNorm(composed),
      () => {
        auto.conv2d(x, f, y, info);
        auto.conv2dBackpropInput(dy, f, dx, info);
        auto.conv2dBackpropFilter(x, dy, df, info, false);
      },
    ]);
    const ms = (t) => (t * 1e3).toFixed(2);
    console.log(`${pad(label, 30)}${pad(ms(tFused), 12)}${pad(ms(tComposed), 13)}${pad(ms(tConv), 10)}${pad((tComposed / tFused).toFixed(2), 18)}${(tFused / tConv).toFixed(2)}`);
  }
}
console.log(`load average at the end ${load()}`);
