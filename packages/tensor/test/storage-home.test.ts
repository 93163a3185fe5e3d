import { describe, expect, it } from 'vitest';
import { DisposedError, registerStorageHome, Storage, storageHomeOf, Tensor, tensor, zeros, type StorageHome } from '@scratchnet/tensor';

// The project's TypeScript lib (ES2022, no DOM) has no WebAssembly types; this test needs only Memory.
declare const WebAssembly: { Memory: new (descriptor: { initial: number }) => { readonly buffer: ArrayBuffer; grow(pages: number): number } };

/** A home over a non-shared WebAssembly.Memory that records what storages ask of it. */
class RecordingHome implements StorageHome {
  readonly memory = new WebAssembly.Memory({ initial: 1 });
  readonly held: Array<[object, number]> = [];
  readonly released: object[] = [];
  readonly freed: number[] = [];

  constructor() {
    registerStorageHome(this.memory.buffer, this);
  }

  get buffer(): ArrayBuffer {
    return this.memory.buffer;
  }

  hold(holder: object, byteOffset: number): void {
    this.held.push([holder, byteOffset]);
  }

  release(holder: object): void {
    this.released.push(holder);
  }

  free(byteOffset: number): void {
    this.freed.push(byteOffset);
  }

  /** Grows the memory (detaching the old buffer) and registers the new buffer. */
  grow(pages: number): void {
    this.memory.grow(pages);
    registerStorageHome(this.memory.buffer, this);
  }

  f32(byteOffset: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, byteOffset, length);
  }
}

describe('Storage in a backend home', () => {
  it('holds its block with the storage as holder and finds its home', () => {
    const home = new RecordingHome();
    const array = home.f32(64, 6);
    expect(storageHomeOf(array)).toBe(home);
    const t = new Tensor(array, [2, 3]);
    expect(t.storage.home).toBe(home);
    expect(home.held).toEqual([[t.storage, 64]]);
  });

  it('re-creates its view over the new buffer after the memory grows and detaches the old one', () => {
    const home = new RecordingHome();
    const t = new Tensor(home.f32(128, 6), [2, 3]);
    t.data.set([1, 2, 3, 4, 5, 6]);
    const row = t.slice(1, 2);
    expect(Array.from(row.data)).toEqual([4, 5, 6]);
    const before = t.data;
    home.grow(1);
    // The old view is detached: it reads as empty.
    expect(before.length).toBe(0);
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(t.data.buffer).toBe(home.memory.buffer);
    expect(Array.from(row.data)).toEqual([4, 5, 6]);
    // Writes land in the memory at the same place.
    row.data[0] = 40;
    expect(new Float32Array(home.memory.buffer, 128, 6)[3]).toBe(40);
    expect(t.toArray()).toEqual([[1, 2, 3], [40, 5, 6]]);
    // The new view is held too, by itself (whoever keeps it keeps the block).
    expect(home.held.at(-1)).toEqual([t.data, 128]);
  });

  it('an empty tensor in a home stays readable after the memory grows (its detached view would throw when iterated)', () => {
    const home = new RecordingHome();
    const t = new Tensor(home.f32(64, 0), [3, 0, 2]);
    const before = t.data;
    home.grow(1);
    // A detached empty view still has length 0, but iterating it throws.
    expect(() => Array.from(before)).toThrow(TypeError);
    expect(Array.from(t.data)).toEqual([]);
    expect(t.data.buffer).toBe(home.memory.buffer);
    expect(t.toArray()).toEqual([[], [], []]);
    // Still no block held for it.
    expect(home.held).toEqual([]);
  });

  it('an empty array in a home holds nothing and frees nothing', () => {
    const home = new RecordingHome();
    const t = new Tensor(home.f32(64, 0), [0, 3]);
    expect(t.storage.home).toBe(home);
    t.dispose();
    expect(home.held).toEqual([]);
    expect(home.freed).toEqual([]);
  });

  it('moves out of the home on replace, releasing its hold', () => {
    const home = new RecordingHome();
    const t = new Tensor(home.f32(0, 3), [3]);
    t.data.set([7, 8, 9]);
    t.storage.replace(new Float32Array(3));
    expect(home.released).toEqual([t.storage]);
    expect(t.storage.home).toBeUndefined();
    expect(Array.from(t.data)).toEqual([7, 8, 9]);
  });

  it('dispose frees the block at once and makes every view unusable', () => {
    const home = new RecordingHome();
    const t = new Tensor(home.f32(256, 4), [2, 2]);
    const view = t.reshape([4]);
    t.dispose();
    expect(home.freed).toEqual([256]);
    expect(home.released).toEqual([t.storage]);
    expect(t.disposed).toBe(true);
    expect(() => t.data).toThrow(DisposedError);
    expect(() => view.data).toThrow(/was disposed/);
    t.dispose();
    expect(home.freed).toEqual([256]);
  });
});

describe('plain storage', () => {
  it('has no home, and dispose drops the elements', () => {
    const t = tensor([1, 2, 3]);
    expect(t.storage.home).toBeUndefined();
    expect(storageHomeOf(t.data)).toBeUndefined();
    t.dispose();
    expect(() => t.toArray()).toThrow(DisposedError);
    expect(() => t.slice(0, 1).data).toThrow(DisposedError);
  });

  it('an empty tensor can be disposed and read', () => {
    const t = zeros([0, 3]);
    t.dispose();
    expect(t.data.length).toBe(0);
  });

  it('replace keeps working as before', () => {
    const s = new Storage(new Float64Array([1, 2]));
    const next = new Float64Array(2);
    s.replace(next);
    expect(s.data).toBe(next);
    expect(Array.from(next)).toEqual([1, 2]);
    expect(() => s.replace(new Float32Array(2) as never)).toThrow(/holds float32/);
  });
});
