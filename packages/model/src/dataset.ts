import type { Layer, Loss } from '@scratchnet/layers';
import { DTypeError, ShapeError, ValueError, formatShape, type Tensor } from '@scratchnet/tensor';
import type { Metric } from './metrics/metric.js';
import { resolveMetric } from './metrics/metric-registry.js';
import { describeValue } from './options.js';

export function isTensor(value: unknown): value is Tensor {
  if (value === null || typeof value !== 'object') return false;
  const t = value as Partial<Tensor>;
  return Array.isArray(t.shape) && typeof t.dtype === 'string' && ArrayBuffer.isView(t.data);
}

/** Inputs `[n, …]` with at least one sample. */
export function checkInputs(where: string, x: unknown, name = 'x'): Tensor {
  if (!isTensor(x)) throw new ValueError(`${where}: ${name} must be a Tensor, got ${describeValue(x)}`);
  if (x.rank < 1) throw new ShapeError(`${where}: ${name} must have a batch axis [samples, …], got shape ${formatShape(x.shape)}`);
  if (x.shape[0] === 0) throw new ValueError(`${where}: ${name} ${formatShape(x.shape)} holds no samples; pass at least one`);
  return x;
}

/** The output shape `[n, …]` the model gives for `x`, with a message naming `x` when it does not fit. */
export function outputShapeFor(where: string, layers: readonly Layer[], x: Tensor, name = 'x'): number[] {
  let shape: readonly (number | null)[] = x.shape;
  try {
    for (const layer of layers) shape = layer.computeOutputShape(shape);
  } catch (error) {
    if (error instanceof ShapeError) throw new ShapeError(`${where}: ${name} of shape ${formatShape(x.shape)} does not fit the model: ${error.message}`);
    throw error;
  }
  return shape.map((d) => d ?? 0);
}

export interface Dataset {
  x: Tensor;
  /** Labels in the canonical shape: `[n]` for class indices, `[n, …]` like the outputs otherwise. */
  y: Tensor;
  samples: number;
  /** The compiled metrics, made for these labels (`accuracy` picks its kind here). */
  metrics: Metric[];
}

/**
 * Checks a labelled dataset once, before any batch runs: tensors, matching sample counts, labels
 * that fit the loss and every metric. Labels are viewed in one canonical shape (`[n, 1]` class
 * indices as `[n]`; `[n]` targets of a one-column output as `[n, 1]`), so no batch reshapes.
 */
export function checkDataset(
  where: string,
  layers: readonly Layer[],
  loss: Loss,
  metricNames: readonly string[],
  x: unknown,
  y: unknown,
  names: readonly [string, string] = ['x', 'y'],
): Dataset {
  const inputs = checkInputs(where, x, names[0]);
  if (!isTensor(y)) throw new ValueError(`${where}: ${names[1]} must be a Tensor, got ${describeValue(y)}`);
  const n = inputs.shape[0]!;
  if (y.rank < 1 || y.shape[0] !== n) {
    throw new ShapeError(
      `${where}: ${names[0]} has ${n} samples (shape ${formatShape(inputs.shape)}) but ${names[1]} has ${y.rank < 1 ? 'no sample axis' : `${y.shape[0]}`} (shape ${formatShape(y.shape)}); give one label per sample`,
    );
  }
  for (const layer of layers) {
    const weights = layer.dtype;
    if (weights !== undefined && weights !== inputs.dtype) {
      throw new DTypeError(`${where}: ${names[0]} is ${inputs.dtype} but layer '${layer.name}' computes in ${weights}; cast ${names[0]} with cast(${names[0]}, '${weights}')`);
    }
  }
  const outShape = outputShapeFor(where, layers, inputs, names[0]);
  outShape[0] = n;
  try {
    loss.check(outShape, y);
  } catch (error) {
    if (error instanceof Error) error.message = `${where}: ${names[1]} does not fit the loss: ${error.message}`;
    throw error;
  }
  let labels = y;
  if (y.dtype === 'int32' && y.rank === 2 && y.shape[1] === 1 && outShape.length === 2 && outShape[1]! > 1) labels = y.reshape([n]);
  else if (y.dtype !== 'int32' && y.rank === 1 && outShape.length === 2 && outShape[1] === 1) labels = y.reshape([n, 1]);
  if (labels.dtype !== 'int32' && labels.dtype !== inputs.dtype) {
    throw new DTypeError(`${where}: ${names[1]} is ${labels.dtype} but the model computes in ${inputs.dtype}; cast ${names[1]} with cast(${names[1]}, '${inputs.dtype}')`);
  }
  const metrics = metricNames.map((name) => resolveMetric(where, name, { loss, outputShape: outShape, labels }));
  return { x: inputs, y: labels, samples: n, metrics };
}
