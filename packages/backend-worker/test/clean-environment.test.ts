import { describe, expect, it } from 'vitest';
import { cleanEnvironment } from '../src/clean-environment.js';

describe('cleanEnvironment', () => {
  it('gives pool threads no flags and no NODE_OPTIONS, keeping the other variables', () => {
    const env = { PATH: '/bin', NODE_OPTIONS: '--import ./setup.js', HOME: '/root' };
    expect(cleanEnvironment(env)).toEqual({ execArgv: [], env: { PATH: '/bin', HOME: '/root' } });
    expect(env.NODE_OPTIONS).toBe('--import ./setup.js');
  });
});
