import { BackendError } from '@scratchnet/backend';
import {
  bytesPerElement,
  formatShape,
  isCreatedArray,
  registerStorageHome,
  typedArrayConstructor,
  type Allocator,
  type DataTypeMap,
  type DType,
  type StorageHome,
  type Tensor,
} from '@scratchnet/tensor';
import { WasmMemoryError } from '../errors.js';
import { BlockAllocator } from './block-allocator.js';
import { HEAP_START, PAGE_BYTES } from './layout.js';

export interface HeapOptions {
  /** A shared memory (threads need one; its buffer never detaches on growth). */
  shared: boolean;
  /** Bytes to start with (rounded up to pages). */
  initialBytes: number;
  /** Bytes the memory may grow to (a multiple of the page size, at most the wasm32 limit). */
  maximumBytes: number;
}

/** A tensor block and how many objects (storages, views handed out) still use it. */
interface Block {
  readonly start: number;
  /** A plain buffer as large as the block, alive while the block is: see `allocate`. */
  charge: ArrayBuffer | null;
  refs: number;
  freed: boolean;
}

type ViewConstructor<D extends DType> = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => DataTypeMap[D];

/**
 * The backend's WebAssembly memory as a heap of blocks: tensors (through `allocate`, installed
 * as the tensor allocator) and the backend's own buffers (`allocateBytes`).
 *
 * A tensor block is freed when every object using it is gone: the array `allocate` returned,
 * the `Storage` made from it (see `StorageHome` in @scratchnet/tensor), and any view re-created
 * after growth. Each is registered with a FinalizationRegistry; `tensor.dispose()` frees at once.
 * Garbage collection only runs those callbacks between tasks, so a long synchronous loop that
 * drops tensors without disposing them grows the memory until it yields to the event loop.
 *
 * The memory grows by at least half its size when a request does not fit, up to `maximumBytes`;
 * past it, `allocate` throws a WasmMemoryError naming the bytes asked and available, and the
 * heap stays usable (a later request that fits succeeds). After growth the buffer is new: it is
 * registered as this home again, so storages re-view (a non-shared buffer detaches).
 *
 * The buffer object can also change without this heap growing: V8 hands every shared memory of
 * the thread a new SharedArrayBuffer object (same bytes, same length) when any one of them grows.
 * So every buffer this heap hands out a view of is registered first (`#current`); registered only
 * at construction and growth, tensors allocated after another backend grew had no home, and every
 * op moved them into a fresh block.
 */
export class WasmHeap implements Allocator, StorageHome {
  readonly memory: WebAssembly.Memory;
  readonly shared: boolean;
  readonly maximumBytes: number;
  readonly #blocks: BlockAllocator;
  readonly #live = new Map<number, Block>();
  readonly #holders = new WeakMap<object, Block>();
  readonly #registry = new FinalizationRegistry<Block>((block) => this.#drop(block));
  /** The buffer object last registered as this home. */
  #registered: ArrayBufferLike | undefined;

  constructor(options: HeapOptions) {
    this.shared = options.shared;
    this.maximumBytes = options.maximumBytes;
    const initial = Math.max(HEAP_START + PAGE_BYTES, Math.min(options.initialBytes, options.maximumBytes));
    this.memory = new WebAssembly.Memory({
      initial: Math.ceil(initial / PAGE_BYTES),
      maximum: options.maximumBytes / PAGE_BYTES,
      shared: options.shared,
    });
    this.#blocks = new BlockAllocator(HEAP_START, this.#current().byteLength);
  }

  /** The memory's current buffer (a new one after each growth), registered as this home. */
  get buffer(): ArrayBufferLike {
    return this.#current();
  }

  /** Bytes in blocks in use (tensors and the backend's buffers). */
  get usedBytes(): number {
    return this.#blocks.usedBytes;
  }

  /** Tensor blocks not yet freed. */
  get liveTensorBlocks(): number {
    return this.#live.size;
  }

