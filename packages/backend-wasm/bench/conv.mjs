// Convolutions on the wasm backend, one thread, on the layers of the demo's CNNs (batch 64,
// float32): which way pays. Timed in turns in one run, best of --reps:
//
//   wasm       this backend's kernels: im2col and col2im in WebAssembly around its matmul
//   js im2col  the cpu backend's orchestration on this backend: JavaScript im2col / col2im over
//              the wasm memory (float64 tap sums for the input gradient), the same wasm matmul
//              (mixed float32 × float64 products fall back to JavaScript)
//   composed   what ops compose from the core kernels for a backend without conv kernels
//              (im2col as a gather, then matmul)
//   cpu        the cpu backend (JavaScript im2col and matmul)
//
// Also pooling and batch normalization (the cpu backend's range kernels over the wasm memory,
// against the cpu backend), to say whether porting them would pay.
// Build first (`pnpm build` at the root), then `node bench/conv.mjs [--reps N] [--dtype float64]
// [--batch N] [--threads N] [--only conv,pool,bn]` (with `node --expose-gc`, the dropped
// temporaries of the composed kernels are collected between timed batches).
import { loadavg } from 'node:os';
import { batchNormalization, batchNormalizationBackward, conv2dInfo, kernelsOf, moments, outputShapeOf, pool2dInfo, setBackend } from '@scratchnet/backend';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { zeros } from '@scratchnet/tensor';
import { WasmBackend } from '../dist/index.js';

const flag = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i === -1 ? fallback : process.argv[i + 1];
};
const reps = Number(flag('--reps', 7));
const dtype = flag('--dtype', 'float32');
const batch = Number(flag('--batch', 64));
const threads = Number(flag('--threads', 1));
const only = flag('--only', 'conv,pool,bn').split(',');
if (!['float32', 'float64'].includes(dtype) || !(reps >= 1) || !(batch >= 1) || !(threads >= 1)) {
  console.error('usage: node bench/conv.mjs [--reps N] [--dtype float32|float64] [--batch N] [--threads N] [--only conv,pool,bn]');
  process.exit(2);
}

/** [label, input [h, w, c], filter [fh, fw, out], options] (apps/bench's CNN layers, as backend-cpu's bench). */
const convs = [
  ['A1 28×28×1 → 5×5×8 same', [28, 28, 1], [5, 5, 8], { padding: 'same' }],
  ['A2 14×14×8 → 5×5×16 same', [14, 14, 8], [5, 5, 16], { padding: 'same' }],
  ['B1 28×28×1 → 3×3×32 valid', [28, 28, 1], [3, 3, 32], { padding: 'valid' }],
  ['B2 13×13×32 → 3×3×64 valid', [13, 13, 32], [3, 3, 64], { padding: 'valid' }],
];
const pools = [
  ['A 28×28×8 pool 2', [28, 28, 8]],
  ['B 26×26×32 pool 2', [26, 26, 32]],
];

const wasm = new WasmBackend({ threads });
const cpu = new CpuBackend();
const composedBackend = new WasmBackend({ threads });
for (const name of ['conv2d', 'conv2dBackpropInput', 'conv2dBackpropFilter']) composedBackend[name] = undefined;
const composed = kernelsOf(composedBackend);
// The cpu backend's methods on the wasm backend (it extends CpuBackend, so they find their fields).
const jsIm2col = {
  conv2d: (...a) => CpuBackend.prototype.conv2d.apply(wasm, a),
  conv2dBackpropInput: (...a) => CpuBackend.prototype.conv2dBackpropInput.apply(wasm, a),
  conv2dBackpropFilter: (...a) => CpuBackend.prototype.conv2dBackpropFilter.apply(wasm, a),
};

/** Random values in plain memory from a creation function (each backend moves its own copy in). */
function random(shape) {
  const t = zeros(shape, { dtype });
  for (let i = 0; i < t.size; i++) t.data[i] = Math.random() * 2 - 1;
  return t;
}

/**
 * Tensors dropped in a synchronous loop free their wasm blocks only when finalizers run, between
 * tasks (the composed kernels drop temporaries): collect and yield between timed batches.
 */
async function settle() {
  globalThis.gc?.();
  await new Promise((resolve) => setImmediate(resolve));
}

/** Calls of `fn` lasting about 30 ms. */
async function callsFor(fn) {
  fn();
  let calls = 1;
  for (let t = 0; t < 0.03; calls *= 2) {
    await settle();
    const t0 = performance.now();
    for (let c = 0; c < calls; c++) fn();
    t = (performance.now() - t0) / 1000;
  }
  return calls;
}

/** Best seconds per call of each function, timed in turn, `reps` rounds. */
async function timeAlternately(fns) {
  const calls = [];
  for (const fn of fns) calls.push(await callsFor(fn));
  const best = fns.map(() => Infinity);
  for (let r = 0; r < reps; r++) {
    for (const [i, fn] of fns.entries()) {
      await settle();
      const t0 = performance.now();
      for (let c = 0; c < calls[i]; c++) fn();
      best[i] = Math.min(best[i], (performance.now() - t0) / 1000 / calls[i]);
    }
  }
  return best;
}

const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const pad = (s, w) => String(s).padEnd(w);
const gflops = (flops, t) => (flops / t / 1e9).toFixed(2).padStart(7).padEnd(12);

