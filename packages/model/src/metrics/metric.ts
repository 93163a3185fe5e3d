import type { Loss } from '@scratchnet/layers';
import type { Tensor } from '@scratchnet/tensor';

/**
 * A metric `fit` and `evaluate` report besides the loss: a mean over samples of a per-sample
 * value. `total` gives the batch's sum of it (for an accuracy, how many samples are right); a
 * batch logs `total / rows` and an epoch `Σ totals / samples` — the sample-weighted mean, as
 * Keras averages its mean metrics.
 */
export interface Metric {
  /** Logged under this key (and `val_…` for validation). */
  readonly name: string;
  /** Σ over the batch's rows of the per-sample value, for predictions `[rows, …]` and their labels. */
  total(yPred: Tensor, yTrue: Tensor): number;
  /**
   * Throws a typed error when labels cannot be compared with outputs of `outputShape`; run once
   * per `fit`/`evaluate`, before any batch.
   */
  check?(outputShape: readonly number[], yTrue: Tensor): void;
  /**
   * True when `total` is the same on a softmax's logits as on its probabilities (an argmax
   * accuracy): a model training a fused softmax then skips computing the probabilities for it.
   * Otherwise the metric always sees the model's real outputs.
   */
  readonly logitsInvariant?: boolean;
}

/** What a metric may adapt to: the compiled loss, the model's output shape, the labels. */
export interface MetricContext {
  readonly loss: Loss;
  readonly outputShape: readonly number[];
  readonly labels: Tensor;
}

/** Makes the metric registered under a name, for one `fit` or `evaluate`. */
export type MetricFactory = (context: MetricContext) => Metric;