  /** Zero-filled storage of `length` elements of `dtype` in this memory. */
  allocate<D extends DType>(dtype: D, length: number): DataTypeMap[D] {
    const Ctor = typedArrayConstructor(dtype) as unknown as ViewConstructor<D>;
    // An empty tensor has no block; its view sits at address 0, below every block.
    if (length === 0) return new Ctor(this.#current(), 0, 0);
    const bytes = length * bytesPerElement(dtype);
    const start = this.#reserve(bytes, `${length} ${dtype} elements`);
    // V8 does not count a WebAssembly memory's bytes towards collection pressure, so dropped
    // tensors were not collected: 300 dropped 4 MB tensors (yielding between them) grew the memory
    // to 1.4 GB. A plain ArrayBuffer as large as the block, alive while the block is (never written:
    // large ones are mapped lazily), makes V8 count the bytes; the same loop peaks at 182 MB. (One
    // dropped at once, as @scratchnet/backend-worker does for SharedArrayBuffers, did not help here:
    // it is reclaimed by a scavenge, which does not run finalizers.)
    this.#live.set(start, { start, refs: 0, freed: false, charge: new ArrayBuffer(bytes) });
    const view = new Ctor(this.#current(), start, length);
    // A reused block holds what its last tensor left.
    view.fill(0);
    this.hold(view, start);
    return view;
  }

  /**
   * `t`'s storage in this memory: moved here once (every view of it follows) if it lives
   * elsewhere — another backend's memory, or plain memory a creation function allocated
   * (`tensor`, `zeros`, an op's result made before this backend was installed), where only views
   * of the tensor could notice the move. A tensor built on the caller's own array
   * (`new Tensor(array)`) is refused, as the worker backend refuses it: the cpu backend reads and
   * writes that very array, and moving the tensor would leave it behind, unchanged by every later
   * op. `moveIn` moves one knowingly.
   */
  adopt(t: Tensor): void {
    const storage = t.storage;
    if (storage.home === this) return;
    if (storage.home === undefined && !storage.shared && !isCreatedArray(storage.data)) {
      throw new BackendError(
        `wasm backend: a ${t.dtype} tensor of shape ${formatShape(t.shape)} is built on an array passed to new Tensor(), in plain memory. ` +
          "The kernels compute only in the backend's WebAssembly memory, and moving the tensor there would leave that array behind: " +
          'the cpu backend reads and writes it, this one would not. Copy it with tensor(array), or call backend.moveIn(tensor) to move it knowingly.',
      );
    }
    this.moveIn(t);
  }

  /** Moves `t`'s storage (every view of it follows) into this memory, whatever memory it is in now. */
  moveIn(t: Tensor): void {
    if (t.storage.home !== this) t.storage.replace(this.allocate(t.dtype, t.storage.length) as never);
  }

  /** A block of at least `bytes` for the backend's own use, freed only by `freeBytes`. */
  allocateBytes(bytes: number, what: string): number {
    return this.#reserve(bytes, what);
  }

  /** Returns a block `allocateBytes` gave (by its start address) to the heap, for reuse. */
  freeBytes(start: number): void {
    this.#blocks.free(start);
  }

  hold(holder: object, byteOffset: number): void {
    const start = this.#blocks.blockContaining(byteOffset);
    const block = start === undefined ? undefined : this.#live.get(start);
    if (block === undefined) return;
    block.refs++;
    this.#holders.set(holder, block);
    this.#registry.register(holder, block, holder);
  }

  release(holder: object): void {
    const block = this.#holders.get(holder);
    if (block === undefined) return;
    this.#holders.delete(holder);
    this.#registry.unregister(holder);
    this.#drop(block);
  }

  free(byteOffset: number): void {
    const start = this.#blocks.blockContaining(byteOffset);
    const block = start === undefined ? undefined : this.#live.get(start);
    if (block !== undefined) this.#freeBlock(block);
  }

  #drop(block: Block): void {
    block.refs--;
    if (block.refs <= 0) this.#freeBlock(block);
  }

  #freeBlock(block: Block): void {
    if (block.freed) return;
    block.freed = true;
    block.charge = null;
    this.#live.delete(block.start);
    this.#blocks.free(block.start);
  }

  /** The memory's buffer as it is now, registered as this home if it is a new object. */
  #current(): ArrayBufferLike {
    const buffer = this.memory.buffer;
    if (buffer !== this.#registered) {
      registerStorageHome(buffer, this);
      this.#registered = buffer;
    }
    return buffer;
  }

  /** Start of a new block of `bytes`, growing the memory if needed. */
  #reserve(bytes: number, what: string): number {
    const start = this.#blocks.allocate(bytes);
    if (start !== null) return start;
    const size = BlockAllocator.blockSize(bytes);
    const needed = this.#blocks.top + size;
    if (needed > this.maximumBytes || !this.#grow(needed)) throw this.#outOfMemory(bytes, what);
    return this.#blocks.allocate(bytes)!;
  }

  /** Grows the memory to at least `needed` bytes; false if the engine refuses. */
  #grow(needed: number): boolean {
    const current = this.memory.buffer.byteLength;
    // Half again as much, so that a growing workload grows the memory a logarithmic number of times.
    const wanted = Math.min(this.maximumBytes, Math.max(needed, current + Math.floor(current / 2)));
    for (const target of wanted > needed ? [wanted, needed] : [needed]) {
      try {
        this.memory.grow(Math.ceil((target - current) / PAGE_BYTES));
      } catch {
        continue;
      }
      this.#blocks.extend(this.#current().byteLength);
      return true;
    }
    return false;
  }

  #outOfMemory(bytes: number, what: string): WasmMemoryError {
    const available = Math.max(this.#blocks.largestFree, this.maximumBytes - this.#blocks.top);
    const mib = (n: number): string => `${(n / 2 ** 20).toFixed(1)} MiB`;
    return new WasmMemoryError(
      `wasm backend: out of memory: ${what} need ${bytes} bytes (${mib(bytes)}), but at most ${available} bytes ` +
        `(${mib(available)}) can be allocated in one block: ${this.#blocks.usedBytes} bytes are in use and the memory ` +
        `may grow to ${this.maximumBytes} bytes (${mib(this.maximumBytes)}; the wasm32 limit is 4 GiB). ` +
        'Dispose tensors you no longer need (tensor.dispose()), or raise the backend option maximumMemory.',
      bytes,
      available,
    );
  }
}