console.log(`wasm backend (${threads} thread${threads > 1 ? 's' : ''}) ${dtype}, batch ${batch}, best of ${reps}, in turns (node ${process.version}); load average ${load()}`);
if (only.includes('conv')) {
  console.log(`\nconvolutions, GFLOP/s (2·batch·outH·outW·outC·fh·fw·inC per kernel)`);
  console.log(`${pad('shape', 30)}${pad('kernel', 22)}${pad('wasm', 12)}${pad('js im2col', 12)}${pad('composed', 12)}${pad('cpu', 12)}wasm/js  wasm/composed  wasm/cpu`);
  const totals = [0, 0, 0, 0];
  for (const [label, [h, w, c], [fh, fw, o], options] of convs) {
    const info = conv2dInfo('bench', [batch, h, w, c], [fh, fw, c, o], options);
    const inputs = () => ({ x: random([batch, h, w, c]), f: random([fh, fw, c, o]), y: random(outputShapeOf(info)), dy: random(outputShapeOf(info)), dx: random([batch, h, w, c]), df: random([fh, fw, c, o]) });
    // Each contender its own tensors, moved into its own memory by its first call.
    const sets = [inputs(), inputs(), inputs(), inputs()];
    const flops = 2 * info.batch * info.outHeight * info.outWidth * o * fh * fw * c;
    const kernels = [
      ['conv2d', (k, t) => k.conv2d(t.x, t.f, t.y, info)],
      ['conv2dBackpropInput', (k, t) => k.conv2dBackpropInput(t.dy, t.f, t.dx, info)],
      ['conv2dBackpropFilter', (k, t) => k.conv2dBackpropFilter(t.x, t.dy, t.df, info, false)],
    ];
    for (const [name, call] of kernels) {
      const times = await timeAlternately([wasm, jsIm2col, composed, cpu].map((k, i) => () => call(k, sets[i])));
      times.forEach((t, i) => (totals[i] += t));
      const [tw, tj, tc, tcpu] = times;
      console.log(
        `${pad(label, 30)}${pad(name, 22)}${times.map((t) => gflops(flops, t)).join('')}` +
          `${(tj / tw).toFixed(2).padStart(7)}  ${(tc / tw).toFixed(2).padStart(13)}  ${(tcpu / tw).toFixed(2).padStart(8)}`,
      );
    }
  }
  const ms = totals.map((t) => (t * 1e3).toFixed(1));
  console.log(`one forward and backward of all four layers, ms: wasm ${ms[0]}, js im2col ${ms[1]}, composed ${ms[2]}, cpu ${ms[3]}`);
}

if (only.includes('pool')) {
  console.log(`\npooling, 2×2 stride 2 valid, µs per call (the cpu backend's JavaScript kernels: over the wasm memory, and over plain memory)`);
  console.log(`${pad('shape', 30)}${pad('kernel', 18)}${pad('wasm', 10)}${pad('cpu', 10)}cpu/wasm`);
  for (const [label, [h, w, c]] of pools) {
    const info = pool2dInfo('bench', [batch, h, w, c], { poolSize: 2 });
    const sets = [0, 1].map(() => ({ x: random([batch, h, w, c]), y: random(outputShapeOf(info)), dx: random([batch, h, w, c]) }));
    for (const [name, call] of [
      ['maxPool', (b, t) => b.maxPool(t.x, t.y, info)],
      ['maxPoolBackward', (b, t) => b.maxPoolBackward(t.x, t.y, t.dx, info)],
      ['avgPool', (b, t) => b.avgPool(t.x, t.y, info)],
      ['avgPoolBackward', (b, t) => b.avgPoolBackward(t.y, t.dx, info)],
    ]) {
      const [tw, tc] = await timeAlternately([() => call(wasm, sets[0]), () => call(cpu, sets[1])]);
      console.log(`${pad(label, 30)}${pad(name, 18)}${pad((tw * 1e6).toFixed(1), 10)}${pad((tc * 1e6).toFixed(1), 10)}${(tc / tw).toFixed(2)}`);
    }
  }
}

if (only.includes('bn')) {
  console.log(`\nbatch normalization in training through the ops (moments, forward, backward), ms, against the wasm convolution before it (forward and both gradients)`);
  console.log(`${pad('layer', 30)}${pad('wasm', 10)}${pad('cpu', 10)}${pad('wasm conv', 12)}${pad('cpu/wasm', 10)}bn/conv on wasm`);
  for (const [label, [h, w, c], [fh, fw, o], options] of convs) {
    const info = conv2dInfo('bench', [batch, h, w, c], [fh, fw, c, o], options);
    const sets = [0, 1].map(() => ({ y: random(outputShapeOf(info)), dy: random(outputShapeOf(info)), scale: random([o]), offset: random([o]) }));
    const conv = { x: random([batch, h, w, c]), f: random([fh, fw, c, o]), y: random(outputShapeOf(info)), dy: random(outputShapeOf(info)), dx: random([batch, h, w, c]), df: random([fh, fw, c, o]) };
    const batchNorm = (backend, t) => () => {
      setBackend(backend);
      const { mean, variance } = moments(t.y, { axis: [0, 1, 2] });
      batchNormalization(t.y, mean, variance, { scale: t.scale, offset: t.offset });
      batchNormalizationBackward(t.dy, t.y, mean, variance, { scale: t.scale });
    };
    const [tw, tc, tconv] = await timeAlternately([
      batchNorm(wasm, sets[0]),
      batchNorm(cpu, sets[1]),
      () => {
        wasm.conv2d(conv.x, conv.f, conv.y, info);
        wasm.conv2dBackpropInput(conv.dy, conv.f, conv.dx, info);
        wasm.conv2dBackpropFilter(conv.x, conv.dy, conv.df, info, false);
      },
    ]);
    const ms = (t) => (t * 1e3).toFixed(2);
    console.log(`${pad(label, 30)}${pad(ms(tw), 10)}${pad(ms(tc), 10)}${pad(ms(tconv), 12)}${pad((tc / tw).toFixed(2), 10)}${(tw / tconv).toFixed(2)}`);
  }
}
console.log(`load average at the end ${load()}`);
wasm.dispose();
composedBackend.dispose();
