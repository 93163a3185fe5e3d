import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KERNELS_WASM_SHA256 } from '../src/generated/kernels-wasm.js';
import { WasmBackend, WasmFeatureError } from '../src/index.js';
import { kernelBytes, withSharedMemory } from '../src/module/kernel-module.js';

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('the kernel module', () => {
  it('is inlined byte for byte as built (src/generated/kernels.wasm), with its recorded sha256', () => {
    const bytes = kernelBytes();
    const file = readFileSync(new URL('../src/generated/kernels.wasm', import.meta.url));
    expect(Buffer.compare(Buffer.from(bytes), file)).toBe(0);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(KERNELS_WASM_SHA256);
  });

  it('imports only a shared env.memory; the loader flips it to non-shared and back', () => {
    const bytes = kernelBytes();
    const imports = WebAssembly.Module.imports(new WebAssembly.Module(bytes));
    expect(imports).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
    const plain = withSharedMemory(bytes, false);
    expect(plain).not.toBe(bytes);
    expect([...plain].filter((v, i) => v !== bytes[i]).length).toBe(1);
    expect(withSharedMemory(bytes, true)).toBe(bytes);
    expect(withSharedMemory(plain, false)).toBe(plain);
    const sharedMemory = new WebAssembly.Memory({ initial: 2, maximum: 4, shared: true });
    const plainMemory = new WebAssembly.Memory({ initial: 2, maximum: 4 });
    expect(() => new WebAssembly.Instance(new WebAssembly.Module(plain), { env: { memory: plainMemory } })).not.toThrow();
    expect(() => new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory: sharedMemory } })).not.toThrow();
    expect(() => new WebAssembly.Instance(new WebAssembly.Module(plain), { env: { memory: sharedMemory } })).toThrow();
  });
});

describe('feature check at construction', () => {
  it('without WebAssembly SIMD: a WasmFeatureError naming simd128', () => {
    vi.spyOn(WebAssembly, 'validate').mockReturnValue(false);
    let error: unknown;
    try {
      new WasmBackend();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WasmFeatureError);
    expect((error as WasmFeatureError).feature).toBe('simd128');
    expect((error as Error).message).toMatch(/does not support WebAssembly SIMD \(the fixed-width simd128 feature/);
  });

  it('without WebAssembly at all: a WasmFeatureError', () => {
    vi.stubGlobal('WebAssembly', undefined);
    expect(() => new WasmBackend()).toThrow(WasmFeatureError);
    expect(() => new WasmBackend()).toThrow('this JavaScript host has no WebAssembly');
  });

  it('without shared memory: threads are refused naming it, one thread falls back to an ordinary memory', () => {
    vi.stubGlobal('SharedArrayBuffer', undefined);
    expect(() => new WasmBackend({ threads: 2 })).toThrow(WasmFeatureError);
    expect(() => new WasmBackend({ threads: 2 })).toThrow(/threads need shared WebAssembly memory/);
    const backend = new WasmBackend();
    expect(backend.allocator.shared).toBe(false);
    backend.dispose();
  });

  it('with SIMD: constructs, and create() compiles asynchronously', async () => {
    const backend = await WasmBackend.create();
    expect(backend.name).toBe('wasm');
    expect(backend.threads).toBe(1);
    backend.dispose();
  });
});
