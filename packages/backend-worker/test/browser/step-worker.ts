import { matmul, setBackend, withBackend } from '@scratchnet/backend';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { WorkerBackend } from '@scratchnet/backend-worker/browser';
import { Dense, ReLU, Softmax } from '@scratchnet/layers';
import { Adam, Sequential } from '@scratchnet/model';
import { randn, seed, tensor } from '@scratchnet/tensor';
import { runOps, trainStep } from './scenarios.js';

/** The page's requests to this Web Worker, which is where the browser WorkerBackend may block. */
export type StepRequest =
  | { kind: 'compute'; threads: number }
  | { kind: 'fault'; fault: 'throw' | 'exit' | 'exit-idle' | 'kill' }
  | { kind: 'speed'; size: number; reps: number }
  | { kind: 'broken'; script: 'compute' | 'supervisor' };

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
  /** What `ready()` rejected with, and a later op threw. */
  readyError?: string;
  opError?: string;
  /** Later ops on the same backend: right bytes each (before and after `ready()` again). */
  laterCorrect?: boolean[];
  /**
   * Best milliseconds of a size³ float32 matmul on 1 and 2 threads, taking turns (and whether
   * their bytes agree); best samples/s of `fit` on CpuBackend and on 2 threads.
   */
  speed?: { one: number; two: number; sameBytes: boolean; fitCpu: number; fitTwo: number };
}

// Counts the Web Workers the backend starts here (its supervisor, which starts the compute
// workers), so the test sees how many pools there were; and, when asked, makes the compute or the
// supervisor script one that throws as it loads (the pool makes its Blobs from their sources).
const NativeWorker = (globalThis as unknown as { Worker: new (...args: unknown[]) => object }).Worker;
let workersStarted = 0;
(globalThis as unknown as { Worker: unknown }).Worker = class extends NativeWorker {
  constructor(...args: unknown[]) {
    super(...args);
    workersStarted++;
  }
};
let breakScript: 'compute' | 'supervisor' | null = null;
const NativeBlob = (globalThis as unknown as { Blob: new (parts: unknown[], options?: { type?: string }) => object }).Blob;
(globalThis as unknown as { Blob: unknown }).Blob = class extends NativeBlob {
  constructor(parts: unknown[], options?: { type?: string }) {
    // The compute script carries the cpu kernels (runKernel); the supervisor's does not.
    const compute = typeof parts[0] === 'string' && parts[0].includes('runKernel');
    const broken = breakScript !== null && (breakScript === 'compute') === compute;
    super(broken ? ["throw new Error('broken script');"] : parts, options);
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

/** Samples/s of one epoch of `fit` on a 784-128-128-10 MLP (the playground's), 2,048 random digits, batch 128, after a warm-up epoch. */
async function fitSpeed(): Promise<number> {
  seed(1);
  const x = randn([2048, 784]);
  const y = tensor(Array.from({ length: 2048 }, (_, i) => i % 10), { dtype: 'int32' });
  const model = new Sequential([new Dense(784, 128), new ReLU(), new Dense(128, 128), new ReLU(), new Dense(128, 10), new Softmax()]);
  model.compile({ optimizer: new Adam({ learningRate: 0.001 }), loss: 'sparseCategoricalCrossentropy' });
  await model.fit(x, y, { epochs: 1, batchSize: 128 });
  const started = performance.now();
  await model.fit(x, y, { epochs: 1, batchSize: 128 });
  return 2048 / ((performance.now() - started) / 1000);
}

/** 1 thread against 2, taking turns, best of `reps`: a size³ float32 matmul, and `fit` (fitSpeed) on CpuBackend against 2 threads. */
async function speed(size: number, reps: number): Promise<StepReply> {
  const one = new WorkerBackend({ threads: 1 });
  const two = new WorkerBackend({ threads: 2 });
  const cpu = new CpuBackend();
  await two.ready();
  seed(5);
  const a = randn([size, size]);
  const b = randn([size, size]);
  const best = { one: Infinity, two: Infinity, fitCpu: 0, fitTwo: 0 };
  const results: Record<string, Float32Array> = {};
  for (let rep = 0; rep < reps; rep++) {
    for (const [name, backend] of [['one', one], ['two', two]] as const) {
      const started = performance.now();
      const out = withBackend(backend, () => matmul(a, b));
      best[name] = Math.min(best[name], performance.now() - started);
      results[name] = out.data as Float32Array;
    }
  }
  for (let rep = 0; rep < 3; rep++) {
    best.fitCpu = Math.max(best.fitCpu, await withBackend(cpu, fitSpeed));
    best.fitTwo = Math.max(best.fitTwo, await withBackend(two, fitSpeed));
  }
  const sameBytes = results.one!.every((v, i) => Object.is(v, results.two![i]));
  one.dispose();
  two.dispose();
  return { ok: true, speed: { ...best, sameBytes } };
}

/**
 * A pool whose compute or supervisor script throws as it loads (in this realm the pool's Blob
 * URLs are made once, so every later pool here has the broken script too).
 */
async function broken(script: 'compute' | 'supervisor'): Promise<StepReply> {
  breakScript = script;
  const backend = new WorkerBackend({ threads: 2, inlineThreshold: 0 });
  let readyError: string | undefined;
  try {
    await backend.ready();
  } catch (error) {
    readyError = describeError(error);
  }
  seed(4);
  const a = randn([128, 128]);
  const b = randn([128, 128]);
  const reference = withBackend(new CpuBackend(), () => matmul(a, b));
  const same = (x: { data: ArrayLike<number> }) => Array.from(x.data).every((v, i) => Object.is(v, reference.data[i]));
  // The pool is replaced, and its replacement is not up before this thread yields: the op runs here.
  const laterCorrect = [same(withBackend(backend, () => matmul(a, b)))];
  // Once the replacement's script has failed too, the next split op says so.
  await sleep(300);
  let opError: string | undefined;
  try {
    withBackend(backend, () => matmul(a, b));
  } catch (error) {
    opError = describeError(error);
  }
  backend.dispose();
  return { ok: true, ...(readyError === undefined ? {} : { readyError }), ...(opError === undefined ? {} : { opError }), laterCorrect, workersStarted };
}

const scope = globalThis as unknown as { onmessage: (event: { data: StepRequest }) => void; postMessage(reply: StepReply): void };
scope.onmessage = async ({ data }) => {
  try {
    if (data.kind === 'compute') scope.postMessage(await compute(data.threads));
    else if (data.kind === 'speed') scope.postMessage(await speed(data.size, data.reps));
    else if (data.kind === 'broken') scope.postMessage(await broken(data.script));
    else scope.postMessage(await fault(data.fault));
  } catch (error) {
    scope.postMessage({ ok: false, error: describeError(error) });
  }
};
