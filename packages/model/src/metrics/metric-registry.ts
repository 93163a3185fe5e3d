import { ValueError } from '@scratchnet/tensor';
import { describeValue } from '../options.js';
import { accuracy, accuracyFor } from './accuracy.js';
import type { Metric, MetricContext, MetricFactory } from './metric.js';

/** The built-in metrics' names; `loss` is always reported and may be listed or not. */
export type MetricName = 'accuracy' | 'categoricalAccuracy' | 'sparseCategoricalAccuracy' | 'binaryAccuracy' | 'loss';

export const METRIC_NAMES: readonly MetricName[] = ['accuracy', 'categoricalAccuracy', 'sparseCategoricalAccuracy', 'binaryAccuracy', 'loss'];

/**
 * Metrics `compile({ metrics })` knows, by name: the built-ins, then what `registerMetric`
 * added. A module-level table, as for layers, optimizers and losses.
 */
const factories = new Map<string, MetricFactory>([
  ['accuracy', accuracyFor],
  ['categoricalAccuracy', () => accuracy('categoricalAccuracy', 'categorical')],
  ['sparseCategoricalAccuracy', () => accuracy('sparseCategoricalAccuracy', 'sparse')],
  ['binaryAccuracy', () => accuracy('binaryAccuracy', 'binary')],
]);

/**
 * Teaches `compile({ metrics: [name] })` a metric of your own: `factory` makes it for each `fit`
 * or `evaluate` (from the loss, output shape and labels, if it cares). Registering a name twice
 * is an error unless `replace` is set.
 */
export function registerMetric(name: string, factory: MetricFactory, options: { replace?: boolean } = {}): void {
  if (typeof name !== 'string' || name === '' || name === 'loss' || name.startsWith('val_')) {
    throw new ValueError(`registerMetric: name must be a non-empty string other than "loss" and not starting with "val_", got ${describeValue(name)}`);
  }
  if (typeof factory !== 'function') throw new ValueError(`registerMetric: factory for ${name} must be a function, got ${describeValue(factory)}`);
  if (factories.has(name) && options.replace !== true) {
    throw new ValueError(`registerMetric: ${name} is already registered; pass { replace: true } to replace it`);
  }
  factories.set(name, factory);
}

/** Names `compile` accepts as metrics (besides `loss`), built-ins first. */
export function registeredMetricNames(): string[] {
  return [...factories.keys()];
}

/** Checks the metric list of `compile`; `loss` is dropped (it is always reported) and duplicates rejected. */
export function checkMetricNames(metrics: unknown): string[] {
  if (!Array.isArray(metrics)) throw new ValueError(`compile: metrics must be an array of names, got ${describeValue(metrics)}`);
  const out: string[] = [];
  for (const m of metrics) {
    if (m === 'loss') continue;
    if (typeof m !== 'string' || !factories.has(m)) {
      const known = [...registeredMetricNames(), 'loss'].map((n) => JSON.stringify(n)).join(', ');
      throw new ValueError(`compile: unknown metric ${describeValue(m)}; expected one of ${known} (register others with registerMetric)`);
    }
    if (out.includes(m)) throw new ValueError(`compile: metric ${JSON.stringify(m)} is listed twice`);
    out.push(m);
  }
  return out;
}

/** The metric `name` for one run, checked against the labels; errors start with `where`. */
export function resolveMetric(where: string, name: string, context: MetricContext): Metric {
  const factory = factories.get(name);
  if (factory === undefined) throw new ValueError(`${where}: metric ${JSON.stringify(name)} is no longer registered`);
  const metric = factory(context);
  if (metric === null || typeof metric !== 'object' || typeof metric.total !== 'function' || metric.name !== name) {
    throw new ValueError(`${where}: the factory registered for metric ${name} must return a Metric named ${JSON.stringify(name)} with a total(yPred, yTrue) method`);
  }
  try {
    metric.check?.(context.outputShape, context.labels);
  } catch (error) {
    if (error instanceof Error) error.message = `${where}: ${error.message}`;
    throw error;
  }
  return metric;
}
