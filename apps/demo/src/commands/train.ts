import { withBackend, type Backend } from '@scratchnet/backend';
import { Adam, type History, type Sequential } from '@scratchnet/model';
import { seed as seedGlobalRng } from '@scratchnet/tensor';
import { loadMnist, MNIST_CLASSES, MNIST_PIXELS, type MnistOptions } from '../data/mnist.js';
import type { EpochProgress } from '../progress.js';
import { formatHistory } from '../report/history-table.js';
import { testReport } from '../report/test-report.js';
import { mlp } from '../train/mlp.js';

export interface TrainOptions {
  backend: Backend;
  seed: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  hidden: readonly number[];
  /** A smaller split (tests); the whole `mnist.set(8000, 2000)` split by default. */
  data?: MnistOptions;
  progress?: EpochProgress;
  summary?: boolean;
  /** Called with each report line as soon as it is known (the header before training starts). */
  print?: (line: string) => void;
  /** Saves the trained model (with its optimizer state) to this directory. */
  save?: (model: Sequential) => Promise<string>;
}

export interface TrainResult {
  model: Sequential;
  history: History;
  testAccuracy: number;
  confusion: number[][];
  /** The report, line by line: identical for the same options on every backend and every run. */
  lines: string[];
}

export const TRAIN_DEFAULTS = { seed: 42, epochs: 10, batchSize: 128, learningRate: 1e-3, hidden: [128, 128] } as const;

/** Labels for the history table: the test split is the validation data. */
const HISTORY_LABELS = { val_loss: 'test loss', val_accuracy: 'test accuracy' };

/**
 * Trains an MLP on MNIST digits with Adam and sparse categorical cross-entropy, seeded: weights
 * and shuffles come from the global generator after `seed(options.seed)`. Reports the test
 * accuracy, the confusion matrix and the per-epoch history.
 */
export async function runTrain(options: TrainOptions): Promise<TrainResult> {
  return withBackend(options.backend, async () => {
    seedGlobalRng(options.seed);
    // Loaded inside the backend's scope, so the data lives where the backend wants it (shared
    // memory for the worker backend) and is not copied per op.
    const { train, test } = loadMnist(options.data);
    const model = mlp(MNIST_PIXELS, options.hidden, MNIST_CLASSES);
    model.compile({
      optimizer: new Adam({ learningRate: options.learningRate }),
      loss: 'sparseCategoricalCrossentropy',
      metrics: ['accuracy'],
    });
    const lines: string[] = [];
    const emit = (...more: string[]) => {
      lines.push(...more);
      if (options.print) for (const line of more) options.print(line);
    };
    emit(
      `MNIST digits of the mnist package: ${train.labels.size} for training, ${test.labels.size} for testing`,
      `model: ${[MNIST_PIXELS, ...options.hidden, MNIST_CLASSES].join('-')} MLP (ReLU, softmax, He init), ${model.countParams().toLocaleString('en-US')} parameters`,
      `training: Adam (learning rate ${options.learningRate}), batch ${options.batchSize}, ${options.epochs} epoch${options.epochs === 1 ? '' : 's'}, seed ${options.seed}`,
    );
    if (options.summary) emit('', model.summary({ printFn: () => {} }));

    const progress = options.progress;
    const batches = Math.ceil(train.labels.size / options.batchSize);
    let seen = 0;
    let lossSum = 0;
    let correct = 0;
    let batch = 0;
    const current = () => ({ batch, samples: seen, loss: lossSum / Math.max(1, seen), accuracy: correct / Math.max(1, seen) });
    let history: History;
    try {
      history = await model.fit(train.x, train.labels, {
        epochs: options.epochs,
        batchSize: options.batchSize,
        shuffle: true,
        validationData: [test.x, test.labels],
        callbacks: progress
          ? [
              {
                onEpochBegin: (epoch: number) => {
                  seen = lossSum = correct = batch = 0;
                  progress.epochBegin(epoch, options.epochs, batches);
                },
                onBatchEnd: (_batch: number, logs: Record<string, number>) => {
                  const size = logs.size ?? options.batchSize;
                  batch++;
                  seen += size;
                  lossSum += (logs.loss ?? NaN) * size;
                  correct += (logs.accuracy ?? NaN) * size;
                  progress.batchEnd(current());
                },
                onEpochEnd: () => progress.epochEnd(current()),
              },
            ]
          : [],
      });
    } finally {
      progress?.stop();
    }

    const report = testReport(model, test);
    emit('', ...report.lines, '', 'history', formatHistory(history.history, HISTORY_LABELS));
    if (options.save) emit('', `saved the trained model to ${await options.save(model)}`);
    return { model, history, testAccuracy: report.testAccuracy, confusion: report.confusion, lines };
  });
}
