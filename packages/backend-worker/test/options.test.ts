import { availableParallelism } from 'node:os';
import { BackendError, clearBackend, matmul, setBackend } from '@scratchnet/backend';
import { CpuBackend, KERNEL_NAMES } from '@scratchnet/backend-cpu';
import { Tensor, ValueError, tensor } from '@scratchnet/tensor';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_INLINE_THRESHOLDS, WorkerBackend, sharedAllocator } from './built.js';
import { randomTensor, sameBits, SuiteRandom, zerosTensor } from './helpers.js';

describe('WorkerBackend options', () => {
  it('defaults to one thread per available core and is named worker', () => {
    const backend = new WorkerBackend();
    try {
      expect(backend.threads).toBe(availableParallelism());
      expect(backend.name).toBe('worker');
    } finally {
      backend.dispose();
    }
  });

  it('accepts every thread count from 1 to maxThreads()', () => {
    const max = WorkerBackend.maxThreads();
    expect(max).toBe(Math.max(4, 4 * availableParallelism()));
    for (const threads of [1, 2, max]) {
      const backend = new WorkerBackend({ threads });
      expect(backend.threads).toBe(threads);
      backend.dispose();
    }
  });

  for (const threads of [0, -1, 1.5, Number.NaN, Infinity, WorkerBackend.maxThreads() + 1, '2', null]) {
    it(`rejects threads = ${String(threads)} with a ValueError naming it`, () => {
      const make = (): WorkerBackend => new WorkerBackend({ threads: threads as number });
      expect(make).toThrow(ValueError);
      const shown = typeof threads === 'string' ? JSON.stringify(threads) : String(threads);
      expect(make).toThrow(`threads must be an integer from 1 to ${WorkerBackend.maxThreads()} (the calling thread counts as one), got ${shown}`);
    });
  }

  it('rejects options that are not an object', () => {
    expect(() => new WorkerBackend(2 as never)).toThrow('WorkerBackend: options must be an object, got 2');
  });

  for (const [option, message] of [
    [-1, 'inlineThreshold must be a number >= 0 (or Infinity), got -1'],
    [Number.NaN, 'inlineThreshold must be a number >= 0 (or Infinity), got NaN'],
    ['big', 'inlineThreshold must be a number or an object of numbers by kernel, got "big"'],
    [{ matmull: 5 }, 'inlineThreshold names an unknown kernel "matmull"'],
    [{ matmul: -5 }, 'inlineThreshold.matmul must be a number >= 0 (or Infinity), got -5'],
  ] as const) {
    it(`rejects inlineThreshold ${JSON.stringify(option) ?? String(option)}`, () => {
      const make = (): WorkerBackend => new WorkerBackend({ threads: 1, inlineThreshold: option as never });
      expect(make).toThrow(ValueError);
      expect(make).toThrow(message);
    });
  }

  it('has a measured default threshold for every kernel', () => {
    expect(Object.keys(DEFAULT_INLINE_THRESHOLDS).sort()).toEqual([...KERNEL_NAMES].sort());
    for (const value of Object.values(DEFAULT_INLINE_THRESHOLDS)) expect(value).toBeGreaterThan(0);
  });
});

describe('shared memory', () => {
  it('the allocator returns zeroed SharedArrayBuffer-backed arrays of each dtype', () => {
    for (const [dtype, Ctor] of [['float32', Float32Array], ['float64', Float64Array], ['int32', Int32Array]] as const) {
      const data = sharedAllocator.allocate(dtype, 5);
      expect(data).toBeInstanceOf(Ctor);
      expect(data.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(Array.from(data)).toEqual([0, 0, 0, 0, 0]);
    }
    expect(sharedAllocator.allocate('float32', 0).length).toBe(0);
  });

  it('moves a tensor in plain memory into shared memory once, keeping its values and its views', () => {
    const backend = new WorkerBackend({ threads: 2, inlineThreshold: 0 });
    try {
      const rng = new SuiteRandom(3);
      const x = randomTensor(rng, [64, 32]);
      const before = x.data.slice();
      const view = x.reshape([32, 64]);
      const out = zerosTensor([64, 32]);
      backend.unary('neg', x, out);
      expect(x.storage.shared).toBe(true);
      expect(out.storage.shared).toBe(true);
      expect(sameBits(x.data, before)).toBe(true);
      expect(view.data.buffer).toBe(x.data.buffer);
      const moved = x.storage.data;
      backend.unary('abs', x, out);
      backend.binary('add', x, out, out);
      expect(x.storage.data).toBe(moved);
    } finally {
      backend.dispose();
    }
  });

  it('as the active backend, new tensors are created in shared memory and ops match the cpu backend', () => {
    const rng = new SuiteRandom(5);
    const a = randomTensor(rng, [70, 50]);
    const b = randomTensor(rng, [50, 90]);
    const expected = zerosTensor([70, 90]);
    new CpuBackend().matmul(a, b, expected);
    const backend = new WorkerBackend({ threads: 2, inlineThreshold: 0 });
    try {
      setBackend(backend);
      const created = tensor([1, 2, 3]);
      expect(created.storage.shared).toBe(true);
      const product = matmul(a, b);
      expect(product.storage.shared).toBe(true);
      expect(sameBits(product.data, expected.data)).toBe(true);
    } finally {
      clearBackend();
      backend.dispose();
    }
  });
});

describe('dispose()', () => {
  afterEach(() => clearBackend());

  it('makes every later op throw a BackendError, split or inline, and is idempotent', () => {
    const backend = new WorkerBackend({ threads: 2 });
    const rng = new SuiteRandom(9);
    const big = randomTensor(rng, [256, 256]);
    const small = randomTensor(rng, [3]);
    backend.dispose();
    backend.dispose();
    expect(() => backend.matmul(big, big, zerosTensor([256, 256]))).toThrow(BackendError);
    expect(() => backend.matmul(big, big, zerosTensor([256, 256]))).toThrow('worker backend: matmul: backend disposed; create a new WorkerBackend to run more ops');
    expect(() => backend.unary('relu', small, zerosTensor([3]))).toThrow('worker backend: unary: backend disposed');
    expect(() => backend.adamUpdate(small, small, zerosTensor([3]), zerosTensor([3]), { lr: 1, beta1: 0.9, beta2: 0.9, epsilon: 1, step: 1 })).toThrow(
      'worker backend: adam: backend disposed',
    );
  });

  it('leaves tensors usable by other backends', () => {
    const backend = new WorkerBackend({ threads: 2 });
    const x = new Tensor(backend.allocator.allocate('float32', 4), [4]);
    x.data.set([1, -2, 3, -4]);
    backend.dispose();
    const out = zerosTensor([4]);
    new CpuBackend().unary('relu', x, out);
    expect(Array.from(out.data)).toEqual([1, 0, 3, 0]);
  });

  it('with one thread there are no workers, and dispose still ends the backend', () => {
    const backend = new WorkerBackend({ threads: 1 });
    const out = zerosTensor([2]);
    backend.fill(out, 2);
    expect(Array.from(out.data)).toEqual([2, 2]);
    backend.dispose();
    expect(() => backend.fill(out, 1)).toThrow(BackendError);
  });
});
