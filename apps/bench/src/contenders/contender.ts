/** One `[m, k] × [k, n]` float32 matmul, ready to be called repeatedly on the same inputs. */
export interface MatmulCase {
  run(): void;
  dispose(): void;
}

/** An MLP (784-128-128-10, ReLU, softmax) compiled with Adam and sparse categorical cross-entropy. */
export interface Trainer {
  /** One epoch of `model.fit` over the data, batch 128, shuffled. */
  epoch(): Promise<void>;
  dispose(): void;
}

export interface TrainingData {
  pixels: Float32Array;
  labels: Int32Array;
  samples: number;
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
  /** Classifies the first `samples` digits (`predict`, batches of 256) and reads the result back. */
  infer(samples: number): void;
  dispose(): void;
}

/** A library on a backend, measured side by side with the others. */
export interface Contender {
  /** Row label, e.g. `scratchnet worker (2 threads)`. */
  readonly name: string;
  /** Makes this contender's backend the active one (loads wasm, starts workers, …). */
  activate(): Promise<void>;
  matmul(m: number, k: number, n: number): MatmulCase;
  trainer(data: TrainingData): Promise<Trainer>;
  cnn(data: CnnData): Promise<CnnCase>;
  /** Releases the backend (ends a worker pool). */
  deactivate(): Promise<void>;
}
