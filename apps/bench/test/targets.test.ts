import { describe, expect, it } from 'vitest';
import { formatTargets, issueTargets, type RunRows } from '../src/targets.js';
import type { TrainResult } from '../src/train-bench.js';

const shapes = [
  { label: '512³', m: 512, k: 512, n: 512 },
  { label: '128×784×128', m: 128, k: 784, n: 128 },
];
const trained = (samplesPerSecond: number, ms: number): TrainResult => ({ samplesPerSecond, msPerBatch: 1, inference: { digits: 1756, ms } });

const rows: RunRows = {
  shapes,
  matmul: [
    { name: 'scratchnet cpu', value: [5, 5] },
    { name: 'scratchnet wasm (1 thread)', value: [36, 30] },
    { name: 'scratchnet wasm (2 threads)', value: [60, 70] },
    { name: 'tfjs-wasm', value: [30, 35] },
  ],
  matmul64: [
    { name: 'scratchnet cpu', value: [4, 4] },
    { name: 'scratchnet wasm (1 thread)', value: [11, 12] },
    { name: 'tfjs-wasm', skipped: 'no float64' },
  ],
  train: [
    { name: 'scratchnet worker (2 threads)', value: trained(10000, 50) },
    { name: 'scratchnet wasm (1 thread)', value: trained(15000, 25) },
    { name: 'scratchnet wasm (2 threads)', value: trained(18000, 40) },
    { name: 'tfjs-wasm', value: trained(6000, 40) },
  ],
};

describe("issue 11's targets", () => {
  it('takes each ratio from the rows of the run, higher is faster (inference: tfjs-wasm time ÷ wasm time)', () => {
    expect(issueTargets(rows).map((t) => [t.what, t.ratio === undefined ? undefined : Number(t.ratio.toFixed(4)), t.bound])).toEqual([
      ['f32 matmul 512³: wasm (1 thread) ÷ tfjs-wasm', 1.2, 1.2],
      ['f32 matmul 512³: wasm (2 threads) ÷ tfjs-wasm', 2, 2],
      ['f32 matmul 128×784×128: wasm (1 thread) ÷ tfjs-wasm', 0.8571, 1.2],
      ['f32 matmul 128×784×128: wasm (2 threads) ÷ tfjs-wasm', 2, 2],
      ['f64 matmul 512³: wasm (1 thread) ÷ scratchnet cpu', 2.75, 3],
      ['MLP fit, samples/s: wasm (2 threads) ÷ tfjs-wasm', 3, 3],
      ['MLP fit, samples/s: wasm (2 threads) ÷ worker (2 threads)', 1.8, 1.8],
      ['MLP predict, test digits: tfjs-wasm time ÷ wasm (1 thread) time', 1.6, 1],
      ['MLP predict, test digits: tfjs-wasm time ÷ wasm (2 threads) time', 1, 1],
    ]);
  });

  it('prints met / not met (≥ the bound, or strictly faster for inference) and says what the run did not measure', () => {
    const lines = formatTargets(rows).split('\n');
    expect(lines[0]).toMatch(/^Issue 11's targets, ratios from this run/);
    const status = (what: string) => lines.find((l) => l.startsWith(what))?.replace(/\s+/g, ' ');
    expect(status('f32 matmul 512³: wasm (1 thread)')).toBe('f32 matmul 512³: wasm (1 thread) ÷ tfjs-wasm 1.20× ≥ 1.2× met');
    expect(status('f32 matmul 128×784×128: wasm (1 thread)')).toBe('f32 matmul 128×784×128: wasm (1 thread) ÷ tfjs-wasm 0.86× ≥ 1.2× not met');
    expect(status('f64 matmul')).toBe('f64 matmul 512³: wasm (1 thread) ÷ scratchnet cpu 2.75× ≥ 3× not met');
    expect(status('MLP predict, test digits: tfjs-wasm time ÷ wasm (1 thread)')).toMatch(/1\.60× > 1× met$/);
    // Equal time is not faster.
    expect(status('MLP predict, test digits: tfjs-wasm time ÷ wasm (2 threads)')).toMatch(/1\.00× > 1× not met$/);

    const trainOnly = formatTargets({ ...rows, shapes: [], matmul: [], matmul64: [] }).split('\n');
    expect(trainOnly.filter((l) => l.endsWith('not measured in this run'))).toHaveLength(5);
    expect(trainOnly.find((l) => l.startsWith('f32 matmul 512³: wasm (2 threads)'))).toMatch(/ — +≥ 2× +not measured in this run$/);
  });
});
