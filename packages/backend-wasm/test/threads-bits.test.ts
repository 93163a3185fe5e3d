import { firstDifference, sameBits, SuiteRandom } from '@scratchnet/backend/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { WasmBackend } from './built.js';
import { SCENARIOS } from './scenarios.js';

/**
 * Every kernel on random shapes, in real threads, against the same backend on one thread: the
 * written tensors must hold the very same bytes (NaNs included: the same instructions run).
 */
const TRIALS = 12;

const configs: Array<[string, () => WasmBackend]> = [
  ['2 threads, everything split', () => new WasmBackend({ threads: 2, inlineThreshold: 0 })],
  ['3 threads, everything split', () => new WasmBackend({ threads: 3, inlineThreshold: 0 })],
  ['4 threads, default thresholds', () => new WasmBackend({ threads: 4 })],
];

describe('threaded results are bitwise identical to one thread', () => {
  const single = new WasmBackend();
  afterAll(() => single.dispose());

  for (const [configName, make] of configs) {
    describe(configName, () => {
      const backend = make();
      afterAll(() => backend.dispose());

      for (const [kernel, scenario] of Object.entries(SCENARIOS)) {
        it(`${kernel} on ${TRIALS} random shapes`, () => {
          for (let trial = 0; trial < TRIALS; trial++) {
            const seed = 104_729 * trial + kernel.length;
            const expected = scenario(new SuiteRandom(seed));
            expected.run(single);
            const actual = scenario(new SuiteRandom(seed));
            actual.run(backend);
            actual.written.forEach((t, i) => {
              const want = expected.written[i]!;
              if (!sameBits(t.data, want.data)) {
                const at = firstDifference(t.data, want.data);
                expect.fail(`${kernel} ${actual.label}: output ${i} differs first at element ${at}: threads ${t.data[at]}, one thread ${want.data[at]}`);
              }
            });
          }
        });
      }

    });
  }
});
