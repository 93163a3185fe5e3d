import type { MatmulShape } from './matmul-bench.js';
import { formatTable, type Align } from './table.js';
import type { TrainResult } from './train-bench.js';

/** The rows every ratio is taken against, when they were measured. */
export const BASELINES = ['tfjs-cpu', 'scratchnet cpu'] as const;

export interface Row<T> {
  name: string;
  /** Undefined when this contender failed; `error` says why. */
  value?: T;
  error?: string;
}

const fixed = (digits: number) => (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits));
const ratio = (v: number | undefined, base: number | undefined) =>
  v === undefined || base === undefined || !(base > 0) ? '—' : `${(v / base).toFixed(2)}×`;

function errors(rows: readonly Row<unknown>[]): string[] {
  return rows.filter((r) => r.error !== undefined).map((r) => `${r.name} failed: ${r.error}`);
}

/** GFLOP/s per contender and shape, then the same as ratios to each baseline. */
export function formatMatmulReport(shapes: readonly MatmulShape[], rows: readonly Row<number[]>[], note: string): string {
  const header = ['', ...shapes.map((s) => s.label)];
  const align: Align[] = ['left', ...shapes.map((): Align => 'right')];
  const out = [`matmul, float32, GFLOP/s (${note})`, formatTable(rows.map((r) => [r.name, ...shapes.map((_, i) => fixed(2)(r.value?.[i]))]), { header, align })];
  for (const baseline of BASELINES) {
    const base = rows.find((r) => r.name === baseline)?.value;
    if (base === undefined) continue;
    out.push('', `matmul, ratio to ${baseline}`);
    out.push(formatTable(rows.map((r) => [r.name, ...shapes.map((_, i) => ratio(r.value?.[i], base[i]))]), { header, align }));
  }
  return [...out, ...errors(rows)].join('\n');
}

/** Samples/s and ms per batch per contender, with ratios to each baseline. */
export function formatTrainReport(rows: readonly Row<TrainResult>[], note: string): string {
  const baselines = BASELINES.filter((b) => rows.some((r) => r.name === b && r.value !== undefined));
  const header = ['', 'samples/s', 'ms/batch', ...baselines.map((b) => `× ${b}`)];
  const body = rows.map((r) => [
    r.name,
    fixed(0)(r.value?.samplesPerSecond),
    fixed(1)(r.value?.msPerBatch),
    ...baselines.map((b) => ratio(r.value?.samplesPerSecond, rows.find((x) => x.name === b)?.value?.samplesPerSecond)),
  ]);
  const align: Align[] = ['left', ...header.slice(1).map((): Align => 'right')];
  return [`MLP training, ${note}`, formatTable(body, { header, align }), ...errors(rows)].join('\n');
}
