// Measures, for each kernel, the amount of work (task.units × task.cost) above which splitting
// over 2 threads beats running inline — the data behind DEFAULT_INLINE_THRESHOLDS.
// Build first: `npx tsup && node bench/inline-threshold.mjs [--threads N] [--reps N] [--only kernel,...]`.
//
// For each kernel it times one representative call at doubling sizes, inline
// (inlineThreshold: Infinity) and split (inlineThreshold: 0), alternately, best of `reps`
// timings of enough calls to last ~5 ms each, and reports the smallest work at which split is faster by 10% or
// more at that size and at every larger size tried.
//
// `--inline-rate --derive k1,k2` (for a machine whose cores are busy, where no split can be
// measured to pay): times each kernel inline only, at about 64k work, and prints its nanoseconds
// per unit of work; for the kernels not named in --derive, the inline time their (measured)
// default threshold stands for; and for every kernel the threshold at which its inline time
// equals the median of those (the split's fixed cost does not depend on the kernel, so the
// crossover sits at about the same inline time).
import { conv2dInfo, pool2dInfo } from '@scratchnet/backend';
import { Tensor } from '@scratchnet/tensor';
import { DEFAULT_INLINE_THRESHOLDS, WorkerBackend } from '../dist/index.js';

const flag = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i === -1 ? fallback : process.argv[i + 1];
};
const threads = Number(flag('--threads', 2));
const reps = Number(flag('--reps', 5));
const only = flag('--only', '').split(',').filter(Boolean);
const inlineRate = process.argv.includes('--inline-rate');
const derive = new Set(flag('--derive', '').split(',').filter(Boolean));

const inline = new WorkerBackend({ threads, inlineThreshold: Infinity });
const split = new WorkerBackend({ threads, inlineThreshold: 0 });

function rand(shape, dtype = 'float32', lo = -1, hi = 1) {
  const size = shape.reduce((p, d) => p * d, 1);
  const Ctor = { float32: Float32Array, float64: Float64Array, int32: Int32Array }[dtype];
  const data = new Ctor(new SharedArrayBuffer(size * Ctor.BYTES_PER_ELEMENT));
  for (let i = 0; i < size; i++) data[i] = dtype === 'int32' ? Math.floor(lo + Math.random() * (hi - lo + 1)) : lo + Math.random() * (hi - lo);
  return new Tensor(data, shape);
}

const adamOptions = { lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, step: 3 };

