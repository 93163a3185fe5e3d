import { setBackend, type Backend } from '@scratchnet/backend';
import { Adam, memoryHandler, saveModel } from '@scratchnet/model';
import { seed, tensor } from '@scratchnet/tensor';
import { mnistAsset } from '../../build/mnist-asset.ts';
import { decodeDigits } from '../../src/data/mnist-digits.ts';
import { backendById } from '../../src/backends.ts';
import { MODEL_KINDS } from '../../src/models.ts';

/**
 * Backends whose picker `create` cannot run in Node, and what runs in their place: the browser's
 * WorkerBackend needs Web Workers, so Node's WorkerBackend (worker_threads), on as many threads,
 * stands in — it too must give the cpu backend's bytes, which the browser test checks as well.
 */
const NODE_STAND_INS: Record<string, () => Promise<Backend>> = {
  'js-threads': async () => new (await import('@scratchnet/backend-worker')).WorkerBackend({ threads: 2 }),
};

/**
 * What the page's worker does for one `train`, in Node: the same model table, data, seed and
 * `fit`, on the backend the page picked, made by the picker's own `create` (so the wasm entries
 * are the wasm backend here too: float32 matmul sums in float32 there, and the cpu backend's bytes
 * would not be theirs). Returns the weights file (no optimizer state, as the page's Download writes it) and the
 * last epoch's test accuracy, and samples/s over the last epoch's batches (as the page counts them).
 */
export async function trainInNode(
  config: { epochs: number; batchSize: number; learningRate: number; seed: number },
  backendId: string,
): Promise<{ weights: ArrayBuffer; testAccuracy: number; samplesPerSecond: number }> {
  const backend = await (NODE_STAND_INS[backendId] ?? backendById(backendId).create)();
  setBackend(backend);
  const { train, test } = decodeDigits(mnistAsset().slice().buffer);
  const kind = MODEL_KINDS.mlp;
  seed(config.seed);
  const model = kind.build();
  model.compile({ optimizer: new Adam({ learningRate: config.learningRate }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const xs = (set: typeof train) => tensor(set.pixels, { shape: [set.count, ...kind.inputShape] });
  let started = 0;
  let samples = 0;
  let ms = 0;
  const history = await model.fit(xs(train), tensor(train.labels), {
    epochs: config.epochs,
    batchSize: config.batchSize,
    validationData: [xs(test), tensor(test.labels)],
    callbacks: [
      {
        onEpochBegin: () => {
          started = performance.now();
          samples = 0;
        },
        onBatchEnd: (_batch: number, logs: Record<string, number>) => {
          samples += logs.size!;
          ms = performance.now() - started;
        },
      },
    ],
  });
  const handler = memoryHandler();
  await saveModel(model, handler, { includeOptimizer: false });
  backend.dispose?.();
  return { weights: handler.artifacts!.weights, testAccuracy: history.history.val_accuracy!.at(-1)!, samplesPerSecond: (samples / ms) * 1000 };
}
