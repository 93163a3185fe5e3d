import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Runs the built CLI (turbo builds it before tests), as `pnpm bench` does, on tiny sizes.
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 300_000 });

const SCRATCHNET = [
  'scratchnet cpu',
  'scratchnet worker (1 thread)',
  'scratchnet worker (2 threads)',
  'scratchnet wasm (1 thread)',
  'scratchnet wasm (2 threads)',
];
const TFJS = ['tfjs-cpu', 'tfjs-wasm'];
const CONTENDERS = [...SCRATCHNET, ...TFJS];
const TITLES = [
  'matmul, float32, GFLOP/s',
  'matmul, float32, ratio to tfjs-cpu',
  'matmul, float32, ratio to scratchnet cpu',
  'matmul, float64, GFLOP/s',
  'matmul, float64, ratio to scratchnet cpu',
  'MLP training',
  'MLP inference',
  'CNN training and inference',
  "Issue 11's targets",
];

/** The lines of the table under the title starting with `title`: its rows, up to the blank line. */
function table(lines: readonly string[], title: string): string[] {
  const start = lines.findIndex((l) => l.startsWith(title));
  expect(start, title).toBeGreaterThanOrEqual(0);
  const end = lines.indexOf('', start);
  return lines.slice(start + 3, end < 0 ? undefined : end);
}
const row = (rows: readonly string[], name: string) => rows.find((l) => l.startsWith(`${name}  `))?.slice(name.length);
const NUMBER = String.raw`\s+\d+(\.\d+)?×?`;
const numbers = (count: number) => new RegExp(`^(${NUMBER}){${count}}$`);

