import { describe, expect, it } from 'vitest';
import { prelude, report, runNode } from './run-node.js';

/**
 * V8 does not count SharedArrayBuffer memory towards collection pressure (nodejs/node#34703), so
 * dropped shared tensors could pile up: 300 tensors of 16 MB allocated, filled and dropped in a
 * loop took 4.8 GB of RSS before the shared allocator charged its allocations to the collector.
 */
describe('dropped shared tensors are collected', () => {
  for (const [what, options] of [
    ['inline (1 thread)', '{ threads: 1 }'],
    ['split over 2 threads', '{ threads: 2, inlineThreshold: 0 }'],
  ] as const) {
    it(`300 tensors of 16 MB filled ${what} in a loop that never yields peak below 1.5 GB`, () => {
      const run = runNode(
        `${prelude()}
const backend = new WorkerBackend(${options});
const n = 4 * 1024 * 1024;
let peak = 0;
for (let i = 0; i < 300; i++) {
  const t = new Tensor(backend.allocator.allocate('float32', n), [n]);
  backend.fill(t, i);
  if (t.data[n - 1] !== i) throw new Error('fill did not reach the last element');
  peak = Math.max(peak, process.memoryUsage().rss);
}
backend.dispose();
console.log(JSON.stringify({ peakMB: Math.round(peak / 2 ** 20) }));
`,
        { timeoutMs: 60_000 },
      );
      expect(run.status, run.stderr).toBe(0);
      const { peakMB } = report<{ peakMB: number }>(run);
      expect(peakMB).toBeLessThan(1500);
    });
  }
});
