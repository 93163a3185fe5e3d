import type { MatmulShape } from './matmul-bench.js';
import type { Row } from './report.js';
import { formatTable, type Align } from './table.js';
import type { TrainResult } from './train-bench.js';

/** Row labels the issue's targets compare (see contenders/scratchnet.ts). */
const WASM1 = 'scratchnet wasm (1 thread)';
const WASM2 = 'scratchnet wasm (2 threads)';
const WORKER2 = 'scratchnet worker (2 threads)';
const CPU = 'scratchnet cpu';
const TFJS_WASM = 'tfjs-wasm';

/** Everything one run measured, as the tables have it. */
export interface RunRows {
  shapes: readonly MatmulShape[];
  matmul: readonly Row<number[]>[];
  matmul64: readonly Row<number[]>[];
  train: readonly Row<TrainResult>[];
}

interface Target {
  what: string;
  /** The ratio (higher is faster), undefined when this run did not measure both rows. */
  ratio: number | undefined;
  /** Met when the ratio is at least this (`strict`: above it). */
  bound: number;
  strict?: boolean;
}

function matmulRatio(rows: readonly Row<number[]>[], shapes: readonly MatmulShape[], label: string, row: string, base: string): number | undefined {
  const i = shapes.findIndex((s) => s.label === label);
  if (i < 0) return undefined;
  const value = (name: string) => rows.find((r) => r.name === name)?.value?.[i];
  return quotient(value(row), value(base));
}

const quotient = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || !(b > 0) ? undefined : a / b);

/** Issue 11's targets, each as the ratio this run measured. */
export function issueTargets({ shapes, matmul, matmul64, train }: RunRows): Target[] {
  const trained = (name: string) => train.find((r) => r.name === name)?.value;
  const inferenceSpeedup = (name: string) => quotient(trained(TFJS_WASM)?.inference.ms, trained(name)?.inference.ms);
  const targets: Target[] = [];
  for (const label of ['512³', '128×784×128']) {
    targets.push(
      { what: `f32 matmul ${label}: wasm (1 thread) ÷ tfjs-wasm`, ratio: matmulRatio(matmul, shapes, label, WASM1, TFJS_WASM), bound: 1.2 },
      { what: `f32 matmul ${label}: wasm (2 threads) ÷ tfjs-wasm`, ratio: matmulRatio(matmul, shapes, label, WASM2, TFJS_WASM), bound: 2 },
    );
  }
  targets.push(
    { what: 'f64 matmul 512³: wasm (1 thread) ÷ scratchnet cpu', ratio: matmulRatio(matmul64, shapes, '512³', WASM1, CPU), bound: 3 },
    { what: 'MLP fit, samples/s: wasm (2 threads) ÷ tfjs-wasm', ratio: quotient(trained(WASM2)?.samplesPerSecond, trained(TFJS_WASM)?.samplesPerSecond), bound: 3 },
    { what: 'MLP fit, samples/s: wasm (2 threads) ÷ worker (2 threads)', ratio: quotient(trained(WASM2)?.samplesPerSecond, trained(WORKER2)?.samplesPerSecond), bound: 1.8 },
    { what: 'MLP predict, test digits: tfjs-wasm time ÷ wasm (1 thread) time', ratio: inferenceSpeedup(WASM1), bound: 1, strict: true },
    { what: 'MLP predict, test digits: tfjs-wasm time ÷ wasm (2 threads) time', ratio: inferenceSpeedup(WASM2), bound: 1, strict: true },
  );
  return targets;
}

/** The targets as a table: ratio, target, and whether this run met it. Printed, never asserted. */
export function formatTargets(rows: RunRows): string {
  const body = issueTargets(rows).map(({ what, ratio, bound, strict }) => [
    what,
    ratio === undefined ? '—' : `${ratio.toFixed(2)}×`,
    `${strict ? '>' : '≥'} ${bound}×`,
    ratio === undefined ? 'not measured in this run' : (strict ? ratio > bound : ratio >= bound) ? 'met' : 'not met',
  ]);
  const align: Align[] = ['left', 'right', 'right', 'left'];
  return [
    "Issue 11's targets, ratios from this run (higher is faster; met or not is decided on the unrounded ratio)",
    formatTable(body, { header: ['', 'ratio', 'target', 'this run'], align }),
  ].join('\n');
}
