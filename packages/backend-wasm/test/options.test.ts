import { BackendError, withBackend } from '@scratchnet/backend';
import { tensor, ValueError } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { DEFAULT_INLINE_THRESHOLDS, WasmBackend } from '../src/index.js';

describe('WasmBackend options', () => {
  it('defaults to one thread, a shared memory where the host has one, and is named wasm', () => {
    const backend = new WasmBackend();
    expect(backend.threads).toBe(1);
    expect(backend.name).toBe('wasm');
    expect(backend.allocator.shared).toBe(true);
    expect(backend.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    backend.dispose();
  });

  for (const threads of [0, -1, 1.5, Number.NaN, Infinity, WasmBackend.MAX_THREADS + 1, '2', null]) {
    it(`rejects threads = ${String(threads)} with a ValueError naming it`, () => {
      const make = (): WasmBackend => new WasmBackend({ threads: threads as number });
      expect(make).toThrow(ValueError);
      const shown = typeof threads === 'string' ? JSON.stringify(threads) : String(threads);
      expect(make).toThrow(`threads must be an integer from 1 to ${WasmBackend.MAX_THREADS} (the calling thread counts as one), got ${shown}`);
    });
  }

  for (const [options, message] of [
    [2, 'WasmBackend: options must be an object, got 2'],
    [{ sharedMemory: 'yes' }, 'sharedMemory must be true or false, got "yes"'],
    [{ sharedMemory: false, threads: 2 }, 'threads: 2 needs shared memory, but sharedMemory is false'],
    [{ maximumMemory: 100_000 }, 'maximumMemory must be a multiple of 65536 bytes from 131072 to 4294967296 (4 GiB, the wasm32 limit), got 100000'],
    [{ maximumMemory: 2 ** 33 }, 'maximumMemory must be a multiple of 65536 bytes'],
    [{ initialMemory: -1 }, 'initialMemory must be an integer number of bytes from 0 to maximumMemory'],
    [{ maximumMemory: 2 ** 20, initialMemory: 2 ** 21 }, 'initialMemory must be an integer number of bytes from 0 to maximumMemory (1048576), got 2097152'],
    [{ inlineThreshold: -1 }, 'inlineThreshold must be a number >= 0 (or Infinity), got -1'],
    [{ inlineThreshold: 'big' }, 'inlineThreshold must be a number or an object of numbers by kernel, got "big"'],
    [{ inlineThreshold: { matmull: 5 } }, 'inlineThreshold names an unknown kernel "matmull"'],
    [{ inlineThreshold: { matmulRows: Number.NaN } }, 'inlineThreshold.matmulRows must be a number >= 0 (or Infinity), got NaN'],
  ] as const) {
    it(`rejects ${JSON.stringify(options)}`, () => {
      const make = (): WasmBackend => new WasmBackend(options as never);
      expect(make).toThrow(ValueError);
      expect(make).toThrow(message);
    });
  }

  it('has a default inline threshold for every kernel', () => {
    for (const value of Object.values(DEFAULT_INLINE_THRESHOLDS)) expect(value).toBeGreaterThan(0);
  });

  it('any op after dispose throws a BackendError naming the kernel', () => {
    const backend = new WasmBackend();
    const x = withBackend(backend, () => tensor([1, -2, 3]));
    backend.dispose();
    backend.dispose();
    expect(() => backend.unary('relu', x, x)).toThrow(BackendError);
    expect(() => backend.unary('relu', x, x)).toThrow('wasm backend: unary: backend disposed; create a new WasmBackend to run more ops');
    expect(() => backend.where(x, x, x, x)).toThrow(/where: backend disposed/);
    // Its tensors stay readable, and another backend takes them in.
    const other = new WasmBackend();
    other.unary('relu', x, x);
    expect(Array.from(x.data)).toEqual([1, 0, 3]);
    other.dispose();
  });
});
