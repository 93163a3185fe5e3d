import { describe, expect, inject, it } from 'vitest';
import { run } from './support/run.js';

const { app } = inject('installed');

describe('programs against the installed tarballs', () => {
  it('ESM: every entry imports; the umbrella re-exports the same objects; trains, saves, loads, swaps to workers with the same bytes', () => {
    const result = run(process.execPath, ['esm.mjs'], { cwd: app });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^esm ok: accuracy 0\.9\d\d\n$/);
  });

  it('CommonJS: require() of every entry, cpu by default, a matmul computes', () => {
    const result = run(process.execPath, ['cjs.cjs'], { cwd: app });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('cjs ok: [[19. 22.] [43. 50.]]\n');
  });
});
