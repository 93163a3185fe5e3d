import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../scripts/build-kernels.mjs', import.meta.url));

describe('the kernel build', () => {
  it('src/generated/ is up to date with assembly/ (inputs hash)', () => {
    expect(() => execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('is reproducible: compiling assembly/ again gives the very same bytes', () => {
    const output = execFileSync(process.execPath, [script, '--check', '--force'], { stdio: 'pipe', encoding: 'utf8' });
    expect(output).toBe('');
  }, 120_000);
});
