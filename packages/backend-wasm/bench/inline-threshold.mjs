// Where splitting a kernel over 2 threads starts to pay: each kernel at doubling sizes, run by a
// 2-thread backend that keeps everything inline and by one that splits only that kernel,
// alternately, best of N reps (each rep ~R ms of calls). After a build:
// `node bench/inline-threshold.mjs [--reps N] [--rep-ms R] [--only matmulRows,adam]`. On a busy
// machine, many short reps (`--reps 40 --rep-ms 1`) find the moments when both threads run.
//
// Prints, per kernel, the work (`units × cost` of the job, as DEFAULT_INLINE_THRESHOLDS counts
// it) from which the split was at least 10% faster at that size and every larger one.
import { loadavg } from 'node:os';
import { Tensor } from '@scratchnet/tensor';
import { DEFAULT_INLINE_THRESHOLDS, WasmBackend } from '../dist/index.js';

function flag(name, fallback) {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : process.argv[at + 1];
}
const reps = Number(flag('--reps', '5'));
const repMs = Number(flag('--rep-ms', '20'));
const only = flag('--only', '')
  .split(',')
  .filter((s) => s !== '');

let seed = 7;
/** Every tensor a size's setup made, disposed when the size is done (the loop never waits for collection). */
const made = [];
function tensor(be, shape, dtype = 'float32', lo = -1, hi = 1) {
  const n = shape.reduce((p, d) => p * d, 1);
  const t = new Tensor(be.allocator.allocate(dtype, n), shape);
  made.push(t);
  for (let i = 0; i < n; i++) {
    seed = (seed * 16807) % 2147483647;
    const u = seed / 2147483647;
    t.data[i] = dtype === 'int32' ? Math.floor(lo + (hi - lo + 1) * u) : lo + (hi - lo) * u;
  }
  return t;
}

const pow2 = (from, to) => Array.from({ length: Math.log2(to / from) + 1 }, (_, i) => from * 2 ** i);

