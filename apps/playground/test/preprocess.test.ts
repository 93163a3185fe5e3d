import { readFileSync } from 'node:fs';
import { setBackend } from '@scratchnet/backend';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { loadModel, memoryHandler } from '@scratchnet/model';
import { tensor } from '@scratchnet/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { mnistAsset } from '../build/mnist-asset.ts';
import { decodeDigits } from '../src/data/mnist-digits.ts';
import { preprocessDigit } from '../src/draw/preprocess.ts';

beforeAll(() => setBackend(new CpuBackend()));

/** A `size × size` pad with the rectangle [x0, x1) × [y0, y1) inked. */
function pad(size: number, x0: number, y0: number, x1: number, y1: number): Float32Array {
  const ink = new Float32Array(size * size);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) ink[y * size + x] = 1;
  return ink;
}

function box(digit: Float32Array): { x0: number; y0: number; x1: number; y1: number; comX: number; comY: number } {
  let [x0, y0, x1, y1, mass, mx, my] = [28, 28, -1, -1, 0, 0, 0];
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const v = digit[y * 28 + x]!;
      if (v === 0) continue;
      [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  return { x0, y0, x1, y1, comX: mx / mass, comY: my / mass };
}

describe('preprocessDigit (as MNIST was made)', () => {
  it('a blank pad is no digit', () => {
    expect(preprocessDigit(new Float32Array(280 * 280), 280, 280)).toBeNull();
    expect(preprocessDigit(new Float32Array(100).fill(0.04), 10, 10)).toBeNull();
  });

  it('scales the ink to 20 pixels on its longer side, keeping the aspect, centre of mass at the centre', () => {
    // A 100 × 50 block far off-centre: 20 × 10 in the field, centred on (14, 14).
    const digit = preprocessDigit(pad(280, 10, 200, 110, 250), 280, 280)!;
    const b = box(digit);
    expect([b.x1 - b.x0 + 1, b.y1 - b.y0 + 1]).toEqual([20, 10]);
    expect([b.comX, b.comY]).toEqual([14, 14]);
    expect(Math.max(...digit)).toBe(1);
    // A tall thin stroke keeps its aspect: 20 high, 2 wide.
    const stroke = box(preprocessDigit(pad(280, 100, 20, 120, 220), 280, 280)!);
    expect([stroke.x1 - stroke.x0 + 1, stroke.y1 - stroke.y0 + 1]).toEqual([2, 20]);
  });

  it('area-averages: an output pixel is the mean of the ink it covers', () => {
    // 40 × 40 ink at scale 1/2: the left half solid, the right half every other column.
    const ink = pad(100, 10, 10, 30, 50);
    for (let y = 10; y < 50; y++) for (let x = 31; x < 50; x += 2) ink[y * 100 + x] = 1;
    const digit = preprocessDigit(ink, 100, 100)!;
    const b = box(digit);
    expect([b.x1 - b.x0 + 1, b.y1 - b.y0 + 1]).toEqual([20, 20]);
    const row = Array.from(digit.subarray((b.y0 + 5) * 28 + b.x0, (b.y0 + 5) * 28 + b.x1 + 1));
    expect(row).toEqual([...new Array(10).fill(1), ...new Array(10).fill(0.5)]);
  });

  it("MNIST's own test digits, drawn 10× larger on a pad, come back close to themselves and are still recognised", async () => {
    const { test } = decodeDigits(mnistAsset().slice().buffer);
    const dir = new URL('../public/model/', import.meta.url);
    const manifest = JSON.parse(readFileSync(new URL('model.json', dir), 'utf8')) as { weightsFile: string };
    const weights = readFileSync(new URL(manifest.weightsFile, dir));
    const model = await loadModel(memoryHandler({ manifest, weights: new Uint8Array(weights) }));
    const n = 500;
    const originals = new Float32Array(n * 784);
    const redrawn = new Float32Array(n * 784);
    let difference = 0;
    for (let i = 0; i < n; i++) {
      // Each test digit i·3 (all classes), scaled 10× with nearest-neighbour onto a 280-pixel pad.
      const k = i * 3;
      const src = test.pixels.subarray(k * 784, (k + 1) * 784);
      const big = new Float32Array(280 * 280);
      for (let y = 0; y < 280; y++) for (let x = 0; x < 280; x++) big[y * 280 + x] = src[Math.floor(y / 10) * 28 + Math.floor(x / 10)]!;
      const digit = preprocessDigit(big, 280, 280)!;
      originals.set(src, i * 784);
      redrawn.set(digit, i * 784);
      for (let p = 0; p < 784; p++) difference += Math.abs(digit[p]! - src[p]!);
    }
    const labels = Array.from({ length: n }, (_, i) => test.labels[i * 3]!);
    const accuracy = (x: Float32Array) => {
      const out = model.predict(tensor(x, { shape: [n, 784] })).data;
      let right = 0;
      for (let i = 0; i < n; i++) {
        let best = 0;
        for (let d = 1; d < 10; d++) if (out[i * 10 + d]! > out[i * 10 + best]!) best = d;
        if (best === labels[i]) right++;
      }
      return right / n;
    };
    const asIs = accuracy(originals);
    const again = accuracy(redrawn);
    console.log(`shipped model on 500 test digits: ${asIs.toFixed(3)} as they are, ${again.toFixed(3)} preprocessed again; mean |Δpixel| ${(difference / (n * 784)).toFixed(4)}`);
    expect(again).toBeGreaterThanOrEqual(asIs - 0.03);
    expect(difference / (n * 784)).toBeLessThan(0.1);
  });
});
