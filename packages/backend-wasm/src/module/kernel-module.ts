import { BackendError } from '@scratchnet/backend';
import { KERNELS_WASM_BASE64, KERNELS_WASM_LENGTH } from '../generated/kernels-wasm.js';
import { WasmFeatureError } from '../errors.js';

/**
 * The smallest module that uses a SIMD instruction: `(func (result v128) (v128.const i32x4 0 0 0 0))`.
 * A host without fixed-width SIMD (an old browser) fails to validate it.
 */
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () -> v128
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c, ...new Array<number>(16).fill(0), 0x0b, // code: v128.const 0; end
]);

/** Throws a WasmFeatureError naming what this host lacks (checked at every backend construction). */
export function assertFeatures(needShared: boolean): void {
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.validate !== 'function') {
    throw new WasmFeatureError('wasm backend: this JavaScript host has no WebAssembly', 'WebAssembly');
  }
  if (!WebAssembly.validate(SIMD_PROBE)) {
    throw new WasmFeatureError(
      'wasm backend: this host does not support WebAssembly SIMD (the fixed-width simd128 feature: ' +
        'Chrome/Edge 91+, Firefox 89+, Safari 16.4+, Node 16.4+); use @scratchnet/backend-cpu instead',
      'simd128',
    );
  }
  if (needShared && !sharedMemorySupported()) {
    throw new WasmFeatureError(
      'wasm backend: threads need shared WebAssembly memory (SharedArrayBuffer), which this host does not provide ' +
        '(a browser page must be cross-origin isolated); use threads: 1',
      'shared memory',
    );
  }
}

export function sharedMemorySupported(): boolean {
  if (typeof SharedArrayBuffer === 'undefined') return false;
  try {
    return new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

let decoded: Uint8Array<ArrayBuffer> | undefined;

/** The kernel module's bytes, decoded once from the inlined base64. */
export function kernelBytes(): Uint8Array<ArrayBuffer> {
  if (decoded === undefined) {
    const text = atob(KERNELS_WASM_BASE64);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    if (bytes.length !== KERNELS_WASM_LENGTH) {
      throw new BackendError(`wasm backend: the inlined kernel module has ${bytes.length} bytes, expected ${KERNELS_WASM_LENGTH}`);
    }
    decoded = bytes;
  }
  return decoded;
}

function readLeb(bytes: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++]!;
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) return [value, at];
  }
}

/**
 * `bytes` with the memory import declared shared or not. The module is built with a shared
 * memory import (threads need one); a module importing a shared memory cannot take a
 * non-shared one, so for a single-threaded backend without shared memory the import's limits
 * flag is flipped (0x03 shared + maximum → 0x01 maximum). One byte changes; the code does not
 * depend on it (synchronisation happens in JavaScript).
 */
export function withSharedMemory(bytes: Uint8Array<ArrayBuffer>, shared: boolean): Uint8Array<ArrayBuffer> {
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at]!;
    const [size, payload] = readLeb(bytes, at + 1);
    if (id === 2) {
      const [count, first] = readLeb(bytes, payload);
      let p = first;
      for (let i = 0; i < count; i++) {
        let length;
        [length, p] = readLeb(bytes, p);
        p += length; // module name
        [length, p] = readLeb(bytes, p);
        p += length; // field name
        const kind = bytes[p++]!;
        if (kind !== 0x02) throw new BackendError(`wasm backend: the kernel module imports something other than its memory (kind ${kind})`);
        const flags = bytes[p]!;
        const want = shared ? 0x03 : 0x01;
        if (flags === want) return bytes;
        if ((flags | 0x02) !== 0x03) throw new BackendError(`wasm backend: unexpected memory import limits flags ${flags}`);
        const patched = bytes.slice();
        patched[p] = want;
        return patched;
      }
    }
    at = payload + size;
  }
  throw new BackendError('wasm backend: the kernel module has no memory import');
}

const compiled = new Map<boolean, WebAssembly.Module>();

/** The compiled kernel module for a shared or non-shared memory, compiled once per process. */
export function kernelModule(shared: boolean): WebAssembly.Module {
  let module = compiled.get(shared);
  if (module === undefined) {
    try {
      module = new WebAssembly.Module(withSharedMemory(kernelBytes(), shared));
    } catch (error) {
      throw new BackendError(
        `wasm backend: could not compile the kernel module synchronously (${String(error)}); ` +
          'on a browser main thread, create the backend with `await WasmBackend.create(options)`',
        { cause: error },
      );
    }
    compiled.set(shared, module);
  }
  return module;
}

/** Compiles the kernel module off the calling thread where the host can (browsers); cached like kernelModule. */
export async function kernelModuleAsync(shared: boolean): Promise<WebAssembly.Module> {
  const cached = compiled.get(shared);
  if (cached !== undefined) return cached;
  const module = await WebAssembly.compile(withSharedMemory(kernelBytes(), shared));
  compiled.set(shared, module);
  return module;
}
