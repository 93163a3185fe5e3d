import { matmul, setBackend, withBackend } from '@scratchnet/backend';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { WorkerBackend } from '@scratchnet/backend-worker/browser';
import { randn, seed } from '@scratchnet/tensor';
import { runOps, trainStep } from './scenarios.js';

/** The page's requests to this Web Worker, which is where the browser WorkerBackend may block. */
export type StepRequest =
  | { kind: 'compute'; threads: number }
  | { kind: 'fault'; fault: 'throw' | 'exit' | 'exit-idle' | 'kill' };

/** Names of the scratchnet locks held and asked for (navigator.locks.query()). */
export interface LockCensus {
  held: string[];
  pending: string[];
}

/** What the worker answers. */
export interface StepReply {
  ok: boolean;
  /** `Name: message` of an error that was not expected. */
  error?: string;
  ops?: number[];
  weights?: number[];
  /** Web Workers this worker started (the pool's workers and its supervisor). */
  workersStarted?: number;
  /** The pool's locks once it is ready, and shortly after dispose(). */
  locksReady?: LockCensus;
  locksDisposed?: LockCensus;
  /** The faulty op's error, and how long the op took to fail. */
  fault?: { name: string; isBackendError: boolean; message: string; cause?: string; ms: number };
  /** Later ops on the same backend: right bytes each (before and after `ready()` again). */
  laterCorrect?: boolean[];
}

// Counts the Web Workers the backend starts, so the test sees that threads really started.
const NativeWorker = (globalThis as unknown as { Worker: new (...args: unknown[]) => object }).Worker;
let workersStarted = 0;
(globalThis as unknown as { Worker: unknown }).Worker = class extends NativeWorker {
  constructor(...args: unknown[]) {
    super(...args);
    workersStarted++;
  }
};

interface Locks {
  query(): Promise<{ held?: { name: string }[]; pending?: { name: string }[] }>;
}
const locks = (globalThis as unknown as { navigator: { locks: Locks } }).navigator.locks;

async function census(): Promise<LockCensus> {
  const { held = [], pending = [] } = await locks.query();
  const ours = (list: { name: string }[]) => list.map((l) => l.name).filter((n) => n.startsWith('scratchnet-worker:'));
  return { held: ours(held), pending: ours(pending) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const INJECT_FAULT = Symbol.for('@scratchnet/backend-worker.injectFault');
type Faulty = Record<symbol, (kind: string, worker: number) => void>;

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

async function compute(threads: number): Promise<StepReply> {
  // inlineThreshold 0: every kernel call that can be split is split over the threads.
  const backend = new WorkerBackend({ threads, inlineThreshold: 0 });
  await backend.ready();
  const locksReady = await census();
  const ops = runOps(backend);
  const weights = await trainStep(backend);
  backend.dispose();
  // A browser releases a terminated worker's lock once it has stopped: give it a moment.
  let locksDisposed = await census();
  for (let i = 0; i < 100 && locksDisposed.held.length + locksDisposed.pending.length > 0; i++) {
    await sleep(20);
    locksDisposed = await census();
  }
  return { ok: true, ops: [...ops], weights: [...weights], workersStarted, locksReady, locksDisposed };
}

async function fault(kind: 'throw' | 'exit' | 'exit-idle' | 'kill'): Promise<StepReply> {
  const backend = new WorkerBackend({ threads: 2, inlineThreshold: 0 });
  await backend.ready();
  seed(3);
  const a = randn([256, 256]);
  const b = randn([256, 256]);
  const reference = withBackend(new CpuBackend(), () => matmul(a, b));
  setBackend(backend);
  const same = (x: { data: ArrayLike<number> }) => Array.from(x.data).every((v, i) => Object.is(v, reference.data[i]));
  const laterCorrect = [same(matmul(a, b))];
  let failure: StepReply['fault'];
  (backend as unknown as Faulty)[INJECT_FAULT]!(kind, 1);
  if (kind === 'exit-idle') {
    // The worker ends between ops; the next op must not fail for it.
    await sleep(300);
  } else {
    const started = performance.now();
    try {
      matmul(a, b);
    } catch (error) {
      const e = error as Error & { cause?: unknown };
      failure = {
        name: e.name,
        isBackendError: e.name === 'BackendError',
        message: e.message,
        ms: performance.now() - started,
        ...(e.cause instanceof Error ? { cause: e.cause.message } : {}),
      };
    }
  }
  for (let i = 0; i < 2; i++) laterCorrect.push(same(matmul(a, b)));
  // A replaced pool runs ops on this thread until its workers are up; after ready() they split again.
  await backend.ready();
  for (let i = 0; i < 2; i++) laterCorrect.push(same(matmul(a, b)));
  backend.dispose();
  return { ok: true, ...(failure ? { fault: failure } : {}), laterCorrect, workersStarted };
}

const scope = globalThis as unknown as { onmessage: (event: { data: StepRequest }) => void; postMessage(reply: StepReply): void };
scope.onmessage = async ({ data }) => {
  try {
    scope.postMessage(data.kind === 'compute' ? await compute(data.threads) : await fault(data.fault));
  } catch (error) {
    scope.postMessage({ ok: false, error: describeError(error) });
  }
};
