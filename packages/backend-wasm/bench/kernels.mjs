// Does each kernel pay in WebAssembly? One thread: the wasm backend (SIMD kernel where it has
// one, else the cpu backend's JavaScript over its memory) against the cpu backend (JavaScript
// over plain arrays), same shapes, taking turns, best of N reps. After a build:
// `node bench/kernels.mjs [--reps N]`. Ratios above 1 mean the wasm backend is faster. Each
// contender's time is its fastest of N single calls, taken in turns (this machine is shared: the
// fastest call is one that ran without being preempted).
import { loadavg } from 'node:os';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { Tensor } from '@scratchnet/tensor';
import { WasmBackend } from '../dist/index.js';

const at = process.argv.indexOf('--reps');
const reps = at === -1 ? 300 : Number(process.argv[at + 1]);

let seed = 11;
function tensor(be, shape, dtype = 'float32', lo = -1, hi = 1) {
  const n = shape.reduce((p, d) => p * d, 1);
  const data = be.allocator ? be.allocator.allocate(dtype, n) : new (dtype === 'int32' ? Int32Array : dtype === 'float64' ? Float64Array : Float32Array)(n);
  for (let i = 0; i < n; i++) {
    seed = (seed * 16807) % 2147483647;
    const u = seed / 2147483647;
    data[i] = dtype === 'int32' ? Math.floor(lo + (hi - lo + 1) * u) : lo + (hi - lo) * u;
  }
  return new Tensor(data, shape);
}