/** kernel: [work per size unit, sizes, make(size) -> (backend) => void] */
const cases = {
  matmul: [64 * 64 * 2, 1, (m) => { const a = rand([m, 64]), b = rand([64, 64]), o = rand([m, 64]); return (be) => be.matmul(a, b, o); }],
  unary: [1, 256, (n) => { const x = rand([n]), o = rand([n]); return (be) => be.unary('relu', x, o); }],
  'unary exp': [20, 64, (n) => { const x = rand([n]), o = rand([n]); return (be) => be.unary('exp', x, o); }],
  'unary sigmoid': [20, 64, (n) => { const x = rand([n]), o = rand([n]); return (be) => be.unary('sigmoid', x, o); }],
  'unary sqrt': [4, 256, (n) => { const x = rand([n], 'float32', 0, 4), o = rand([n]); return (be) => be.unary('sqrt', x, o); }],
  binary: [1, 256, (n) => { const a = rand([n]), b = rand([n]), o = rand([n]); return (be) => be.binary('add', a, b, o); }],
  where: [1, 256, (n) => { const c = rand([n]), a = rand([n]), b = rand([n]), o = rand([n]); return (be) => be.where(c, a, b, o); }],
  'binary row': [1, 256, (n) => { const a = rand([n / 64, 64]), b = rand([64]), o = rand([n / 64, 64]); return (be) => be.binary('add', a, b, o); }],
  'binary pow': [20, 64, (n) => { const a = rand([n], 'float32', 0.5, 2), b = rand([n]), o = rand([n]); return (be) => be.binary('pow', a, b, o); }],
  'binary strided': [4 * 64, 1, (n) => { const a = rand([n, 1]), b = rand([1, 64]), o = rand([n, 64]); return (be) => be.binary('mul', a, b, o); }],
  activationBackward: [2, 256, (n) => { const s = rand([n]), d = rand([n]), o = rand([n]); return (be) => be.activationBackward('relu', s, d, o); }],
  reduce: [128, 2, (n) => { const x = rand([n, 128]), o = rand([n]); return (be) => be.reduce('sum', x, 1, o); }],
  argReduce: [128, 2, (n) => { const x = rand([n, 128]), o = rand([n], 'int32'); return (be) => be.argReduce('argmax', x, 1, o); }],
  softmax: [10 * 23, 4, (n) => { const x = rand([n, 10]), o = rand([n, 10]); return (be) => be.softmax(x, o); }],
  logSoftmax: [10 * 23, 4, (n) => { const x = rand([n, 10]), o = rand([n, 10]); return (be) => be.logSoftmax(x, o); }],
  softmaxBackward: [10 * 4, 16, (n) => { const y = rand([n, 10]), d = rand([n, 10]), o = rand([n, 10]); return (be) => be.softmaxBackward(y, d, o); }],
  softmaxCrossentropy: [10 * 26, 4, (n) => { const x = rand([n, 10]), y = rand([n], 'int32', 0, 9), l = rand([n]), d = rand([n, 10]); return (be) => be.softmaxCrossentropy(x, y, l, d, 1 / n); }],
  gather: [784, 1, (n) => { const x = rand([1024, 784]), i = rand([n], 'int32', 0, 1023), o = rand([n, 784]); return (be) => be.gather(x, i, o); }],
  transpose: [3 * 64, 4, (n) => { const x = rand([n, 64]), o = rand([64, n]); return (be) => be.transpose(x, [1, 0], o); }],
  fill: [1, 1024, (n) => { const o = rand([n]); return (be) => be.fill(o, 0.5); }],
  copy: [1, 1024, (n) => { const s = rand([n]), d = rand([n]); return (be) => be.copy(s, d); }],
  cast: [1, 1024, (n) => { const s = rand([n]), d = rand([n], 'float64'); return (be) => be.cast(s, d); }],
  sgd: [3, 256, (n) => { const p = rand([n]), g = rand([n]); return (be) => be.sgdUpdate(p, g, { lr: 1e-3 }); }],
  momentum: [5, 256, (n) => { const p = rand([n]), g = rand([n]), v = rand([n]); return (be) => be.momentumUpdate(p, g, v, { lr: 1e-3, momentum: 0.9 }); }],
  adam: [15, 64, (n) => { const p = rand([n]), g = rand([n]), m = rand([n]), v = rand([n], 'float32', 0, 1); return (be) => be.adamUpdate(p, g, m, v, adamOptions); }],
  rmsprop: [12, 64, (n) => { const p = rand([n]), g = rand([n]), s = rand([n], 'float32', 0, 1); return (be) => be.rmspropUpdate(p, g, s, null, null, { lr: 1e-3, rho: 0.9, epsilon: 1e-7 }); }],
};

