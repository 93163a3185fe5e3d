import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it('`lesson --backend worker` prints exactly what `--backend cpu` prints', () => {
    const expected = readFileSync(new URL('./fixtures/lesson-seed42.txt', import.meta.url), 'utf8');
    const worker = run('lesson', '--backend', 'worker', '--threads', '2');
    expect(worker.status).toBe(0);
    expect(worker.stdout).toBe(expected);
  });

  it('`lesson --backend wasm` (1 and 2 threads) prints exactly what `--backend cpu` prints', () => {
    const expected = readFileSync(new URL('./fixtures/lesson-seed42.txt', import.meta.url), 'utf8');
    for (const threads of [[], ['--threads', '2']]) {
      const wasm = run('lesson', '--backend', 'wasm', ...threads);
      expect(wasm.status, wasm.stderr).toBe(0);
      expect(wasm.stdout).toBe(expected);
    }
  });

  it('--help lists the commands and options', () => {
    expect(run('--help').stdout).toMatch(/lesson[\s\S]*train/);
    expect(run('lesson', '--help').stdout).toMatch(/--seed <n>[\s\S]*--backend <name>[\s\S]*--threads <n>/);
    expect(run('train', '--help').stdout).toMatch(
      /--model <kind>[\s\S]*--epochs <n>[\s\S]*default: 10 for mlp,\s+10\s+for cnn[\s\S]*--batch-size <n>[\s\S]*--lr <rate>[\s\S]*--schedule <kind>[\s\S]*--shift <pixels>[\s\S]*--hidden <sizes>[\s\S]*--backend <name>[\s\S]*--threads <n>[\s\S]*--seed <n>/,
    );
  });
});

