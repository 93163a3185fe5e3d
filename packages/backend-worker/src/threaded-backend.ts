import { BackendError } from '@scratchnet/backend';
import { CpuBackend, KERNEL_NAMES, runKernel, type KernelName, type KernelTask } from '@scratchnet/backend-cpu';
import { planChunks, splits } from './chunk-plan.js';
import { ValueError, type Allocator, type Tensor, type TypedArray } from '@scratchnet/tensor';
import type { FaultKind } from './control-block.js';
import { DEFAULT_INLINE_THRESHOLDS } from './inline-thresholds.js';
import type { Pool } from './pool.js';
import { sharedAllocator, sharedDataOf } from './shared-allocator.js';

/** How `new WorkerBackend(options)` splits work: how many threads, and when a call is too small to split. */
export interface WorkerBackendOptions {
  /**
   * Threads that compute each op, the calling thread included: 2 means the caller plus one
   * worker, 1 means no workers at all. An integer from 1 to `WorkerBackend.maxThreads()`.
   * Default: the cores available (`os.availableParallelism()` in Node,
   * `navigator.hardwareConcurrency` in a browser).
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
export const INJECT_FAULT: unique symbol = Symbol.for('@scratchnet/backend-worker.injectFault');

/** What differs between Node and a browser: how many cores, and how the pool's threads start. */
export interface Platform {
  /** Cores available to this process or page. */
  parallelism(): number;
  /** Checks that this host can run `threads` threads; throws a BackendError saying what is missing otherwise. */
  prepare(threads: number): void;
  /** Starts a pool of `workers` threads (the caller computes too). */
  startPool(workers: number): Pool;
}

/**
 * The cpu backend's kernels on every core: a pool of threads over `SharedArrayBuffer` storage,
 * with the calling thread computing too — the part of `WorkerBackend` that is the same in Node
 * and in a browser. Each kernel call is cut into chunks of its output units at multiples of the
 * cpu kernel's tile, which the threads take as they come free (see chunk-plan.ts), and every
 * thread runs the cpu backend's own range kernel on its chunks, so results are bitwise identical
 * to `CpuBackend`.
 */
export abstract class ThreadedBackend extends CpuBackend {
  override readonly name: string = 'worker';
  /** New tensors live in shared memory, which every pool thread reads and writes in place. */
  readonly allocator: Allocator = sharedAllocator;
  /** Threads computing each op, the calling thread included. */
  readonly threads: number;
  readonly #thresholds: Readonly<Record<KernelName, number>>;
  readonly #platform: Platform;
  /** The current pool, in a box the finalizer can reach once this backend is gone. */
  readonly #holder: { pool: Pool | null } = { pool: null };
  #disposed = false;

  constructor(options: WorkerBackendOptions, platform: Platform) {
    super();
    if (options === null || typeof options !== 'object') {
      throw new ValueError(`WorkerBackend: options must be an object, got ${describe(options)}`);
    }
    this.#platform = platform;
    this.threads = checkThreads(options.threads, platform.parallelism());
    this.#thresholds = checkThresholds(options.inlineThreshold);
    platform.prepare(this.threads);
    if (this.threads > 1) {
      // Started now so that the workers have loaded by the time the first large op arrives.
      this.#holder.pool = startPool(platform, this.threads - 1);
      abandoned.register(this, this.#holder, this.#holder);
    }
  }

  /**
   * Resolves once the worker threads have started (at once with `threads: 1`); rejects with a
   * BackendError if one could not. Ops before that are correct, and run on the calling thread
   * alone where the threads are not up yet (a browser starts Web Workers only once the creating
   * thread yields to its event loop).
   */
  async ready(): Promise<void> {
    if (this.threads === 1 || this.#disposed) return;
    await this.#livePool().ready();
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
    if (this.threads === 1 || task.units * task.cost < this.#thresholds[task.kernel]) {
      runKernel(task, 0, task.units);
      return;
    }
    const plan = planChunks(task, this.threads);
    if (!splits(plan)) {
      runKernel(task, 0, task.units);
      return;
    }
    assertSharedArgs(task);
    const pool = this.#livePool();
    try {
      pool.run(task, plan);
    } catch (error) {
      // A dead worker breaks the pool: start its replacement now, so it is loading while the
      // caller handles the error.
      if (pool.broken) this.#replacePool();
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

  /**
   * Test hook: worker `worker` (1-based) fails as `kind` says during its next task (`stall`: waits
   * for word 0 of `gate` to become non-zero before looking at it).
   */
  [INJECT_FAULT](kind: FaultKind, worker = 1, gate?: SharedArrayBuffer): void {
    if (this.threads === 1 || this.#disposed) throw new BackendError('worker backend: no workers to inject a fault into');
    if (!Number.isInteger(worker) || worker < 1 || worker >= this.threads) {
      throw new ValueError(`worker backend: no worker ${worker}; workers are 1 to ${this.threads - 1}`);
    }
    if (kind === 'stall' && !(gate instanceof SharedArrayBuffer)) throw new ValueError('worker backend: a stall needs a gate SharedArrayBuffer');
    this.#livePool().injectFault(worker - 1, kind, gate);
  }

  #livePool(): Pool {
    if (this.#holder.pool === null || this.#holder.pool.broken) this.#replacePool();
    return this.#holder.pool!;
  }

  #replacePool(): void {
    this.#holder.pool?.terminate();
    this.#holder.pool = null;
    this.#holder.pool = startPool(this.#platform, this.threads - 1);
  }
}

/** Ends the threads of a backend that was dropped without `dispose()`. */
const abandoned = new FinalizationRegistry<{ pool: Pool | null }>((holder) => holder.pool?.terminate());

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** The largest `threads` accepted: 4 per available core (at least 4). */
export function maxThreadsFor(parallelism: number): number {
  return Math.max(4, 4 * parallelism);
}

function checkThreads(threads: unknown, parallelism: number): number {
  const max = maxThreadsFor(parallelism);
  if (threads === undefined) return Math.min(parallelism, max);
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

function startPool(platform: Platform, workers: number): Pool {
  try {
    return platform.startPool(workers);
  } catch (error) {
    if (error instanceof BackendError) throw error;
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
