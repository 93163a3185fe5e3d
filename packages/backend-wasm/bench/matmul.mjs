// Matmul throughput, one run: the wasm backend on 1 and 2 threads against tfjs-wasm (XNNPACK,
// SIMD, one thread; float32 only) and the scratchnet cpu backend, float32 and float64.
// `pnpm --filter @scratchnet/backend-wasm bench` (builds first), or after a build:
// `node bench/matmul.mjs [--reps N] [--shapes 128,512,128x784x128]`.
//
// Each timing runs enough calls to last ~0.1 s; the contenders take turns, rep after rep, and
// the best rep of each is kept, so that load from other processes (this machine is shared) hits
// every column alike and a quiet moment is found for each. The load average is printed before
// and after: compare ratios within one run, not numbers across runs. On a busy machine,
// `--single-calls N` times N single calls per contender (in turns) and keeps the fastest: the
// speed of a call that ran without being preempted. Each contender's call then follows the
// others' calls, so a threaded backend's workers have gone to sleep; `--warm W` runs W untimed
// calls right before each timed one, as ops follow each other in training.
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import path from 'node:path';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { Tensor } from '@scratchnet/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { WasmBackend } from '../dist/index.js';

function flag(name, fallback) {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : process.argv[at + 1];
}

const reps = Number(flag('--reps', '7'));
const singleCalls = Number(flag('--single-calls', '0'));
const warm = Number(flag('--warm', '0'));
const shapes = flag('--shapes', '128,512,128x784x128')
  .split(',')
  .map((s) => {
    const dims = s.split('x').map(Number);
    return dims.length === 1 ? [dims[0], dims[0], dims[0]] : dims;
  });
if (!(reps >= 1) || shapes.some((d) => d.length !== 3 || d.some((v) => !(v >= 1)))) {
  console.error('usage: node bench/matmul.mjs [--reps N] [--shapes 128,512,128x784x128]');
  process.exit(2);
}

// tfjs-wasm in Node: its .wasm files by directory path, production mode (no debug checks).
const require = createRequire(import.meta.url);
setWasmPaths(path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep);
tf.env().set('PROD', true);
if (!(await tf.setBackend('wasm'))) throw new Error('tfjs: the wasm backend failed to initialize');
await tf.ready();
const tfjsSimd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));

const wasm1 = new WasmBackend({ threads: 1 });
const wasm2 = new WasmBackend({ threads: 2 });
const cpu = new CpuBackend();

function fill(t, seed) {
  let s = seed;
  for (let i = 0; i < t.size; i++) {
    s = (s * 16807) % 2147483647;
    t.data[i] = s / 2147483647 - 0.5;
  }
  return t;
}

/** A product of our tensors on `backend` (inputs and output allocated by that backend, reused). */
function ours(backend, dtype, m, k, n) {
  const make = (shape, seed) => fill(new Tensor(backend.allocator ? backend.allocator.allocate(dtype, shape[0] * shape[1]) : new (dtype === 'float32' ? Float32Array : Float64Array)(shape[0] * shape[1]), shape), seed);
  const a = make([m, k], 1);
  const b = make([k, n], 2);
  const out = make([m, n], 3);
  return { run: () => backend.matmul(a, b, out), dispose: () => {} };
}

function tfjs(m, k, n) {
  const a = tf.randomUniform([m, k], -0.5, 0.5, 'float32', 1);
  const b = tf.randomUniform([k, n], -0.5, 0.5, 'float32', 2);
  return {
    run() {
      // Reading the result back makes sure the work is done.
      const c = tf.matMul(a, b);
      c.dataSync();
      c.dispose();
    },
    dispose() {
      a.dispose();
      b.dispose();
    },
  };
}

const load = () => loadavg().map((v) => v.toFixed(2)).join(' ');
const loadBefore = load();
const rows = [];
for (const dtype of ['float32', 'float64']) {
  for (const [m, k, n] of shapes) {
    const flops = 2 * m * k * n;
    const contenders = [
      ['wasm(1)', ours(wasm1, dtype, m, k, n)],
      ['wasm(2)', ours(wasm2, dtype, m, k, n)],
      ['tfjs-wasm', dtype === 'float32' ? tfjs(m, k, n) : null],
      ['cpu', ours(cpu, dtype, m, k, n)],
    ];
    const calls = singleCalls > 0 ? 1 : Math.max(1, Math.round(2e9 / flops));
    for (const [, c] of contenders) for (let w = 0; w < 3; w++) c?.run();
    const best = contenders.map(() => Infinity);
    for (let r = 0; r < (singleCalls > 0 ? singleCalls : reps); r++) {
      contenders.forEach(([, c], i) => {
        if (c === null) return;
        for (let j = 0; j < warm; j++) c.run();
        const t0 = performance.now();
        for (let j = 0; j < calls; j++) c.run();
        best[i] = Math.min(best[i], (performance.now() - t0) / 1000 / calls);
      });
    }
    for (const [, c] of contenders) c?.dispose();
    rows.push({ dtype, shape: m === k && k === n ? `${m}³` : `${m}×${k}×${n}`, gflops: best.map((s) => (s === Infinity ? null : flops / s / 1e9)) });
  }
}
wasm1.dispose();
wasm2.dispose();

const pad = (s, w) => String(s).padStart(w);
const num = (v) => (v === null ? '—' : v.toFixed(1));
const ratio = (x, y) => (x === null || y === null ? '—' : `${(x / y).toFixed(2)}×`);
const protocol = singleCalls > 0 ? `fastest of ${singleCalls} single calls${warm > 0 ? `, each right after ${warm} untimed ones` : ''}` : `best of ${reps} reps`;
console.log(`matmul GFLOP/s, ${protocol}, contenders in turn (node ${process.version}, tfjs ${tf.version_core}, tfjs-wasm SIMD ${tfjsSimd})`);
console.log(`load average (1, 5, 15 min): ${loadBefore} before, ${load()} after`);
console.log('');
console.log(`| dtype   | shape (m×k×n) | wasm(1) | wasm(2) | tfjs-wasm |   cpu | wasm(1)/tfjs | wasm(2)/tfjs | wasm(1)/cpu | wasm(2)/wasm(1) |`);
console.log(`| ------- | ------------- | ------: | ------: | --------: | ----: | -----------: | -----------: | ----------: | --------------: |`);
for (const { dtype, shape, gflops: [w1, w2, t, c] } of rows) {
  console.log(
    `| ${dtype} | ${shape.padEnd(13)} | ${pad(num(w1), 7)} | ${pad(num(w2), 7)} | ${pad(num(t), 9)} | ${pad(num(c), 5)} | ${pad(ratio(w1, t), 12)} | ${pad(ratio(w2, t), 12)} | ${pad(ratio(w1, c), 11)} | ${pad(ratio(w2, w1), 15)} |`,
  );
}
