import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** Runs an ES module in a fresh Node process (against the built dist/) and returns what it printed. */
function node(code: string): string {
  return execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: packageDir, encoding: 'utf8' });
}

// A fresh process per case: the active backend is process-global state.
describe('the default backend (built package)', () => {
  it('importing scratchnet makes the cpu backend active when none is set', () => {
    const code = `
      const { currentBackend } = await import('@scratchnet/backend');
      const before = currentBackend();
      const sn = await import('scratchnet');
      const x = sn.tensor([[1, 2]]);
      console.log(String(before), currentBackend() instanceof sn.CpuBackend, sn.matmul(x, sn.transpose(x)).toString());`;
    expect(node(code)).toBe('undefined true [[5.]]\n');
  });

  it('keeps a backend the application set before importing it', () => {
    const code = `
      const { setBackend, currentBackend } = await import('@scratchnet/backend');
      const { CpuBackend } = await import('@scratchnet/backend-cpu');
      const mine = new CpuBackend();
      setBackend(mine);
      await import('scratchnet');
      await import('scratchnet/node');
      console.log(currentBackend() === mine);`;
    expect(node(code)).toBe('true\n');
  });

  it('the scoped packages alone still pick no backend', () => {
    const code = `
      await Promise.all(['@scratchnet/tensor', '@scratchnet/backend', '@scratchnet/backend-cpu', '@scratchnet/layers', '@scratchnet/model'].map((p) => import(p)));
      const { currentBackend } = await import('@scratchnet/backend');
      console.log(String(currentBackend()));`;
    expect(node(code)).toBe('undefined\n');
  });
});
