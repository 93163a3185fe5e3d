import { WasmBackend } from '@scratchnet/backend-wasm';
import { zeros, type Tensor } from '@scratchnet/tensor';
import { isShared, trainStep } from './mlp-step.js';

/** The page's request: threads of the backend to train on, inside this Web Worker. */
export interface StepRequest {
  threads: number;
  /** Hide Web Locks from this worker before the backend starts (a browser without them). */
  hideLocks?: boolean;
  /** Instead of training: inject this fault into worker `worker` during a matmul (see FaultReply). */
  fault?: { kind: 'throw' | 'exit' | 'kill' | 'close'; worker: number };
}

/** The locks of one pool, as the browser's lock manager lists them. */
export interface PoolLocks {
  /** Threads holding their lock. */
  held: number;
  /** Requests waiting for those locks (the supervisor's, one per thread). */
  pending: number;
}

/** An error as plain data. */
export interface ErrorReport {
  name: string;
  message: string;
  cause: string | null;
}

/** What happened around an injected fault. */
export interface FaultReply {
  /** What the faulty matmul threw (null: it returned). */
  error: ErrorReport | null;
  /** Locks of the replacement pool, once it was ready (null: no new pool within 10 s, or 0.5 s after a `throw`). */
  replacementLocks: PoolLocks | null;
  /** Three matmuls on the replacement (or kept) pool: each gave one thread's bytes. */
  laterCorrect: boolean[];
  /** A `throw` fault injected into that pool's last worker: the op's error (proves the ops are split over it). */
  replacementFault: ErrorReport | null;
}

/** What the worker answers: the weights' bytes, and what shows the threads were real. */
export interface StepReply {
  ok: boolean;
  error?: string;
  weights?: number[];
  /** Web Workers this worker started (the backend's supervisor; the threads are its children). */
  workersStarted?: number;
  /** The backend's memory is a SharedArrayBuffer. */
  sharedMemory?: boolean;
  /** The pool's locks once the backend was created (null: no pool's locks were found). */
  locks?: PoolLocks | null;
  fault?: FaultReply;
}

// Counts the Web Workers the backend starts, so the test sees that the threads really ran.
const NativeWorker = (globalThis as unknown as { Worker: new (...args: unknown[]) => object }).Worker;
let workersStarted = 0;
(globalThis as unknown as { Worker: unknown }).Worker = class extends NativeWorker {
  constructor(...args: unknown[]) {
    super(...args);
    workersStarted++;
  }
};

interface LockInfo {
  name?: string;
}
const navigatorOf = globalThis as unknown as { navigator: { locks?: { query(): Promise<{ held?: LockInfo[]; pending?: LockInfo[] }> } } };
// Kept before a test hides them from the backend.
const locks = navigatorOf.navigator.locks!;

/** The backend's lock names: '@scratchnet/backend-wasm pool <id> thread <n>'. */
const poolOf = (lock: LockInfo): string | null => /^@scratchnet\/backend-wasm pool (\S+) thread \d+$/.exec(lock.name ?? '')?.[1] ?? null;

async function poolIds(): Promise<Set<string>> {
  const { held = [] } = await locks.query();
  return new Set(held.map(poolOf).filter((id): id is string => id !== null));
}

