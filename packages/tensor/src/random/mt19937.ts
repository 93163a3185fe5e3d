/**
 * The MT19937 Mersenne Twister exactly as NumPy's legacy `RandomState` runs it: the same
 * seeding (`init_genrand` for an integer, `init_by_array` for an array), the same tempering,
 * and the same 53-bit double built from two draws.
 */

export const MT_STATE_LENGTH = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

export class MT19937 {
  /** The 624-word state, as `np.random.get_state()[1]` shows it. */
  readonly key = new Uint32Array(MT_STATE_LENGTH);
  /** Index of the next word to temper; 624 means the state must be regenerated first. */
  pos = MT_STATE_LENGTH;

  /** NumPy's `mt19937_seed` (Matsumoto & Nishimura's `init_genrand`). `seed` is a uint32. */
  seedInt(seed: number): void {
    const key = this.key;
    key[0] = seed >>> 0;
    for (let i = 1; i < MT_STATE_LENGTH; i++) {
      const prev = key[i - 1]!;
      key[i] = (Math.imul(1812433253, prev ^ (prev >>> 30)) + i) >>> 0;
    }
    this.pos = MT_STATE_LENGTH;
  }

  /** NumPy's `mt19937_init_by_array`, used by `np.random.seed([a, b, ...])`. Words are uint32. */
  seedArray(words: ArrayLike<number>): void {
    const key = this.key;
    const length = words.length;
    this.seedInt(19650218);
    let i = 1;
    let j = 0;
    for (let k = Math.max(MT_STATE_LENGTH, length); k > 0; k--) {
      const prev = key[i - 1]!;
      key[i] = ((key[i]! ^ Math.imul(prev ^ (prev >>> 30), 1664525)) + words[j]! + j) >>> 0;
      i++;
      j++;
      if (i >= MT_STATE_LENGTH) {
        key[0] = key[MT_STATE_LENGTH - 1]!;
        i = 1;
      }
      if (j >= length) j = 0;
    }
    for (let k = MT_STATE_LENGTH - 1; k > 0; k--) {
      const prev = key[i - 1]!;
      key[i] = ((key[i]! ^ Math.imul(prev ^ (prev >>> 30), 1566083941)) - i) >>> 0;
      i++;
      if (i >= MT_STATE_LENGTH) {
        key[0] = key[MT_STATE_LENGTH - 1]!;
        i = 1;
      }
    }
    key[0] = 0x80000000;
    this.pos = MT_STATE_LENGTH;
  }

  /** Regenerates all 624 words at once (the "twist"). */
  private twist(): void {
    const key = this.key;
    let i = 0;
    let y: number;
    for (; i < MT_STATE_LENGTH - M; i++) {
      y = (key[i]! & UPPER_MASK) | (key[i + 1]! & LOWER_MASK);
      key[i] = key[i + M]! ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
    }
    for (; i < MT_STATE_LENGTH - 1; i++) {
      y = (key[i]! & UPPER_MASK) | (key[i + 1]! & LOWER_MASK);
      key[i] = key[i + M - MT_STATE_LENGTH]! ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
    }
    y = (key[MT_STATE_LENGTH - 1]! & UPPER_MASK) | (key[0]! & LOWER_MASK);
    key[MT_STATE_LENGTH - 1] = key[M - 1]! ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
    this.pos = 0;
  }

  /** The next 32-bit output, as an unsigned integer in [0, 2**32). */
  nextUint32(): number {
    if (this.pos >= MT_STATE_LENGTH) this.twist();
    let y = this.key[this.pos++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A double in [0, 1) with 53 random bits: `(a >> 5) * 2**26 + (b >> 6)` over 2**53. */
  nextDouble(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }
}
