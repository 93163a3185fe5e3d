/**
 * Bookkeeping for blocks of a byte range `[base, end)`: which are in use, which are free. It
 * never touches memory itself; the heap grows the range (`extend`) when `allocate` finds no room.
 *
 * Blocks are multiples of ALIGN bytes (a cache line, so two threads writing neighbouring tensors
 * never share one, and every v128 access is aligned). Free blocks are coalesced with free
 * neighbours at once, and a free block that reaches the top lowers it, so memory freed in any
 * order can serve any later request. A request takes the first fitting block of the smallest
 * size class that can hold it (classes are powers of two), splitting off the rest. Training
 * allocates the same sizes every step, so freed blocks are reused as they are.
 */
export const ALIGN = 64;

export class BlockAllocator {
  /** Start of the range (aligned). */
  readonly base: number;
  #end: number;
  /** Everything at and above `top` is unused; blocks below it are either in use or free. */
  #top: number;
  readonly #used = new Map<number, number>();
  readonly #freeByStart = new Map<number, number>();
  readonly #freeByEnd = new Map<number, number>();
  /** Free block starts by size class (floor(log2(size))). */
  readonly #bins: Array<Set<number>> = [];
  #usedBytes = 0;

  constructor(base: number, end: number) {
    this.base = alignUp(base);
    this.#end = end;
    this.#top = this.base;
  }

  /** End of the managed range. */
  get end(): number {
    return this.#end;
  }

  /** Bytes in blocks that are in use. */
  get usedBytes(): number {
    return this.#usedBytes;
  }

  /** Bytes not in use: free blocks plus everything above the top. */
  get freeBytes(): number {
    return this.#end - this.base - this.#usedBytes;
  }

  /** The largest request that would succeed without growing the range. */
  get largestFree(): number {
    let largest = this.#end - this.#top;
    for (const size of this.#freeByStart.values()) largest = Math.max(largest, size);
    return largest;
  }

  /** The top of the used part: growing the range only ever needs to reach past this. */
  get top(): number {
    return this.#top;
  }

  /** Number of blocks in use. */
  get blockCount(): number {
    return this.#used.size;
  }

  /** Size of the block in use that starts at `start`, or undefined. */
  sizeOf(start: number): number | undefined {
    return this.#used.get(start);
  }

  /** Start of the block in use that contains `address`, or undefined. */
  blockContaining(address: number): number | undefined {
    if (this.#used.has(address)) return address;
    for (const [start, size] of this.#used) if (address >= start && address < start + size) return start;
    return undefined;
  }

  /** Rounds `bytes` up to a block size (at least ALIGN). */
  static blockSize(bytes: number): number {
    return Math.max(ALIGN, alignUp(bytes));
  }

  /** Start of a new block of at least `bytes`, or null when the range has no room for it. */
  allocate(bytes: number): number | null {
    const size = BlockAllocator.blockSize(bytes);
    const start = this.#takeFree(size) ?? this.#takeTop(size);
    if (start === null) return null;
    this.#used.set(start, size);
    this.#usedBytes += size;
    return start;
  }

  /** Returns the block starting at `start` (which must be in use). */
  free(start: number): void {
    const size = this.#used.get(start);
    if (size === undefined) throw new Error(`BlockAllocator.free: no block in use at ${start}`);
    this.#used.delete(start);
    this.#usedBytes -= size;
    let from = start;
    let to = start + size;
    const after = this.#freeByStart.get(to);
    if (after !== undefined) {
      this.#removeFree(to, after);
      to += after;
    }
    const before = this.#freeByEnd.get(from);
    if (before !== undefined) {
      this.#removeFree(before, from - before);
      from = before;
    }
    if (to === this.#top) this.#top = from;
    else this.#addFree(from, to - from);
  }

  /** The range now ends at `end` (the memory grew). */
  extend(end: number): void {
    if (end < this.#end) throw new Error(`BlockAllocator.extend: ${end} is below the current end ${this.#end}`);
    this.#end = end;
  }

  #takeTop(size: number): number | null {
    if (this.#top + size > this.#end) return null;
    const start = this.#top;
    this.#top += size;
    return start;
  }

  #takeFree(size: number): number | null {
    for (let c = sizeClass(size); c < this.#bins.length; c++) {
      const bin = this.#bins[c];
      if (bin === undefined || bin.size === 0) continue;
      for (const start of bin) {
        const blockSize = this.#freeByStart.get(start)!;
        if (blockSize < size) continue;
        this.#removeFree(start, blockSize);
        if (blockSize > size) this.#addFree(start + size, blockSize - size);
        return start;
      }
    }
    return null;
  }

  #addFree(start: number, size: number): void {
    this.#freeByStart.set(start, size);
    this.#freeByEnd.set(start + size, start);
    const c = sizeClass(size);
    (this.#bins[c] ??= new Set()).add(start);
  }

  #removeFree(start: number, size: number): void {
    this.#freeByStart.delete(start);
    this.#freeByEnd.delete(start + size);
    this.#bins[sizeClass(size)]!.delete(start);
  }
}

function alignUp(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}

function sizeClass(size: number): number {
  return 31 - Math.clz32(Math.min(size, 2 ** 31)) + (size >= 2 ** 32 ? 1 : 0);
}
