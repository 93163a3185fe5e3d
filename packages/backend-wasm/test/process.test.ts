import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_DIR, prelude, report, runNode } from './run-node.js';

describe('the pool and the process', () => {
  it('an idle pool does not keep Node alive: a script exits by itself without dispose()', () => {
    const run = runNode(`${prelude()}
const backend = new WasmBackend({ threads: 3, inlineThreshold: 0 });
const a = random([200, 200]);
const out = zeros([200, 200]);
backend.matmul(a, a, out);
console.log(JSON.stringify({ done: true }));
`);
    expect(run.timedOut, 'the process did not exit').toBe(false);
    expect(run.status, run.stderr).toBe(0);
    expect(report(run)).toEqual({ done: true });
  });

  it('a backend that was never used, and one disposed, let the process exit too', () => {
    const run = runNode(`${prelude()}
new WasmBackend({ threads: 2 });
const used = new WasmBackend({ threads: 2, inlineThreshold: 0 });
used.unary('relu', random([1000]), zeros([1000]));
used.dispose();
let error;
try { used.unary('relu', random([10]), zeros([10])); } catch (e) { error = e; }
console.log(JSON.stringify(describeError(error)));
`);
    expect(run.timedOut).toBe(false);
    expect(run.status, run.stderr).toBe(0);
    const error = report<{ isBackendError: boolean; message: string }>(run);
    expect(error.isBackendError).toBe(true);
    expect(error.message).toContain('backend disposed');
  });

});

describe('clean threads', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'scratchnet-wasm-preload-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a preload in NODE_OPTIONS runs once, the caller flags do not reach the threads, results are right', () => {
    const preload = join(dir, 'preload.cjs');
    writeFileSync(preload, "console.log(require('node:worker_threads').isMainThread ? 'preload: main thread' : 'preload: worker thread');\n");
    const run = runNode(
      `${prelude()}
const backend = new WasmBackend({ threads: 3, inlineThreshold: 0 });
const a = random([100, 60]), b = random([60, 70]);
const out = zeros([100, 70]), expected = zeros([100, 70]);
backend.matmul(a, b, out);
new WasmBackend().matmul(a, b, expected);
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
  // resolve through node_modules), with dist/thread-entry.js missing or broken.
  let root = '';
  beforeAll(() => {
    root = mkdtempSync(join(PACKAGE_DIR, '.broken-bundle-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  function copyDist(name: string, entry: 'missing' | 'broken'): string {
    const dir = join(root, name);
    cpSync(join(PACKAGE_DIR, 'dist'), dir, { recursive: true });
    if (entry === 'missing') rmSync(join(dir, 'thread-entry.js'));
    else writeFileSync(join(dir, 'thread-entry.js'), "import './no-such-chunk.js';\n");
    return pathToFileURL(join(dir, 'index.js')).href;
  }

  it('a missing thread script: the constructor throws a BackendError naming it', () => {
    const run = runNode(`${prelude(copyDist('missing', 'missing'))}
let error;
try { new WasmBackend({ threads: 2 }); } catch (e) { error = e; }
console.log(JSON.stringify(describeError(error)));
`);
    expect(run.status, run.stderr).toBe(0);
    const error = report<{ isBackendError: boolean; message: string }>(run);
    expect(error.isBackendError).toBe(true);
    expect(error.message).toMatch(/worker script not found: .*thread-entry\.js/);
  });

  it('a thread script that fails to load: the first split op throws a BackendError carrying the cause; one thread still works', () => {
    const run = runNode(`${prelude(copyDist('broken', 'broken'))}
const backend = new WasmBackend({ threads: 2, inlineThreshold: 0 });
let error;
try { backend.unary('relu', random([1000]), zeros([1000])); } catch (e) { error = e; }
const single = new WasmBackend();
const out = zeros([4]);
single.unary('relu', random([4]), out);
console.log(JSON.stringify({ error: describeError(error), single: out.data.every((v) => v >= 0) }));
`);
    expect(run.timedOut).toBe(false);
    expect(run.status, run.stderr).toBe(0);
    const { error, single } = report<{ error: { isBackendError: boolean; message: string; cause: { message: string } }; single: boolean }>(run);
    expect(error.isBackendError).toBe(true);
    expect(error.message).toContain('could not start');
    expect(error.message).toMatch(/no-such-chunk/);
    expect(single).toBe(true);
  });
});
