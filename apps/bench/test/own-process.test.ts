import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchPlan } from '../src/measure-contender.js';
import { measureInOwnProcess } from '../src/own-process.js';

// Stand-ins for the bench's own script: what a contender's process may do.
const dir = mkdtempSync(path.join(tmpdir(), 'bench-own-process-'));
function script(name: string, source: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, source);
  return file;
}

const plan: BenchPlan = {
  matmul: { shapes: [{ label: '4³', m: 4, k: 4, n: 4 }], timing: { rounds: 1, roundMs: 1 } },
  train: { samples: 10, timing: { rounds: 1, warmupSamples: 10, inference: { rounds: 1, roundMs: 1 } } },
};

describe('measureInOwnProcess', () => {
  it('runs the script in another process with the arguments and --contender, and returns what it sends', async () => {
    const echo = script(
      'echo.mjs',
      `process.send({ type: 'contender-result', result: { matmul: { name: String(process.pid), value: [process.argv.length] }, train: { name: process.argv.slice(2).join(' '), error: 'x' } } }, () => process.disconnect());`,
    );
    let started: number | undefined;
    const result = await measureInOwnProcess(echo, ['--quick'], 'worker:2', 'w', plan, (pid) => (started = pid));
    expect(started).toBeGreaterThan(0);
    expect(started).not.toBe(process.pid);
    expect(result.matmul).toEqual({ name: String(started), value: [5] });
    expect(result.train).toEqual({ name: '--quick --contender worker:2', error: 'x' });
  });

  it('gives error rows for the planned parts when the process exits without reporting', async () => {
    const exits = script('exits.mjs', 'process.exit(3);');
    const result = await measureInOwnProcess(exits, [], 'cpu', 'scratchnet cpu', plan, () => undefined);
    expect(result).toEqual({
      matmul: { name: 'scratchnet cpu', error: 'its process exited (code 3) without reporting' },
      matmul64: { name: 'scratchnet cpu', error: 'its process exited (code 3) without reporting' },
      train: { name: 'scratchnet cpu', error: 'its process exited (code 3) without reporting' },
    });

    const killed = script('killed.mjs', "process.kill(process.pid, 'SIGKILL');");
    const onlyTrain = await measureInOwnProcess(killed, [], 'cpu', 'scratchnet cpu', { train: plan.train! }, () => undefined);
    expect(onlyTrain).toEqual({ train: { name: 'scratchnet cpu', error: 'its process exited (SIGKILL) without reporting' } });
  });
});
