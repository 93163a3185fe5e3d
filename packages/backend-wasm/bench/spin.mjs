// How long should threads poll before sleeping? A 2-thread wasm backend polling N times (worker
// waiting for its next job, caller waiting for the worker) against the 1-thread backend, on
// back-to-back 128³ matmuls (~0.1 ms jobs, all split) and an epoch of MLP training steps (a mix
// of split and inline ops microseconds apart), quiet and with a busy process holding a core
// (`--contended`). After a build: `node bench/spin.mjs [--reps N] [--spins 0,2000,20000,200000] [--contended]`.
import { fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { Tensor } from '@scratchnet/tensor';
import { WasmBackend } from '../dist/index.js';

function flag(name, fallback) {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : process.argv[at + 1];
}
if (process.argv[2] === '--hog') {
  // The contending process: a busy loop until killed.
  for (;;) Math.sqrt(Math.random());
}
const reps = Number(flag('--reps', '5'));
const spinCounts = flag('--spins', '0,2000,20000,200000').split(',').map(Number);
const contended = process.argv.includes('--contended');
const SPINS = Symbol.for('@scratchnet/backend-wasm.spins');

let seed = 5;
function tensor(be, shape, dtype = 'float32') {
  const n = shape.reduce((p, d) => p * d, 1);
  const t = new Tensor(be.allocator.allocate(dtype, n), shape);
  for (let i = 0; i < n; i++) {
    seed = (seed * 16807) % 2147483647;
    t.data[i] = dtype === 'int32' ? seed % 10 : seed / 2147483647 - 0.5;
  }
  return t;
}

function matmulLoop(be) {
  const a = tensor(be, [128, 128]);
  const b = tensor(be, [128, 128]);
  const o = tensor(be, [128, 128]);
  return () => {
    for (let i = 0; i < 200; i++) be.matmul(a, b, o);
  };
}

function mlpEpoch(be) {
  const sizes = [784, 128, 128, 10];
  const batch = 128;
  const x = tensor(be, [1024, 784]);
  const labels = tensor(be, [1024], 'int32');
  const layers = sizes.slice(0, -1).map((fanIn, l) => {
    const fanOut = sizes[l + 1];
    const p = (shape) => ({ value: tensor(be, shape), grad: tensor(be, shape), m: tensor(be, shape), v: tensor(be, shape) });
    return { w: p([fanIn, fanOut]), b: p([fanOut]), z: tensor(be, [batch, fanOut]), a: tensor(be, [batch, fanOut]), dz: tensor(be, [batch, fanOut]), dIn: tensor(be, [batch, fanIn]) };
  });
  for (const l of layers) for (const p of [l.w, l.b]) p.v.data.fill(0.01);
  const xb = tensor(be, [batch, 784]);
  const yb = tensor(be, [batch], 'int32');
  const idx = tensor(be, [batch], 'int32');
  const losses = tensor(be, [batch]);
  let step = 0;
  return () => {
    for (let s = 0; s + batch <= 1024; s += batch) {
      for (let i = 0; i < batch; i++) idx.data[i] = s + i;
      be.gather(x, idx, xb);
      be.gather(labels, idx, yb);
      let input = xb;
      layers.forEach((l, i) => {
        be.matmul(input, l.w.value, l.z);
        be.binary('add', l.z, l.b.value, l.z);
        if (i + 1 < layers.length) be.unary('relu', l.z, l.a);
        input = i + 1 < layers.length ? l.a : l.z;
      });
      be.softmaxCrossEntropy(layers[2].z, yb, losses, layers[2].dz, 1 / batch);
      for (let i = layers.length - 1; i >= 0; i--) {
        const l = layers[i];
        be.matmul(i === 0 ? xb : layers[i - 1].a, l.dz, l.w.grad, { transposeA: true });
        be.reduce('sum', l.dz, 0, l.b.grad);
        if (i > 0) {
          be.matmul(l.dz, l.w.value, l.dIn, { transposeB: true });
          be.activationBackward('relu', layers[i - 1].z, l.dIn, layers[i - 1].dz);
        }
      }
      step++;
      for (const l of layers) for (const p of [l.w, l.b]) be.adamUpdate(p.value, p.grad, p.m, p.v, { lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, step });
    }
  };
}

const hog = contended ? fork(new URL(import.meta.url).pathname, ['--hog']) : null;
const contenders = [['1 thread', new WasmBackend()], ...spinCounts.map((n) => [`2 threads, ${n} spins`, new WasmBackend({ threads: 2, [SPINS]: { worker: n, caller: n } })])];
const load = () => loadavg().map((v) => v.toFixed(2)).join(' ');
const loadBefore = load();
const results = [];
for (const [caseName, make, units, unit] of [
  ['128³ matmul ×200', matmulLoop, 200 * 2 * 128 ** 3 / 1e9, 'GFLOP/s'],
  ['MLP epoch (8 steps of 128)', mlpEpoch, 1024, 'samples/s'],
]) {
  const runs = contenders.map(([, be]) => make(be));
  for (const run of runs) run();
  const best = runs.map(() => Infinity);
  for (let r = 0; r < reps; r++) {
    runs.forEach((run, i) => {
      const t0 = performance.now();
      run();
      best[i] = Math.min(best[i], (performance.now() - t0) / 1000);
    });
  }
  results.push([caseName, unit, best.map((s) => units / s)]);
}
hog?.kill();
for (const [, be] of contenders) be.dispose();
console.log(`polling before sleeping, best of ${reps} (node ${process.version})${contended ? ', with a busy process holding a core' : ''}`);
console.log(`load average (1, 5, 15 min): ${loadBefore} before, ${load()} after\n`);
console.log(`| case | ${contenders.map(([n]) => n).join(' | ')} |`);
console.log(`| --- |${contenders.map(() => ' ---: |').join('')}`);
for (const [name, unit, values] of results) console.log(`| ${name} (${unit}) | ${values.map((v, i) => (i === 0 ? v.toFixed(1) : `${v.toFixed(1)} (${(v / values[0]).toFixed(2)}×)`)).join(' | ')} |`);
