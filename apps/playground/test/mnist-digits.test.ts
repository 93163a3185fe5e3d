import { describe, expect, it } from 'vitest';
import { loadMnist } from '../../demo/src/data/mnist.ts';
import { mnistAsset } from '../build/mnist-asset.ts';
import { decodeDigits, encodeDigits } from '../src/data/mnist-digits.ts';

describe('the MNIST digits asset', () => {
  it("holds exactly the demo's split: the same 8,000 + 1,756 digits, labels and float32 pixels", () => {
    const decoded = decodeDigits(mnistAsset().slice().buffer);
    const demo = loadMnist();
    expect(decoded.train.count).toBe(8000);
    expect(decoded.test.count).toBe(1756);
    for (const [mine, theirs] of [
      [decoded.train, demo.train],
      [decoded.test, demo.test],
    ] as const) {
      expect(mine.labels).toEqual(theirs.labels.data);
      // Bitwise: the same float32 for every one of the 7.6 million pixels.
      expect(Buffer.from(mine.pixels.buffer).equals(Buffer.from(theirs.x.data.buffer, theirs.x.data.byteOffset, theirs.x.data.byteLength))).toBe(true);
    }
  });

  it('refuses what is not a digits file, and grey levels it cannot hold exactly', () => {
    expect(() => decodeDigits(new TextEncoder().encode('<!doctype html>').buffer)).toThrow('mnist-digits.bin: not a digits file (starts with "<!do")');
    const asset = encodeDigits({ pixels: new Array(784).fill(0.2), labels: [3] }, { pixels: [], labels: [] });
    expect(decodeDigits(asset.buffer as ArrayBuffer).train.pixels[0]).toBe(Math.fround(0.2));
    expect(() => decodeDigits(asset.slice(0, -1).buffer)).toThrow(`mnist-digits.bin: ${asset.length - 1} bytes, expected ${asset.length} for 1 + 0 digits`);
    expect(() => encodeDigits({ pixels: [0.5, ...new Array(783).fill(0)], labels: [1] }, { pixels: [], labels: [] })).toThrow(/pixel 0 is 0.5, not a three-decimal k\/255 grey level/);
  });
});
