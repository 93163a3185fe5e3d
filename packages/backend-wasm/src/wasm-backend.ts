import {
  BackendError,
  type ActivationOp,
  type AdamOptions,
  type ArgReduceOp,
  type BinaryOp,
  type Conv2dInfo,
  type MatmulOptions,
  type MomentumOptions,
  type ReduceOp,
  type RmspropOptions,
  type SgdOptions,
  type UnaryOp,
  type UnaryParams,
} from '@scratchnet/backend';
import { CpuBackend, type KernelTask } from '@scratchnet/backend-cpu';
import type { Tensor, TypedArray } from '@scratchnet/tensor';
import { runJs, runWasm, type Job, type ThreadContext } from './kernels/jobs.js';
import { translate, type TranslateResources } from './kernels/translate.js';
import { WasmHeap } from './memory/heap.js';
import { assertFeatures, kernelModule, kernelModuleAsync, sharedMemorySupported } from './module/kernel-module.js';
import { instantiate } from './module/instantiate.js';
import type { KernelExports } from './module/exports.js';
import { MAX_THREADS, resolveOptions, type ResolvedOptions, type WasmBackendOptions } from './options.js';
import type { ThresholdName } from './inline-thresholds.js';
import * as batchNorm from './multi-step/batch-normalization.js';
import * as convolution from './multi-step/convolution.js';
import type { MultiStepRunner } from './multi-step/runner.js';
import { INJECT_FAULT, type FaultKind } from './threads/faults.js';
import { splitRange } from './threads/split-range.js';
import { nodeWorkerThreads, startPool, type ThreadPool } from './threads/pool.js';
import { CALLER_SPINS, SPINS, WORKER_SPINS } from './threads/spin.js';

/**
 * The WebAssembly SIMD backend: kernels compiled from AssemblyScript at build time (inlined in
 * this package, no fetch or file access), tensors in the backend's own `WebAssembly.Memory`, and
 * optionally several threads sharing that memory.
 *
 * Every kernel call is planned by the cpu backend's planner (which resolves defaults, broadcast
 * layouts and axis views) and then run by the kernel module (translate.ts picks the export), or,
 * for the few cases it has no kernel for (int32 arithmetic, pow, float-to-int32 casts), by the
 * cpu backend's own JavaScript range kernel over the same memory. Every kernel but matmul gives
 * the cpu backend's bits; matmul sums in the element type (float32 for float32), each element in
 * increasing k.
 *
 * With `threads > 1`, each call above a measured amount of work is split over output rows (or
 * elements) among the calling thread and the workers, which run the same kernels on their own
 * instance of the module over the one shared memory; results are bitwise identical for every
 * thread count. A worker that dies makes the op throw a BackendError (never a hang), and an idle
 * pool does not keep Node alive.
 */
export class WasmBackend extends CpuBackend {
  override readonly name: string = 'wasm';
  /** The heap in the backend's memory: every tensor created while this backend is active lives there. */
  readonly allocator: WasmHeap;
  /** Threads computing each op, the calling thread included. */
  readonly threads: number;
  /** The most threads a backend accepts. */
  static readonly MAX_THREADS = MAX_THREADS;

  readonly #exports: KernelExports;
  readonly #caller: ThreadContext;
  readonly #thresholds: Readonly<Record<ThresholdName, number>>;
  readonly #resources: TranslateResources;
  /** Room for a job's int32 arrays (shapes and strides of the general walks). */
  readonly #jobBlock: { at: number; ints: number };
  readonly #module: WebAssembly.Module;
  readonly #scratchBytes: number;
  /** The current pool, in a box the finalizer can reach once this backend is gone. */
  readonly #holder: { pool: ThreadPool | null } = { pool: null };
  /** Whether ops may be split over worker threads (threads > 1). */
  readonly #threaded: boolean;
  /** Node's worker script; null in a browser, whose workers run a script inlined in this package. */
  readonly #entry: URL | null;
  readonly #spins: { worker: number; caller: number } | null;
  #packed = { start: 0, bytes: 0 };
  /** Scratch blocks of the multi-step methods, by slot: kept between calls, grown when too small. */
  readonly #scratch = new Map<string, { start: number; bytes: number }>();
  readonly #runner: MultiStepRunner;
  #disposed = false;

