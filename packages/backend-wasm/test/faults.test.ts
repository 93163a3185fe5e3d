import { describe, expect, it } from 'vitest';
import { prelude, report, runNode } from './run-node.js';

interface ErrorReport {
  name: string;
  isBackendError: boolean;
  message: string;
  cause: { name: string; message: string } | null;
}

interface FaultReport {
  error: ErrorReport | null;
  /** The faulty op left no thread blocked: later ops on the same backend gave one thread's bytes. */
  laterCorrect: boolean[];
}

/**
 * Arms `kind` in worker `worker` of a `threads`-thread backend, runs a 384³ matmul (split over
 * every thread, so the worker is mid-kernel when it fails), then three more matmuls compared with
 * a one-thread backend's bytes.
 */
function faultScript(kind: string, threads: number, worker: number): string {
  return `${prelude()}
const backend = new WasmBackend({ threads: ${threads}, inlineThreshold: 0 });
const a = random([384, 384]), b = random([384, 384]);
const expected = zeros([384, 384]);
new WasmBackend().matmul(a, b, expected);
const out = zeros([384, 384]);
backend.matmul(a, b, out);
backend[INJECT_FAULT](${JSON.stringify(kind)}, ${worker});
let error;
try { backend.matmul(a, b, out); } catch (e) { error = e; }
const laterCorrect = [];
for (let i = 0; i < 3; i++) {
  out.data.fill(0);
  backend.matmul(a, b, out);
  laterCorrect.push(sameBytes(out.data, expected.data));
}
console.log(JSON.stringify({ error: describeError(error), laterCorrect }));
`;
}

describe('a worker that fails mid-op makes that op throw a BackendError, never a hang', () => {
  for (const [kind, threads, worker, cause] of [
    ['throw', 2, 1, /^fault injected into worker 1$/],
    ['throw', 4, 2, /^fault injected into worker 2$/],
    ['exit', 2, 1, /exited with code 70/],
    ['exit', 4, 3, /exited with code 70/],
    ['kill', 2, 1, /exited with code 1/],
    ['kill', 3, 2, /exited with code 1/],
    ['close', 2, 1, /exited with code 72/],
  ] as const) {
    it(`${kind} in worker ${worker} of a ${threads}-thread backend; later ops are correct`, () => {
      const run = runNode(faultScript(kind, threads, worker));
      expect(run.timedOut, `the process hung:\n${run.stderr}`).toBe(false);
      expect(run.status, run.stderr).toBe(0);
      const { error, laterCorrect } = report<FaultReport>(run);
      expect(error).not.toBeNull();
      expect(error!.isBackendError).toBe(true);
      expect(error!.message).toMatch(/^wasm backend: matmul \((packB|matmulRows)\) failed/);
      expect(error!.message).toContain(`worker ${worker} of ${threads - 1}`);
      if (kind !== 'throw') expect(error!.message).toContain('died mid-job');
      expect(error!.cause?.message).toMatch(cause);
      expect(laterCorrect).toEqual([true, true, true]);
    });
  }

  it('a worker that dies between ops is replaced before the next op, which succeeds', () => {
    const run = runNode(`${prelude()}
const backend = new WasmBackend({ threads: 3, inlineThreshold: 0 });
const a = random([256, 256]), b = random([256, 256]);
const expected = zeros([256, 256]);
new WasmBackend().matmul(a, b, expected);
const out = zeros([256, 256]);
backend.matmul(a, b, out);
backend[INJECT_FAULT]('exit-idle', 2);
// Give the worker time to exit (an idle worker re-reads its words at least once a second).
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500);
const results = [];
for (let i = 0; i < 2; i++) {
  out.data.fill(0);
  try { backend.matmul(a, b, out); results.push(sameBytes(out.data, expected.data)); } catch (e) { results.push(describeError(e)); }
}
console.log(JSON.stringify(results));
`);
    expect(run.timedOut).toBe(false);
    expect(run.status, run.stderr).toBe(0);
    expect(report(run)).toEqual([true, true]);
  });

  it('a fault armed in a worker waits for work that is split: small ops run inline below the threshold', () => {
    // Threshold 2·64·64·64 for matmul rows: a 63-row product (just below) stays on the calling
    // thread and succeeds with the fault armed; a 64-row product (at the threshold) is split.
    const run = runNode(`${prelude()}
const backend = new WasmBackend({ threads: 2, inlineThreshold: { matmulRows: 2 * 64 * 64 * 64 } });
const one = new WasmBackend();
const b = random([64, 64]);
const small = random([63, 64]), large = random([64, 64]);
backend[INJECT_FAULT]('throw', 1);
const results = [];
for (const a of [small, small, large]) {
  const out = zeros([a.shape[0], 64]), expected = zeros([a.shape[0], 64]);
  one.matmul(a, b, expected);
  try { backend.matmul(a, b, out); results.push({ ok: sameBytes(out.data, expected.data) }); }
  catch (e) { results.push({ error: describeError(e) }); }
}
console.log(JSON.stringify(results));
`);
    expect(run.timedOut).toBe(false);
    const results = report<Array<{ ok?: boolean; error?: ErrorReport }>>(run);
    expect(results[0]).toEqual({ ok: true });
    expect(results[1]).toEqual({ ok: true });
    expect(results[2]!.error?.isBackendError).toBe(true);
    expect(results[2]!.error?.cause?.message).toBe('fault injected into worker 1');
  });

  it('a JavaScript kernel (pow) that fails in a worker is reported the same way', () => {
    const run = runNode(`${prelude()}
const backend = new WasmBackend({ threads: 2, inlineThreshold: 0 });
const x = random([64, 1000]), y = random([64, 1000]);
for (let i = 0; i < x.size; i++) x.data[i] += 1;
const out = zeros([64, 1000]);
backend[INJECT_FAULT]('throw', 1);
let error;
try { backend.binary('pow', x, y, out); } catch (e) { error = e; }
const expected = zeros([64, 1000]);
new WasmBackend().binary('pow', x, y, expected);
out.data.fill(0);
backend.binary('pow', x, y, out);
console.log(JSON.stringify({ error: describeError(error), later: sameBytes(out.data, expected.data) }));
`);
    expect(run.timedOut).toBe(false);
    const { error, later } = report<{ error: ErrorReport; later: boolean }>(run);
    expect(error.isBackendError).toBe(true);
    expect(error.message).toContain('wasm backend: binary failed in worker 1 of 1: fault injected into worker 1');
    expect(later).toBe(true);
  });
});
