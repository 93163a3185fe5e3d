import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { BackendError } from '@scratchnet/backend';
import { CpuBackend, KERNEL_NAMES, runKernel, type KernelName, type KernelTask } from '@scratchnet/backend-cpu';
import { ValueError, type Allocator, type Tensor, type TypedArray } from '@scratchnet/tensor';
import type { FaultKind } from './control-block.js';
import { DEFAULT_INLINE_THRESHOLDS } from './inline-thresholds.js';
import { Pool } from './pool.js';
import { sharedAllocator, sharedDataOf } from './shared-allocator.js';
import { splitRange } from './split-range.js';
import { assertWorkersRunCurrentBuild } from './stale-build.js';

export interface WorkerBackendOptions {
  /**
   * Threads that compute each op, the calling thread included: 2 means the caller plus one
   * worker, 1 means no workers at all. An integer from 1 to `WorkerBackend.maxThreads()`.
   * Default: `os.availableParallelism()`.
   */
  threads?: number;
  /**
   * Work (`units × cost` of a kernel call, roughly its flops) below which a kernel runs inline
   * on the calling thread: one number for every kernel, or numbers for some kernels (the rest
   * keep their defaults). 0 splits everything that can be split; Infinity splits nothing.
   * Default: `DEFAULT_INLINE_THRESHOLDS`, measured on a 2-core machine.
   */
  inlineThreshold?: number | Partial<Record<KernelName, number>>;
}

/** Test hook (not public API): `backend[INJECT_FAULT](kind, worker)` makes a worker fail mid-task. */
const INJECT_FAULT: unique symbol = Symbol.for('@scratchnet/backend-worker.injectFault');

/**
 * The cpu backend's kernels on every core: a pool of `worker_threads` over `SharedArrayBuffer`
 * storage, with the calling thread computing too.
 *
 * Each kernel call is split over its output units at multiples of the cpu kernel's tile, and
 * every thread runs the cpu backend's own range kernel on its slice, so results are bitwise
 * identical to `CpuBackend`. Ops stay synchronous: the caller runs the first slice, then blocks
 * in `Atomics.wait` until the workers are done. Calls below a per-kernel amount of work run
 * inline. A worker that throws or dies makes the op throw a `BackendError` (the pool is then
 * replaced); `dispose()` ends the pool; an idle pool never keeps the process alive.
 */
export class WorkerBackend extends CpuBackend {
  override readonly name: string = 'worker';
  /** New tensors live in shared memory, which every pool thread reads and writes in place. */
  readonly allocator: Allocator = sharedAllocator;
  /** Threads computing each op, the calling thread included. */
  readonly threads: number;
  readonly #thresholds: Readonly<Record<KernelName, number>>;
  readonly #entry: URL | null;
  /** The current pool, in a box the finalizer can reach once this backend is gone. */
  readonly #holder: { pool: Pool | null } = { pool: null };
  #disposed = false;

  /** The largest `threads` accepted: 4 per available core (at least 4). */
  static maxThreads(): number {
    return Math.max(4, 4 * availableParallelism());
  }

