import { ValueError } from '@scratchnet/tensor';
import { PAGE_BYTES, WASM32_MAX_BYTES } from './memory/layout.js';
import { DEFAULT_INLINE_THRESHOLDS, type ThresholdName } from './inline-thresholds.js';

/** Options of `new WasmBackend(options)` and `WasmBackend.create(options)`; every one is optional (see the package README). */
export interface WasmBackendOptions {
  /**
   * Threads that compute each op, the calling thread included: 2 means the caller plus one
   * worker. An integer from 1 to `WasmBackend.MAX_THREADS`. Default 1. More than one thread needs
   * shared WebAssembly memory and, for now, Node (worker_threads).
   */
  threads?: number;
  /**
   * Whether the memory is a shared `WebAssembly.Memory` (its buffer a `SharedArrayBuffer`).
   * Default: true where the host has shared memory (Node; a cross-origin isolated page), which
   * threads need and which never detaches when it grows. `false` gives an ordinary memory (then
   * every tensor re-creates its view after the memory grows); only with `threads: 1`.
   */
  sharedMemory?: boolean;
  /** Bytes of memory to start with (it grows on demand). Default 16 MiB. */
  initialMemory?: number;
  /**
   * Bytes the memory may grow to; allocations past it throw a WasmMemoryError. A multiple of
   * 64 KiB (the WebAssembly page), at most 4 GiB (the wasm32 limit, the default).
   */
  maximumMemory?: number;
  /**
   * Work (`units × cost` of a kernel call, roughly its flops) below which a call runs on the
   * calling thread alone: one number for every kernel, or numbers for some (the rest keep their
   * defaults). 0 splits everything that can be split; Infinity nothing. Only with threads > 1.
   */
  inlineThreshold?: number | Partial<Record<ThresholdName, number>>;
}

export interface ResolvedOptions {
  threads: number;
  sharedMemory: boolean | undefined;
  initialMemory: number;
  maximumMemory: number;
  thresholds: Readonly<Record<ThresholdName, number>>;
}

/** The most threads a backend accepts (the calling thread included). */
export const MAX_THREADS = 64;

const DEFAULT_INITIAL_MEMORY = 16 * 2 ** 20;

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

export function resolveOptions(options: unknown): ResolvedOptions {
  if (options === null || typeof options !== 'object') {
    throw new ValueError(`WasmBackend: options must be an object, got ${show(options)}`);
  }
  const o = options as WasmBackendOptions;
  const threads = o.threads === undefined ? 1 : o.threads;
  if (typeof threads !== 'number' || !Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    throw new ValueError(`WasmBackend: threads must be an integer from 1 to ${MAX_THREADS} (the calling thread counts as one), got ${show(o.threads)}`);
  }
  if (o.sharedMemory !== undefined && typeof o.sharedMemory !== 'boolean') {
    throw new ValueError(`WasmBackend: sharedMemory must be true or false, got ${show(o.sharedMemory)}`);
  }
  if (o.sharedMemory === false && threads > 1) {
    throw new ValueError(`WasmBackend: threads: ${threads} needs shared memory, but sharedMemory is false`);
  }
  const maximumMemory = o.maximumMemory ?? WASM32_MAX_BYTES;
  if (typeof maximumMemory !== 'number' || !Number.isInteger(maximumMemory) || maximumMemory < 2 * PAGE_BYTES || maximumMemory > WASM32_MAX_BYTES || maximumMemory % PAGE_BYTES !== 0) {
    throw new ValueError(
      `WasmBackend: maximumMemory must be a multiple of ${PAGE_BYTES} bytes from ${2 * PAGE_BYTES} to ${WASM32_MAX_BYTES} (4 GiB, the wasm32 limit), got ${show(o.maximumMemory)}`,
    );
  }
  const initialMemory = o.initialMemory ?? Math.min(DEFAULT_INITIAL_MEMORY, maximumMemory);
  if (typeof initialMemory !== 'number' || !Number.isInteger(initialMemory) || initialMemory < 0 || initialMemory > maximumMemory) {
    throw new ValueError(`WasmBackend: initialMemory must be an integer number of bytes from 0 to maximumMemory (${maximumMemory}), got ${show(o.initialMemory)}`);
  }
  return { threads, sharedMemory: o.sharedMemory, initialMemory, maximumMemory, thresholds: resolveThresholds(o.inlineThreshold) };
}

function checkThreshold(what: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0)) {
    throw new ValueError(`WasmBackend: ${what} must be a number >= 0 (or Infinity), got ${show(value)}`);
  }
  return value;
}

function resolveThresholds(option: unknown): Readonly<Record<ThresholdName, number>> {
  if (option === undefined) return DEFAULT_INLINE_THRESHOLDS;
  const names = Object.keys(DEFAULT_INLINE_THRESHOLDS) as ThresholdName[];
  const thresholds = { ...DEFAULT_INLINE_THRESHOLDS };
  if (typeof option === 'number') {
    const value = checkThreshold('inlineThreshold', option);
    for (const name of names) thresholds[name] = value;
    return thresholds;
  }
  if (option === null || typeof option !== 'object') {
    throw new ValueError(`WasmBackend: inlineThreshold must be a number or an object of numbers by kernel, got ${show(option)}`);
  }
  for (const [name, value] of Object.entries(option)) {
    if (!(names as string[]).includes(name)) {
      throw new ValueError(`WasmBackend: inlineThreshold names an unknown kernel ${JSON.stringify(name)}; kernels are ${names.join(', ')}`);
    }
    thresholds[name as ThresholdName] = checkThreshold(`inlineThreshold.${name}`, value);
  }
  return thresholds;
}
