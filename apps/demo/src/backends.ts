import type { Backend } from '@scratchnet/backend';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { WasmBackend } from '@scratchnet/backend-wasm';
import { WorkerBackend } from '@scratchnet/backend-worker';

export interface BackendOptions {
  /** Threads of the worker or wasm backend (the calling thread included); the backend's default when absent. */
  threads?: number;
}

/** The compute backends the demo can run on, by `--backend` name. */
export const BACKENDS: Record<string, (options: BackendOptions) => Backend> = {
  cpu: () => new CpuBackend(),
  worker: ({ threads }) => new WorkerBackend(threads === undefined ? {} : { threads }),
  wasm: ({ threads }) => new WasmBackend(threads === undefined ? {} : { threads }),
};

export const BACKEND_NAMES = Object.keys(BACKENDS);

/** Backends that take `--threads`. */
export const THREADED_BACKENDS = ['worker', 'wasm'];

export function createBackend(name: string, options: BackendOptions = {}): Backend {
  const make = BACKENDS[name];
  if (!make) throw new Error(`unknown backend '${name}'; choose one of ${BACKEND_NAMES.join(', ')}`);
  return make(options);
}
