import { argmax } from '@scratchnet/backend';
import type { Sequential } from '@scratchnet/model';
import type { MnistSplit } from '../data/mnist.js';
import { MNIST_CLASSES } from '../data/mnist.js';
import { confusionMatrix, formatConfusionMatrix } from './confusion-matrix.js';

export interface TestReport {
  testAccuracy: number;
  confusion: number[][];
  lines: string[];
}

/** Classifies the test digits and reports the accuracy and the confusion matrix. */
export function testReport(model: Sequential, test: MnistSplit): TestReport {
  const predicted = argmax(model.predict(test.x, { batchSize: 512 }), { axis: 1 });
  const confusion = confusionMatrix(test.labels.data, predicted.data, MNIST_CLASSES);
  const right = confusion.reduce((total, row, t) => total + row[t]!, 0);
  const testAccuracy = right / test.labels.size;
  const lines = [
    `test accuracy: ${testAccuracy.toFixed(4)} (${right} of ${test.labels.size} digits)`,
    '',
    'confusion matrix (rows: true digit, columns: predicted digit)',
    formatConfusionMatrix(confusion),
  ];
  return { testAccuracy, confusion, lines };
}