const N = 1 << 16;
const CASES = [
  ['relu', 'SIMD', (be) => { const x = tensor(be, [N]), o = tensor(be, [N]); return () => be.unary('relu', x, o); }],
  ['leakyRelu (alpha 0.1)', 'SIMD', (be) => { const x = tensor(be, [N]), o = tensor(be, [N]); return () => be.unary('leakyRelu', x, o, { alpha: 0.1 }); }],
  ['sqrt', 'SIMD', (be) => { const x = tensor(be, [N], 'float32', 0, 4), o = tensor(be, [N]); return () => be.unary('sqrt', x, o); }],
  ['exp', 'wasm (fdlibm, 2 lanes)', (be) => { const x = tensor(be, [N]), o = tensor(be, [N]); return () => be.unary('exp', x, o); }],
  ['sigmoid', 'wasm (fdlibm exp, 2 lanes)', (be) => { const x = tensor(be, [N]), o = tensor(be, [N]); return () => be.unary('sigmoid', x, o); }],
  ['log', 'wasm (fdlibm, scalar)', (be) => { const x = tensor(be, [N], 'float32', 0.01, 5), o = tensor(be, [N]); return () => be.unary('log', x, o); }],
  ['tanh', 'wasm (fdlibm, scalar)', (be) => { const x = tensor(be, [N]), o = tensor(be, [N]); return () => be.unary('tanh', x, o); }],
  ['add, same shape', 'SIMD', (be) => { const a = tensor(be, [N]), b = tensor(be, [N]), o = tensor(be, [N]); return () => be.binary('add', a, b, o); }],
  ['add, row bias [512,128]+[128]', 'SIMD', (be) => { const a = tensor(be, [512, 128]), b = tensor(be, [128]), o = tensor(be, [512, 128]); return () => be.binary('add', a, b, o); }],
  ['squaredDifference', 'SIMD', (be) => { const a = tensor(be, [N]), b = tensor(be, [N]), o = tensor(be, [N]); return () => be.binary('squaredDifference', a, b, o); }],
  ['mul, column [512,128]*[512,1]', 'SIMD (strided walk)', (be) => { const a = tensor(be, [512, 128]), b = tensor(be, [512, 1]), o = tensor(be, [512, 128]); return () => be.binary('mul', a, b, o); }],
  ['relu backward', 'SIMD', (be) => { const s = tensor(be, [N]), d = tensor(be, [N]), o = tensor(be, [N]); return () => be.activationBackward('relu', s, d, o); }],
  ['sigmoid backward', 'SIMD (f64 lanes)', (be) => { const s = tensor(be, [N], 'float32', 0, 1), d = tensor(be, [N]), o = tensor(be, [N]); return () => be.activationBackward('sigmoid', s, d, o); }],
  ['sum over axis 0 of [512,128]', 'SIMD', (be) => { const x = tensor(be, [512, 128]), o = tensor(be, [128]); return () => be.reduce('sum', x, 0, o); }],
  ['sum over axis 1 of [512,128]', 'wasm (4 rows at a time)', (be) => { const x = tensor(be, [512, 128]), o = tensor(be, [512]); return () => be.reduce('sum', x, 1, o); }],
  ['max over axis 0 of [512,128]', 'SIMD', (be) => { const x = tensor(be, [512, 128]), o = tensor(be, [128]); return () => be.reduce('max', x, 0, o); }],
  ['softmaxCrossEntropy [512,10]', 'wasm (fdlibm exp, log)', (be) => { const x = tensor(be, [512, 10]), y = tensor(be, [512], 'int32', 0, 9), l = tensor(be, [512]), d = tensor(be, [512, 10]); return () => be.softmaxCrossEntropy(x, y, l, d, 1 / 512); }],
  ['softmax [512,10]', 'wasm (fdlibm exp)', (be) => { const x = tensor(be, [512, 10]), o = tensor(be, [512, 10]); return () => be.softmax(x, o); }],
  ['softmax backward [512,10]', 'wasm', (be) => { const y = tensor(be, [512, 10], 'float32', 0, 1), d = tensor(be, [512, 10]), o = tensor(be, [512, 10]); return () => be.softmaxBackward(y, d, o); }],
  ['gather 128 rows of 784', 'SIMD (memory.copy)', (be) => { const x = tensor(be, [2048, 784]), i = tensor(be, [128], 'int32', 0, 2047), o = tensor(be, [128, 784]); return () => be.gather(x, i, o); }],
  ['transpose [512,128]', 'wasm (strided walk)', (be) => { const x = tensor(be, [512, 128]), o = tensor(be, [128, 512]); return () => be.transpose(x, [1, 0], o); }],
  ['argmax of [512,128] over axis 1', 'wasm', (be) => { const x = tensor(be, [512, 128]), o = tensor(be, [512], 'int32'); return () => be.argReduce('argmax', x, 1, o); }],
  ['pow', 'JS', (be) => { const a = tensor(be, [N], 'float32', 0.5, 2), b = tensor(be, [N]), o = tensor(be, [N]); return () => be.binary('pow', a, b, o); }],
  ['fill', 'SIMD', (be) => { const o = tensor(be, [N]); return () => be.fill(o, 0.25); }],
  ['cast float32 -> float64', 'SIMD', (be) => { const x = tensor(be, [N]), o = tensor(be, [N], 'float64'); return () => be.cast(x, o); }],
  ['cast float32 -> int32', 'JS (typed-array set)', (be) => { const x = tensor(be, [N], 'float32', -1000, 1000), o = tensor(be, [N], 'int32'); return () => be.cast(x, o); }],
  ['copy', 'memory.copy', (be) => { const x = tensor(be, [N]), o = tensor(be, [N]); return () => be.copy(x, o); }],
  ['sgd', 'SIMD (f64 lanes)', (be) => { const p = tensor(be, [N]), g = tensor(be, [N]); return () => be.sgdUpdate(p, g, { lr: 1e-6 }); }],
  ['adam', 'SIMD (f64 lanes)', (be) => { const p = tensor(be, [N]), g = tensor(be, [N]), m = tensor(be, [N]), v = tensor(be, [N], 'float32', 0, 1); return () => be.adamUpdate(p, g, m, v, { lr: 1e-6, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, step: 3 }); }],
  ['rmsprop', 'SIMD (f64 lanes)', (be) => { const p = tensor(be, [N]), g = tensor(be, [N]), s = tensor(be, [N], 'float32', 0, 1); return () => be.rmspropUpdate(p, g, s, null, { lr: 1e-6, rho: 0.9, epsilon: 1e-7 }); }],
];

const wasm = new WasmBackend();
const cpu = new CpuBackend();
const load = () => loadavg().map((v) => v.toFixed(2)).join(' ');
const loadBefore = load();
const rows = [];
for (const [name, how, setup] of CASES) {
  const runs = [setup(wasm), setup(cpu)];
  for (const run of runs) for (let i = 0; i < 20; i++) run();
  const best = [Infinity, Infinity];
  for (let r = 0; r < reps; r++) {
    runs.forEach((run, i) => {
      const s = performance.now();
      run();
      best[i] = Math.min(best[i], (performance.now() - s) * 1000);
    });
  }
  rows.push([name, how, best[0], best[1]]);
}
wasm.dispose();
console.log(`one thread, float32, µs per call, fastest of ${reps} single calls (node ${process.version})`);
console.log(`load average (1, 5, 15 min): ${loadBefore} before, ${load()} after\n`);
console.log('| kernel | in the wasm backend | wasm µs | cpu µs | cpu / wasm |');
console.log('| --- | --- | ---: | ---: | ---: |');
for (const [name, how, w, c] of rows) console.log(`| ${name} | ${how} | ${w.toFixed(1)} | ${c.toFixed(1)} | ${(c / w).toFixed(2)}× |`);
