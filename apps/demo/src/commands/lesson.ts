import { argmax, sum, withBackend, type Backend } from '@scratchnet/backend';
import { Dense, ReLU, Softmax } from '@scratchnet/layers';
import { Sequential } from '@scratchnet/model';
import { formatShapeTuple, randn, seed as seedGlobalRng, type Tensor } from '@scratchnet/tensor';

export interface LessonOptions {
  seed: number;
  backend: Backend;
  /** float64 by default: NumPy computes the lesson in float64, so the printed digits match. */
  dtype?: 'float32' | 'float64';
  summary?: boolean;
}

export interface LessonResult {
  x: Tensor;
  model: Sequential;
  probabilities: Tensor;
  /** What the demo prints, line by line, as the lesson's Python prints it. */
  lines: string[];
}

/** The lesson's `SimpleNN(3, 8, 3)` as a Sequential: Dense → ReLU → Dense → ReLU → Dense → Softmax. */
export function simpleNN(inputSize: number, hiddenSize: number, outputSize: number, dtype: 'float32' | 'float64'): Sequential {
  return new Sequential([
    new Dense(inputSize, hiddenSize, { dtype }),
    new ReLU(),
    new Dense(hiddenSize, hiddenSize, { dtype }),
    new ReLU(),
    new Dense(hiddenSize, outputSize, { dtype }),
    new Softmax(),
  ]);
}

/** Runs the lesson's demo: seed, `X = randn(4, 3)`, `SimpleNN(3, 8, 3)`, forward, report. */
export function runLesson(options: LessonOptions): LessonResult {
  const dtype = options.dtype ?? 'float64';
  return withBackend(options.backend, () => {
    seedGlobalRng(options.seed);
    const x = randn([4, 3], { dtype });
    const model = simpleNN(3, 8, 3, dtype);
    const probabilities = model.predict(x);
    const lines: string[] = [];
    if (options.summary) lines.push(model.summary({ printFn: () => {} }), '');
    lines.push(`Input shape:  ${formatShapeTuple(x.shape)}`);
    lines.push(`Output shape: ${formatShapeTuple(probabilities.shape)}`);
    lines.push('', 'Predicted probabilities:', probabilities.toString());
    lines.push('', `Row sums (should be ~1.0): ${sum(probabilities, { axis: 1 }).toString()}`);
    lines.push(`Predicted classes: ${argmax(probabilities, { axis: 1 }).toString()}`);
    return { x, model, probabilities, lines };
  });
}
