import type { ForwardOptions } from '@scratchnet/layers';
import type { Tensor } from '@scratchnet/tensor';
import type { Dataset } from './dataset.js';
import type { TrainingPlan } from './training-plan.js';

/** What `evaluate` returns: the mean loss and each compiled metric over the whole dataset. */
export interface EvaluationResult {
  loss: number;
  metrics: Record<string, number>;
}

const INFERENCE: ForwardOptions = { training: false };

/**
 * Loss and metrics over `data` in batches of `batchSize` rows (contiguous slices, no copies),
 * in inference mode; batch values are weighted by their row counts, as Keras averages.
 */
export function evaluateDataset(plan: TrainingPlan, data: Dataset, batchSize: number): EvaluationResult {
  const { x, y, samples, metrics } = data;
  const totals = new Float64Array(metrics.length);
  const needsOutputs = plan.fused && metrics.some((m) => m.logitsInvariant !== true);
  let lossSum = 0;
  for (let start = 0; start < samples; start += batchSize) {
    const end = Math.min(samples, start + batchSize);
    const rows = end - start;
    const whole = rows === samples;
    let out: Tensor = whole ? x : x.slice(start, end);
    const labels = whole ? y : y.slice(start, end);
    for (const stage of plan.stages) out = stage.forward(out, INFERENCE);
    lossSum += plan.criterion.compute(out, labels, false) * rows;
    const outputs = needsOutputs ? plan.outputs(out) : out;
    for (let m = 0; m < metrics.length; m++) {
      const metric = metrics[m]!;
      totals[m]! += metric.total(metric.logitsInvariant === true ? out : outputs, labels);
    }
  }
  const result: EvaluationResult = { loss: lossSum / samples, metrics: {} };
  metrics.forEach((m, i) => (result.metrics[m.name] = totals[i]! / samples));
  return result;
}
