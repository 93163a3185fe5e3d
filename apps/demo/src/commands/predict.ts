import { withBackend, type Backend } from '@scratchnet/backend';
import type { Sequential } from '@scratchnet/model';
import { loadMnist, MNIST_CLASSES, MNIST_PIXELS, type MnistOptions } from '../data/mnist.js';
import { testReport, type TestReport } from '../report/test-report.js';

export interface PredictOptions {
  backend: Backend;
  /** Loads the saved model (inside the backend's scope, so its weights live where the backend wants). */
  load: () => Promise<Sequential>;
  /** Describes where the model came from, for the report's first line. */
  source: string;
  data?: MnistOptions;
}

/** Loads a saved model, classifies the test digits and reports the accuracy and confusion matrix. */
export async function runPredict(options: PredictOptions): Promise<TestReport> {
  return withBackend(options.backend, async () => {
    const model = await options.load();
    const inputShape = model.layers[0]?.inputShape;
    const inputs = inputShape?.length === 2 ? inputShape[1] : undefined;
    const outputs = inputs === MNIST_PIXELS ? model.outputShapes([null, MNIST_PIXELS]).at(-1)?.at(-1) : undefined;
    if (inputs !== MNIST_PIXELS || outputs !== MNIST_CLASSES) {
      throw new Error(
        `${options.source}: the model maps ${inputs ?? '?'} inputs to ${outputs ?? '?'} outputs; MNIST digits need ${MNIST_PIXELS} to ${MNIST_CLASSES}`,
      );
    }
    const { test } = loadMnist(options.data);
    const report = testReport(model, test);
    return { ...report, lines: [`model: ${options.source} (${model.countParams().toLocaleString('en-US')} parameters)`, '', ...report.lines] };
  });
}