/** The locks of the one pool whose id is not in `before` (pools of earlier backends may still be ending). */
async function newPoolLocks(before: Set<string>): Promise<PoolLocks | null> {
  const { held = [], pending = [] } = await locks.query();
  const ids = new Set(held.map(poolOf).filter((id): id is string => id !== null && !before.has(id)));
  if (ids.size !== 1) return null;
  const [id] = ids;
  return { held: held.filter((l) => poolOf(l) === id).length, pending: pending.filter((l) => poolOf(l) === id).length };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const describeError = (e: unknown): ErrorReport | null =>
  e === undefined
    ? null
    : e instanceof Error
      ? { name: e.name, message: e.message, cause: e.cause instanceof Error ? e.cause.message : null }
      : { name: 'not an Error', message: String(e), cause: null };

let state = 1;
/** A deterministic tensor of values in [-0.5, 0.5). */
function random(shape: number[]): Tensor {
  const t = zeros(shape);
  const data = t.data as Float32Array;
  for (let i = 0; i < data.length; i++) {
    state = (state * 16807) % 2147483647;
    data[i] = state / 2147483647 - 0.5;
  }
  return t;
}

function sameBytes(x: Tensor, y: Tensor): boolean {
  const a = new Uint8Array((x.data as Float32Array).slice().buffer);
  const b = new Uint8Array((y.data as Float32Array).slice().buffer);
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

const INJECT_FAULT = Symbol.for('@scratchnet/backend-wasm.injectFault');
type Injectable = WasmBackend & { [INJECT_FAULT](kind: string, worker: number): void };

/**
 * A 384³ matmul (split over every thread, so the worker is mid-kernel when it fails) with `kind`
 * armed in worker `worker`; then, once the replacement pool is ready, three more matmuls
 * compared with one thread's bytes, and a `throw` fault in the replacement pool.
 */
async function faultRun(backend: Injectable, threads: number, kind: string, worker: number): Promise<FaultReply> {
  const a = random([384, 384]);
  const b = random([384, 384]);
  const expected = zeros([384, 384]);
  new WasmBackend().matmul(a, b, expected);
  const out = zeros([384, 384]);
  backend.matmul(a, b, out);
  const before = await poolIds();
  backend[INJECT_FAULT](kind, worker);
  let error: unknown;
  try {
    backend.matmul(a, b, out);
  } catch (e) {
    error = e;
  }
  // A death breaks the pool and the failed op starts a replacement, whose threads start once
  // this thread yields; an error in a job keeps the pool (then no new pool should appear).
  let replacementLocks: PoolLocks | null = null;
  for (const until = performance.now() + (kind === 'throw' ? 500 : 10_000); performance.now() < until; await sleep(20)) {
    replacementLocks = await newPoolLocks(before);
    if (replacementLocks !== null && replacementLocks.held === threads - 1 && replacementLocks.pending === threads - 1) break;
  }
  const laterCorrect: boolean[] = [];
  for (let i = 0; i < 3; i++) {
    (out.data as Float32Array).fill(0);
    backend.matmul(a, b, out);
    laterCorrect.push(sameBytes(out, expected));
  }
  backend[INJECT_FAULT]('throw', threads - 1);
  let replacementFault: unknown;
  try {
    backend.matmul(a, b, out);
  } catch (e) {
    replacementFault = e;
  }
  return { error: describeError(error), replacementLocks, laterCorrect, replacementFault: describeError(replacementFault) };
}

const scope = globalThis as unknown as { onmessage: (event: { data: StepRequest }) => void; postMessage(reply: StepReply): void };
scope.onmessage = async ({ data }) => {
  try {
    if (data.hideLocks === true) Object.defineProperty(navigatorOf.navigator, 'locks', { value: undefined, configurable: true });
    const before = await poolIds();
    // inlineThreshold 0: every kernel call that can be split is split over the threads.
    const backend = (await WasmBackend.create({ threads: data.threads, inlineThreshold: 0 })) as Injectable;
    const poolLocks = data.threads > 1 ? await newPoolLocks(before) : null;
    const sharedMemory = isShared(backend.memory.buffer);
    if (data.fault !== undefined) {
      const fault = await faultRun(backend, data.threads, data.fault.kind, data.fault.worker);
      backend.dispose();
      scope.postMessage({ ok: true, workersStarted, sharedMemory, locks: poolLocks, fault });
      return;
    }
    const weights = await trainStep(backend);
    backend.dispose();
    scope.postMessage({ ok: true, weights: [...weights], workersStarted, sharedMemory, locks: poolLocks });
  } catch (error) {
    scope.postMessage({ ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  }
};
