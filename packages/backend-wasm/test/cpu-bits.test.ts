import { CpuBackend } from '@scratchnet/backend-cpu';
import { SuiteRandom } from '@scratchnet/backend/testing';
import { firstDifferenceUpToNaN } from './bits.js';
import { afterAll, describe, expect, it } from 'vitest';
import { WasmBackend } from '../src/index.js';
import { SCENARIOS } from './scenarios.js';

/**
 * Every kernel but matmul and the convolutions built on it gives the cpu backend's bits: the
 * SIMD kernels compute what the cpu backend computes in float64 (see assembly/lanes.ts), and the
 * rest are the cpu backend's own range kernels. Inputs include NaN, ±Infinity, ±0 and
 * subnormals; every bit counts but a NaN's sign and payload (see bits.ts). (Matmul sums in the
 * element type; test/matmul.test.ts checks it against an element-type reference, and
 * test/conv.test.ts the convolutions.)
 */
const ELEMENT_TYPE_SUMS = new Set(['matmul', 'conv2d', 'conv2dBackpropInput', 'conv2dBackpropFilter']);
const TRIALS = 25;

describe('wasm results are bitwise identical to cpu results (every kernel but matmul)', () => {
  const cpu = new CpuBackend();
  for (const [name, make] of [
    ['shared memory', () => new WasmBackend()],
    ['non-shared memory', () => new WasmBackend({ sharedMemory: false, initialMemory: 0 })],
  ] as const) {
    describe(name, () => {
      const backend = make();
      afterAll(() => backend.dispose());
      for (const [kernel, scenario] of Object.entries(SCENARIOS)) {
        if (ELEMENT_TYPE_SUMS.has(kernel)) continue;
        it(`${kernel} on ${TRIALS} random shapes`, () => {
          for (let trial = 0; trial < TRIALS; trial++) {
            const seed = 7919 * trial + kernel.length;
            const expected = scenario(new SuiteRandom(seed));
            expected.run(cpu);
            const actual = scenario(new SuiteRandom(seed));
            actual.run(backend);
            actual.written.forEach((t, i) => {
              expect(t.storage.home).toBe(backend.allocator);
              const want = expected.written[i]!;
              const at = firstDifferenceUpToNaN(t.data, want.data);
              if (at >= 0) {
                expect.fail(`${kernel} ${actual.label}: output ${i} differs first at element ${at}: wasm ${t.data[at]}, cpu ${want.data[at]}`);
              }
            });
          }
        });
      }
    });
  }
});
