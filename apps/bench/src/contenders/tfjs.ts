import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tfl from '@tensorflow/tfjs-layers';
import { INFERENCE_BATCH, type Contender, type MatmulCase, type Trainer, type TrainingData } from './contender.js';
import { ensureWasmConv2dBackpropFilter } from './tfjs-conv2d-backprop-filter.js';
import { tfjsCnn } from './tfjs-cnn.js';

export type TfjsBackendName = 'cpu' | 'wasm';

let configured = false;

/** Points tfjs-wasm at its `.wasm` files (a directory path works in Node) and silences the Node hint. */
function configure(): void {
  if (configured) return;
  const require = createRequire(import.meta.url);
  const dist = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep;
  setWasmPaths(dist);
  // tfjs-wasm 4.22 cannot train convolutions without this kernel (see the file).
  ensureWasmConv2dBackpropFilter();
  // Production mode: no debug checks, and no "install tfjs-node" banner on stderr.
  tf.env().set('PROD', true);
  configured = true;
}

/** What the wasm backend can use here (Node loads only the single-threaded build). */
export async function tfjsWasmFeatures(): Promise<{ simd: boolean; threads: boolean }> {
  configure();
  return {
    simd: Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')),
    threads: Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')),
  };
}

export const TFJS_VERSION = tf.version_core;

/** Why the tfjs rows of the float64 matmul table are empty. */
export const TFJS_NO_FLOAT64 = 'tfjs has no float64 dtype: its tensors are float32, int32, bool, complex64 or string';

export function tfjsContender(backend: TfjsBackendName): Contender {
  return {
    name: `tfjs-${backend}`,
    noFloat64: TFJS_NO_FLOAT64,

    async activate() {
      configure();
      if (!(await tf.setBackend(backend))) throw new Error(`tfjs: backend '${backend}' failed to initialize`);
      await tf.ready();
    },

    matmul(m, k, n, dtype): MatmulCase {
      if (dtype !== 'float32') throw new Error(`tfjs-${backend}: no ${dtype} matmul: ${TFJS_NO_FLOAT64}`);
      const a = tf.randomUniform([m, k], -1, 1, 'float32', 1);
      const b = tf.randomUniform([k, n], -1, 1, 'float32', 2);
      return {
        run() {
          // Reading the result back makes sure the work is done, on any backend.
          const c = tf.matMul(a, b);
          c.dataSync();
          c.dispose();
        },
        dispose() {
          a.dispose();
          b.dispose();
        },
      };
    },

    async trainer(data: TrainingData): Promise<Trainer> {
      const sizes = [...data.hidden, 10];
      const model = tfl.sequential({
        layers: sizes.map((units, i) =>
          tfl.layers.dense({
            units,
            activation: i === sizes.length - 1 ? 'softmax' : 'relu',
            kernelInitializer: 'heNormal',
            ...(i === 0 ? { inputShape: [784] } : {}),
          }),
        ),
      });
      model.compile({ optimizer: tf.train.adam(data.learningRate), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
      const x = tf.tensor2d(data.pixels.subarray(0, data.samples * 784), [data.samples, 784]);
      // tfjs-layers' sparse loss takes the class indices as floats.
      const y = tf.tensor1d(Float32Array.from(data.labels.subarray(0, data.samples)));
      const test = tf.tensor2d(data.test.pixels.subarray(0, data.test.samples * 784), [data.test.samples, 784]);
      return {
        async epoch() {
          await model.fit(x, y, { epochs: 1, batchSize: data.batchSize, shuffle: true, verbose: 0 });
        },
        infer() {
          // Reading the result back makes sure the work is done, on any backend.
          const out = model.predict(test, { batchSize: INFERENCE_BATCH }) as tf.Tensor;
          out.dataSync();
          out.dispose();
        },
        dispose() {
          model.dispose();
          tf.dispose([x, y, test]);
        },
      };
    },

    cnn: (data) => tfjsCnn(data),

    async deactivate() {},
  };
}
