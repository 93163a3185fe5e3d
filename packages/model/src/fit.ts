import { fill, gather } from '@scratchnet/backend';
import type { Loss } from '@scratchnet/layers';
import { tensor, zeros, type Tensor } from '@scratchnet/tensor';
import { buildLayers } from './build-layers.js';
import type { Logs, TrainingParams } from './callbacks/callback.js';
import { checkDataset, type Dataset } from './dataset.js';
import { evaluateDataset } from './evaluate-dataset.js';
import { checkFitOptions, splitIndices, type FitOptions } from './fit-options.js';
import { History } from './history.js';
import { NonFiniteLossError } from './non-finite-loss-error.js';
import type { Optimizer } from './optimizers/optimizer.js';
import type { Sequential } from './sequential.js';
import { planTraining } from './training-plan.js';
import { TRAINING, backwardStages, forwardStages } from './training-step.js';
import { createYielder } from './yield-to-event-loop.js';

/** What `compile` settled: the pieces `fit` and `evaluate` work with. */
export interface Compiled {
  optimizer: Optimizer;
  loss: Loss;
  /** Metric names, as registered (`accuracy`, …). */
  metrics: string[];
}


/** The rows of one batch: gathered by index into buffers kept per batch size. */
interface BatchBuffers {
  indices: Tensor<'int32'>;
  x: Tensor;
  y: Tensor;
}

/**
 * The training loop behind `Sequential.fit`. Everything is checked once up front (options, data,
 * labels against the loss and metrics); then each step is
 *
 *   gather the batch → zero gradients → forward (training) → loss and its gradient →
 *   NaN guard → metrics → backward → optimizer update → batch callbacks → yield,
 *
 * reusing every buffer after the first batch of each size (layers, losses and optimizers keep
 * theirs; the batch buffers and criterion buffers are kept here). The NaN guard runs before the
 * update, and callbacks after it, so an error from either leaves the weights of the last
 * completed step.
 */