// Each case: the threshold it measures, sizes, the work of one call at a size, and a call.
const CASES = [
  { name: 'matmulRows', what: 'm×64 @ 64×64', sizes: pow2(1, 1024), work: (m) => m * 2 * 64 * 64, setup: (be, m) => { const a = tensor(be, [m, 64]), b = tensor(be, [64, 64]), o = tensor(be, [m, 64]); return () => be.matmul(a, b, o); } },
  { name: 'packB', what: '5×256 @ 256×n (packing)', sizes: pow2(64, 16384), work: (n) => (n / 8) * 256 * 8, setup: (be, n) => { const a = tensor(be, [5, 256]), b = tensor(be, [256, n]), o = tensor(be, [5, n]); return () => be.matmul(a, b, o); } },
  { name: 'unarySimd', what: 'relu', sizes: pow2(1024, 1 << 21), work: (n) => n, setup: (be, n) => { const x = tensor(be, [n]), o = tensor(be, [n]); return () => be.unary('relu', x, o); } },
  { name: 'transcendental', what: 'exp', sizes: pow2(256, 1 << 19), work: (n) => 20 * n, setup: (be, n) => { const x = tensor(be, [n]), o = tensor(be, [n]); return () => be.unary('exp', x, o); } },
  { name: 'binarySimd', what: 'add, [n/128,128] + [128]', sizes: pow2(1024, 1 << 21), work: (n) => n, setup: (be, n) => { const a = tensor(be, [n / 128, 128]), b = tensor(be, [128]), o = tensor(be, [n / 128, 128]); return () => be.binary('add', a, b, o); } },
  { name: 'binary', what: 'pow (JavaScript)', sizes: pow2(256, 1 << 19), work: (n) => 20 * n, setup: (be, n) => { const a = tensor(be, [n], 'float32', 0.5, 2), b = tensor(be, [n]), o = tensor(be, [n]); return () => be.binary('pow', a, b, o); } },
  { name: 'activationBackward', what: 'relu', sizes: pow2(1024, 1 << 21), work: (n) => 2 * n, setup: (be, n) => { const s = tensor(be, [n]), d = tensor(be, [n]), o = tensor(be, [n]); return () => be.activationBackward('relu', s, d, o); } },
  { name: 'reduceColumns', what: 'sum over axis 0 of [n,128]', sizes: pow2(8, 16384), work: (n) => 128 * n, setup: (be, n) => { const x = tensor(be, [n, 128]), o = tensor(be, [128]); return () => be.reduce('sum', x, 0, o); } },
  { name: 'reduceRows', what: 'sum over the last axis of [n,128]', sizes: pow2(8, 16384), work: (n) => 128 * n, setup: (be, n) => { const x = tensor(be, [n, 128]), o = tensor(be, [n]); return () => be.reduce('sum', x, 1, o); } },
  { name: 'argReduceAxis', what: 'argmax of [n,10]', sizes: pow2(64, 1 << 17), work: (n) => 10 * n, setup: (be, n) => { const x = tensor(be, [n, 10]), o = tensor(be, [n], 'int32'); return () => be.argReduce('argmax', x, 1, o); } },
  { name: 'softmaxRows', what: 'softmax [n,10]', sizes: pow2(16, 1 << 15), work: (n) => 230 * n, setup: (be, n) => { const x = tensor(be, [n, 10]), o = tensor(be, [n, 10]); return () => be.softmax(x, o); } },
  { name: 'softmaxRows', what: 'logSoftmax [n,10]', sizes: pow2(16, 1 << 15), work: (n) => 230 * n, setup: (be, n) => { const x = tensor(be, [n, 10]), o = tensor(be, [n, 10]); return () => be.logSoftmax(x, o); } },
  { name: 'softmaxBackwardRows', what: '[n,10]', sizes: pow2(64, 1 << 17), work: (n) => 40 * n, setup: (be, n) => { const y = tensor(be, [n, 10], 'float32', 0, 1), d = tensor(be, [n, 10]), o = tensor(be, [n, 10]); return () => be.softmaxBackward(y, d, o); } },
  { name: 'crossEntropyRows', what: 'sparse labels, [n,10]', sizes: pow2(16, 1 << 15), work: (n) => 260 * n, setup: (be, n) => { const x = tensor(be, [n, 10]), y = tensor(be, [n], 'int32', 0, 9), l = tensor(be, [n]), d = tensor(be, [n, 10]); return () => be.softmaxCrossentropy(x, y, l, d, 1 / n); } },
  { name: 'gather', what: 'rows of 784', sizes: pow2(4, 4096), work: (n) => 784 * n, setup: (be, n) => { const x = tensor(be, [n, 784]), i = tensor(be, [n], 'int32', 0, n - 1), o = tensor(be, [n, 784]); return () => be.gather(x, i, o); } },
  { name: 'transposeWalk', what: '[n,64] -> [64,n]', sizes: pow2(16, 1 << 15), work: (n) => 3 * 64 * n, setup: (be, n) => { const x = tensor(be, [n, 64]), o = tensor(be, [64, n]); return () => be.transpose(x, [1, 0], o); } },
  { name: 'fillSimd', what: 'float32', sizes: pow2(1024, 1 << 22), work: (n) => n, setup: (be, n) => { const o = tensor(be, [n]); return () => be.fill(o, 0.5); } },
  { name: 'copyMemory', what: 'float32', sizes: pow2(1024, 1 << 22), work: (n) => n, setup: (be, n) => { const x = tensor(be, [n]), o = tensor(be, [n]); return () => be.copy(x, o); } },
  { name: 'cast', what: 'float32 -> int32', sizes: pow2(1024, 1 << 21), work: (n) => n, setup: (be, n) => { const x = tensor(be, [n]), o = tensor(be, [n], 'int32'); return () => be.cast(x, o); } },
  { name: 'sgd', what: 'float32', sizes: pow2(1024, 1 << 21), work: (n) => 3 * n, setup: (be, n) => { const p = tensor(be, [n]), g = tensor(be, [n]); return () => be.sgdUpdate(p, g, { lr: 1e-6 }); } },
  { name: 'momentum', what: 'float32', sizes: pow2(1024, 1 << 21), work: (n) => 5 * n, setup: (be, n) => { const p = tensor(be, [n]), g = tensor(be, [n]), v = tensor(be, [n]); return () => be.momentumUpdate(p, g, v, { lr: 1e-6, momentum: 0.9 }); } },
  { name: 'adam', what: 'float32', sizes: pow2(1024, 1 << 21), work: (n) => 15 * n, setup: (be, n) => { const p = tensor(be, [n]), g = tensor(be, [n]), m = tensor(be, [n]), v = tensor(be, [n], 'float32', 0, 1); return () => be.adamUpdate(p, g, m, v, { lr: 1e-6, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, step: 1 }); } },
  { name: 'rmsprop', what: 'float32', sizes: pow2(1024, 1 << 21), work: (n) => 12 * n, setup: (be, n) => { const p = tensor(be, [n]), g = tensor(be, [n]), s = tensor(be, [n], 'float32', 0, 1); return () => be.rmspropUpdate(p, g, s, null, null, { lr: 1e-6, rho: 0.9, epsilon: 1e-7 }); } },
  { name: 'whereSelect', what: 'float32', sizes: pow2(1024, 1 << 21), work: (n) => n, setup: (be, n) => { const c = tensor(be, [n]), a = tensor(be, [n]), b = tensor(be, [n]), o = tensor(be, [n]); return () => be.where(c, a, b, o); } },
];

