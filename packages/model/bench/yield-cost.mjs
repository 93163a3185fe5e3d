// What yielding to the event loop between batches costs `fit`, against the time of a batch.
// Build first (`pnpm --filter @scratchnet/model... build`), then `node bench/yield-cost.mjs`.
//
// 1. One yield, each way `createYielder` could take (setImmediate: Node's choice; MessageChannel:
//    the browsers'; setTimeout(0): the last resort): 20,000 yields in a row, best of 7 rounds,
//    the ways taking turns within each round.
// 2. One training batch through `fit` for two models — the demo's 784-128-128-10 MLP at batch
//    128 and a small 784-32-10 one at batch 32, the smallest batch worth yielding after — as
//    fit's wall time over a whole epoch divided by its batches, best of 5.
// The ratio of (1) to (2) is the share of a batch spent yielding.
import { setBackend } from '@scratchnet/backend';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { Dense, ReLU, Softmax } from '@scratchnet/layers';
import { Sequential } from '@scratchnet/model';
import { randint, randn, seed } from '@scratchnet/tensor';
import { loadavg } from 'node:os';

const YIELDS = 20_000;
const channel = new MessageChannel();
let waiting = null;
channel.port1.onmessage = () => waiting?.();
const ways = {
  setImmediate: () => new Promise((resolve) => setImmediate(resolve)),
  MessageChannel: () => new Promise((resolve) => ((waiting = resolve), channel.port2.postMessage(null))),
  'setTimeout(0)': () => new Promise((resolve) => setTimeout(resolve, 0)),
};

const best = Object.fromEntries(Object.keys(ways).map((k) => [k, Infinity]));
for (let round = 0; round < 7; round++) {
  for (const [name, next] of Object.entries(ways)) {
    const n = name === 'setTimeout(0)' ? 500 : YIELDS;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await next();
    best[name] = Math.min(best[name], ((performance.now() - t0) * 1000) / n);
  }
}

channel.port1.close();

setBackend(new CpuBackend());
seed(0);
async function batchMs(sizes, batchSize, samples) {
  const x = randn([samples, sizes[0]]);
  const y = randint(0, sizes.at(-1), [samples]);
  const layers = [];
  for (let i = 0; i + 1 < sizes.length; i++) layers.push(new Dense(sizes[i], sizes[i + 1]), i + 2 < sizes.length ? new ReLU() : new Softmax());
  const model = new Sequential(layers);
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  await model.fit(x, y, { batchSize, epochs: 1 }); // warm-up
  let bestMs = Infinity;
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    await model.fit(x, y, { batchSize, epochs: 1 });
    bestMs = Math.min(bestMs, (performance.now() - t0) / Math.ceil(samples / batchSize));
  }
  return bestMs;
}
const batches = {
  '784-128-128-10, batch 128': await batchMs([784, 128, 128, 10], 128, 4096),
  '784-32-10, batch 32': await batchMs([784, 32, 10], 32, 4096),
};

console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}; Node ${process.version}`);
console.log('\none yield (best of 7 rounds):');
for (const [name, us] of Object.entries(best)) console.log(`  ${name.padEnd(16)} ${us.toFixed(2).padStart(8)} µs`);
console.log('\none batch of fit (cpu backend, best of 5 epochs) and the setImmediate yield as a share of it:');
for (const [name, ms] of Object.entries(batches)) {
  console.log(`  ${name.padEnd(28)} ${ms.toFixed(3).padStart(8)} ms   ${((best.setImmediate / 1000 / ms) * 100).toFixed(3)} %`);
}
