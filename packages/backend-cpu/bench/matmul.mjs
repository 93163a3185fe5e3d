// Matmul throughput of the cpu backend on one thread against a plain i-k-j loop measured in the
// same run. Build first: `npx tsup && node bench/matmul.mjs [--reps N] [--dtype float64]`.
import { Tensor } from '@scratchnet/tensor';
import { CpuBackend } from '../dist/index.js';

const repsFlag = process.argv.indexOf('--reps');
const reps = repsFlag === -1 ? 5 : Number(process.argv[repsFlag + 1]);
const dtypeFlag = process.argv.indexOf('--dtype');
const dtype = dtypeFlag === -1 ? 'float32' : process.argv[dtypeFlag + 1];
const Data = { float32: Float32Array, float64: Float64Array }[dtype];
if (Data === undefined || !(reps >= 1)) {
  console.error('usage: node bench/matmul.mjs [--reps N (>= 1)] [--dtype float32|float64]');
  process.exit(2);
}

/** [label, m, k, n, transposeA, transposeB] */
const cases = [
  ['128³', 128, 128, 128, false, false],
  ['256³', 256, 256, 256, false, false],
  ['512³', 512, 512, 512, false, false],
  ['1024³', 1024, 1024, 1024, false, false],
  ['128×784×128', 128, 784, 128, false, false],
  ['aᵀb 784×128×128 (dW)', 784, 128, 128, true, false],
  ['abᵀ 128×128×784 (dx)', 128, 128, 784, false, true],
  ['aᵀb 512³', 512, 512, 512, true, false],
  ['abᵀ 512³', 512, 512, 512, false, true],
];

function random(shape) {
  const size = shape.reduce((p, d) => p * d, 1);
  const data = new Data(size);
  for (let i = 0; i < size; i++) data[i] = Math.random() * 2 - 1;
  return new Tensor(data, shape);
}

/** The baseline every JS matmul starts from: i-k-j order, one accumulator row. */
function naiveIkj(a, b, out, m, k, n) {
  out.fill(0);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const av = a[i * k + p];
      const row = p * n;
      const o = i * n;
      for (let j = 0; j < n; j++) out[o + j] += av * b[row + j];
    }
  }
}

/** Best seconds per call over `reps` timed runs of enough calls to last ~0.2 s. */
function time(fn, flops) {
  fn();
  const calls = Math.max(1, Math.round(2e8 / flops));
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    for (let c = 0; c < calls; c++) fn();
    best = Math.min(best, (performance.now() - t0) / 1000 / calls);
  }
  return best;
}

const backend = new CpuBackend();
const rows = [];
for (const [label, m, k, n, transposeA, transposeB] of cases) {
  const a = random(transposeA ? [k, m] : [m, k]);
  const b = random(transposeB ? [n, k] : [k, n]);
  const out = new Tensor(new Data(m * n), [m, n]);
  const flops = 2 * m * n * k;
  const cpu = time(() => backend.matmul(a, b, out, { transposeA, transposeB }), flops);
  let naive = NaN;
  if (!transposeA && !transposeB) {
    const o = new Data(m * n);
    naive = time(() => naiveIkj(a.data, b.data, o, m, k, n), flops);
  }
  rows.push([label, flops / cpu / 1e9, flops / naive / 1e9]);
}

const pad = (s, w) => String(s).padEnd(w);
console.log(`matmul ${dtype}, one thread, best of ${reps} (node ${process.version})`);
console.log(`${pad('shape (m×k×n)', 24)}${pad('cpu GFLOP/s', 14)}${pad('i-k-j GFLOP/s', 16)}ratio`);
for (const [label, cpu, naive] of rows) {
  const n = Number.isNaN(naive) ? '—' : naive.toFixed(2);
  const ratio = Number.isNaN(naive) ? '—' : `${(cpu / naive).toFixed(1)}×`;
  console.log(`${pad(label, 24)}${pad(cpu.toFixed(2), 14)}${pad(n, 16)}${ratio}`);
}