// The convolution family. The im2col pieces are internal tasks of conv2d, so they are run
// directly as tasks (`run` is the backend's extension point), on n images of 8×8×8 by a 3×3×8
// filter, same padding: 64 windows of 72 taps per image.
const convInfo = (n) => conv2dInfo('bench', [n, 8, 8, 8], [3, 3, 8, 8], { padding: 'same' });
const geometry = (info) => {
  const { padding, padBottom, padRight, ...rest } = info;
  return rest;
};
const task = (kernel, args, units, cost) => (be) => be.run({ kernel, args, units, grain: 1, cost });
Object.assign(cases, {
  im2col: [64 * 72, 1, (n) => { const info = convInfo(n); const x = rand([n, 8, 8, 8]), cols = rand([n * 64 * 72]); return task('im2col', { ...geometry(info), x: x.data, cols: cols.data, firstWindow: 0 }, n * 64, 72); }],
  col2im: [64 * 72, 1, (n) => { const info = convInfo(n); const d = rand([n * 64 * 72], 'float64'), dx = rand([n, 8, 8, 8]); return task('col2im', { ...geometry(info), dcols: d.data, dx: dx.data, firstWindow: 0, firstPixel: 0 }, n * 64, 72); }],
  addInto: [1, 1024, (n) => { const s = rand([n], 'float64'), o = rand([n]); return task('addInto', { sum: s.data, out: o.data, accumulate: true }, n, 1); }],
  conv2dDirect: [64 * 2 * 72 * 8, 1, (n) => { const info = convInfo(n); const x = rand([n, 8, 8, 8]), f = rand([3, 3, 8, 8]), o = rand([n, 8, 8, 8]); return task('conv2dDirect', { ...geometry(info), x: x.data, filter: f.data, out: o.data }, n * 64, 2 * 72 * 8); }],
  conv2dBackpropInputDirect: [64 * 2 * 72 * 8, 1, (n) => { const info = convInfo(n); const d = rand([n, 8, 8, 8]), f = rand([3, 3, 8, 8]), o = rand([n, 8, 8, 8]); return task('conv2dBackpropInputDirect', { ...geometry(info), dy: d.data, filter: f.data, dx: o.data }, n * 64, 2 * 72 * 8); }],
  conv2dBackpropFilterDirect: [72 * 2 * 64 * 8, 1, (n) => { const info = convInfo(n); const x = rand([n, 8, 8, 8]), d = rand([n, 8, 8, 8]), f = rand([3, 3, 8, 8]); return task('conv2dBackpropFilterDirect', { ...geometry(info), x: x.data, dy: d.data, dfilter: f.data, accumulate: false }, 72, 2 * n * 64 * 8); }],
  maxPool: [16 * 64, 1, (n) => { const info = pool2dInfo('bench', [n, 8, 8, 16], { poolSize: 2 }); const x = rand([n, 8, 8, 16]), o = rand([n, 4, 4, 16]); return (be) => be.maxPool(x, o, info); }],
  avgPool: [16 * 64, 1, (n) => { const info = pool2dInfo('bench', [n, 8, 8, 16], { poolSize: 2 }); const x = rand([n, 8, 8, 16]), o = rand([n, 4, 4, 16]); return (be) => be.avgPool(x, o, info); }],
  maxPoolBackwardDisjoint: [16 * 5 * 16, 1, (n) => { const info = pool2dInfo('bench', [n, 8, 8, 16], { poolSize: 2 }); const x = rand([n, 8, 8, 16]), d = rand([n, 4, 4, 16]), o = rand([n, 8, 8, 16]); return (be) => be.maxPoolBackward(x, d, o, info); }],
  maxPoolBackward: [64 * 16 * 9 * 10, 1, (n) => { const info = pool2dInfo('bench', [n, 8, 8, 16], { poolSize: 3, strides: 1, padding: 'same' }); const x = rand([n, 8, 8, 16]), d = rand([n, 8, 8, 16]), o = rand([n, 8, 8, 16]); return (be) => be.maxPoolBackward(x, d, o, info); }],
  avgPoolBackward: [64 * 16 * 2, 1, (n) => { const info = pool2dInfo('bench', [n, 8, 8, 16], { poolSize: 2 }); const d = rand([n, 4, 4, 16]), o = rand([n, 8, 8, 16]); return (be) => be.avgPoolBackward(d, o, info); }],
  // Batch normalization over [rows, 16]: partial sums per block of 64 rows, their combine, and the apply pass.
  batchNormPartials: [64 * 16 * 4, 1, (n) => { const x = rand([n * 64, 16]), d = rand([n * 64, 16]), m = rand([16], 'float64'), p = rand([n * 32], 'float64'); return task('batchNormPartials', { mode: 'backward', x: x.data, dy: d.data, center: m.data, partials: p.data, rows: n * 64, channels: 16 }, n, 64 * 16 * 4); }],
  batchNormCombine: [32, 1, (n) => { const p = rand([n * 32], 'float64'), o = rand([32], 'float64'); return task('batchNormCombine', { partials: p.data, blocks: n, width: 32, out: o.data }, 32, n); }],
  batchNormApply: [16 * 5, 64, (n) => { const x = rand([n, 16]), d = rand([n, 16]), o = rand([n, 16]); const v = () => rand([16], 'float64').data; return task('batchNormApply', { mode: 'gradient', x: x.data, dy: d.data, out: o.data, center: v(), a: v(), b: v(), c: v(), channels: 16 }, n, 16 * 5); }],
});

