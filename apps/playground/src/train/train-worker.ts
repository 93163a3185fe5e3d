/// <reference lib="webworker" />
/**
 * The training worker: builds the picked network on the picked backend, trains it on the MNIST
 * digits with `fit` and reports every batch and epoch to the page, which stays responsive.
 * `fit` yields to the event loop after every batch, so `stop` arrives between two batches.
 */
import { argmax, withBackend, type Backend } from '@scratchnet/backend';
import { Adam, memoryHandler, saveModel, type Sequential } from '@scratchnet/model';
import { seed as seedGlobalRng, tensor, type Tensor } from '@scratchnet/tensor';
import { backendById } from '../backends.ts';
import { decodeDigits, MNIST_CLASSES, type MnistDigits } from '../data/mnist-digits.ts';
import { MODEL_KINDS } from '../models.ts';
import type { FromWorker, ToWorker, TrainConfig } from './protocol.ts';

declare const self: DedicatedWorkerGlobalScope;

interface Run {
  config: TrainConfig;
  backend: Backend;
  model: Sequential;
  train: { x: Tensor; y: Tensor<'int32'> };
  test: { x: Tensor; y: Tensor<'int32'> };
  /** Epochs begun (a stopped one included): the x axis and `resume` count from it. */
  epochsDone: number;
  samplesSeen: number;
}

let digits: Promise<MnistDigits> | undefined;
const backends = new Map<string, Promise<Backend>>();
let run: Run | undefined;
let training = false;

const post = (message: FromWorker, transfer: Transferable[] = []) => self.postMessage(message, transfer);

self.addEventListener('message', (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  const task = (async () => {
    switch (message.type) {
      case 'train':
        if (training) throw new Error('already training: stop first');
        run = await startRun(message.run);
        return trainEpochs(run, message.run.epochs);
      case 'resume': {
        if (training) throw new Error('already training');
        if (run === undefined) throw new Error('nothing to resume: train first');
        const left = run.config.epochs - run.epochsDone;
        if (left <= 0) throw new Error(`all ${run.config.epochs} epochs are done: train again`);
        return trainEpochs(run, left);
      }
      case 'stop':
        if (run !== undefined && training) run.model.stopTraining = true;
        return;
      case 'export': {
        if (run === undefined) throw new Error('no model yet: train first');
        const current = run;
        const handler = memoryHandler();
        // The page uses the model to predict and saves it as such: weights only, no optimizer state
        // (which would also make the loaded model compiled and every download three times larger).
        await withBackend(current.backend, () => saveModel(current.model, handler, { includeOptimizer: false }));
        const { manifest, weights } = handler.artifacts!;
        post({ type: 'artifacts', manifest, weights }, [weights]);
        return;
      }
      default:
        return unreachable(message);
    }
  })();
  task.catch((error: unknown) => {
    const e = error instanceof Error ? error : new Error(String(error));
    post({ type: 'error', name: e.name, message: e.message });
  });
});

async function startRun(config: TrainConfig): Promise<Run> {
  const choice = backendById(config.backend);
  if (!backends.has(choice.id)) backends.set(choice.id, choice.create());
  const backend = await backends.get(choice.id)!;
  post({ type: 'status', text: 'loading the MNIST digits…' });
  digits ??= fetch(config.dataUrl).then(async (response) => {
    if (!response.ok) throw new Error(`cannot load ${config.dataUrl}: HTTP ${response.status}`);
    return decodeDigits(await response.arrayBuffer());
  });
  const data = await digits;
  const kind = MODEL_KINDS[config.model];
  return withBackend(backend, () => {
    // Seeded as the demo seeds: the same weights and shuffles as `pnpm demo train --seed`.
    seedGlobalRng(config.seed);
    const model = kind.build();
    model.compile({ optimizer: new Adam({ learningRate: config.learningRate }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const asTensors = (set: MnistDigits['train']) => ({
      x: tensor(set.pixels, { shape: [set.count, ...kind.inputShape] }),
      y: tensor(set.labels),
    });
    return { config, backend, model, train: asTensors(data.train), test: asTensors(data.test), epochsDone: 0, samplesSeen: 0 };
  });
}

async function trainEpochs(r: Run, epochs: number): Promise<void> {
  const { config, model } = r;
  const trainCount = r.train.y.size;
  const batches = Math.ceil(trainCount / config.batchSize);
  let seen = 0;
  let lossSum = 0;
  let correct = 0;
  let started = 0;
  let trainingMs = 0;
  const point = () => ({ x: r.samplesSeen / trainCount, loss: lossSum / seen, accuracy: correct / seen });
  training = true;
  post({ type: 'status', text: `training on ${config.backend}…` });
  try {
    await withBackend(r.backend, () =>
      model.fit(r.train.x, r.train.y, {
        epochs,
        batchSize: config.batchSize,
        validationData: [r.test.x, r.test.y],
        callbacks: [
          {
            onEpochBegin: () => {
              seen = lossSum = correct = trainingMs = 0;
              started = performance.now();
            },
            onBatchEnd: (batch: number, logs: Record<string, number>) => {
              const size = logs.size!;
              seen += size;
              r.samplesSeen += size;
              lossSum += logs.loss! * size;
              correct += logs.accuracy! * size;
              trainingMs = performance.now() - started;
              const { loss, accuracy } = point();
              post({
                type: 'batch',
                point: { x: r.samplesSeen / trainCount, loss: logs.loss!, accuracy: logs.accuracy! },
                running: { loss, accuracy },
                epoch: r.epochsDone,
                batch: batch + 1,
                batches,
                samplesPerSecond: (seen / trainingMs) * 1000,
              });
            },
            // The epoch's own logs divide by all training digits even after a stop; the running
            // sums here cover exactly the batches that ran.
            onEpochEnd: (_epoch: number, logs: Record<string, number>) => {
              r.epochsDone++;
              post({
                type: 'epoch',
                epoch: r.epochsDone,
                point: point(),
                testLoss: logs.val_loss!,
                testAccuracy: logs.val_accuracy!,
                confusion: confusionMatrix(model, r.test.x, r.test.y),
                samplesPerSecond: (seen / trainingMs) * 1000,
              });
            },
          },
        ],
      }),
    );
  } finally {
    training = false;
  }
  if (model.stopTraining) post({ type: 'stopped', epochsDone: r.epochsDone, epochs: config.epochs });
  else post({ type: 'done', epochs: r.epochsDone });
}

function confusionMatrix(model: Sequential, x: Tensor, labels: Tensor<'int32'>): number[][] {
  const predicted = argmax(model.predict(x, { batchSize: 256 })).data;
  const matrix = Array.from({ length: MNIST_CLASSES }, () => new Array<number>(MNIST_CLASSES).fill(0));
  for (let i = 0; i < labels.size; i++) matrix[labels.data[i]!]![predicted[i]!]!++;
  return matrix;
}

function unreachable(message: never): never {
  throw new Error(`unknown message ${JSON.stringify(message)}`);
}
