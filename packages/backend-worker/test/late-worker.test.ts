import { describe, expect, it } from 'vitest';
import { claimSlot, claimWord, controlBytes, nextSeq, openSlot } from '../src/control-block.js';
import { prelude, report, runNode } from './run-node.js';

describe('a range is computed by exactly one thread: the worker, or the caller once its own range is done', () => {
  it('the first to claim a task’s range gets it; a claim for an older task never succeeds', () => {
    const control = new Int32Array(new SharedArrayBuffer(controlBytes(2)));
    openSlot(control, 1, 5);
    expect(claimSlot(control, 0, 5)).toBe(false); // slot 0 was not handed task 5
    expect(claimSlot(control, 1, 5)).toBe(true);
    expect(claimSlot(control, 1, 5)).toBe(false);
    openSlot(control, 1, 6);
    expect(claimSlot(control, 1, 5)).toBe(false); // a worker reading task 5 late skips it
    expect(claimSlot(control, 1, 6)).toBe(true);
    expect(control[claimWord(1)]).toBe(6);
  });

  it('task numbers stay within an Int32Array word and start again at 1', () => {
    expect(nextSeq(0)).toBe(1);
    expect(nextSeq(41)).toBe(42);
    expect(nextSeq(0x7ffffffe)).toBe(0x7fffffff);
    expect(nextSeq(0x7fffffff)).toBe(1);
    const control = new Int32Array(new SharedArrayBuffer(controlBytes(1)));
    openSlot(control, 0, 0x7fffffff);
    expect(claimSlot(control, 0, 0x7fffffff)).toBe(true);
    openSlot(control, 0, nextSeq(0x7fffffff));
    expect(claimSlot(control, 0, 0x7fffffff)).toBe(false);
    expect(claimSlot(control, 0, 1)).toBe(true);
  });

  it('a worker that has not started does not hold ops up, and writes nothing when it reads them late', () => {
    // Worker 1 of 2 is stalled (as if the OS had not scheduled it) through three matmuls: each
    // returns only because the caller computes worker 1's range itself. Released, worker 1 reads
    // the three tasks it missed; the next op is pinned to it (an armed fault), so it returns only
    // after worker 1 has read them all, and the output zeroed after the third must stay zero.
    const run = runNode(
      `${prelude()}
const backend = new WorkerBackend({ threads: 3 });
const a = random([256, 256]), b = random([256, 256]);
const expected = zeros([256, 256]);
new CpuBackend().matmul(a, b, expected);
const out = zeros([256, 256]);
backend.matmul(a, b, out);
const gate = new SharedArrayBuffer(4);
backend[INJECT_FAULT]('stall', 1, gate);
const results = [];
for (let i = 0; i < 3; i++) {
  out.data.fill(0);
  backend.matmul(a, b, out);
  results.push(sameBytes(out.data, expected.data));
}
out.data.fill(0);
Atomics.store(new Int32Array(gate), 0, 1);
Atomics.notify(new Int32Array(gate), 0);
backend[INJECT_FAULT]('throw', 1);
let pinned = null;
try { backend.matmul(a, b, zeros([256, 256])); } catch (e) { pinned = describeError(e); }
const untouched = out.data.every((v) => v === 0);
backend.matmul(a, b, out);
console.log(JSON.stringify({ results, untouched, pinned: pinned?.cause?.message ?? null, after: sameBytes(out.data, expected.data) }));
`,
      { timeoutMs: 20_000 },
    );
    expect(run.timedOut, `an op waited for the stalled worker:\n${run.stderr}`).toBe(false);
    expect(run.status, run.stderr).toBe(0);
    expect(report(run)).toEqual({ results: [true, true, true], untouched: true, pinned: 'fault injected into worker 1', after: true });
  });
});
