import type { MatmulDType } from './contenders/contender.js';
import type { MatmulShape } from './matmul-bench.js';
import { formatTable, type Align } from './table.js';
import type { TrainResult } from './train-bench.js';

/** The rows every ratio is taken against, when they were measured. */
export const BASELINES = ['tfjs-cpu', 'scratchnet cpu'] as const;
/** The inference table's baselines: the target is tfjs-wasm. */
export const INFERENCE_BASELINES = ['tfjs-wasm', 'scratchnet cpu'] as const;

export interface Row<T> {
  name: string;
  /** Undefined when this contender failed (`error` says why) or was not measured (`skipped` says why). */
  value?: T;
  error?: string;
  skipped?: string;
}

const fixed = (digits: number) => (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits));
const ratio = (v: number | undefined, base: number | undefined) =>
  v === undefined || base === undefined || !(base > 0) ? '—' : `${(v / base).toFixed(2)}×`;

/** The lines under a table: why a row is empty. Rows skipped for the same reason share a line. */
function notes(rows: readonly Row<unknown>[]): string[] {
  const skipped = new Map<string, string[]>();
  for (const r of rows) if (r.skipped !== undefined) skipped.set(r.skipped, [...(skipped.get(r.skipped) ?? []), r.name]);
  return [
    ...[...skipped].map(([why, names]) => `${names.join(', ')}: — because ${why}`),
    ...rows.filter((r) => r.error !== undefined).map((r) => `${r.name} failed: ${r.error}`),
  ];
}

/** GFLOP/s per contender and shape, then the same as ratios to each baseline measured. */
export function formatMatmulReport(shapes: readonly MatmulShape[], rows: readonly Row<number[]>[], note: string, dtype: MatmulDType = 'float32'): string {
  const header = ['', ...shapes.map((s) => s.label)];
  const align: Align[] = ['left', ...shapes.map((): Align => 'right')];
  const out = [`matmul, ${dtype}, GFLOP/s (${note})`, formatTable(rows.map((r) => [r.name, ...shapes.map((_, i) => fixed(2)(r.value?.[i]))]), { header, align })];
  out.push(...notes(rows));
  for (const baseline of BASELINES) {
    const base = rows.find((r) => r.name === baseline)?.value;
    if (base === undefined) continue;
    out.push('', `matmul, ${dtype}, ratio to ${baseline}`);
    out.push(formatTable(rows.map((r) => [r.name, ...shapes.map((_, i) => ratio(r.value?.[i], base[i]))]), { header, align }));
  }
  return out.join('\n');
}

/** The counted epoch's time waiting for a core, as a share of its wall time ('—' where not measured). */
function coreWaitShare(result: TrainResult | undefined): string {
  const wait = result?.coreWait;
  return wait === undefined || !(wait.epochMs > 0) ? '—' : `${((100 * wait.waitMs) / wait.epochMs).toFixed(0)}%`;
}

export const CORE_WAIT_NOTE =
  'waited for a core: the time the contender\'s threads were ready to run but other work held the cores, summed over its threads, ' +
  'as a share of the counted epoch (Linux schedstat). More than a few percent means the machine was busy: a threaded row then measures the load, not the backend.';

/** Samples/s and ms per batch per contender, with ratios to each baseline. */
export function formatTrainReport(rows: readonly Row<TrainResult>[], note: string): string {
  const baselines = BASELINES.filter((b) => rows.some((r) => r.name === b && r.value !== undefined));
  const waits = rows.some((r) => r.value?.coreWait !== undefined);
  const header = ['', 'samples/s', 'ms/batch', ...baselines.map((b) => `× ${b}`), ...(waits ? ['waited for a core'] : [])];
  const body = rows.map((r) => [
    r.name,
    fixed(0)(r.value?.samplesPerSecond),
    fixed(1)(r.value?.msPerBatch),
    ...baselines.map((b) => ratio(r.value?.samplesPerSecond, rows.find((x) => x.name === b)?.value?.samplesPerSecond)),
    ...(waits ? [coreWaitShare(r.value)] : []),
  ]);
  const align: Align[] = ['left', ...header.slice(1).map((): Align => 'right')];
  return [`MLP training, ${note}`, formatTable(body, { header, align }), ...notes(rows), ...(waits ? [CORE_WAIT_NOTE] : [])].join('\n');
}

/**
 * The trained MLP classifying the test digits: milliseconds for all of them, digits per second,
 * and speed ratios to the baselines (a baseline's time ÷ this row's time: higher is faster).
 */
export function formatInferenceReport(rows: readonly Row<TrainResult>[], note: string): string {
  const ms = (r: Row<TrainResult> | undefined) => r?.value?.inference.ms;
  const baselines = INFERENCE_BASELINES.filter((b) => rows.some((r) => r.name === b && r.value !== undefined));
  const digits = rows.find((r) => r.value !== undefined)?.value?.inference.digits;
  const header = ['', `ms (${digits ?? '?'} digits)`, 'digits/s', ...baselines.map((b) => `× ${b}`)];
  const body = rows.map((r) => [
    r.name,
    fixed(1)(ms(r)),
    fixed(0)(r.value && (r.value.inference.digits / r.value.inference.ms) * 1000),
    ...baselines.map((b) => {
      const mine = ms(r);
      return ratio(ms(rows.find((x) => x.name === b)), mine);
    }),
  ]);
  const align: Align[] = ['left', ...header.slice(1).map((): Align => 'right')];
  return [`MLP inference, ${note}`, formatTable(body, { header, align }), ...notes(rows)].join('\n');
}
