import { instantiate } from '../module/instantiate.js';
import { runJs, runWasm, type ThreadContext } from '../kernels/jobs.js';
import {
  CANCEL,
  controlLayout,
  controlViews,
  doneWord,
  ENDED_EXIT,
  endWord,
  exitCodeWord,
  faultWord,
  JOB_SEQ,
  markDead,
  READY,
  RESULT_CANCELLED,
  RESULT_ERROR,
  RESULT_OK,
  resultWord,
  signal,
  startWord,
  stateWord,
} from './control-block.js';
import { errorInfo } from './error-info.js';
import { FAULT_CODES } from './faults.js';
import { readJob, type DecodedJob } from './job-codec.js';
import type { FromWorker, WorkerData } from './messages.js';
import { runInPieces } from './pieces.js';
import { ThreadEnd } from './thread-end.js';

/** An idle worker re-reads its words at least this often (it is woken at once for a job). */
const IDLE_WAIT_MS = 1000;

/** What the loop needs from its host (Node's worker_threads, or a browser's Web Worker). */
export interface WorkerHost {
  post(message: FromWorker): void;
  /** Ends the thread with `code`. */
  exit(code: number): never;
  /** Test hook: asks the host to terminate this thread from outside, and never returns. */
  killMe(): never;
  /** Test hook: ends this thread without running its last words. */
  vanish(): never;
  /** Registers last words for exits that run this thread's code. */
  onExit(fn: (code: number) => void): void;
}

/**
 * A worker: instantiates the kernel module over the shared memory, then runs the ranges it is
 * handed, job after job, until it is terminated.
 *
 * Between jobs it polls the job word `data.spins` times, then sleeps in `Atomics.wait` on it,
 * passing the value it last saw (a job that lands in between makes the wait return at once).
 * It reads the job number before it announces READY, so the first job cannot be missed.
 */
export function serveJobs(data: WorkerData, host: WorkerHost): void {
  const { slot, memory } = data;
  const layout = controlLayout(data.control, data.workers);
  const views = controlViews(memory.buffer, layout);
  const words = views.words;
  host.onExit((code) => {
    host.post({ type: 'exit', code });
    Atomics.compareExchange(words, exitCodeWord(slot), 0, code);
    markDead(words, slot, ENDED_EXIT);
  });
  let ctx: ThreadContext;
  try {
    ctx = { exports: instantiate(data.module, memory), scratch: data.scratch };
  } catch (error) {
    host.post({ type: 'startup-error', error: errorInfo(error) });
    host.exit(1);
  }

  let seen = Atomics.load(words, JOB_SEQ);
  Atomics.store(words, stateWord(slot), READY);
  signal(words);

  for (;;) {
    if (Atomics.load(words, faultWord(slot)) === FAULT_CODES['exit-idle']) host.exit(71);
    let seq = Atomics.load(words, JOB_SEQ);
    for (let spin = 0; seq === seen && spin < data.spins; spin++) seq = Atomics.load(words, JOB_SEQ);
    if (seq === seen) {
      // Timed, so that a fault injected between jobs is seen even if its wake-up came early.
      Atomics.wait(words, JOB_SEQ, seen, IDLE_WAIT_MS);
      continue;
    }
    seen = seq;
    const start = Atomics.load(words, startWord(slot));
    const end = Atomics.load(words, endWord(slot));
    let result = RESULT_OK;
    if (start < end && Atomics.load(words, CANCEL) !== seq) {
      try {
        const job = readJob(views, memory.buffer);
        const run = (s: number, e: number): void => runDecoded(ctx, job, s, e);
        const fault = Atomics.load(words, faultWord(slot));
        if (fault !== 0) {
          Atomics.store(words, faultWord(slot), 0);
          misbehave(fault, run, start, end, slot, host);
        }
        if (!runInPieces(run, start, end, job.piece, () => Atomics.load(words, CANCEL) === seq)) result = RESULT_CANCELLED;
      } catch (error) {
        // A browser thread that ended itself unwinds through here: let it go.
        if (error instanceof ThreadEnd) throw error;
        result = RESULT_ERROR;
        host.post({ type: 'error', seq, error: errorInfo(error) });
      }
    }
    Atomics.store(words, resultWord(slot), result);
    Atomics.store(words, doneWord(slot), seq);
    signal(words);
  }
}

function runDecoded(ctx: ThreadContext, job: DecodedJob, start: number, end: number): void {
  if (job.type === 'wasm') runWasm(ctx, job.kernel, job.f64, job.args, start, end);
  else runJs(job.kernel, job.args, start, end);
}

/** Test hook: computes the first half of the range, then fails as `fault` says. */
function misbehave(fault: number, run: (s: number, e: number) => void, start: number, end: number, slot: number, host: WorkerHost): void {
  run(start, start + Math.floor((end - start) / 2));
  if (fault === FAULT_CODES.throw) throw new Error(`fault injected into worker ${slot + 1}`);
  if (fault === FAULT_CODES.exit) host.exit(70);
  if (fault === FAULT_CODES.kill) host.killMe();
  if (fault === FAULT_CODES.close) host.vanish();
}