for (const c of CASES) {
  if (!(c.name in DEFAULT_INLINE_THRESHOLDS)) throw new Error(`case ${c.name} is not a threshold of DEFAULT_INLINE_THRESHOLDS: it would split nothing`);
}
const everythingInline = new WasmBackend({ threads: 2, inlineThreshold: Infinity });
const load = () => loadavg().map((v) => v.toFixed(2)).join(' ');
console.log(`inline vs split over 2 threads, best of ${reps} reps of ~${repMs} ms (node ${process.version}); load average ${load()}`);
const summary = [];
for (const c of CASES) {
  if (only.length > 0 && !only.includes(c.name)) continue;
  const split = new WasmBackend({ threads: 2, inlineThreshold: Object.fromEntries(Object.keys(DEFAULT_INLINE_THRESHOLDS).map((k) => [k, k === c.name ? 0 : Infinity])) });
  const rows = [];
  for (const size of c.sizes) {
    const runs = [everythingInline, split].map((be) => c.setup(be, size));
    for (const run of runs) run();
    // Calls per rep so that a rep lasts ~repMs inline.
    const t0 = performance.now();
    let calls = 0;
    while (performance.now() - t0 < repMs / 4) {
      runs[0]();
      calls++;
    }
    calls = Math.max(1, Math.ceil(calls * 4));
    const best = [Infinity, Infinity];
    for (let r = 0; r < reps; r++) {
      runs.forEach((run, i) => {
        const s = performance.now();
        for (let j = 0; j < calls; j++) run();
        best[i] = Math.min(best[i], ((performance.now() - s) / calls) * 1000);
      });
    }
    rows.push({ size, work: c.work(size), inline: best[0], split: best[1] });
    // Free this size's tensors now: left to the collector, they filled the 4 GiB memory.
    for (const t of made.splice(0)) t.dispose();
  }
  split.dispose();
  // Smallest work from which the split was >= 10% faster at every larger size too.
  let from = null;
  for (let i = rows.length - 1; i >= 0; i--) {
    if (rows[i].split <= 0.9 * rows[i].inline) from = rows[i].work;
    else break;
  }
  summary.push({ name: c.name, what: c.what, from });
  console.log(`\n${c.name} (${c.what}): size, work, inline µs, split µs, split/inline`);
  for (const r of rows) console.log(`  ${String(r.size).padStart(8)} ${String(r.work).padStart(10)} ${r.inline.toFixed(1).padStart(9)} ${r.split.toFixed(1).padStart(9)}  ${(r.split / r.inline).toFixed(2)}`);
}
everythingInline.dispose();
console.log(`\nload average after: ${load()}\n`);
console.log('| kernel (case measured) | split pays from (work) |');
console.log('| --- | ---: |');
for (const s of summary) console.log(`| ${s.name} (${s.what}) | ${s.from === null ? 'never in range' : s.from} |`);
