import { Rng } from '@scratchnet/tensor';

/**
 * The suite's source of inputs: the library's MT19937 `Rng`, seeded per test (by the suite, from
 * the test's name) so each test's numbers are reproducible and independent of test order. Also
 * for a backend's own tests: `new SuiteRandom(seed)`.
 */
export class SuiteRandom {
  readonly #rng: Rng;

  constructor(seed: number) {
    this.#rng = new Rng(seed);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.#rng.random();
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.#rng.random();
  }

  /** Integer in [lo, hi] (both inclusive). */
  int(lo: number, hi: number): number {
    return this.#rng.randint(lo, hi + 1);
  }

  /** One of `items`, uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }
}

/** A 32-bit seed from a test's name (FNV-1a). */
export function seedFromName(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}
