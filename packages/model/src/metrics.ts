import type { LossName } from '@scratchnet/layers';
import { ValueError, type Tensor } from '@scratchnet/tensor';
import { describeValue } from './options.js';

/** Metric names `compile({ metrics })` accepts; `loss` is always reported and may be listed or not. */
export type MetricName = 'accuracy' | 'categoricalAccuracy' | 'sparseCategoricalAccuracy' | 'binaryAccuracy' | 'loss';

export const METRIC_NAMES: readonly MetricName[] = [
  'accuracy',
  'categoricalAccuracy',
  'sparseCategoricalAccuracy',
  'binaryAccuracy',
  'loss',
];

/** How predictions are compared with labels. */
export type AccuracyKind = 'categorical' | 'sparse' | 'binary';

/** A metric as it runs: the name it is reported under and how it counts. */
export interface ResolvedMetric {
  readonly name: string;
  readonly kind: AccuracyKind;
}

/** Checks the metric list of `compile`; `loss` is dropped (it is always reported) and duplicates rejected. */
export function checkMetricNames(metrics: unknown): Exclude<MetricName, 'loss'>[] {
  if (!Array.isArray(metrics)) throw new ValueError(`compile: metrics must be an array of names, got ${describeValue(metrics)}`);
  const out: Exclude<MetricName, 'loss'>[] = [];
  for (const m of metrics) {
    if (typeof m !== 'string' || !(METRIC_NAMES as readonly string[]).includes(m)) {
      throw new ValueError(`compile: unknown metric ${describeValue(m)}; expected one of ${METRIC_NAMES.map((n) => JSON.stringify(n)).join(', ')}`);
    }
    if (m === 'loss') continue;
    if (out.includes(m as Exclude<MetricName, 'loss'>)) throw new ValueError(`compile: metric ${JSON.stringify(m)} is listed twice`);
    out.push(m as Exclude<MetricName, 'loss'>);
  }
  return out;
}

/**
 * The comparison each metric makes. `accuracy` is picked as Keras picks it: from the loss when
 * that says what the labels are (binary, sparse or categorical cross-entropy), else (mean squared
 * error) from the shapes — one output column means binary, int32 class indices mean sparse,
 * anything else categorical.
 */
export function resolveMetrics(
  names: readonly Exclude<MetricName, 'loss'>[],
  lossName: LossName,
  outputWidth: number,
  labels: Tensor,
): ResolvedMetric[] {
  return names.map((name) => {
    switch (name) {
      case 'categoricalAccuracy':
        return { name, kind: 'categorical' };
      case 'sparseCategoricalAccuracy':
        return { name, kind: 'sparse' };
      case 'binaryAccuracy':
        return { name, kind: 'binary' };
      case 'accuracy':
        return { name, kind: accuracyKind(lossName, outputWidth, labels) };
    }
  });
}

function accuracyKind(lossName: LossName, outputWidth: number, labels: Tensor): AccuracyKind {
  switch (lossName) {
    case 'binaryCrossentropy':
      return 'binary';
    case 'sparseCategoricalCrossentropy':
    case 'sparseSoftmaxCrossentropy':
      return 'sparse';
    case 'categoricalCrossentropy':
    case 'softmaxCrossentropy':
      return 'categorical';
    case 'meanSquaredError':
      if (outputWidth === 1) return 'binary';
      return labels.dtype === 'int32' && labels.shape.length === 1 ? 'sparse' : 'categorical';
  }
}

/** Checks that `labels` can be compared with outputs `[n, width]` by a metric of `kind`. */
export function checkMetricLabels(metric: ResolvedMetric, outputWidth: number, labels: Tensor): void {
  const shape = `[${labels.shape.join(',')}]`;
  if (metric.kind === 'sparse') {
    if (labels.dtype !== 'int32' || !(labels.rank === 1 || (labels.rank === 2 && labels.shape[1] === 1))) {
      throw new ValueError(`metric ${metric.name}: needs int32 class indices [n], got ${labels.dtype} ${shape}; use categoricalAccuracy for one-hot labels`);
    }
  } else if (labels.rank !== 2 || labels.shape[1] !== outputWidth) {
    throw new ValueError(
      `metric ${metric.name}: needs labels [n,${outputWidth}] like the outputs, got ${labels.dtype} ${shape}` +
        (metric.kind === 'categorical' ? '; use sparseCategoricalAccuracy for class indices' : ''),
    );
  }
}

/**
 * How many of the `rows` samples in `out` `[rows, width]` are right (a binary metric counts the
 * fraction of matching columns per row, as Keras averages over the last axis). Plain loops over
 * the data: metrics run once per batch, allocate nothing, and argmax takes the first maximum.
 */
export function countCorrect(kind: AccuracyKind, out: Tensor, labels: Tensor, rows: number): number {
  const p = out.data;
  const y = labels.data;
  const width = rows === 0 ? 0 : out.size / rows;
  let correct = 0;
  if (kind === 'binary') {
    for (let i = 0; i < out.size; i++) if (p[i]! > 0.5 === y[i]! > 0.5) correct++;
    return width === 0 ? 0 : correct / width;
  }
  for (let r = 0; r < rows; r++) {
    const o = r * width;
    const predicted = argmaxRow(p, o, width);
    const target = kind === 'sparse' ? y[r]! : argmaxRow(y, o, width);
    if (predicted === target) correct++;
  }
  return correct;
}

function argmaxRow(data: ArrayLike<number>, offset: number, width: number): number {
  let best = 0;
  let max = data[offset]!;
  for (let j = 1; j < width; j++) {
    const v = data[offset + j]!;
    if (v > max) {
      max = v;
      best = j;
    }
  }
  return best;
}
