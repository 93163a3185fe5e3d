// Issue 15's question in one process: does a 2-thread WorkerBackend train faster when a 1-thread
// one (or the cpu backend) trained before it in the same process? Prints each timed epoch.
//   node scripts/order-effect.mjs [--before cpu|worker:1|worker:2|none] [--measure worker:2]
//                                 [--before-epochs 2] [--epochs 5] [--samples 7680]
// Build first (pnpm build). Run the variants in separate processes, interleaved.
// Each epoch's line says how long the threads waited for a core (Linux), i.e. how much other work interfered.
// WS_MARK=1 prints a line at each epoch's start (to split --trace-deopt / --trace-gc output).
// WS_STATS=1 prints the pool's counters per epoch (WS_STATS=2 also per kernel); they exist only
// with the measurement patch applied: git apply apps/bench/scripts/regime-counters.patch, then
// pnpm build (revert it afterwards: it is not product code). The patch counts the pool's fixed
// ranges, as they were up to commit bce27ba: apply it in a worktree of that commit.
import { createRequire } from 'node:module';
import { clearBackend, setBackend } from '@scratchnet/backend';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { WorkerBackend } from '@scratchnet/backend-worker';
import { Dense, ReLU, Softmax } from '@scratchnet/layers';
import { Adam, Sequential } from '@scratchnet/model';
import { Rng, zeros } from '@scratchnet/tensor';
import { coreWaitBetween, threadTimes } from '../dist/core-wait.js';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
};
const before = arg('before', 'none');
const measure = arg('measure', 'worker:2');
const beforeEpochs = Number(arg('before-epochs', '2'));
const epochs = Number(arg('epochs', '5'));
const samples = Number(arg('samples', '7680'));

const mnist = createRequire(import.meta.url)('mnist');
const pixels = new Float32Array(samples * 784);
const labels = new Int32Array(samples);
for (let i = 0; i < samples; i++) {
  const digit = mnist[i % 10];
  const from = Math.floor(i / 10) * 784;
  for (let p = 0; p < 784; p++) pixels[i * 784 + p] = digit.raw[from + p];
  labels[i] = digit.id;
}

function backendOf(id) {
  if (id === 'cpu') return new CpuBackend();
  const m = /^worker:(\d+)$/.exec(id);
  if (m) return new WorkerBackend({ threads: Number(m[1]) });
  throw new Error(`unknown backend ${id}`);
}

async function train(id, n) {
  const backend = backendOf(id);
  setBackend(backend);
  const rng = new Rng(42);
  const model = new Sequential([new Dense(784, 128, { rng }), new ReLU(), new Dense(128, 128, { rng }), new ReLU(), new Dense(128, 10, { rng }), new Softmax()]);
  model.compile({ optimizer: new Adam({ learningRate: 1e-3 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const x = zeros([samples, 784], { dtype: 'float32' });
  x.data.set(pixels);
  const y = zeros([samples], { dtype: 'int32' });
  y.data.set(labels);
  const times = [];
  for (let e = 0; e < n; e++) {
    if (process.env.WS_MARK) console.log(`=== ${id} epoch ${e} begins`);
    const before = threadTimes();
    const t0 = performance.now();
    await model.fit(x, y, { epochs: 1, batchSize: 128, shuffle: true, rng });
    times.push(performance.now() - t0);
    const after = threadTimes();
    if (before !== null && after !== null) {
      // How long this process's threads waited for a core: other work holding the cores (see src/core-wait.ts).
      const { runMs, waitMs } = coreWaitBetween(before, after);
      console.log(`  ${id} epoch ${e}: ${Math.round(samples / (times.at(-1) / 1000))} samples/s; threads on a core ${runMs.toFixed(0)} ms, waiting for one ${waitMs.toFixed(0)} ms (${((100 * waitMs) / times.at(-1)).toFixed(0)}% of the epoch)`);
    }
    const S = globalThis.__wsStats;
    if (process.env.WS_STATS && S) {
      console.log(`  ${id} epoch ${e}: ${Math.round(samples / ((performance.now() - t0) / 1000))}/s ops ${S.ops} stolen ${S.stolen} waited ${S.waited} sleeps ${S.sleeps} waitMs ${(S.waitUs / 1000).toFixed(0)} ownMs ${(S.ownUs / 1000).toFixed(0)} gapMs ${(S.gapUs / 1000).toFixed(0)} gaps>0.5ms ${S.gaps500}`);
      if (S.hist) console.log(`     worker claimed ${S.hist.claimed} (after sleeping ${S.hist.slept}); lateness ${JSON.stringify(S.hist.late)}; of those after sleep ${JSON.stringify(S.hist.lateSlept)}; caller noticed worker's finish after ${JSON.stringify(S.hist.notice)}`);
      if (process.env.WS_STATS === '2') for (const [k, v] of Object.entries(S.byKernel)) console.log(`     ${k}: ops ${v.ops} stolen ${v.stolen} waited ${v.waited} waitMs ${(v.waitUs / 1000).toFixed(1)} ownMs ${(v.ownUs / 1000).toFixed(1)}`);
      globalThis.__wsStats = undefined;
    }
  }
  clearBackend();
  backend.dispose?.();
  return times;
}

if (before !== 'none') {
  const t = await train(before, beforeEpochs);
  console.log(`before ${before}: ${t.map((ms) => Math.round(samples / (ms / 1000))).join(' ')} samples/s`);
}
const t = await train(measure, epochs);
const sps = t.map((ms) => Math.round(samples / (ms / 1000)));
console.log(`measure ${measure} (after ${before}): ${sps.join(' ')} samples/s; best ${Math.max(...sps)}`);
