/** The element types the matmul tables measure. */
export type MatmulDType = 'float32' | 'float64';

/** One `[m, k] × [k, n]` matmul, ready to be called repeatedly on the same inputs. */
export interface MatmulCase {
  run(): void;
  dispose(): void;
}

/** An MLP (784-128-128-10, ReLU, softmax) compiled with Adam and sparse categorical cross-entropy. */
export interface Trainer {
  /** One epoch of `model.fit` over the data, batch 128, shuffled. */
  epoch(): Promise<void>;
  /** Classifies the test digits (`predict`, batches of `INFERENCE_BATCH`) and reads the result back. */
  infer(): void;
  dispose(): void;
}

/** Digits per `predict` batch in every inference the bench times, the same for every contender. */
export const INFERENCE_BATCH = 256;

export interface TrainingData {
  pixels: Float32Array;
  labels: Int32Array;
  samples: number;
  /** Test digits the trained model classifies (`Trainer.infer`), `[test.samples, 784]`. */
  test: { pixels: Float32Array; samples: number };
  batchSize: number;
  hidden: readonly number[];
  learningRate: number;
}

/** Digits for the CNN, `[samples, 28, 28, 1]` pixels, and its training settings. */
export interface CnnData {
  pixels: Float32Array;
  labels: Int32Array;
  samples: number;
  batchSize: number;
  learningRate: number;
}

/** The bench CNN (see `cnn-model.ts`), compiled with Adam, over `CnnData`. */
export interface CnnCase {
  /** One epoch of `model.fit` over the first `samples` digits, shuffled. */
  train(samples: number): Promise<void>;
  /** Classifies the first `samples` digits (`predict`, batches of `INFERENCE_BATCH`) and reads the result back. */
  infer(samples: number): void;
  dispose(): void;
}

/** A library on a backend, measured side by side with the others. */
export interface Contender {
  /** Row label, e.g. `scratchnet worker (2 threads)`. */
  readonly name: string;
  /** Makes this contender's backend the active one (loads wasm, starts workers, …). */
  activate(): Promise<void>;
  /** Why this contender has no float64 tensors (tfjs), or undefined when it has them. */
  readonly noFloat64?: string;
  /** A matmul case; `dtype` float64 only when `noFloat64` is undefined. */
  matmul(m: number, k: number, n: number, dtype: MatmulDType): MatmulCase;
  trainer(data: TrainingData): Promise<Trainer>;
  cnn(data: CnnData): Promise<CnnCase>;
  /** Releases the backend (ends a worker pool). */
  deactivate(): Promise<void>;
}
