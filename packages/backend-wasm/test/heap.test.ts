import { add, withBackend } from '@scratchnet/backend';
import { DisposedError, Tensor, tensor, zeros } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { WasmBackend, WasmMemoryError } from '../src/index.js';

const MiB = 2 ** 20;

describe('tensors in the wasm memory', () => {
  it('the allocator hands out zeroed views of the memory, and reuses a disposed block zeroed again', () => {
    const backend = new WasmBackend();
    const heap = backend.allocator;
    const a = new Tensor(heap.allocate('float32', 1000), [1000]);
    expect(a.data.buffer).toBe(backend.memory.buffer);
    expect(a.storage.home).toBe(heap);
    a.data.fill(7);
    const at = a.data.byteOffset;
    a.dispose();
    expect(() => a.data).toThrow(DisposedError);
    const b = new Tensor(heap.allocate('float64', 500), [500]);
    expect(b.data.byteOffset).toBe(at);
    expect(b.data.every((v) => v === 0)).toBe(true);
    backend.dispose();
  });

  for (const shared of [true, false]) {
    it(`tensors keep their values when the ${shared ? 'shared' : 'non-shared'} memory grows`, () => {
      const backend = new WasmBackend({ sharedMemory: shared, initialMemory: 0 });
      withBackend(backend, () => {
        const first = tensor([[1, 2, 3], [4, 5, 6]]);
        const row = first.slice(1, 2);
        const bytes = backend.memory.buffer.byteLength;
        const big = zeros([4 * MiB]);
        expect(backend.memory.buffer.byteLength).toBeGreaterThan(bytes);
        expect(first.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
        expect(row.toArray()).toEqual([[4, 5, 6]]);
        // A non-shared memory's old buffer is detached: the storage re-created its view. A shared
        // memory's old buffer stays valid (a smaller SharedArrayBuffer over the same memory).
        if (!shared) expect(first.data.buffer).toBe(backend.memory.buffer);
        // Kernels read and write the tensors at their addresses after growth.
        expect(add(first, row).toArray()).toEqual([[5, 7, 9], [8, 10, 12]]);
        big.dispose();
      });
      backend.dispose();
    });
  }

  it("another backend's shared memory growing does not make this one's new tensors strangers", () => {
    // V8 gives every shared WebAssembly.Memory of the thread a new SharedArrayBuffer object when
    // any one of them grows. Registered by the old object, a tensor allocated after that had no
    // home: every op moved it into a fresh block, leaking one block per op until collection.
    const a = new WasmBackend({ sharedMemory: true, initialMemory: 0 });
    const b = new WasmBackend({ sharedMemory: true, initialMemory: 0 });
    const before = b.memory.buffer;
    const big = new Tensor(a.allocator.allocate('float32', 4 * MiB), [4 * MiB]);
    expect(b.memory.buffer).not.toBe(before); // the engine's doing, not ours: the premise of this test
    for (const backend of [b, a]) {
      const x = new Tensor(backend.allocator.allocate('float32', 1024), [1024]);
      const out = new Tensor(backend.allocator.allocate('float32', 1024), [1024]);
      expect(x.storage.home).toBe(backend.allocator);
      const used = backend.allocator.usedBytes;
      for (let i = 0; i < 5; i++) backend.unary('relu', x, out);
      expect(backend.allocator.usedBytes).toBe(used);
      // Views taken from a tensor (as a kernel or a caller does) are recognized too.
      expect(new Tensor(out.data, [1024]).storage.home).toBe(backend.allocator);
    }
    big.dispose();
    a.dispose();
    b.dispose();
  });

  it('refuses past maximumMemory with a WasmMemoryError naming the bytes asked and available, and stays usable', () => {
    const backend = new WasmBackend({ maximumMemory: 8 * MiB, initialMemory: MiB });
    const heap = backend.allocator;
    const held = [new Tensor(heap.allocate('float32', MiB / 4), [MiB / 4]), new Tensor(heap.allocate('float32', MiB), [MiB])];
    let error: unknown;
    try {
      heap.allocate('float64', MiB);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WasmMemoryError);
    const oom = error as WasmMemoryError;
    expect(oom.requested).toBe(8 * MiB);
    expect(oom.available).toBeLessThan(8 * MiB);
    expect(oom.available).toBeGreaterThan(MiB);
    expect(oom.message).toContain(`need ${8 * MiB} bytes`);
    expect(oom.message).toContain(`at most ${oom.available} bytes`);
    expect(oom.message).toMatch(/maximumMemory/);
    // After freeing, the same request fits.
    for (const t of held) t.dispose();
    const fits = heap.allocate('float32', MiB);
    expect(fits.length).toBe(MiB);
    // Kernels still run.
    const x = withBackend(backend, () => add(tensor([1, 2]), tensor([3, 4])));
    expect(Array.from(x.data)).toEqual([4, 6]);
    backend.dispose();
  });

  it('refuses a tensor past the wasm32 limit before trying to grow', () => {
    const backend = new WasmBackend();
    expect(() => backend.allocator.allocate('float64', 2 ** 29 + 1)).toThrow(WasmMemoryError);
    expect(() => backend.allocator.allocate('float64', 2 ** 29 + 1)).toThrow(/the wasm32 limit is 4 GiB/);
    backend.dispose();
  });

  it('moves tensors from plain memory and from another wasm backend in once', () => {
    const one = new WasmBackend();
    const two = new WasmBackend();
    const plain = tensor([1, 2, 3, 4]);
    const fromOne = withBackend(one, () => tensor([10, 20, 30, 40]));
    expect(fromOne.storage.home).toBe(one.allocator);
    const out = withBackend(two, () => add(plain, fromOne));
    expect(Array.from(out.data)).toEqual([11, 22, 33, 44]);
    expect(plain.storage.home).toBe(two.allocator);
    expect(fromOne.storage.home).toBe(two.allocator);
    const storage = plain.data;
    withBackend(two, () => add(plain, fromOne, { out }));
    expect(plain.data).toBe(storage);
    one.dispose();
    two.dispose();
  });
});

describe('empty tensors', () => {
  it('take no block, and disposing one frees nobody else\'s', () => {
    const backend = new WasmBackend();
    const heap = backend.allocator;
    const first = new Tensor(heap.allocate('float32', 16), [16]);
    first.data.fill(3);
    const empty = new Tensor(heap.allocate('float32', 0), [0, 4]);
    const before = heap.liveTensorBlocks;
    empty.dispose();
    expect(heap.liveTensorBlocks).toBe(before);
    // The next allocation must not land on `first`.
    const next = new Tensor(heap.allocate('float32', 16), [16]);
    expect(next.data.byteOffset).not.toBe(first.data.byteOffset);
    expect(first.data.every((v) => v === 3)).toBe(true);
    backend.dispose();
  });
});