  constructor(options: WorkerBackendOptions = {}) {
    super();
    if (options === null || typeof options !== 'object') {
      throw new ValueError(`WorkerBackend: options must be an object, got ${describe(options)}`);
    }
    this.threads = checkThreads(options.threads);
    this.#thresholds = checkThresholds(options.inlineThreshold);
    this.#entry = this.threads > 1 ? locateWorkerEntry() : null;
    if (this.#entry !== null) assertWorkersRunCurrentBuild();
    // Started now so that the workers have loaded by the time the first large op arrives.
    if (this.#entry !== null) {
      this.#holder.pool = startPool(this.#entry, this.threads - 1);
      abandoned.register(this, this.#holder, this.#holder);
    }
  }

  /**
   * A tensor's elements in shared memory: moved there once if a creation function allocated
   * them, refused if they are the caller's own array (see sharedDataOf).
   */
  protected override dataOf(t: Tensor): TypedArray {
    return sharedDataOf(t);
  }

  protected override run(task: KernelTask): void {
    if (this.#disposed) {
      throw new BackendError(`worker backend: ${task.kernel}: backend disposed; create a new WorkerBackend to run more ops`);
    }
    if (this.#entry === null || task.units * task.cost < this.#thresholds[task.kernel]) {
      runKernel(task, 0, task.units);
      return;
    }
    const ranges = splitRange(task.units, task.grain, this.threads);
    if (ranges.length < 2) {
      runKernel(task, 0, task.units);
      return;
    }
    assertSharedArgs(task);
    const pool = this.#livePool(this.#entry);
    try {
      pool.run(task, ranges);
    } catch (error) {
      // A dead worker breaks the pool: start its replacement now, so it is loading while the
      // caller handles the error.
      if (pool.broken) this.#replacePool(this.#entry);
      throw error;
    }
  }

  /** Ends the worker threads. Any op afterwards throws a BackendError. Idempotent. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#holder.pool?.terminate();
    this.#holder.pool = null;
    abandoned.unregister(this.#holder);
  }

  /** Test hook: worker `worker` (1-based) fails as `kind` says during its next task. */
  [INJECT_FAULT](kind: FaultKind, worker = 1): void {
    if (this.#entry === null || this.#disposed) throw new BackendError('worker backend: no workers to inject a fault into');
    if (!Number.isInteger(worker) || worker < 1 || worker >= this.threads) {
      throw new ValueError(`worker backend: no worker ${worker}; workers are 1 to ${this.threads - 1}`);
    }
    this.#livePool(this.#entry).injectFault(worker - 1, kind);
  }

  #livePool(entry: URL): Pool {
    if (this.#holder.pool === null || this.#holder.pool.broken) this.#replacePool(entry);
    return this.#holder.pool!;
  }

  #replacePool(entry: URL): void {
    this.#holder.pool?.terminate();
    this.#holder.pool = null;
    this.#holder.pool = startPool(entry, this.threads - 1);
  }
}

/** Ends the threads of a backend that was dropped without `dispose()`. */
const abandoned = new FinalizationRegistry<{ pool: Pool | null }>((holder) => holder.pool?.terminate());

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function checkThreads(threads: unknown): number {
  if (threads === undefined) return Math.min(availableParallelism(), WorkerBackend.maxThreads());
  const max = WorkerBackend.maxThreads();
  if (typeof threads !== 'number' || !Number.isInteger(threads) || threads < 1 || threads > max) {
    throw new ValueError(
      `WorkerBackend: threads must be an integer from 1 to ${max} (the calling thread counts as one), got ${describe(threads)}`,
    );
  }
  return threads;
}

function checkThreshold(what: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0)) {
    throw new ValueError(`WorkerBackend: ${what} must be a number >= 0 (or Infinity), got ${describe(value)}`);
  }
  return value;
}

function checkThresholds(option: unknown): Readonly<Record<KernelName, number>> {
  if (option === undefined) return DEFAULT_INLINE_THRESHOLDS;
  const thresholds = { ...DEFAULT_INLINE_THRESHOLDS };
  if (typeof option === 'number') {
    const value = checkThreshold('inlineThreshold', option);
    for (const kernel of KERNEL_NAMES) thresholds[kernel] = value;
    return thresholds;
  }
  if (option === null || typeof option !== 'object') {
    throw new ValueError(`WorkerBackend: inlineThreshold must be a number or an object of numbers by kernel, got ${describe(option)}`);
  }
  for (const [kernel, value] of Object.entries(option)) {
    if (!(KERNEL_NAMES as readonly string[]).includes(kernel)) {
      throw new ValueError(`WorkerBackend: inlineThreshold names an unknown kernel ${JSON.stringify(kernel)}; kernels are ${KERNEL_NAMES.join(', ')}`);
    }
    thresholds[kernel as KernelName] = checkThreshold(`inlineThreshold.${kernel}`, value);
  }
  return thresholds;
}

/**
 * The built worker script, beside this module in dist/. When this module runs from src/ (a
 * workspace test resolving the package to its sources), the built script in ../dist is used.
 */
function locateWorkerEntry(): URL {
  const here = import.meta.url;
  const beside = new URL('./worker-entry.js', here);
  const candidates = here.endsWith('.ts') ? [beside, new URL('../dist/worker-entry.js', here)] : [beside];
  for (const url of candidates) if (existsSync(fileURLToPath(url))) return url;
  throw new BackendError(
    `WorkerBackend: worker script not found: ${candidates.map((u) => fileURLToPath(u)).join(' or ')}; ` +
      'the package files are incomplete (a bundler that did not copy dist/worker-entry.js?): reinstall or rebuild @scratchnet/backend-worker',
  );
}

function startPool(entry: URL, workers: number): Pool {
  try {
    // Polling pays when every thread has a core of its own, and steals cores otherwise.
    return new Pool(entry, workers, workers + 1 <= availableParallelism());
  } catch (error) {
    throw new BackendError(`WorkerBackend: could not start worker threads: ${String(error)}`, { cause: error });
  }
}

/** Workers write through the task's arrays, so every array must be shared memory, not a copy. */
function assertSharedArgs(task: KernelTask): void {
  for (const [name, value] of Object.entries(task.args)) {
    if (ArrayBuffer.isView(value) && !(value.buffer instanceof SharedArrayBuffer)) {
      throw new BackendError(`worker backend: ${task.kernel}: argument ${name} is not in shared memory`);
    }
  }
}
