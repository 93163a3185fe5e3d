import { add, conv2d, exp, matmul, maxPool, relu, setBackend, softmax, sum, transpose, type Backend } from '@scratchnet/backend';
import { Dense, ReLU, Softmax } from '@scratchnet/layers';
import { Adam, memoryHandler, saveModel, Sequential } from '@scratchnet/model';
import { randn, seed, tensor, type Tensor } from '@scratchnet/tensor';

/**
 * What the browser test runs in Node (on CpuBackend) and in Chromium (on the browser
 * WorkerBackend): the same seeded inputs, the same calls. Shapes are large enough that, with
 * `inlineThreshold: 0`, every call splits over the threads.
 */

/** Bytes of every tensor, one after the other. */
function bytesOf(tensors: Tensor[]): Uint8Array {
  const parts = tensors.map((t) => new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** A handful of ops of different kernels (matmul, broadcast add, unary, softmax, reduce, transpose, conv2d, pooling). */
export function runOps(backend: Backend): Uint8Array {
  setBackend(backend);
  seed(7);
  const a = randn([130, 70], { dtype: 'float32' });
  const b = randn([70, 90], { dtype: 'float32' });
  const bias = randn([90], { dtype: 'float32' });
  const y = relu(add(matmul(a, b), bias));
  const images = randn([6, 12, 12, 3], { dtype: 'float64' });
  const filter = randn([3, 3, 3, 8], { dtype: 'float64' });
  const features = conv2d(images, filter, { padding: 'same' });
  return bytesOf([y, exp(y), softmax(y), sum(y, { axis: 0 }), transpose(y), features, maxPool(features, { poolSize: 2 })]);
}

/** Digits of the synthetic problem, features, hidden units, classes: large enough that matmuls split over threads. */
export const STEP = { samples: 96, features: 64, hidden: 48, classes: 5, batchSize: 48 };

/**
 * Two Adam steps (one epoch of two batches) of a 64-48-5 MLP on a seeded synthetic problem.
 * Returns the weights file `saveModel` writes (the optimizer's moments included).
 */
export async function trainStep(backend: Backend): Promise<Uint8Array> {
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
