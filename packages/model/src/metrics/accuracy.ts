import type { Loss } from '@scratchnet/layers';
import { ValueError, type Tensor } from '@scratchnet/tensor';
import type { Metric, MetricContext } from './metric.js';

/** How predictions are compared with labels. */
export type AccuracyKind = 'categorical' | 'sparse' | 'binary';

/** The columns a metric compares per sample: the output's second axis, or 1. */
function widthOf(outputShape: readonly number[]): number {
  return outputShape.length === 2 ? outputShape[1]! : 1;
}

/** An accuracy of `kind`, reported as `name`. */
export function accuracy(name: string, kind: AccuracyKind): Metric {
  return {
    name,
    // argmax is the same on a softmax's logits (binary compares with 0.5, so it is not).
    logitsInvariant: kind !== 'binary',
    total: (yPred, yTrue) => countCorrect(kind, yPred, yTrue, yPred.shape[0] ?? 0),
    check: (outputShape, yTrue) => checkAccuracyLabels(name, kind, widthOf(outputShape), yTrue),
  };
}

/**
 * `accuracy`, picked as Keras picks it: binary for a loss on elementwise probabilities (binary
 * cross-entropy), sparse or categorical by the labels for a loss on softmax probabilities or
 * logits, and for any other loss (mean squared error) from the shapes — one output column means
 * binary, int32 class indices `[n]` mean sparse, anything else categorical.
 */
export function accuracyFor(context: MetricContext): Metric {
  return accuracy('accuracy', accuracyKind(context.loss, widthOf(context.outputShape), context.labels));
}

function accuracyKind(loss: Loss, outputWidth: number, labels: Tensor): AccuracyKind {
  switch (loss.expects) {
    case 'probabilities':
      return 'binary';
    case 'softmax':
    case 'logits':
      return labels.dtype === 'int32' ? 'sparse' : 'categorical';
    case 'values':
      if (outputWidth === 1) return 'binary';
      return labels.dtype === 'int32' && labels.shape.length === 1 ? 'sparse' : 'categorical';
  }
}

/** Checks that `labels` can be compared with outputs `[n, width]` by an accuracy of `kind`. */
function checkAccuracyLabels(name: string, kind: AccuracyKind, outputWidth: number, labels: Tensor): void {
  const shape = `[${labels.shape.join(',')}]`;
  if (kind === 'sparse') {
    if (labels.dtype !== 'int32' || !(labels.rank === 1 || (labels.rank === 2 && labels.shape[1] === 1))) {
      throw new ValueError(`metric ${name}: needs int32 class indices [n], got ${labels.dtype} ${shape}; use categoricalAccuracy for one-hot labels`);
    }
  } else if (labels.rank !== 2 || labels.shape[1] !== outputWidth) {
    throw new ValueError(
      `metric ${name}: needs labels [n,${outputWidth}] like the outputs, got ${labels.dtype} ${shape}` +
        (kind === 'categorical' ? '; use sparseCategoricalAccuracy for class indices' : ''),
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
