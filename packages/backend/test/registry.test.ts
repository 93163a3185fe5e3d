import { afterEach, describe, expect, it } from 'vitest';
import { getAllocator, plainAllocator, zeros, type Allocator, type DataTypeMap, type DType } from '@scratchnet/tensor';
import {
  BackendError,
  CORE_KERNELS,
  clearBackend,
  currentBackend,
  getBackend,
  setBackend,
  withBackend,
  type Backend,
} from '@scratchnet/backend';
import { ReferenceBackend } from '@scratchnet/backend/testing';
import { CoreOnlyBackend } from './core-only-backend.js';

const SLOT = Symbol.for('@scratchnet/backend.active');

/** An allocator handing out SharedArrayBuffer-backed arrays, counting its calls. */
function sharedAllocator(): Allocator & { calls: number } {
  const allocator = {
    calls: 0,
    allocate<D extends DType>(dtype: D, length: number): DataTypeMap[D] {
      allocator.calls++;
      const buffer = new SharedArrayBuffer((dtype === 'float64' ? 8 : 4) * length);
      if (dtype === 'float64') return new Float64Array(buffer) as DataTypeMap[D];
      if (dtype === 'int32') return new Int32Array(buffer) as DataTypeMap[D];
      return new Float32Array(buffer) as DataTypeMap[D];
    },
  };
  return allocator;
}

class SharedMemoryBackend extends ReferenceBackend {
  override readonly name = 'shared';
  readonly allocator = sharedAllocator();
}

afterEach(() => clearBackend());

describe('getBackend without a backend', () => {
  it('throws a BackendError naming the op and saying what to install and call', () => {
    expect(() => getBackend('matmul')).toThrow(BackendError);
    expect(() => getBackend('matmul')).toThrow(
      /^matmul: no backend is set\. Install one and select it before the first op[\s\S]*npm install @scratchnet\/backend-cpu[\s\S]*import \{ CpuBackend \} from '@scratchnet\/backend-cpu';[\s\S]*setBackend\(new CpuBackend\(\)\);$/,
    );
  });

  it('names getBackend itself when no op is given', () => {
    expect(() => getBackend()).toThrow(/^getBackend: no backend is set/);
    expect(currentBackend()).toBeUndefined();
  });
});

