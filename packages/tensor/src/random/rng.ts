import { ValueError } from '../errors.js';
import { correctlyRoundedLog } from './correctly-rounded-log.js';
import { MT19937, MT_STATE_LENGTH } from './mt19937.js';

/** Anything indexable and writable: a plain array or a typed array. */
export interface MutableArrayLike<T> {
  readonly length: number;
  [index: number]: T;
}

/** A seed as `np.random.seed` takes it: a uint32, or a non-empty list of uint32 words. */
export type Seed = number | readonly number[];

/**
 * A snapshot of an Rng, field for field what `np.random.get_state()` returns:
 * `('MT19937', key, pos, has_gauss, cached_gaussian)`.
 */
export interface RngState {
  algorithm: 'MT19937';
  /** The 624 state words (a copy). */
  key: Uint32Array;
  pos: number;
  hasGauss: boolean;
  gauss: number;
}

const MAX_UINT32 = 4294967295;
const TWO_32 = 4294967296;
const TWO_53 = 9007199254740992;

/**
 * A random number generator that reproduces NumPy's legacy `RandomState` (what `np.random.*`
 * uses): seeded the same way, it yields the same doubles, Gaussians, integers and shuffles.
 *
 * One caveat on Gaussians: NumPy's polar method calls the platform's `log`. This class uses a
 * correctly rounded log; glibc's (Linux NumPy) differs from it in the last bit for about 1
 * argument in 1800, so about 1 `randn` value in 3000 can differ from Linux NumPy by an ulp.
 * The uniform stream stays in lock-step regardless, so later draws are unaffected.
 */
export class Rng {
  readonly #mt = new MT19937();
  #hasGauss = false;
  #gauss = 0;

  /** Seeded like `np.random.seed(seed)`; without a seed, from the platform's entropy. */
  constructor(seed?: Seed) {
    this.seed(seed);
  }

  /** Re-seeds like `np.random.seed(seed)`; without a seed, from the platform's entropy. */
  seed(seed?: Seed): void {
    if (seed === undefined) {
      this.#mt.seedArray(entropyWords());
    } else if (typeof seed === 'number') {
      checkSeedWord(seed);
      this.#mt.seedInt(seed);
    } else if (Array.isArray(seed)) {
      if (seed.length === 0) throw new ValueError('seed: a seed array must not be empty');
      for (const word of seed) checkSeedWord(word);
      this.#mt.seedArray(seed);
    } else {
      throw new ValueError(`seed: seed must be an integer between 0 and 2**32 - 1 or an array of them, got ${describe(seed)}`);
    }
    this.#hasGauss = false;
    this.#gauss = 0;
  }

  /** A double in [0, 1), like `np.random.random_sample()`. */
  random(): number {
    return this.#mt.nextDouble();
  }

  /** `rand()` is one double in [0, 1); `rand(n)` is n of them, like `np.random.rand(n)`. */
  rand(): number;
  rand(n: number): Float64Array;
  rand(n?: number): number | Float64Array {
    if (n === undefined) return this.#mt.nextDouble();
    return this.fillRandom(new Float64Array(checkCount('rand', n)));
  }

  /** Fills `out` with doubles in [0, 1) in index order (rounded if `out` is a Float32Array). */
  fillRandom<T extends MutableArrayLike<number>>(out: T): T {
    const mt = this.#mt;
    for (let i = 0; i < out.length; i++) out[i] = mt.nextDouble();
    return out;
  }

