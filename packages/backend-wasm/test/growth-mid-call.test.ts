import { conv2dInfo } from '@scratchnet/backend';
import type { CpuBackend } from '@scratchnet/backend-cpu';
import { SuiteRandom } from '@scratchnet/backend/testing';
import type { Tensor } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { WasmBackend } from '../src/index.js';
import { HEAP_START } from '../src/memory/layout.js';
import { firstDifferenceUpToNaN } from './bits.js';
import { randomTensor, zerosTensor } from './scenarios.js';

/**
 * An ordinary (non-shared) memory detaches its buffer when it grows, and every view taken of it
 * before reads as empty. Methods that allocate scratch memory during the call (the convolutions,
 * batch normalization) must not keep such a view. Each case runs on a fresh backend with the
 * smallest memory, its inputs moved in first and all of the memory taken but a few bytes (64 to
 * 1 MiB), so that the call's own scratch grows it at its first, second or a later allocation; it
 * must give the bytes the same call gives on a shared memory (which never detaches).
 */
interface Case {
  inputs: Tensor[];
  written: Tensor[];
  run(b: CpuBackend): void;
}

function conv(rng: SuiteRandom, images: number): { x: Tensor; filter: Tensor; dy: Tensor; info: ReturnType<typeof conv2dInfo> } {
  const info = conv2dInfo('conv2d', [images, 20, 20, 6], [3, 3, 6, 10], { padding: 'same' });
  return {
    x: randomTensor(rng, [images, 20, 20, 6]),
    filter: randomTensor(rng, [3, 3, 6, 10]),
    dy: randomTensor(rng, [images, 20, 20, 10]),
    info,
  };
}

function batchNorm(rng: SuiteRandom, rows: number): { x: Tensor; dy: Tensor; mean: Tensor; variance: Tensor; scale: Tensor } {
  const channels = 24;
  return {
    x: randomTensor(rng, [rows, channels], 'float64'),
    dy: randomTensor(rng, [rows, channels], 'float64'),
    mean: randomTensor(rng, [channels], 'float64'),
    variance: randomTensor(rng, [channels], 'float64', 0.5, 2),
    scale: randomTensor(rng, [channels], 'float64'),
  };
}

const CASES: Record<string, (rng: SuiteRandom, size: number) => Case> = {
  conv2d(rng, size) {
    const { x, filter, info } = conv(rng, size);
    const out = zerosTensor([size, 20, 20, 10]);
    return { inputs: [x, filter, out], written: [out], run: (b) => b.conv2d(x, filter, out, info) };
  },
  conv2dBackpropInput(rng, size) {
    const { dy, filter, info } = conv(rng, size);
    const dx = zerosTensor([size, 20, 20, 6]);
    return { inputs: [dy, filter, dx], written: [dx], run: (b) => b.conv2dBackpropInput(dy, filter, dx, info) };
  },
  conv2dBackpropFilter(rng, size) {
    const { x, dy, info } = conv(rng, size);
    const dfilter = randomTensor(rng, [3, 3, 6, 10]);
    return { inputs: [x, dy, dfilter], written: [dfilter], run: (b) => b.conv2dBackpropFilter(x, dy, dfilter, info, true) };
  },
  moments(rng, size) {
    const { x } = batchNorm(rng, size * 100);
    const [mean, variance] = [zerosTensor([24], 'float64'), zerosTensor([24], 'float64')];
    return { inputs: [x, mean, variance], written: [mean, variance], run: (b) => b.moments(x, mean, variance) };
  },
  batchNormalization(rng, size) {
    const { x, mean, variance, scale } = batchNorm(rng, size * 100);
    const out = zerosTensor(x.shape, 'float64');
    return { inputs: [x, mean, variance, scale, out], written: [out], run: (b) => b.batchNormalization(x, mean, variance, scale, null, 1e-3, out) };
  },
  batchNormalizationBackward(rng, size) {
    const { x, dy, mean, variance, scale } = batchNorm(rng, size * 100);
    const [dx, dscale, doffset] = [zerosTensor(x.shape, 'float64'), zerosTensor([24], 'float64'), zerosTensor([24], 'float64')];
    return {
      inputs: [x, dy, mean, variance, scale, dx, dscale, doffset],
      written: [dx, dscale, doffset],
      run: (b) => b.batchNormalizationBackward(dy, x, mean, variance, scale, 1e-3, dx, dscale, doffset),
    };
  },
};

describe('methods that allocate scratch give the same bytes when the memory grows during the call', () => {
  const shared = new WasmBackend();
  for (const [kernel, make] of Object.entries(CASES)) {
    it(`${kernel}, each size on a fresh non-shared memory`, () => {
      let grewDuringCall = 0;
      for (const size of [1, 7, 30]) {
        const expected = make(new SuiteRandom(size), size);
        expected.run(shared);
        for (let left = 64; left <= 2 ** 20; left *= 2) {
          const actual = make(new SuiteRandom(size), size);
          const fresh = new WasmBackend({ sharedMemory: false, initialMemory: 0 });
          for (const t of actual.inputs) fresh.moveIn(t);
          const free = fresh.memory.buffer.byteLength - HEAP_START - fresh.allocator.usedBytes;
          if (free > left) fresh.allocator.allocateBytes(free - left, 'filler');
          const before = fresh.memory.buffer.byteLength;
          actual.run(fresh);
          if (fresh.memory.buffer.byteLength > before) grewDuringCall++;
          actual.written.forEach((t, i) => {
            const at = firstDifferenceUpToNaN(t.data, expected.written[i]!.data);
            if (at >= 0) expect.fail(`${kernel} size ${size}, ${left} bytes left: output ${i} differs first at element ${at}: grown ${t.data[at]}, shared ${expected.written[i]!.data[at]}`);
          });
        }
      }
      // The test is only worth something if calls did grow the memory.
      expect(grewDuringCall).toBeGreaterThan(0);
    });
  }
});