  /**
   * Compiles the kernel module synchronously (cached for the process). On a browser's main
   * thread, where large modules must be compiled asynchronously, use `WasmBackend.create`.
   */
  constructor(options: WasmBackendOptions = {}) {
    super();
    const resolved = resolveOptions(options);
    const shared = resolved.sharedMemory ?? (resolved.threads > 1 || sharedMemorySupported());
    assertFeatures(shared);
    this.threads = resolved.threads;
    this.#thresholds = resolved.thresholds;
    this.allocator = new WasmHeap({ shared, initialBytes: resolved.initialMemory, maximumBytes: resolved.maximumMemory });
    const module = kernelModule(shared);
    this.#module = module;
    this.#exports = instantiate(module, this.allocator.memory);
    this.#scratchBytes = this.#exports.threadScratchBytes();
    this.#caller = { exports: this.#exports, scratch: this.allocator.allocateBytes(this.#scratchBytes, 'scratch of the calling thread') };
    const rowTile = this.#exports.matmulRowTile();
    this.#jobBlock = { at: this.allocator.allocateBytes(JOB_BLOCK_INTS * 4, 'job block'), ints: JOB_BLOCK_INTS };
    this.#resources = {
      rowTile,
      packedBytes: (f64, k, n) => k * Math.ceil(n / (f64 ? 4 : 8)) * 32,
      packedBuffer: (bytes) => this.#packedBuffer(bytes),
      jobInts: (values) => this.#jobInts(values),
    };
    const heap = this.allocator;
    this.#runner = {
      execute: (job, op) => this.#execute(job, op),
      scratch: (slot, bytes) => this.#scratchBlock(slot, bytes),
      get buffer() {
        return heap.buffer;
      },
      threadScratchBytes: this.#scratchBytes,
      resources: this.#resources,
    };
    // Bench hook (not public API): spin counts to measure other polling policies.
    this.#spins = ((options as Record<symbol, unknown>)[SPINS] as { worker: number; caller: number } | undefined) ?? null;
    this.#threaded = resolved.threads > 1;
    this.#entry = this.#threaded && nodeWorkerThreads() !== null ? locateThreadEntry() : null;
    if (this.#threaded) {
      // Started now, so that the workers have loaded by the time the first large op arrives.
      this.#holder.pool = this.#startPool();
      abandoned.register(this, this.#holder, this.#holder);
    }
  }

  /** Like the constructor, after compiling the kernel module asynchronously (needed on a browser's main thread). */
  static async create(options: WasmBackendOptions = {}): Promise<WasmBackend> {
    const resolved: ResolvedOptions = resolveOptions(options);
    const shared = resolved.sharedMemory ?? (resolved.threads > 1 || sharedMemorySupported());
    assertFeatures(shared);
    await kernelModuleAsync(shared);
    const backend = new WasmBackend(options);
    // A browser starts workers only while this thread yields: wait here, so that the first ops
    // are already split (until then they run on this thread alone, with the same bits).
    await backend.#holder.pool?.ready();
    return backend;
  }

  /** The backend's WebAssembly memory (tensors, packed panels, per-thread scratch). */
  get memory(): WebAssembly.Memory {
    return this.allocator.memory;
  }

  /**
   * Moves `t` (its storage, so every view of it) into this backend's memory, wherever it is now,
   * and returns it. Kernels move tensors from other backends' memory and tensors made by creation
   * functions themselves; a tensor built with `new Tensor(array)` they refuse (moving it would
   * leave `array` behind, no longer seeing the tensor's writes): call this to hand it over knowingly.
   */
  moveIn<T extends Tensor>(t: T): T {
    this.allocator.moveIn(t);
    return t;
  }

  /** A tensor's elements in this backend's memory (every kernel method adopts its tensors first). */
  protected override dataOf(t: Tensor): TypedArray {
    this.allocator.adopt(t);
    return t.data;
  }

  /**
   * Moves every tensor of a call from other memory into this backend's, once (later ops find
   * them here), before the call is planned. One at a time during planning would not do: moving a
   * tensor can grow a non-shared memory, which detaches the views already taken of the others.
   */
  #adopt(...tensors: Array<Tensor | null>): void {
    for (const t of tensors) if (t !== null) this.allocator.adopt(t);
  }

  override matmul(a: Tensor, b: Tensor, out: Tensor, options?: MatmulOptions): void {
    this.#adopt(a, b, out);
    super.matmul(a, b, out, options);
  }

  override unary(op: UnaryOp, x: Tensor, out: Tensor, params?: UnaryParams): void {
    this.#adopt(x, out);
    super.unary(op, x, out, params);
  }

  override binary(op: BinaryOp, a: Tensor, b: Tensor, out: Tensor): void {
    this.#adopt(a, b, out);
    super.binary(op, a, b, out);
  }

  override where(cond: Tensor, a: Tensor, b: Tensor, out: Tensor): void {
    this.#adopt(cond, a, b, out);
    super.where(cond, a, b, out);
  }

  override activationBackward(op: ActivationOp, saved: Tensor, dy: Tensor, dx: Tensor, params?: UnaryParams): void {
    this.#adopt(saved, dy, dx);
    super.activationBackward(op, saved, dy, dx, params);
  }

  override reduce(op: ReduceOp, x: Tensor, axis: number, out: Tensor): void {
    this.#adopt(x, out);
    super.reduce(op, x, axis, out);
  }

  override argReduce(op: ArgReduceOp, x: Tensor, axis: number, out: Tensor): void {
    this.#adopt(x, out);
    super.argReduce(op, x, axis, out);
  }

  override softmax(x: Tensor, out: Tensor): void {
    this.#adopt(x, out);
    super.softmax(x, out);
  }

  override logSoftmax(x: Tensor, out: Tensor): void {
    this.#adopt(x, out);
    super.logSoftmax(x, out);
  }

  override softmaxBackward(y: Tensor, dy: Tensor, dx: Tensor): void {
    this.#adopt(y, dy, dx);
    super.softmaxBackward(y, dy, dx);
  }

  override softmaxCrossentropy(logits: Tensor, labels: Tensor, losses: Tensor, dlogits: Tensor | null, gradScale: number): void {
    this.#adopt(logits, labels, losses, dlogits);
    super.softmaxCrossentropy(logits, labels, losses, dlogits, gradScale);
  }

  override gather(x: Tensor, indices: Tensor, out: Tensor): void {
    this.#adopt(x, indices, out);
    super.gather(x, indices, out);
  }

  override transpose(x: Tensor, perm: readonly number[], out: Tensor): void {
    this.#adopt(x, out);
    super.transpose(x, perm, out);
  }

  override fill(out: Tensor, value: number): void {
    this.#adopt(out);
    super.fill(out, value);
  }

  override copy(src: Tensor, dst: Tensor): void {
    this.#adopt(src, dst);
    super.copy(src, dst);
  }

  override cast(src: Tensor, dst: Tensor): void {
    this.#adopt(src, dst);
    super.cast(src, dst);
  }

  override sgdUpdate(param: Tensor, grad: Tensor, options: SgdOptions): void {
    this.#adopt(param, grad);
    super.sgdUpdate(param, grad, options);
  }

  override momentumUpdate(param: Tensor, grad: Tensor, velocity: Tensor, options: MomentumOptions): void {
    this.#adopt(param, grad, velocity);
    super.momentumUpdate(param, grad, velocity, options);
  }

  override adamUpdate(param: Tensor, grad: Tensor, m: Tensor, v: Tensor, options: AdamOptions): void {
    this.#adopt(param, grad, m, v);
    super.adamUpdate(param, grad, m, v, options);
  }

  override rmspropUpdate(
    param: Tensor,
    grad: Tensor,
    meanSquare: Tensor,
    meanGrad: Tensor | null,
    buffer: Tensor | null,
    options: RmspropOptions,
  ): void {
    this.#adopt(param, grad, meanSquare, meanGrad, buffer);
    super.rmspropUpdate(param, grad, meanSquare, meanGrad, buffer, options);
  }

  override conv2d(x: Tensor, filter: Tensor, out: Tensor, info: Conv2dInfo): void {
    this.#adopt(x, filter, out);
    this.#live('conv2d');
    convolution.conv2d(this.#runner, x, filter, out, info);
  }

  override conv2dBackpropInput(dy: Tensor, filter: Tensor, dx: Tensor, info: Conv2dInfo): void {
    this.#adopt(dy, filter, dx);
    this.#live('conv2dBackpropInput');
    convolution.conv2dBackpropInput(this.#runner, dy, filter, dx, info);
  }

  override conv2dBackpropFilter(x: Tensor, dy: Tensor, dfilter: Tensor, info: Conv2dInfo, accumulate: boolean): void {
    this.#adopt(x, dy, dfilter);
    this.#live('conv2dBackpropFilter');
    convolution.conv2dBackpropFilter(this.#runner, x, dy, dfilter, info, accumulate);
  }

  override maxPool(x: Tensor, out: Tensor, info: Conv2dInfo): void {
    this.#adopt(x, out);
    super.maxPool(x, out, info);
  }

  override avgPool(x: Tensor, out: Tensor, info: Conv2dInfo): void {
    this.#adopt(x, out);
    super.avgPool(x, out, info);
  }

  override maxPoolBackward(x: Tensor, dy: Tensor, dx: Tensor, info: Conv2dInfo): void {
    this.#adopt(x, dy, dx);
    super.maxPoolBackward(x, dy, dx, info);
  }

  override avgPoolBackward(dy: Tensor, dx: Tensor, info: Conv2dInfo): void {
    this.#adopt(dy, dx);
    super.avgPoolBackward(dy, dx, info);
  }

  override moments(x: Tensor, mean: Tensor, variance: Tensor): void {
    this.#adopt(x, mean, variance);
    this.#live('moments');
    batchNorm.moments(this.#runner, x, mean, variance);
  }

  override batchNormalization(x: Tensor, mean: Tensor, variance: Tensor, scale: Tensor | null, offset: Tensor | null, epsilon: number, out: Tensor): void {
    this.#adopt(x, mean, variance, scale, offset, out);
    this.#live('batchNormalization');
    batchNorm.batchNormalization(this.#runner, x, mean, variance, scale, offset, epsilon, out);
  }

  override batchNormalizationBackward(
    dy: Tensor,
    x: Tensor,
    mean: Tensor,
    variance: Tensor,
    scale: Tensor | null,
    epsilon: number,
    dx: Tensor,
    dscale: Tensor,
    doffset: Tensor,
  ): void {
    this.#adopt(dy, x, mean, variance, scale, dx, dscale, doffset);
    this.#live('batchNormalizationBackward');
    batchNorm.batchNormalizationBackward(this.#runner, dy, x, mean, variance, scale, epsilon, dx, dscale, doffset);
  }

  /** Throws if the backend was disposed (the methods that do not go through `run` check here). */
  #live(op: string): void {
    if (this.#disposed) throw new BackendError(`wasm backend: ${op}: backend disposed; create a new WasmBackend to run more ops`);
  }

  protected override run(task: KernelTask): void {
    if (this.#disposed) {
      throw new BackendError(`wasm backend: ${task.kernel}: backend disposed; create a new WasmBackend to run more ops`);
    }
    for (const job of translate(task, this.#resources)) this.#execute(job, job.kernel === task.kernel ? task.kernel : `${task.kernel} (${job.kernel})`);
  }

  /** Ends the worker threads, if any. Any op afterwards throws a BackendError. Idempotent. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#holder.pool?.terminate();
    this.#holder.pool = null;
    abandoned.unregister(this.#holder);
  }

  /** Test hook (not public API): worker `worker` (1-based) fails as `kind` says. */
  [INJECT_FAULT](kind: FaultKind, worker = 1): void {
    if (!this.#threaded || this.#disposed) throw new BackendError('wasm backend: no workers to inject a fault into');
    if (!Number.isInteger(worker) || worker < 1 || worker >= this.threads) {
      throw new BackendError(`wasm backend: no worker ${worker}; workers are 1 to ${this.threads - 1}`);
    }
    this.#livePool().injectFault(worker - 1, kind);
  }

  /** Runs `job` here or split over the threads; `op` names it in errors. */
  #execute(job: Job, op: string): void {
    if (job.units === 0) return;
    if (this.#threaded && job.units * job.cost >= this.#thresholds[job.kernel]) {
      const ranges = splitRange(job.units, job.grain, this.threads);
      if (ranges.length > 1) {
        const pool = this.#livePool();
        try {
          pool.run(job, ranges, (start, end) => this.#runHere(job, start, end), op);
        } catch (error) {
          // A dead worker breaks the pool: start its replacement now, so that it is loading
          // while the caller handles the error.
          if (pool.broken) this.#replacePool();
          throw error;
        }
        return;
      }
    }
    this.#runHere(job, 0, job.units);
  }

  #livePool(): ThreadPool {
    if (this.#holder.pool === null || this.#holder.pool.broken) this.#replacePool();
    return this.#holder.pool!;
  }

  #replacePool(): void {
    this.#holder.pool?.terminate();
    this.#holder.pool = null;
    this.#holder.pool = this.#startPool();
  }

  #startPool(): ThreadPool {
    const heap = this.allocator;
    // Polling pays when every thread has a core of its own, and steals cores otherwise.
    const spin = this.threads <= hardwareThreads();
    return startPool({
      module: this.#module,
      memory: heap.memory,
      workers: this.threads - 1,
      scratchBytes: this.#scratchBytes,
      allocate: (bytes, what) => heap.allocateBytes(bytes, what),
      free: (address) => heap.freeBytes(address),
      entry: this.#entry,
      workerSpins: this.#spins?.worker ?? (spin ? WORKER_SPINS : 0),
      callerSpins: this.#spins?.caller ?? (spin ? CALLER_SPINS : 0),
    });
  }

  #runHere(job: Job, start: number, end: number): void {
    if (job.type === 'wasm') runWasm(this.#caller, job.kernel, job.f64, job.args, start, end);
    else runJs(job.kernel, job.args, start, end);
  }

  #jobInts(values: readonly number[]): number | null {
    if (values.length > this.#jobBlock.ints) return null;
    new Int32Array(this.allocator.memory.buffer, this.#jobBlock.at, values.length).set(values);
    return this.#jobBlock.at;
  }

  /** The scratch block of `slot`, grown (never shrunk) to at least `bytes`. */
  #scratchBlock(slot: string, bytes: number): number {
    const block = this.#scratch.get(slot);
    if (block !== undefined && block.bytes >= bytes) return block.start;
    const size = Math.max(64, bytes, Math.ceil((block?.bytes ?? 0) * 1.5));
    if (block !== undefined) {
      this.allocator.freeBytes(block.start);
      this.#scratch.delete(slot);
    }
    const start = this.allocator.allocateBytes(size, `scratch (${slot})`);
    this.#scratch.set(slot, { start, bytes: size });
    return start;
  }

  /** The backend's buffer for packed B, grown (never shrunk) to `bytes`. */
  #packedBuffer(bytes: number): number {
    if (bytes > this.#packed.bytes) {
      const size = Math.max(bytes, Math.ceil(this.#packed.bytes * 1.5));
      if (this.#packed.bytes > 0) this.allocator.freeBytes(this.#packed.start);
      this.#packed = { start: 0, bytes: 0 };
      this.#packed = { start: this.allocator.allocateBytes(size, 'packed matmul panels'), bytes: size };
    }
    return this.#packed.start;
  }
}

/** Int32s in a backend's job block: shapes and strides of rank up to 64 with room to spare. */
const JOB_BLOCK_INTS = 256;

/** Ends the threads of a backend that was dropped without `dispose()`. */
const abandoned = new FinalizationRegistry<{ pool: ThreadPool | null }>((holder) => holder.pool?.terminate());

/** Cores of this host (Node's `os.availableParallelism`, or the browser's `navigator.hardwareConcurrency`). */
function hardwareThreads(): number {
  const p = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const os = p?.getBuiltinModule?.('node:os') as { availableParallelism?: () => number } | undefined;
  if (typeof os?.availableParallelism === 'function') return os.availableParallelism();
  return (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
}

/**
 * The built worker script, beside this module in dist/. When this module runs from src/ (a
 * workspace test resolving the package to its sources), the built script in ../dist is used.
 */
function locateThreadEntry(): URL {
  const here = import.meta.url;
  const beside = new URL('./thread-entry.js', here);
  const candidates = here.endsWith('.ts') ? [new URL('../dist/thread-entry.js', here)] : [beside];
  const p = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const fs = p?.getBuiltinModule?.('node:fs') as { existsSync(path: URL): boolean } | undefined;
  for (const url of candidates) if (fs === undefined || fs.existsSync(url)) return url;
  throw new BackendError(
    `WasmBackend: worker script not found: ${candidates.map((u) => u.pathname).join(' or ')}; the package files are incomplete ` +
      '(a bundler that did not copy dist/thread-entry.js?): reinstall or rebuild @scratchnet/backend-wasm',
  );
}
