import { matmul, withBackend } from '@scratchnet/backend';
import { BackendError } from '@scratchnet/backend';
import { Tensor, tensor } from '@scratchnet/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { WasmBackend } from '../src/index.js';

/**
 * Which tensors the backend moves into its memory by itself (once: later ops find them there), and
 * which it refuses: the worker backend's policy, for the same reason.
 */
describe('tensors from other memory', () => {
  const backend = new WasmBackend();
  const other = new WasmBackend();
  afterAll(() => {
    backend.dispose();
    other.dispose();
  });
  const b = (): Tensor => tensor([[1, 0], [0, 1], [1, 1]], { dtype: 'float32' });

  it('a tensor a creation function made in plain memory is moved in once, with every view of it', () => {
    const a = tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float32' });
    const view = a.reshape([3, 2]);
    const c = withBackend(backend, () => matmul(a, b()));
    expect(a.storage.home).toBe(backend.allocator);
    expect(view.storage.home).toBe(backend.allocator);
    expect(c.storage.home).toBe(backend.allocator);
    const storage = a.storage.data;
    withBackend(backend, () => matmul(a, b()));
    expect(a.storage.data).toBe(storage);
    expect(Array.from(c.data)).toEqual([4, 5, 10, 11]);
  });

  it("a tensor in another backend's memory (another wasm heap, a SharedArrayBuffer) is moved in", () => {
    const inOther = other.moveIn(tensor([[1, 2, 3]], { dtype: 'float32' }));
    const shared = new Float32Array(new SharedArrayBuffer(12));
    shared.set([1, 2, 3]);
    const inShared = new Tensor(shared, [1, 3]);
    for (const a of [inOther, inShared]) {
      const c = withBackend(backend, () => matmul(a, b()));
      expect(a.storage.home).toBe(backend.allocator);
      expect(Array.from(c.data)).toEqual([4, 5]);
    }
  });

  it('a tensor built on the caller\'s own plain array is refused, naming it; moveIn hands it over knowingly', () => {
    const array = new Float32Array([1, 2, 3, 4, 5, 6]);
    const a = new Tensor(array, [2, 3]);
    let error: unknown;
    try {
      withBackend(backend, () => matmul(a, b()));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BackendError);
    expect(String((error as Error).message)).toContain('a float32 tensor of shape [2,3] is built on an array passed to new Tensor()');
    expect(String((error as Error).message)).toContain('backend.moveIn(tensor)');
    expect(a.storage.home).toBeUndefined();
    expect(a.data).toBe(array);
    expect(backend.moveIn(a)).toBe(a);
    expect(a.storage.home).toBe(backend.allocator);
    expect(Array.from(withBackend(backend, () => matmul(a, b())).data)).toEqual([4, 5, 10, 11]);
  });
});
