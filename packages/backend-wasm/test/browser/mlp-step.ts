import { setBackend } from '@scratchnet/backend';
import { Dense, ReLU, Softmax } from '@scratchnet/layers';
import { Adam, memoryHandler, saveModel, Sequential } from '@scratchnet/model';
import { randn, seed, tensor } from '@scratchnet/tensor';
import type { WasmBackend } from '@scratchnet/backend-wasm';

/** Digits of the synthetic problem, features, hidden units, classes: large enough that matmuls split over threads. */
export const STEP = { samples: 96, features: 64, hidden: 48, classes: 5, batchSize: 48 };

/**
 * Two Adam steps (one epoch of two batches) of a 64-48-5 MLP on a seeded synthetic problem,
 * run exactly so in Node and in the browser. Returns the weights file `saveModel` writes (the
 * optimizer's moments included), whose bytes the test compares.
 */
export async function trainStep(backend: WasmBackend): Promise<Uint8Array> {
  setBackend(backend);
  seed(2024);
  const { samples, features, hidden, classes, batchSize } = STEP;
  const x = randn([samples, features], { dtype: 'float32' });
  const labels = Array.from({ length: samples }, (_, i) => (i * 7 + Math.floor(i / 3)) % classes);
  const model = new Sequential([new Dense(features, hidden, { kernelInitializer: 'heNormal' }), new ReLU(), new Dense(hidden, classes), new Softmax()]);
  model.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy' });
  await model.fit(x, tensor(labels, { dtype: 'int32' }), { epochs: 1, batchSize, shuffle: false });
  const handler = memoryHandler();
  await saveModel(model, handler, { includeOptimizer: true });
  return new Uint8Array(handler.artifacts!.weights);
}

/** Whether `buffer` is shared memory (a page that is not isolated has no SharedArrayBuffer at all). */
export function isShared(buffer: ArrayBufferLike): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && buffer instanceof SharedArrayBuffer;
}
