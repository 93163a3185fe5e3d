import { Rng, seed } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { getInitializer, INITIALIZER_NAMES } from '@scratchnet/layers';
import { fixture } from './helpers.js';

const f = fixture<{ initializers: Record<string, { fanIn: number; fanOut: number; seed: number; values: number[][] }> }>('layers.json');

describe('initializers', () => {
  for (const [name, ref] of Object.entries(f.initializers)) {
    it(`${name} draws NumPy's numbers bit for bit (float64, explicit Rng)`, () => {
      const rng = new Rng(ref.seed);
      const t = getInitializer('test', name)([ref.fanIn, ref.fanOut], { fanIn: ref.fanIn, fanOut: ref.fanOut, dtype: 'float64', rng });
      expect(t.toArray()).toEqual(ref.values);
    });
    it(`${name} uses the global Rng when none is given, rounding to float32`, () => {
      seed(ref.seed);
      const t = getInitializer('test', name)([ref.fanIn, ref.fanOut], { fanIn: ref.fanIn, fanOut: ref.fanOut, dtype: 'float32' });
      expect(t.dtype).toBe('float32');
      expect(Array.from(t.data)).toEqual(ref.values.flat().map(Math.fround));
    });
  }

  it('zeros and ones', () => {
    const ctx = { fanIn: 2, fanOut: 2, dtype: 'float32' as const };
    expect(Array.from(getInitializer('t', 'zeros')([3], ctx).data)).toEqual([0, 0, 0]);
    expect(Array.from(getInitializer('t', 'ones')([2], ctx).data)).toEqual([1, 1]);
  });

  it('an unknown name is a ValueError listing the choices', () => {
    expect(() => getInitializer('Dense', 'xavier')).toThrow(/Dense: unknown initializer "xavier"; expected one of heNormal/);
    expect(INITIALIZER_NAMES).toContain('glorotUniform');
  });
});