export async function fitModel(model: Sequential, compiled: Compiled, x: unknown, y: unknown, options?: FitOptions): Promise<History> {
  const opts = checkFitOptions(options);
  const layers = model.layers;
  const data = checkDataset('fit', layers, compiled.loss, compiled.metrics, x, y);
  buildLayers(layers, data.x.shape);
  let validation: Dataset | null = null;
  let trainOrder: Int32Array;
  if (opts.validationData !== null) {
    validation = checkDataset('fit', layers, compiled.loss, compiled.metrics, opts.validationData[0], opts.validationData[1], [
      'validationData[0]',
      'validationData[1]',
    ]);
    trainOrder = splitIndices(data.samples, 0, opts.rng).train;
  } else {
    const split = splitIndices(data.samples, opts.validationSplit, opts.rng);
    trainOrder = split.train;
    if (split.validation !== null) {
      const picked = tensor(split.validation, { dtype: 'int32' });
      validation = { x: gather(data.x, picked), y: gather(data.y, picked), samples: split.validation.length, metrics: data.metrics };
    }
  }

  const plan = planTraining(layers, compiled.loss);
  const params = model.namedParams();
  const optimizer = compiled.optimizer;
  const metrics = data.metrics;
  const samples = trainOrder.length;
  const batchSize = Math.min(opts.batchSize, samples);
  const steps = Math.ceil(samples / batchSize);
  const metricKeys = ['loss', ...metrics.map((m) => m.name)];
  const trainingParams: TrainingParams = {
    epochs: opts.epochs,
    batchSize,
    samples,
    steps,
    validationSamples: validation?.samples ?? 0,
    metrics: validation === null ? metricKeys : [...metricKeys, ...metricKeys.map((k) => `val_${k}`)],
  };
  const callbacks = opts.callbacks;
  const history = new History();
  const buffers = new Map<number, BatchBuffers>();
  const batchBuffers = (rows: number): BatchBuffers => {
    let b = buffers.get(rows);
    if (b === undefined) {
      b = {
        indices: zeros([rows], { dtype: 'int32' }),
        x: zeros([rows, ...data.x.shape.slice(1)], { dtype: data.x.dtype }),
        y: zeros([rows, ...data.y.shape.slice(1)], { dtype: data.y.dtype }),
      };
      buffers.set(rows, b);
    }
    return b;
  };
  // Per metric: the epoch's running total, and this batch's.
  const totals = new Float64Array(metrics.length);
  const batchTotals = new Float64Array(metrics.length);
  const needsOutputs = plan.fused && metrics.some((m) => m.logitsInvariant !== true);
  let lastFiniteLoss: number | null = null;

  model.stopTraining = false;
  callbacks.attach(model, trainingParams);
  const yielder = createYielder();
  try {
    await callbacks.trainBegin({});
    for (let epoch = 0; epoch < opts.epochs; epoch++) {
      const started = performance.now();
      if (opts.shuffle) opts.rng.shuffle(trainOrder);
      await callbacks.epochBegin(epoch, {});
      let lossSum = 0;
      // Samples trained this epoch: all of them, unless a callback stopped training mid-epoch.
      let seen = 0;
      totals.fill(0);
      for (let batch = 0; batch < steps; batch++) {
        const start = batch * batchSize;
        const rows = Math.min(batchSize, samples - start);
        const b = batchBuffers(rows);
        const idx = b.indices.data;
        for (let i = 0; i < rows; i++) idx[i] = trainOrder[start + i]!;
        gather(data.x, b.indices, { out: b.x });
        gather(data.y, b.indices, { out: b.y });
        if (callbacks.hasBatchHooks) await callbacks.batchBegin(batch, { batch, size: rows });

        for (let p = 0; p < params.length; p++) fill(params[p]!.param.grad, 0);
        const out = forwardStages(plan, b.x, TRAINING);
        const loss = plan.criterion.compute(out, b.y, true);
        if (!Number.isFinite(loss)) {
          throw new NonFiniteLossError({ epoch, batch, epochs: opts.epochs, batches: steps, loss, lastFiniteLoss });
        }
        lastFiniteLoss = loss;
        lossSum += loss * rows;
        seen += rows;
        const outputs = needsOutputs ? plan.outputs(out) : out;
        for (let m = 0; m < metrics.length; m++) {
          const metric = metrics[m]!;
          batchTotals[m] = metric.total(metric.logitsInvariant === true ? out : outputs, b.y);
          totals[m]! += batchTotals[m]!;
        }
        backwardStages(plan, plan.criterion.grad!);
        optimizer.applyGradients(params);

        if (callbacks.hasBatchHooks) {
          const logs: Logs = { batch, size: rows, loss };
          for (let m = 0; m < metrics.length; m++) logs[metrics[m]!.name] = batchTotals[m]! / rows;
          await callbacks.batchEnd(batch, logs);
        }
        await yielder.next();
        if (model.stopTraining) break;
      }
      const logs: Logs = { loss: lossSum / seen };
      metrics.forEach((m, i) => (logs[m.name] = totals[i]! / seen));
      if (validation !== null) {
        const v = evaluateDataset(plan, validation, batchSize);
        logs.val_loss = v.loss;
        for (const [name, value] of Object.entries(v.metrics)) logs[`val_${name}`] = value;
      }
      history.record(epoch, logs);
      if (opts.verbose === 1) printEpoch(epoch, opts.epochs, performance.now() - started, logs);
      await callbacks.epochEnd(epoch, { ...logs });
      if (model.stopTraining) break;
    }
    await callbacks.trainEnd({ ...(history.epoch.length > 0 ? lastLogs(history) : {}) });
  } finally {
    yielder.close();
  }
  return history;
}

function lastLogs(history: History): Logs {
  const logs: Logs = {};
  for (const [key, values] of Object.entries(history.history)) logs[key] = values[values.length - 1]!;
  return logs;
}

function printEpoch(epoch: number, epochs: number, ms: number, logs: Logs): void {
  const values = Object.entries(logs).map(([k, v]) => `${k}: ${v.toFixed(4)}`);
  console.log([`Epoch ${epoch + 1}/${epochs}`, `${Math.round(ms)}ms`, ...values].join(' - '));
}