describe('setBackend / getBackend / clearBackend', () => {
  it('makes a backend active and returns the previous one', () => {
    const first = new ReferenceBackend();
    const second = new ReferenceBackend();
    expect(setBackend(first)).toBeUndefined();
    expect(getBackend('add')).toBe(first);
    expect(setBackend(second)).toBe(first);
    expect(getBackend('add')).toBe(second);
    expect(currentBackend()).toBe(second);
    clearBackend();
    expect(currentBackend()).toBeUndefined();
    expect(() => getBackend('add')).toThrow(BackendError);
  });

  it('keeps the backend on globalThis under Symbol.for, so a second copy of the package agrees', () => {
    const b = new ReferenceBackend();
    setBackend(b);
    expect((globalThis as Record<symbol, unknown>)[SLOT]).toBe(b);
    // What another copy of @scratchnet/backend would do: write the same registered slot.
    const other = new ReferenceBackend();
    (globalThis as Record<symbol, unknown>)[SLOT] = other;
    expect(getBackend('relu')).toBe(other);
  });

  it('rejects what is not a backend, naming setBackend', () => {
    expect(() => setBackend({} as Backend)).toThrow(BackendError);
    expect(() => setBackend(null as unknown as Backend)).toThrow(/^setBackend: expected a Backend .*got null/);
    expect(currentBackend()).toBeUndefined();
  });

  it('refuses a backend missing core kernels, naming every one, and accepts one missing only fused kernels', () => {
    const partial = new CoreOnlyBackend() as unknown as Record<string, unknown>;
    partial.where = undefined;
    partial.cast = 'not a function';
    expect(() => setBackend(partial as unknown as Backend)).toThrow(
      new BackendError(
        `setBackend: backend 'core-only' lacks the required kernels where, cast; every backend implements the core kernels ${CORE_KERNELS.join(', ')} (the fused kernels are optional)`,
      ),
    );
    expect(currentBackend()).toBeUndefined();
    const coreOnly = new CoreOnlyBackend();
    setBackend(coreOnly);
    expect(getBackend()).toBe(coreOnly);
  });

  it('refuses op lists naming ops that do not exist', () => {
    const backend = Object.assign(new CoreOnlyBackend(), { unaryOps: ['relu', 'gelu'] });
    expect(() => setBackend(backend as unknown as Backend)).toThrow(new BackendError('setBackend: unaryOps names unknown ops "gelu"'));
    const notArray = Object.assign(new CoreOnlyBackend(), { binaryOps: 'add' });
    expect(() => setBackend(notArray as unknown as Backend)).toThrow(/binaryOps must be an array of op names/);
  });

  it("installs the backend's allocator for new tensors, and restores plain memory", () => {
    const shared = new SharedMemoryBackend();
    setBackend(shared);
    expect(getAllocator()).toBe(shared.allocator);
    const t = zeros([2, 3]);
    expect(t.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(shared.allocator.calls).toBe(1);
    setBackend(new ReferenceBackend());
    expect(getAllocator()).toBe(plainAllocator);
    expect(zeros([2]).data.buffer).toBeInstanceOf(ArrayBuffer);
    setBackend(shared);
    clearBackend();
    expect(getAllocator()).toBe(plainAllocator);
  });
});

describe('withBackend', () => {
  it('runs fn with the backend active and restores the previous one', () => {
    const outer = new ReferenceBackend();
    const inner = new SharedMemoryBackend();
    setBackend(outer);
    const result = withBackend(inner, () => {
      expect(getBackend('x')).toBe(inner);
      expect(getAllocator()).toBe(inner.allocator);
      return 7;
    });
    expect(result).toBe(7);
    expect(getBackend('x')).toBe(outer);
    expect(getAllocator()).toBe(plainAllocator);
  });

  it('restores the previous backend (and none) when fn throws', () => {
    const b = new SharedMemoryBackend();
    const boom = new Error('boom');
    expect(() =>
      withBackend(b, () => {
        throw boom;
      }),
    ).toThrow(boom);
    expect(currentBackend()).toBeUndefined();
    expect(getAllocator()).toBe(plainAllocator);
  });

  it('nests', () => {
    const a = new ReferenceBackend();
    const b = new ReferenceBackend();
    withBackend(a, () => {
      withBackend(b, () => expect(getBackend('x')).toBe(b));
      expect(getBackend('x')).toBe(a);
    });
    expect(currentBackend()).toBeUndefined();
  });

  it('for an async fn, keeps the backend until the promise settles, then restores it', async () => {
    const outer = new ReferenceBackend();
    const inner = new SharedMemoryBackend();
    setBackend(outer);
    const seen: Backend[] = [];
    const pending = withBackend(inner, async () => {
      seen.push(getBackend('x'));
      await new Promise((resolve) => setTimeout(resolve, 1));
      seen.push(getBackend('x'));
      return 'done';
    });
    expect(getBackend('x')).toBe(inner);
    await expect(pending).resolves.toBe('done');
    expect(seen).toEqual([inner, inner]);
    expect(getBackend('x')).toBe(outer);
    expect(getAllocator()).toBe(plainAllocator);
  });

  it('for an async fn that rejects, restores the backend and passes the rejection on', async () => {
    const outer = new ReferenceBackend();
    setBackend(outer);
    const pending = withBackend(new SharedMemoryBackend(), async () => {
      await Promise.resolve();
      throw new Error('async boom');
    });
    await expect(pending).rejects.toThrow('async boom');
    expect(getBackend('x')).toBe(outer);
    expect(getAllocator()).toBe(plainAllocator);
  });

  it('rejects what is not a backend without running fn', () => {
    let ran = false;
    expect(() => withBackend(undefined as unknown as Backend, () => (ran = true))).toThrow(/^withBackend: expected a Backend/);
    expect(ran).toBe(false);
  });
});
