import { withBackend, type Backend } from '@scratchnet/backend';
import { Adam, History, type CallbackLike, type Sequential } from '@scratchnet/model';
import { Rng, seed as seedGlobalRng, zeros, type Tensor } from '@scratchnet/tensor';
import { loadMnist, MNIST_CLASSES, MNIST_PIXELS, MNIST_SIDE, type MnistOptions, type MnistSplit } from '../data/mnist.js';
import type { EpochProgress } from '../progress.js';
import { formatHistory } from '../report/history-table.js';
import { testReport } from '../report/test-report.js';
import { shiftImages } from '../train/augment.js';
import { cnn, CNN_DESCRIPTION } from '../train/cnn.js';
import { mlp } from '../train/mlp.js';
import { cosineDecay } from '../train/schedule.js';

/** The two classifiers `train` can build: the lesson's MLP, or a convolutional network. */
export const MODEL_KINDS = ['mlp', 'cnn'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/** How the learning rate moves over the epochs: fixed, or cosine decay from it towards 0. */
export type Schedule = 'constant' | 'cosine';

export interface TrainOptions {
  backend: Backend;
  seed: number;
  /** `mlp` (the default) or `cnn`. */
  model?: ModelKind;
  epochs: number;
  batchSize: number;
  /** Adam's learning rate (the peak of a cosine schedule). */
  learningRate: number;
  /** The MLP's hidden widths (ignored by the CNN). */
  hidden: readonly number[];
  /** The learning-rate schedule; `constant` by default. */
  schedule?: Schedule;
  /** Shift each training digit by up to this many pixels, freshly each epoch (0, the default: none). */
  shift?: number;
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

/** Each model's recipe, chosen by experiment (see the README); every part can be overridden. */
export const TRAIN_DEFAULTS = {
  seed: 42,
  mlp: { epochs: 10, batchSize: 128, learningRate: 1e-3, hidden: [128, 128], schedule: 'constant', shift: 0 },
  cnn: { epochs: 10, batchSize: 64, learningRate: 3e-3, schedule: 'cosine', shift: 2 },
} as const;

/** Labels for the history table: the test split is the validation data. */
const HISTORY_LABELS = { val_loss: 'test loss', val_accuracy: 'test accuracy' };

/**
 * Trains a classifier of MNIST digits — the MLP, or the CNN on the same pixels seen as
 * `[n, 28, 28, 1]` images — with Adam and sparse categorical cross-entropy, seeded: weights,
 * shuffles and shifts come from the global generator after `seed(options.seed)`. Reports the
 * test accuracy, the confusion matrix and the per-epoch history.
 */
export async function runTrain(options: TrainOptions): Promise<TrainResult> {
  const kind = options.model ?? 'mlp';
  const schedule = options.schedule ?? 'constant';
  const shift = options.shift ?? 0;
  return withBackend(options.backend, async () => {
    seedGlobalRng(options.seed);
    // Loaded inside the backend's scope, so the data lives where the backend wants it (shared
    // memory for the worker backend) and is not copied per op.
    const { train, test } = inputsFor(kind, loadMnist(options.data));
    const model = kind === 'cnn' ? cnn() : mlp(MNIST_PIXELS, options.hidden, MNIST_CLASSES);
    // Every parameter exists before training, for the header's count and the summary.
    model.build([null, ...train.x.shape.slice(1)]);
    const optimizer = new Adam({ learningRate: options.learningRate });
    model.compile({ optimizer, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const lines: string[] = [];
    const emit = (...more: string[]) => {
      lines.push(...more);
      if (options.print) for (const line of more) options.print(line);
    };
    const description = kind === 'cnn' ? CNN_DESCRIPTION : `${[MNIST_PIXELS, ...options.hidden, MNIST_CLASSES].join('-')} MLP (ReLU, softmax, He init)`;
    const rate = schedule === 'cosine' ? `learning rate ${options.learningRate} with cosine decay` : `learning rate ${options.learningRate}`;
    emit(
      `MNIST digits of the mnist package: ${train.labels.size} for training, ${test.labels.size} for testing`,
      `model: ${description}, ${model.countParams().toLocaleString('en-US')} parameters`,
      `training: Adam (${rate}), batch ${options.batchSize}, ${options.epochs} epoch${options.epochs === 1 ? '' : 's'}` +
        `${shift > 0 ? `, digits shifted by up to ${shift} pixel${shift === 1 ? '' : 's'}` : ''}, seed ${options.seed}`,
    );
    if (options.summary) emit('', model.summary({ printFn: () => {} }));

    const progress = options.progress;
    let history: History;
    try {
      const fitOptions = { batchSize: options.batchSize, shuffle: true, validationData: [test.x, test.labels] as const };
      if (schedule === 'constant' && shift === 0) {
        history = await model.fit(train.x, train.labels, { ...fitOptions, epochs: options.epochs, callbacks: progressCallbacks(progress, options, train.labels.size, 0) });
      } else {
        // One fit per epoch: each sees freshly shifted digits and its own learning rate.
        history = new History();
        const shifted = shift > 0 ? zeros(train.x.shape, { dtype: train.x.dtype }) : train.x;
        const rng = new Rng(options.seed);
        for (let epoch = 0; epoch < options.epochs; epoch++) {
          if (schedule === 'cosine') optimizer.learningRate = cosineDecay(options.learningRate, epoch, options.epochs);
          if (shift > 0) shiftImages(train.x, shifted, MNIST_SIDE, shift, rng);
          const one = await model.fit(shifted, train.labels, { ...fitOptions, epochs: 1, callbacks: progressCallbacks(progress, options, train.labels.size, epoch) });
          history.record(epoch, Object.fromEntries(Object.entries(one.history).map(([key, values]) => [key, values[0]!])));
        }
      }
    } finally {
      progress?.stop();
    }

    const report = testReport(model, test);
    emit('', ...report.lines, '', 'history', formatHistory(history.history, HISTORY_LABELS));
    if (options.save) emit('', `saved the trained model to ${await options.save(model)}`);
    return { model, history, testAccuracy: report.testAccuracy, confusion: report.confusion, lines };
  });
}

/** The CNN reads the digits as `[n, 28, 28, 1]` images: the same pixels, viewed. */
function inputsFor(kind: ModelKind, data: { train: MnistSplit; test: MnistSplit }): { train: MnistSplit; test: MnistSplit } {
  if (kind === 'mlp') return data;
  const images = (split: MnistSplit): MnistSplit => ({ x: split.x.reshape([split.labels.size, MNIST_SIDE, MNIST_SIDE, 1]) as Tensor<'float32'>, labels: split.labels });
  return { train: images(data.train), test: images(data.test) };
}

/** Progress per batch and per epoch of `samples` digits, for a fit whose first epoch is the run's epoch `first`. */
function progressCallbacks(progress: EpochProgress | undefined, options: TrainOptions, samples: number, first: number): CallbackLike[] {
  if (progress === undefined) return [];
  const batches = Math.ceil(samples / options.batchSize);
  let seen = 0;
  let lossSum = 0;
  let correct = 0;
  let batch = 0;
  const current = () => ({ batch, samples: seen, loss: lossSum / Math.max(1, seen), accuracy: correct / Math.max(1, seen) });
  return [
    {
      onEpochBegin: (epoch: number) => {
        seen = lossSum = correct = batch = 0;
        progress.epochBegin(first + epoch, options.epochs, batches);
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
  ];
}
