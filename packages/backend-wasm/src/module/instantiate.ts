import { BackendError } from '@scratchnet/backend';
import { STATIC_END } from '../memory/layout.js';
import type { KernelExports } from './exports.js';

// Apart from kernel-module.ts so that the worker script, which is handed the compiled module,
// does not carry the module's bytes.

/** An instance of the kernel module over `memory`, checked to keep its static data below the heap. */
export function instantiate(module: WebAssembly.Module, memory: WebAssembly.Memory): KernelExports {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const exports = instance.exports as unknown as KernelExports;
  if (exports.heapBase() > STATIC_END) {
    throw new BackendError(`wasm backend: the kernel module's static data ends at ${exports.heapBase()}, above the reserved ${STATIC_END} bytes`);
  }
  return exports;
}
