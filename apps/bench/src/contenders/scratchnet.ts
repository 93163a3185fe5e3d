import { clearBackend, matmul, setBackend, type Backend } from '@scratchnet/backend';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { WorkerBackend } from '@scratchnet/backend-worker';
import { Dense, ReLU, Softmax } from '@scratchnet/layers';
import { Adam, Sequential } from '@scratchnet/model';
import { Rng, zeros } from '@scratchnet/tensor';
import type { Contender, MatmulCase, Trainer, TrainingData } from './contender.js';
import { scratchnetCnn } from './scratchnet-cnn.js';

/** scratchnet on its cpu backend (`threads` undefined) or its worker backend with `threads` threads. */
export function scratchnetContender(threads?: number): Contender {
  let backend: Backend | undefined;
  const rng = new Rng(42);
  const random = (shape: [number, number]) => {
    const t = zeros(shape, { dtype: 'float32' });
    for (let i = 0; i < t.data.length; i++) t.data[i] = rng.random() * 2 - 1;
    return t;
  };
  return {
    name: threads === undefined ? 'scratchnet cpu' : `scratchnet worker (${threads} thread${threads === 1 ? '' : 's'})`,

    async activate() {
      const created = threads === undefined ? new CpuBackend() : new WorkerBackend({ threads });
      backend = created;
      setBackend(created);
    },

    matmul(m, k, n): MatmulCase {
      // Created after activation, so the worker backend's allocator puts them in shared memory.
      const a = random([m, k]);
      const b = random([k, n]);
      const out = zeros([m, n], { dtype: 'float32' });
      return {
        run: () => void matmul(a, b, { out }),
        dispose() {},
      };
    },

    async trainer(data: TrainingData): Promise<Trainer> {
      const sizes = [784, ...data.hidden, 10];
      const layers = [];
      for (let i = 1; i < sizes.length; i++) {
        layers.push(new Dense(sizes[i - 1]!, sizes[i]!, { rng }));
        layers.push(i === sizes.length - 1 ? new Softmax() : new ReLU());
      }
      const model = new Sequential(layers);
      model.compile({ optimizer: new Adam({ learningRate: data.learningRate }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
      const x = zeros([data.samples, 784], { dtype: 'float32' });
      x.data.set(data.pixels.subarray(0, data.samples * 784));
      const y = zeros([data.samples], { dtype: 'int32' });
      y.data.set(data.labels.subarray(0, data.samples));
      return {
        async epoch() {
          await model.fit(x, y, { epochs: 1, batchSize: data.batchSize, shuffle: true, rng });
        },
        dispose() {},
      };
    },

    cnn: (data) => scratchnetCnn(data, rng),

    async deactivate() {
      clearBackend();
      await backend?.dispose?.();
      backend = undefined;
    },
  };
}
