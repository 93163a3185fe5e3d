import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Runs the built CLI (turbo builds it before tests), as `pnpm bench` does, on tiny sizes.
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 120_000 });

const CONTENDERS = ['scratchnet cpu', 'scratchnet worker (1 thread)', 'scratchnet worker (2 threads)', 'tfjs-cpu', 'tfjs-wasm'];

describe('bench CLI', () => {
  it('--quick prints matmul, MLP and CNN tables with a row per contender and every ratio', () => {
    const out = run('--quick', '--shapes', '16x16x16,8x32x4', '--samples', '256', '--cnn-samples', '16');
    expect(out.stderr).not.toMatch(/failed|Error/);
    expect(out.status).toBe(0);
    const lines = out.stdout.split('\n');
    for (const title of ['matmul, float32, GFLOP/s', 'matmul, ratio to tfjs-cpu', 'matmul, ratio to scratchnet cpu', 'MLP training', 'CNN training and inference']) {
      expect(lines.some((l) => l.startsWith(title))).toBe(true);
    }
    expect(lines.find((l) => l.startsWith('  '))).toMatch(/^\s+16³\s+8×32×4$/);
    for (const name of CONTENDERS) {
      // Three matmul tables, the MLP's and the CNN's; every cell holds a number.
      const rows = lines.filter((l) => l.startsWith(`${name}  `));
      expect(rows).toHaveLength(5);
      for (const row of rows.slice(0, 4)) expect(row.slice(name.length)).toMatch(/^(\s+\d+(\.\d+)?×?){2,4}$/);
      // digits, samples/s, ms/batch, two ratios, ms per 1000 digits, digits/s, two ratios.
      expect(rows[4]!.slice(name.length)).toMatch(/^\s+16(\s+\d+(\.\d+)?×?){8}$/);
    }
    expect(out.stdout).not.toMatch(/failed/);
  });

  it('--only matmul skips training; bad options are rejected with a clear message', () => {
    const matmul = run('--quick', '--only', 'matmul', '--shapes', '4x4x4', '--threads', '2');
    expect(matmul.status).toBe(0);
    expect(matmul.stdout).toMatch(/matmul, float32/);
    expect(matmul.stdout).not.toMatch(/MLP training|CNN training/);
    expect(matmul.stdout).toMatch(/scratchnet worker \(2 threads\)/);
    expect(matmul.stdout).not.toMatch(/worker \(1 thread\)/);

    const shape = run('--shapes', '4x4');
    expect(shape.status).not.toBe(0);
    expect(shape.stderr).toMatch(/shapes are m×k×n triples/);
    const only = run('--only', 'gpu');
    expect(only.status).not.toBe(0);
    expect(only.stderr).toMatch(/Allowed choices are matmul, train, cnn/);
    const threads = run('--threads', '0');
    expect(threads.stderr).toMatch(/thread counts are integers from 1 to \d+ separated by commas/);
  });
});
