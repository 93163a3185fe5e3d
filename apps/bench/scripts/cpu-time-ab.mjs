/* global process, console */
// Samples trained per CPU-second on the cpu backend (MLP 784-128-128-10, Adam, batch 128, random
// pixels), for the built packages under ROOT (a checkout of this repo, `pnpm build` run there).
// Compares two builds on a busy machine, where wall-clock samples/s swing by ±30 %: CPU time
// counts only this process's own work. Run it alternately on two checkouts and compare medians:
//
//   for i in 1 2 3 4 5 6; do for r in ../before ../after; do node apps/bench/scripts/cpu-time-ab.mjs $r; done; done
//
// Prints one JSON line: the best of 3 timed epochs of 3840 digits (after a warm-up epoch), and all 3.
const root = process.argv[2];
const imp = (p) => import(`${root}/packages/${p}/dist/index.js`);
const [{ setBackend }, { CpuBackend }, { Dense, ReLU, Softmax }, { Adam, Sequential }, { Rng, zeros }] = await Promise.all(
  ['backend', 'backend-cpu', 'layers', 'model', 'tensor'].map(imp),
);
setBackend(new CpuBackend());
const rng = new Rng(7);
const n = 3840;
const x = zeros([n, 784], { dtype: 'float32' });
for (let i = 0; i < x.data.length; i++) x.data[i] = rng.random();
const y = zeros([n], { dtype: 'int32' });
for (let i = 0; i < n; i++) y.data[i] = i % 10;
const model = new Sequential([new Dense(784, 128, { rng }), new ReLU(), new Dense(128, 128, { rng }), new ReLU(), new Dense(128, 10, { rng }), new Softmax()]);
model.compile({ optimizer: new Adam({ learningRate: 1e-3 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
await model.fit(x, y, { epochs: 1, batchSize: 128, rng }); // warm-up
const best = [];
for (let e = 0; e < 3; e++) {
  const t0 = process.cpuUsage();
  await model.fit(x, y, { epochs: 1, batchSize: 128, rng });
  const d = process.cpuUsage(t0);
  best.push(n / ((d.user + d.system) / 1e6));
}
console.log(JSON.stringify({ root, samplesPerCpuSecond: Math.round(Math.max(...best)), all: best.map(Math.round) }));