  /**
   * One standard normal value by NumPy's legacy polar (Marsaglia) method: each rejection loop
   * makes two values; the second is cached and returned by the next call.
   */
  standardNormal(): number {
    if (this.#hasGauss) {
      this.#hasGauss = false;
      const cached = this.#gauss;
      this.#gauss = 0;
      return cached;
    }
    const mt = this.#mt;
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2 * mt.nextDouble() - 1;
      x2 = 2 * mt.nextDouble() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * correctlyRoundedLog(r2)) / r2);
    this.#gauss = f * x1;
    this.#hasGauss = true;
    return f * x2;
  }

  /** `randn()` is one standard normal value; `randn(n)` is n of them, like `np.random.randn(n)`. */
  randn(): number;
  randn(n: number): Float64Array;
  randn(n?: number): number | Float64Array {
    if (n === undefined) return this.standardNormal();
    return this.fillNormal(new Float64Array(checkCount('randn', n)));
  }

  /** Fills `out` with standard normal values in index order. */
  fillNormal<T extends MutableArrayLike<number>>(out: T): T {
    for (let i = 0; i < out.length; i++) out[i] = this.standardNormal();
    return out;
  }

  /**
   * An integer in [low, high), like `np.random.randint(low, high)` with its default int64
   * dtype; `randint(high)` draws from [0, high). Bounds are integers within ±2**53 whose span
   * is at most 2**53.
   */
  randint(low: number, high?: number): number {
    const [off, range] = checkBounds('randint', low, high);
    return off + this.#boundedDraw(range);
  }

  /** Fills `out` with integers in [low, high), drawing exactly as `np.random.randint(low, high, size)`. */
  fillRandint<T extends MutableArrayLike<number>>(out: T, low: number, high?: number): T {
    const [off, range] = checkBounds('randint', low, high);
    for (let i = 0; i < out.length; i++) out[i] = off + this.#boundedDraw(range);
    return out;
  }

  /**
   * Shuffles `array` in place like `np.random.shuffle` on a 1-D array: Fisher-Yates from the
   * end, each index drawn by masked rejection.
   */
  shuffle<T extends MutableArrayLike<unknown>>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.#interval(i);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  }

  /** A random ordering of 0..n-1, like `np.random.permutation(n)`. */
  permutation(n: number): Int32Array {
    const count = checkCount('permutation', n);
    if (count > 2147483647) throw new ValueError(`permutation: n must be below 2**31, got ${n}`);
    const out = new Int32Array(count);
    for (let i = 0; i < count; i++) out[i] = i;
    return this.shuffle(out);
  }

  /** A copy of the generator's state, to restore later with `setState`. */
  getState(): RngState {
    return {
      algorithm: 'MT19937',
      key: new Uint32Array(this.#mt.key),
      pos: this.#mt.pos,
      hasGauss: this.#hasGauss,
      gauss: this.#gauss,
    };
  }

  /** Restores a state from `getState` (or converted from `np.random.get_state()`). */
  setState(state: RngState): void {
    if (state === null || typeof state !== 'object') {
      throw new ValueError(`setState: state must be an object, got ${describe(state)}`);
    }
    if (state.algorithm !== 'MT19937') {
      throw new ValueError(`setState: algorithm must be 'MT19937', got ${describe(state.algorithm)}`);
    }
    const key = state.key as ArrayLike<number> | undefined;
    if (key === undefined || typeof key !== 'object' || key.length !== MT_STATE_LENGTH) {
      throw new ValueError(`setState: key must hold ${MT_STATE_LENGTH} words, got ${key === undefined ? 'none' : String((key as { length?: unknown }).length)}`);
    }
    for (let i = 0; i < MT_STATE_LENGTH; i++) {
      const w = key[i];
      if (typeof w !== 'number' || !Number.isInteger(w) || w < 0 || w > MAX_UINT32) {
        throw new ValueError(`setState: key[${i}] must be a uint32, got ${describe(w)}`);
      }
    }
    if (!Number.isInteger(state.pos) || state.pos < 0 || state.pos > MT_STATE_LENGTH) {
      throw new ValueError(`setState: pos must be an integer in [0, ${MT_STATE_LENGTH}], got ${describe(state.pos)}`);
    }
    if (typeof state.hasGauss !== 'boolean' || typeof state.gauss !== 'number') {
      throw new ValueError(`setState: hasGauss must be a boolean and gauss a number, got ${describe(state.hasGauss)} and ${describe(state.gauss)}`);
    }
    this.#mt.key.set(key);
    this.#mt.pos = state.pos;
    this.#hasGauss = state.hasGauss;
    this.#gauss = state.hasGauss ? state.gauss : 0;
  }

  /**
   * A value in [0, range] by NumPy's masked rejection (`random_bounded_uint64_fill` with
   * `use_masked`): 32-bit draws while the range fits in 32 bits, else 64-bit draws made of
   * two 32-bit words, high word first.
   */
  #boundedDraw(range: number): number {
    const mt = this.#mt;
    if (range === 0) return 0;
    if (range <= MAX_UINT32) {
      if (range === MAX_UINT32) return mt.nextUint32();
      const mask = maskFor(range);
      let v: number;
      do v = (mt.nextUint32() & mask) >>> 0;
      while (v > range);
      return v;
    }
    const maskHigh = maskFor(Math.floor(range / TWO_32));
    let v: number;
    do {
      const hi = mt.nextUint32() & maskHigh;
      const lo = mt.nextUint32();
      v = hi * TWO_32 + lo;
    } while (v > range);
    return v;
  }

  /** NumPy's `random_interval(max)`: a value in [0, max], max < 2**32. */
  #interval(max: number): number {
    const mt = this.#mt;
    const mask = maskFor(max);
    let v: number;
    do v = (mt.nextUint32() & mask) >>> 0;
    while (v > max);
    return v;
  }
}

/** The smallest all-ones mask covering `n` (n < 2**32). */
function maskFor(n: number): number {
  let m = n >>> 0;
  m |= m >>> 1;
  m |= m >>> 2;
  m |= m >>> 4;
  m |= m >>> 8;
  m |= m >>> 16;
  return m >>> 0;
}

function describe(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(describe).join(', ')}]`;
  return String(value);
}

function checkSeedWord(word: unknown): void {
  if (typeof word !== 'number' || !Number.isInteger(word) || word < 0 || word > MAX_UINT32) {
    throw new ValueError(`seed: seed must be an integer between 0 and 2**32 - 1, got ${describe(word)}`);
  }
}

function checkCount(op: string, n: unknown): number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw new ValueError(`${op}: count must be a non-negative integer, got ${describe(n)}`);
  }
  return n;
}

/** Validates randint bounds; returns [low, high - 1 - low] (offset and inclusive range). */
function checkBounds(op: string, low: number, high: number | undefined): [number, number] {
  if (high === undefined) {
    high = low;
    low = 0;
  }
  for (const [name, v] of [['low', low], ['high', high]] as const) {
    if (typeof v !== 'number' || !Number.isInteger(v) || Math.abs(v) > TWO_53) {
      throw new ValueError(`${op}: ${name} must be an integer between -2**53 and 2**53, got ${describe(v)}`);
    }
  }
  if (low >= high) throw new ValueError(`${op}: low must be less than high, got low=${low}, high=${high}`);
  // the span is checked exactly: a double difference could round down to 2**53
  if (BigInt(high) - BigInt(low) > BigInt(TWO_53)) {
    throw new ValueError(`${op}: the span high - low must be at most 2**53, got low=${low}, high=${high}`);
  }
  return [low, high - 1 - low];
}

/** Four uint32 words of entropy for an unseeded generator. */
function entropyWords(): Uint32Array {
  const words = new Uint32Array(4);
  const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint32Array) => Uint32Array } }).crypto;
  if (c?.getRandomValues) return c.getRandomValues(words);
  for (let i = 0; i < words.length; i++) words[i] = Math.floor(Math.random() * TWO_32);
  words[0] = (words[0]! ^ Date.now()) >>> 0;
  return words;
}