/** Calls of `fn` that last about 5 ms. */
function callsFor(fn) {
  fn();
  let calls = 1;
  for (let t = 0; t < 0.005; calls *= 2) {
    const t0 = performance.now();
    for (let c = 0; c < calls; c++) fn();
    t = (performance.now() - t0) / 1000;
  }
  return calls;
}

/**
 * Best seconds per call of `a` and of `b`, timed alternately so that a burst of load from
 * other processes on this shared machine hits both alike.
 */
function timePair(a, b) {
  const ca = callsFor(a);
  const cb = callsFor(b);
  let bestA = Infinity;
  let bestB = Infinity;
  for (let r = 0; r < reps; r++) {
    let t0 = performance.now();
    for (let c = 0; c < ca; c++) a();
    bestA = Math.min(bestA, (performance.now() - t0) / 1000 / ca);
    t0 = performance.now();
    for (let c = 0; c < cb; c++) b();
    bestB = Math.min(bestB, (performance.now() - t0) / 1000 / cb);
  }
  return [bestA, bestB];
}

/** Best seconds per call of `fn` over `reps` timings. */
function timeOne(fn) {
  const calls = callsFor(fn);
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    for (let c = 0; c < calls; c++) fn();
    best = Math.min(best, (performance.now() - t0) / 1000 / calls);
  }
  return best;
}

if (inlineRate) {
  console.log(`inline time per unit of work, best of ${reps} (node ${process.version})`);
  const rates = [];
  for (const [name, [workPerUnit, base, make]] of Object.entries(cases)) {
    const kernel = name.split(' ')[0];
    if (only.length && !only.includes(kernel)) continue;
    let size = base;
    while (size * workPerUnit < 65536) size *= 2;
    const call = make(size);
    const nsPerWork = (timeOne(() => call(inline)) * 1e9) / (size * workPerUnit);
    const threshold = derive.has(kernel) ? undefined : DEFAULT_INLINE_THRESHOLDS[kernel];
    rates.push({ name, kernel, nsPerWork, atThreshold: threshold === undefined ? NaN : (threshold * nsPerWork) / 1e3 });
  }
  const known = rates.filter((r) => Number.isFinite(r.atThreshold) && !r.name.includes(' ')).map((r) => r.atThreshold).sort((a, b) => a - b);
  if (known.length === 0) throw new Error('--inline-rate needs kernels with measured thresholds (not all in --derive)');
  const median = known[Math.floor(known.length / 2)];
  console.log(`median inline time at the default thresholds of ${known.length} kernels: ${median.toFixed(1)} µs`);
  for (const r of rates) {
    const at = Number.isFinite(r.atThreshold) ? `${r.atThreshold.toFixed(1)} µs at its default` : 'no default';
    console.log(`${r.name.padEnd(28)} ${r.nsPerWork.toFixed(3).padStart(8)} ns/work  ${at.padEnd(24)} implied threshold ${Math.round((median * 1e3) / r.nsPerWork)}`);
  }
  inline.dispose();
  split.dispose();
  process.exit(0);
}

const fmt = (x) => (x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)}k` : String(x));
console.log(`inline vs split over ${threads} threads, best of ${reps} (node ${process.version})`);
for (const [name, [workPerUnit, base, make]] of Object.entries(cases)) {
  if (only.length && !only.includes(name.split(' ')[0])) continue;
  const rows = [];
  for (let size = base, i = 0; i < 12; size *= 2, i++) {
    const call = make(size);
    const [tInline, tSplit] = timePair(() => call(inline), () => call(split));
    rows.push({ work: size * workPerUnit, tInline, tSplit });
  }
  let crossover = Infinity;
  for (let i = rows.length - 1; i >= 0 && rows[i].tSplit < 0.9 * rows[i].tInline; i--) crossover = rows[i].work;
  const detail = rows.map((r) => `${fmt(r.work)}:${(r.tInline / r.tSplit).toFixed(2)}`).join(' ');
  // Without a second idle core (other processes on a shared machine) nothing scales: say so.
  const last = rows[rows.length - 1];
  const busy = last.tInline / last.tSplit < 1.5 ? ' [largest size did not scale: cores busy? rerun]' : '';
  console.log(`${name.padEnd(20)} split wins from work ${fmt(crossover).padEnd(8)}${busy} (work:speedup ${detail})`);
}
inline.dispose();
split.dispose();
