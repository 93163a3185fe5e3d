import type { CnnResult } from './cnn-bench.js';
import type { Row } from './report.js';
import { formatTable, type Align } from './table.js';

/** The CNN's rows are compared with these, when measured: the target is tfjs-wasm. */
export const CNN_BASELINES = ['tfjs-wasm', 'scratchnet cpu'] as const;

const fixed = (digits: number) => (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits));
const ratio = (v: number | undefined, base: number | undefined) =>
  v === undefined || base === undefined || !(base > 0) ? '—' : `${(v / base).toFixed(2)}×`;

/** Training samples/s and inference time per contender, each with ratios to the baselines (higher is faster). */
export function formatCnnReport(rows: readonly Row<CnnResult>[], note: string): string {
  const baselines = CNN_BASELINES.filter((b) => rows.some((r) => r.name === b && r.value !== undefined));
  const base = (name: string) => rows.find((r) => r.name === name)?.value;
  const speedups = (pick: (v: CnnResult) => number, r: Row<CnnResult>) =>
    baselines.map((b) => ratio(r.value && pick(r.value), base(b) && pick(base(b)!)));
  const header = [
    '',
    'digits',
    'train samples/s',
    'ms/batch',
    ...baselines.map((b) => `× ${b}`),
    'infer ms/1000',
    'digits/s',
    ...baselines.map((b) => `× ${b}`),
  ];
  const body = rows.map((r) => [
    r.name,
    fixed(0)(r.value?.samples),
    fixed(0)(r.value?.samplesPerSecond),
    fixed(1)(r.value?.msPerBatch),
    ...speedups((v) => v.samplesPerSecond, r),
    fixed(1)(r.value?.msPer1000),
    fixed(0)(r.value?.digitsPerSecond),
    ...speedups((v) => v.digitsPerSecond, r),
  ]);
  const align: Align[] = ['left', ...header.slice(1).map((): Align => 'right')];
  const failed = rows.filter((r) => r.error !== undefined).map((r) => `${r.name} failed: ${r.error}`);
  return [`CNN training and inference, ${note}`, formatTable(body, { header, align }), ...failed].join('\n');
}
