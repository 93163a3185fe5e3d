import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { integerIn, parseHidden, parseLearningRate, parseSeed } from '../src/options.js';

describe('option parsers', () => {
  it('parse valid values', () => {
    expect(parseSeed('0')).toBe(0);
    expect(parseSeed('4294967295')).toBe(4294967295);
    expect(integerIn('epochs', 1, 1000)(' 10 ')).toBe(10);
    expect(parseLearningRate('1e-3')).toBe(0.001);
    expect(parseLearningRate('0.5')).toBe(0.5);
    expect(parseHidden('128,128')).toEqual([128, 128]);
    expect(parseHidden('64')).toEqual([64]);
    expect(parseHidden(' 256 , 32 ')).toEqual([256, 32]);
  });

  it('reject bad values with an InvalidArgumentError that says what is allowed', () => {
    expect(() => parseSeed('4294967296')).toThrow(InvalidArgumentError);
    expect(() => parseSeed('1.5')).toThrow(/from 0 to 4294967295/);
    const epochs = integerIn('epochs', 1, 1000);
    for (const bad of ['0', '-1', '2.5', 'ten', '', '1001']) expect(() => epochs(bad)).toThrow(/epochs must be an integer from 1 to 1000/);
    for (const bad of ['0', '-0.1', 'fast', '', 'Infinity', 'NaN', '11']) {
      expect(() => parseLearningRate(bad)).toThrow(/learning rate must be a number above 0 and at most 10/);
    }
    for (const bad of ['', '128,', ',128', '128,a', '0', '128,-4', '1.5', '5000', '1,1,1,1,1,1,1,1,1']) {
      expect(() => parseHidden(bad)).toThrow(/hidden layer widths separated by commas/);
    }
  });
});