describe('bench CLI', () => {
  it('--quick prints matmul (float32, float64), MLP training and inference and CNN tables with a row per contender, and the targets', () => {
    const out = run('--quick', '--shapes', '16x16x16,8x32x4', '--samples', '256', '--cnn-samples', '16');
    expect(out.stderr).not.toMatch(/failed|Error/);
    expect(out.status).toBe(0);
    const lines = out.stdout.split('\n');
    for (const title of TITLES) expect(lines.filter((l) => l.startsWith(title)), title).toHaveLength(1);
    expect(lines.find((l) => l.startsWith('  '))).toMatch(/^\s+16³\s+8×32×4$/);
    for (const name of CONTENDERS) {
      // float32: GFLOP/s and two ratio tables, a number per shape.
      for (const title of TITLES.slice(0, 3)) expect(row(table(lines, title), name), `${title}: ${name}`).toMatch(numbers(2));
      // float64: numbers for scratchnet, — for tfjs (which has no float64), in both tables.
      for (const title of TITLES.slice(3, 5)) {
        expect(row(table(lines, title), name), `${title}: ${name}`).toMatch(SCRATCHNET.includes(name) ? numbers(2) : /^\s+—\s+—$/);
      }
      // samples/s, ms/batch, two ratios, then the share of the epoch spent waiting for a core (Linux).
      expect(row(table(lines, 'MLP training'), name)).toMatch(process.platform === 'linux' ? new RegExp(`^(${NUMBER}){4}\\s+\\d+%$`) : numbers(4));
      // ms for the 1,756 test digits, digits/s, ratios to tfjs-wasm and to scratchnet cpu.
      expect(row(table(lines, 'MLP inference'), name)).toMatch(numbers(4));
      // digits, samples/s, ms/batch, two ratios, ms per 1000 digits, digits/s, two ratios.
      expect(row(table(lines, 'CNN training and inference'), name)).toMatch(/^\s+16(\s+\d+(\.\d+)?×?){8}$/);
    }
    expect(lines).toContain('tfjs-cpu, tfjs-wasm: — because tfjs has no float64 dtype: its tensors are float32, int32, bool, complex64 or string');
    expect(lines[lines.findIndex((l) => l.startsWith('MLP inference')) + 1]).toMatch(/^\s+ms \(1756 digits\)\s+digits\/s\s+× tfjs-wasm\s+× scratchnet cpu$/);
    expect(lines.find((l) => l.startsWith('MLP inference'))).toMatch(/one predict call over all of them in batches of 256/);

    // The targets: every one listed; the matmul ones need shapes this run did not measure, the
    // others show a ratio and whether it was met (never asserted: the machine may be loaded).
    const targets = table(lines, "Issue 11's targets");
    expect(targets).toHaveLength(9);
    expect(targets.filter((l) => /^f(32|64) matmul/.test(l) && /\s—\s+≥ [\d.]+×\s+not measured in this run$/.test(l))).toHaveLength(5);
    expect(targets.filter((l) => l.startsWith('MLP') && /\s\d+\.\d\d×\s+[≥>] [\d.]+×\s+(met|not met)$/.test(l))).toHaveLength(4);
    expect(out.stdout).not.toMatch(/failed/);

    // Each contender is measured in a process of its own, not in the bench's process.
    const pids = CONTENDERS.map((name) => {
      const line = out.stderr.split('\n').find((l) => l.startsWith(`measuring ${name} in process `));
      expect(line, name).toBeDefined();
      return Number(/in process (\d+) /.exec(line!)?.[1]);
    });
    expect(pids.every((pid) => Number.isInteger(pid) && pid !== out.pid)).toBe(true);
    expect(new Set(pids).size).toBe(CONTENDERS.length);
  });

  it('--contender measures one contender and, run by hand, prints its rows as JSON', () => {
    const out = run('--quick', '--only', 'matmul', '--shapes', '4x4x4', '--contender', 'wasm:2');
    expect(out.status).toBe(0);
    type Rows = { name: string; value?: number[] };
    const result = JSON.parse(out.stdout) as { matmul?: Rows; matmul64?: Rows; train?: unknown };
    for (const rows of [result.matmul, result.matmul64]) {
      expect(rows?.name).toBe('scratchnet wasm (2 threads)');
      expect(rows?.value).toHaveLength(1);
      expect(rows?.value?.[0]).toBeGreaterThan(0);
    }
    expect(result.train).toBeUndefined();

    const unknown = run('--quick', '--contender', 'gpu');
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toMatch(/unknown contender 'gpu'; contenders are cpu, worker:<threads>, wasm:<threads>, tfjs-cpu, tfjs-wasm/);
  });

  it('--only matmul skips training; bad options are rejected with a clear message', () => {
    const matmul = run('--quick', '--only', 'matmul', '--shapes', '4x4x4', '--threads', '2', '--wasm-threads', '1');
    expect(matmul.status).toBe(0);
    expect(matmul.stdout).toMatch(/matmul, float32/);
    expect(matmul.stdout).toMatch(/matmul, float64/);
    expect(matmul.stdout).not.toMatch(/^(MLP training|MLP inference|CNN training)/m);
    expect(matmul.stdout).toMatch(/scratchnet worker \(2 threads\)/);
    expect(matmul.stdout).not.toMatch(/worker \(1 thread\)/);
    expect(matmul.stdout).toMatch(/^scratchnet wasm \(1 thread\)/m);
    expect(matmul.stdout).not.toMatch(/^scratchnet wasm \(2 threads\)/m);

    const shape = run('--shapes', '4x4');
    expect(shape.status).not.toBe(0);
    expect(shape.stderr).toMatch(/shapes are m×k×n triples/);
    const only = run('--only', 'gpu');
    expect(only.status).not.toBe(0);
    expect(only.stderr).toMatch(/Allowed choices are matmul, train, cnn/);
    const threads = run('--threads', '0');
    expect(threads.stderr).toMatch(/thread counts are integers from 1 to \d+ separated by commas/);
    const wasmThreads = run('--wasm-threads', '1,x');
    expect(wasmThreads.status).not.toBe(0);
    expect(wasmThreads.stderr).toMatch(/option '--wasm-threads <list>' argument '1,x' is invalid\. thread counts are integers from 1 to 64 separated by commas/);
  });
});
