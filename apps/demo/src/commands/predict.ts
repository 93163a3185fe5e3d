import { withBackend, type Backend } from '@scratchnet/backend';
import type { Sequential } from '@scratchnet/model';
import type { Tensor } from '@scratchnet/tensor';
import { loadMnist, MNIST_CLASSES, MNIST_PIXELS, MNIST_SIDE, type MnistOptions } from '../data/mnist.js';
import { testReport, type TestReport } from '../report/test-report.js';

export interface PredictOptions {
  backend: Backend;
  /** Loads the saved model (inside the backend's scope, so its weights live where the backend wants). */
  load: () => Promise<Sequential>;
  /** Describes where the model came from, for the report's first line. */
  source: string;
  data?: MnistOptions;
}

/**
 * Loads a saved model — an MLP of `[n, 784]` pixel rows or a CNN of `[n, 28, 28, 1]` images, told
 * apart by its input shape — classifies the test digits and reports the accuracy and confusion matrix.
 */
export async function runPredict(options: PredictOptions): Promise<TestReport> {
  return withBackend(options.backend, async () => {
    const model = await options.load();
    const inputShape = model.layers[0]?.inputShape;
    const images = [null, MNIST_SIDE, MNIST_SIDE, 1];
    const kind = sameShape(inputShape, [null, MNIST_PIXELS]) ? 'rows' : sameShape(inputShape, images) ? 'images' : undefined;
    const outputs = kind !== undefined ? model.outputShapes(inputShape!).at(-1) : undefined;
    if (kind === undefined || !sameShape(outputs, [null, MNIST_CLASSES])) {
      const shape = (s: readonly (number | null)[] | undefined) => (s === undefined ? '?' : `[${s.map((d) => d ?? 'batch').join(', ')}]`);
      throw new Error(
        `${options.source}: the model maps ${shape(inputShape)} to ${shape(outputs)}; MNIST digits need [batch, ${MNIST_PIXELS}] (an MLP) ` +
          `or [batch, ${MNIST_SIDE}, ${MNIST_SIDE}, 1] (a CNN) to [batch, ${MNIST_CLASSES}]`,
      );
    }
    const { test } = loadMnist(options.data);
    const digits = kind === 'rows' ? test : { x: test.x.reshape([test.labels.size, MNIST_SIDE, MNIST_SIDE, 1]) as Tensor<'float32'>, labels: test.labels };
    const report = testReport(model, digits);
    return { ...report, lines: [`model: ${options.source} (${model.countParams().toLocaleString('en-US')} parameters)`, '', ...report.lines] };
  });
}

function sameShape(a: readonly (number | null)[] | undefined, b: readonly (number | null)[]): boolean {
  return a !== undefined && a.length === b.length && a.every((d, i) => d === b[i]);
}