describe('demo CLI: train', () => {
  it('rejects bad options with a message that says what is allowed, before loading any data', () => {
    const cases: [string[], RegExp][] = [
      [['--epochs', '0'], /option '--epochs <n>' argument '0' is invalid\. epochs must be an integer from 1 to 1000/],
      [['--batch-size', 'big'], /the batch size must be an integer from 1 to 8000/],
      [['--lr', '-0.1'], /the learning rate must be a number above 0 and at most 10/],
      [['--hidden', '128,x'], /hidden layer widths separated by commas/],
      [['--seed', '1e3'], /the seed must be an integer from 0 to 4294967295/],
      [['--backend', 'gpu'], /Allowed choices are cpu, worker, wasm/],
      [['--threads', '2'], /'--threads <n>' applies to --backend worker or wasm only, not 'cpu'/],
      [['--backend', 'worker', '--threads', '0'], /the thread count must be an integer from 1 to \d+/],
      [['--backend', 'wasm', '--threads', '0'], /the thread count must be an integer from 1 to \d+/],
      [['--epoch', '3'], /unknown option '--epoch'/],
      [['--model', 'rnn'], /option '--model <kind>' argument 'rnn' is invalid\. Allowed choices are mlp, cnn/],
      [['--model', 'cnn', '--hidden', '16'], /option '--hidden <sizes>' applies to --model mlp only, not 'cnn'/],
      [['--shift', '9'], /the shift must be an integer from 0 to 4/],
      [['--schedule', 'step'], /Allowed choices are constant, cosine/],
    ];
    for (const [args, message] of cases) {
      const out = run('train', ...args);
      expect(out.status, args.join(' ')).not.toBe(0);
      expect(out.stderr, args.join(' ')).toMatch(message);
      expect(out.stdout, args.join(' ')).toBe('');
    }
  });

  it('trains on all 8,000 digits and reports; the worker backend prints the very same report', () => {
    const args = ['train', '--epochs', '1', '--hidden', '16', '--seed', '3'];
    const cpu = run(...args);
    expect(cpu.status).toBe(0);
    expect(cpu.stdout).toMatch(/^MNIST digits of the mnist package: 8000 for training, 1756 for testing\n/);
    expect(cpu.stdout).toContain('model: 784-16-10 MLP (ReLU, softmax, He init), 12,730 parameters');
    expect(cpu.stdout).toContain('training: Adam (learning rate 0.001), batch 128, 1 epoch, seed 3');
    expect(cpu.stdout).toMatch(/\ntest accuracy: 0\.\d{4} \(\d+ of 1756 digits\)\n/);
    expect(cpu.stdout).toMatch(/true \\ pred\s+0\s+1\s+2\s+3\s+4\s+5\s+6\s+7\s+8\s+9\s+recall\n/);
    expect(cpu.stdout).toMatch(/\nepoch\s+loss\s+accuracy\s+test loss\s+test accuracy\n/);
    // Not a terminal here, so progress is one plain line per epoch, on stderr.
    expect(cpu.stderr).toMatch(/^epoch 1\/1 {2}loss \d\.\d{4} {2}accuracy \d\.\d{4} {2}\d+ samples\/s\n$/);
    const worker = run(...args, '--backend', 'worker', '--threads', '2');
    expect(worker.status).toBe(0);
    expect(worker.stdout).toBe(cpu.stdout);
  });

  it('trains on the wasm backend, and prints the very same report on 1 and 2 threads', () => {
    const args = ['train', '--epochs', '1', '--hidden', '16', '--seed', '3', '--backend', 'wasm'];
    const one = run(...args);
    expect(one.status, one.stderr).toBe(0);
    const accuracy = Number(/\ntest accuracy: (0\.\d{4}) /.exec(one.stdout)?.[1]);
    expect(accuracy).toBeGreaterThan(0.7);
    const two = run(...args, '--threads', '2');
    expect(two.status, two.stderr).toBe(0);
    expect(two.stdout).toBe(one.stdout);
  });

  it('`train --save DIR` saves the model; `predict --model DIR` loads it and reports the same test accuracy', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scratchnet-demo-'));
    try {
      const target = join(dir, 'mnist');
      const trained = run('train', '--epochs', '1', '--hidden', '16', '--seed', '5', '--save', target);
      expect(trained.status, trained.stderr).toBe(0);
      expect(trained.stdout).toContain(`saved the trained model to ${target}`);
      expect(existsSync(join(target, 'model.json'))).toBe(true);
      const report = (out: string) => out.slice(out.indexOf('test accuracy:'), out.indexOf('\nhistory'));
      const predicted = run('predict', '--model', target);
      expect(predicted.status, predicted.stderr).toBe(0);
      expect(predicted.stdout).toContain(`model: ${target} (12,730 parameters)`);
      expect(predicted.stdout.trimEnd()).toBe(
        `model: ${target} (12,730 parameters)\n\n${report(trained.stdout).trimEnd()}`,
      );
      const missing = run('predict', '--model', join(dir, 'nothing-here'));
      expect(missing.status).not.toBe(0);
      expect(missing.stderr).toMatch(/nothing-here/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('on the wasm backend, `predict` reports the test accuracy `train --save` reported', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scratchnet-demo-'));
    try {
      const target = join(dir, 'mnist');
      const trained = run('train', '--epochs', '1', '--hidden', '16', '--seed', '5', '--backend', 'wasm', '--save', target);
      expect(trained.status, trained.stderr).toBe(0);
      const report = (out: string) => out.slice(out.indexOf('test accuracy:'), out.indexOf('\nhistory'));
      const predicted = run('predict', '--model', target, '--backend', 'wasm', '--threads', '2');
      expect(predicted.status, predicted.stderr).toBe(0);
      expect(predicted.stdout.trimEnd()).toBe(`model: ${target} (12,730 parameters)\n\n${report(trained.stdout).trimEnd()}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('`train --save DIR` with an unusable DIR fails before loading data or training, and leaves nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scratchnet-demo-'));
    try {
      const file = join(dir, 'file.txt');
      writeFileSync(file, 'x');
      const targets: [string, RegExp][] = [
        [file, /^ModelIOError: saveModel: cannot save to .*file\.txt: .*exists and is not a directory\n$/],
        [join(file, 'sub'), /^ModelIOError: saveModel: cannot save to .*file\.txt\/sub: .*ENOTDIR/],
      ];
      if (existsSync('/proc/self')) targets.push(['/proc/scratchnet-demo', /^ModelIOError: saveModel: cannot save to \/proc\/scratchnet-demo: cannot create directory/]);
      for (const [target, message] of targets) {
        const out = spawnSync(process.execPath, [cli, 'train', '--epochs', '1', '--hidden', '16', '--save', target], { encoding: 'utf8', timeout: 20_000 });
        expect(out.error, target).toBeUndefined(); // no timeout: nothing spins
        expect(out.status, target).toBe(1);
        expect(out.stderr, target).toMatch(message);
        expect(out.stdout, target).toBe('');
      }
      expect(readdirSync(dir)).toEqual(['file.txt']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('`predict --model DIR` whose model.json is a FIFO fails at once instead of waiting for a writer', () => {
    if (process.platform === 'win32') return;
    const dir = mkdtempSync(join(tmpdir(), 'scratchnet-demo-'));
    try {
      execFileSync('mkfifo', [join(dir, 'model.json')]);
      const out = spawnSync(process.execPath, [cli, 'predict', '--model', dir], { encoding: 'utf8', timeout: 20_000 });
      expect(out.error).toBeUndefined();
      expect(out.status).toBe(1);
      expect(out.stderr).toMatch(/^ModelFormatError: .*model\.json: a FIFO, not a regular file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
