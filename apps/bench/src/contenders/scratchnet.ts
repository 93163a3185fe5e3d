import { clearBackend, matmul, setBackend, type Backend } from '@scratchnet/backend';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { WasmBackend } from '@scratchnet/backend-wasm';
import { WorkerBackend } from '@scratchnet/backend-worker';
import { Dense, ReLU, Softmax } from '@scratchnet/layers';
import { Adam, Sequential } from '@scratchnet/model';
import { Rng, zeros } from '@scratchnet/tensor';
import { INFERENCE_BATCH, type Contender, type MatmulCase, type MatmulDType, type Trainer, type TrainingData } from './contender.js';
import { scratchnetCnn } from './scratchnet-cnn.js';

/** A scratchnet backend the bench measures: cpu, or worker / wasm with a thread count. */
export type ScratchnetBackend = { kind: 'cpu' } | { kind: 'worker' | 'wasm'; threads: number };

const threadsLabel = (threads: number) => `${threads} thread${threads === 1 ? '' : 's'}`;

/** The row label, e.g. `scratchnet cpu`, `scratchnet worker (2 threads)`, `scratchnet wasm (1 thread)`. */
export function scratchnetName(backend: ScratchnetBackend): string {
  return backend.kind === 'cpu' ? 'scratchnet cpu' : `scratchnet ${backend.kind} (${threadsLabel(backend.threads)})`;
}

function createBackend(backend: ScratchnetBackend): Backend {
  switch (backend.kind) {
    case 'cpu':
      return new CpuBackend();
    case 'worker':
      return new WorkerBackend({ threads: backend.threads });
    case 'wasm':
      return new WasmBackend({ threads: backend.threads });
  }
}

/** scratchnet on one of its backends. */
export function scratchnetContender(kind: ScratchnetBackend): Contender {
  let backend: Backend | undefined;
  const rng = new Rng(42);
  // Tensors are created only after `activate`, so that the worker backend's allocator puts them in
  // shared memory and the wasm backend's in its WebAssembly memory, as a user's program would.
  const random = (shape: [number, number], dtype: MatmulDType) => {
    const t = zeros(shape, { dtype });
    for (let i = 0; i < t.data.length; i++) t.data[i] = rng.random() * 2 - 1;
    return t;
  };
  return {
    name: scratchnetName(kind),

    async activate() {
      const created = createBackend(kind);
      backend = created;
      setBackend(created);
    },

    matmul(m, k, n, dtype): MatmulCase {
      const a = random([m, k], dtype);
      const b = random([k, n], dtype);
      const out = zeros([m, n], { dtype });
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
      const test = zeros([data.test.samples, 784], { dtype: 'float32' });
      test.data.set(data.test.pixels.subarray(0, data.test.samples * 784));
      return {
        async epoch() {
          await model.fit(x, y, { epochs: 1, batchSize: data.batchSize, shuffle: true, rng });
        },
        infer() {
          // scratchnet's ops are synchronous: the probabilities are written when predict returns.
          model.predict(test, { batchSize: INFERENCE_BATCH });
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
