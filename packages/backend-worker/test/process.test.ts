import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_DIR, prelude, report, runNode } from './run-node.js';

interface Outcome {
  error: { name: string; isBackendError: boolean; message: string; cause: { message: string } | null } | null;
}

describe('an idle pool never keeps the process alive', () => {
  for (const [what, body] of [
    ['after a split op, without dispose()', 'const out = zeros([256, 256]); backend.matmul(random([256, 256]), random([256, 256]), out);'],
    ['with workers started but never used', ''],
    [
      'after a worker died and the pool was replaced',
      "backend[INJECT_FAULT]('exit', 1); try { backend.matmul(random([256, 256]), random([256, 256]), zeros([256, 256])); } catch {} backend.matmul(random([256, 256]), random([256, 256]), zeros([256, 256]));",
    ],
  ] as const) {
    it(`a script exits by itself ${what}`, () => {
      const run = runNode(`${prelude()}
const backend = new WorkerBackend({ threads: 2, inlineThreshold: 0 });
${body}
console.log(JSON.stringify({ done: true }));
`);
      expect(run.timedOut, 'the process stayed up').toBe(false);
      expect(run.status, run.stderr).toBe(0);
      expect(report(run)).toEqual({ done: true });
    });
  }
});

describe("the application's Node flags stay out of the pool threads", () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'scratchnet-preload-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a preload in NODE_OPTIONS runs once, flags a worker would reject are no obstacle, results are right', () => {
    const preload = join(dir, 'preload.cjs');
    writeFileSync(preload, "console.log(require('node:worker_threads').isMainThread ? 'preload: main thread' : 'preload: worker thread');\n");
    const run = runNode(
      `${prelude()}
const backend = new WorkerBackend({ threads: 3, inlineThreshold: 0 });
const a = random([100, 60]), b = random([60, 70]);
const out = zeros([100, 70]), expected = zeros([100, 70]);
backend.matmul(a, b, out);
new CpuBackend().matmul(a, b, expected);
console.log(JSON.stringify({ same: sameBytes(out.data, expected.data) }));
`,
      { flags: ['--expose-gc', '--conditions=development'], env: { ...process.env, NODE_OPTIONS: `--require ${preload}` } },
    );
    expect(run.timedOut).toBe(false);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.match(/preload: [a-z]+ thread/g)).toEqual(['preload: main thread']);
    expect(report(run)).toEqual({ same: true });
  });
});

describe('a broken bundle gives a typed error, not a hang or a crash', () => {
  // A copy of the built package inside the package directory (so that its dependencies still
  // resolve through node_modules), with dist/worker-entry.js missing or broken.
  let root = '';
  beforeAll(() => {
    root = mkdtempSync(join(PACKAGE_DIR, '.broken-bundle-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  function bundle(name: string, workerEntry: string | null): string {
    const dist = join(root, name, 'dist');
    mkdirSync(dist, { recursive: true });
    copyFileSync(join(PACKAGE_DIR, 'dist', 'index.js'), join(dist, 'index.js'));
    if (workerEntry !== null) writeFileSync(join(dist, 'worker-entry.js'), workerEntry);
    return join(dist, 'index.js');
  }

  it('a missing worker script: the constructor throws a BackendError naming the path', () => {
    const index = bundle('missing', null);
    const run = runNode(`${prelude(pathToFileURL(index).href)}
let error;
try { new WorkerBackend({ threads: 2 }); } catch (e) { error = e; }
// One thread needs no worker script: that still works.
const one = new WorkerBackend({ threads: 1 });
const out = zeros([2, 2]);
one.matmul(random([2, 3]), random([3, 2]), out);
console.log(JSON.stringify({ error: describeError(error) }));
`);
    expect(run.timedOut).toBe(false);
    expect(run.status, run.stderr).toBe(0);
    const { error } = report<Outcome>(run);
    expect(error?.isBackendError).toBe(true);
    expect(error?.message).toContain('worker script not found');
    expect(error?.message).toContain(join(root, 'missing', 'dist', 'worker-entry.js'));
  });

  it('a worker script that fails to load: the first split op throws a BackendError with the cause, and so does the next', () => {
    const index = bundle('unloadable', "import './chunk-that-was-not-copied.js';\n");
    const run = runNode(`${prelude(pathToFileURL(index).href)}
const backend = new WorkerBackend({ threads: 2, inlineThreshold: 0 });
const errors = [];
for (let i = 0; i < 2; i++) {
  try { backend.matmul(random([64, 64]), random([64, 64]), zeros([64, 64])); errors.push(null); } catch (e) { errors.push(describeError(e)); }
}
console.log(JSON.stringify({ errors }));
`);
    expect(run.timedOut, 'the process stayed up').toBe(false);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const { errors } = report<{ errors: Outcome['error'][] }>(run);
    for (const error of errors) {
      expect(error?.isBackendError).toBe(true);
      expect(error?.message).toMatch(/worker 1 of 1 could not start/);
      expect(error?.cause?.message).toContain('chunk-that-was-not-copied.js');
    }
  });

  it('a worker script whose kernels cannot be imported: the error names the missing package', () => {
    const source = readFileSync(join(PACKAGE_DIR, 'dist', 'worker-entry.js'), 'utf8');
    expect(source).toContain('import("@scratchnet/backend-cpu")');
    const index = bundle('no-kernels', source.replace('import("@scratchnet/backend-cpu")', 'import("@scratchnet/backend-cpu-not-installed")'));
    const run = runNode(`${prelude(pathToFileURL(index).href)}
const backend = new WorkerBackend({ threads: 2, inlineThreshold: 0 });
let error;
try { backend.unary('relu', random([1000]), zeros([1000])); } catch (e) { error = e; }
console.log(JSON.stringify({ error: describeError(error) }));
`);
    expect(run.timedOut, 'the process stayed up').toBe(false);
    expect(run.status, run.stderr).toBe(0);
    const { error } = report<Outcome>(run);
    expect(error?.isBackendError).toBe(true);
    expect(error?.message).toMatch(/could not start/);
    expect(error?.cause?.message).toContain('@scratchnet/backend-cpu-not-installed');
  });
});
