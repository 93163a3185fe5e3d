import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Runs the built CLI (turbo builds it before tests), exactly as `pnpm demo` does.
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

describe('demo CLI', () => {
  it('`lesson` prints what the lesson prints for seed 42', () => {
    const expected = readFileSync(new URL('./fixtures/lesson-seed42.txt', import.meta.url), 'utf8');
    expect(execFileSync(process.execPath, [cli, 'lesson'], { encoding: 'utf8' })).toBe(expected);
  });

  it('`lesson --seed 7 --summary` prints the model summary before the same report', () => {
    const fixtures = JSON.parse(readFileSync(new URL('./fixtures/lesson-fixtures.json', import.meta.url), 'utf8')) as Record<string, { printed: string }>;
    const out = run('lesson', '--seed', '7', '--summary');
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('Total params: 131');
    expect(out.stdout.endsWith(fixtures['7']!.printed)).toBe(true);
  });

  it('rejects a bad seed and an unknown backend with a clear message and exit code', () => {
    const seed = run('lesson', '--seed', '-3');
    expect(seed.status).not.toBe(0);
    expect(seed.stderr).toMatch(/seed must be an integer from 0 to 4294967295/);
    const backend = run('lesson', '--backend', 'gpu');
    expect(backend.status).not.toBe(0);
    expect(backend.stderr).toMatch(/Allowed choices are cpu/);
  });

  it('--help lists the commands and options', () => {
    expect(run('--help').stdout).toMatch(/lesson/);
    expect(run('lesson', '--help').stdout).toMatch(/--seed <n>[\s\S]*--backend <name>/);
  });
});
