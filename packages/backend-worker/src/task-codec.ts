import type { KernelName, KernelTask } from '@scratchnet/backend-cpu';

/**
 * Kernel tasks written into shared memory instead of posted as messages.
 *
 * Why. A posted task is structured-cloned: every SharedArrayBuffer in it is re-created in the
 * worker, and the caller pays the serialisation. Measured in a `fit` epoch on the 2-core
 * development VM, a worker started its slice a median 10-19 µs after the caller began posting
 * it; read from shared memory, ~1 µs. That is per split kernel, 13 of them per training step.
 *
 * How. Strings and buffers are defined once (`Definitions`, posted on the worker's port before
 * the first task that needs them) and then referred to by number; a task is a list of
 * `(key, tag, payload…)` entries of float64 words in the mailbox. Buffers the caller no longer
 * references are forgotten by the workers, so they never keep memory alive.
 */

/** What a worker must learn before it can read the mailbox: posted on its port, in order. */
export interface Definitions {
  strings: Array<[number, string]>;
  buffers: Array<[number, SharedArrayBuffer]>;
  forget: number[];
}

// Entry tags, each followed by its payload words.
const NUMBER = 0; // value
const TRUE = 1;
const FALSE = 2;
const STRING = 3; // string id
const VIEW = 4; // buffer id, view type, byte offset, length
const NUMBER_LIST = 5; // length, values…
const NULL = 6;

/** Typed array types a task may carry, by code. */
const VIEW_TYPES = [Float32Array, Float64Array, Int32Array, Uint8Array, Int8Array, Uint16Array, Int16Array, Uint32Array, Uint8ClampedArray] as const;
type View = InstanceType<(typeof VIEW_TYPES)[number]>;
type ViewType = new (buffer: SharedArrayBuffer, byteOffset: number, length: number) => View;
const VIEW_CODES = new Map<unknown, number>(VIEW_TYPES.map((type, code) => [type, code]));

// Task header words, then the entries.
const KERNEL = 0;
const UNITS = 1;
const GRAIN = 2;
const COST = 3;
const ENTRIES = 4;
/** Words the whole task takes, header included. */
const LENGTH = 5;
const HEADER = 6;

/**
 * Word `i` as a number, small integers as int32. A value read from a Float64Array is a double
 * even when integral; kernels whose sizes and indices are doubles run ~1.5× slower (V8 then does
 * their index arithmetic in float64), so integers are handed back as structured clone would.
 */
export function numberAt(w: Float64Array, i: number): number {
  const v = w[i]!;
  const int = v | 0;
  return int === v && (int !== 0 || 1 / v > 0) ? int : v;
}

/** Caller side: writes tasks into `words` from `base` up to `limit`, and tracks what workers know. */
export class TaskEncoder {
  readonly #words: Float64Array;
  readonly #base: number;
  readonly #limit: number;
  readonly #strings = new Map<string, number>();
  readonly #buffers = new WeakMap<SharedArrayBuffer, number>();
  #nextBuffer = 1;
  #pending: Definitions = { strings: [], buffers: [], forget: [] };
  #hasPending = false;
  // A buffer collected here is unreachable from any future task: the workers may drop it. Ids are
  // never reused, so a late `forget` cannot hit a newer buffer.
  readonly #collected = new FinalizationRegistry<number>((id) => {
    this.#pending.forget.push(id);
    this.#hasPending = true;
  });

  constructor(words: Float64Array, base: number, limit: number) {
    this.#words = words;
    this.#base = base;
    this.#limit = limit;
  }

  /**
   * Writes `task` into the mailbox. Returns false when it does not fit or an argument has no
   * encoding (a buffer not shared, an object); the task must then travel as a message.
   */
  write(task: KernelTask): boolean {
    const w = this.#words;
    const limit = this.#limit;
    const base = this.#base;
    w[base + KERNEL] = this.#stringId(task.kernel);
    w[base + UNITS] = task.units;
    w[base + GRAIN] = task.grain;
    w[base + COST] = task.cost;
    let at = base + HEADER;
    let entries = 0;
    const args = task.args as unknown as Record<string, unknown>;
    for (const key in args) {
      const value = args[key];
      if (at + 2 > limit) return false;
      w[at++] = this.#stringId(key);
      if (typeof value === 'number') {
        if (at + 2 > limit) return false;
        w[at++] = NUMBER;
        w[at++] = value;
      } else if (typeof value === 'boolean') {
        w[at++] = value ? TRUE : FALSE;
      } else if (typeof value === 'string') {
        if (at + 2 > limit) return false;
        w[at++] = STRING;
        w[at++] = this.#stringId(value);
      } else if (value === null) {
        w[at++] = NULL;
      } else if (ArrayBuffer.isView(value)) {
        const code = VIEW_CODES.get(value.constructor);
        if (code === undefined || !(value.buffer instanceof SharedArrayBuffer) || at + 5 > limit) return false;
        w[at++] = VIEW;
        w[at++] = this.#bufferId(value.buffer);
        w[at++] = code;
        w[at++] = value.byteOffset;
        w[at++] = (value as View).length;
      } else if (Array.isArray(value)) {
        if (at + 2 + value.length > limit) return false;
        w[at++] = NUMBER_LIST;
        w[at++] = value.length;
        for (const item of value) {
          if (typeof item !== 'number') return false;
          w[at++] = item;
        }
      } else {
        return false;
      }
      entries++;
    }
    w[base + ENTRIES] = entries;
    w[base + LENGTH] = at - base;
    return true;
  }

  /** The definitions made since the last call, for every worker to read first; null if none. */
  takeDefinitions(): Definitions | null {
    if (!this.#hasPending) return null;
    const taken = this.#pending;
    this.#pending = { strings: [], buffers: [], forget: [] };
    this.#hasPending = false;
    return taken;
  }

  #stringId(s: string): number {
    let id = this.#strings.get(s);
    if (id === undefined) {
      id = this.#strings.size;
      this.#strings.set(s, id);
      this.#pending.strings.push([id, s]);
      this.#hasPending = true;
    }
    return id;
  }

  #bufferId(buffer: SharedArrayBuffer): number {
    let id = this.#buffers.get(buffer);
    if (id === undefined) {
      id = this.#nextBuffer++;
      this.#buffers.set(buffer, id);
      this.#collected.register(buffer, id);
      this.#pending.buffers.push([id, buffer]);
      this.#hasPending = true;
    }
    return id;
  }
}

/** Decoded tasks kept for reuse; a training step repeats the same few dozen tasks every step. */
const CACHE_LIMIT = 256;

interface CachedTask {
  words: Float64Array;
  task: KernelTask;
}

/**
 * Worker side: learns definitions and reads tasks back. A task whose words equal those of one
 * read before is handed back as the same object, so a worker in a training loop allocates
 * nothing per task and never collects garbage between tasks (its collections would stall the
 * op for everyone).
 */
export class TaskDecoder {
  readonly #strings: string[] = [];
  readonly #buffers = new Map<number, SharedArrayBuffer>();
  readonly #cache = new Map<number, CachedTask>();
  #bits: Int32Array | null = null;

  define(definitions: Definitions): void {
    for (const [id, s] of definitions.strings) this.#strings[id] = s;
    for (const [id, buffer] of definitions.buffers) this.#buffers.set(id, buffer);
    for (const id of definitions.forget) this.#buffers.delete(id);
    // Cached tasks hold views of the forgotten buffers.
    if (definitions.forget.length > 0) this.#cache.clear();
  }

  /** Buffers currently held (for tests: forgotten buffers must go). */
  get bufferCount(): number {
    return this.#buffers.size;
  }

  /** Tasks currently cached (for tests). */
  get cachedCount(): number {
    return this.#cache.size;
  }

  /** The task written by `TaskEncoder.write` at `base`: a cached one if its words match. */
  read(w: Float64Array, base: number): KernelTask {
    const length = w[base + LENGTH]!;
    if (this.#bits?.buffer !== w.buffer || this.#bits.byteOffset !== w.byteOffset) {
      this.#bits = new Int32Array(w.buffer, w.byteOffset, w.length * 2);
    }
    const key = hashWords(this.#bits, base, length);
    const cached = this.#cache.get(key);
    if (cached !== undefined && sameWords(cached.words, w, base, length)) return cached.task;
    const task = this.#decode(w, base);
    if (this.#cache.size >= CACHE_LIMIT) this.#cache.clear();
    this.#cache.set(key, { words: w.slice(base, base + length), task });
    return task;
  }

  #decode(w: Float64Array, base: number): KernelTask {
    const args: Record<string, unknown> = {};
    const entries = w[base + ENTRIES]!;
    let at = base + HEADER;
    for (let e = 0; e < entries; e++) {
      const key = this.#string(w[at++]!);
      const tag = w[at++]!;
      switch (tag) {
        case NUMBER:
          args[key] = numberAt(w, at++);
          break;
        case TRUE:
        case FALSE:
          args[key] = tag === TRUE;
          break;
        case STRING:
          args[key] = this.#string(w[at++]!);
          break;
        case NULL:
          args[key] = null;
          break;
        case VIEW: {
          const buffer = this.#buffers.get(w[at]!);
          if (buffer === undefined) throw new Error(`task codec: argument ${key} refers to unknown buffer ${w[at]}`);
          const Type = VIEW_TYPES[w[at + 1]!] as unknown as ViewType;
          args[key] = new Type(buffer, numberAt(w, at + 2), numberAt(w, at + 3));
          at += 4;
          break;
        }
        case NUMBER_LIST: {
          const length = numberAt(w, at++);
          const list = new Array<number>(length);
          for (let i = 0; i < length; i++) list[i] = numberAt(w, at++);
          args[key] = list;
          break;
        }
        default:
          throw new Error(`task codec: argument ${key} has unknown tag ${tag}`);
      }
    }
    return {
      kernel: this.#string(w[base + KERNEL]!) as KernelName,
      args,
      units: numberAt(w, base + UNITS),
      grain: numberAt(w, base + GRAIN),
      cost: numberAt(w, base + COST),
    } as unknown as KernelTask;
  }

  #string(id: number): string {
    const s = this.#strings[id];
    if (s === undefined) throw new Error(`task codec: unknown string ${id}`);
    return s;
  }
}

/** FNV-1a over the 32-bit halves of words [base, base + length). */
function hashWords(bits: Int32Array, base: number, length: number): number {
  let h = 0x811c9dc5;
  for (let i = 2 * base, end = 2 * (base + length); i < end; i++) h = Math.imul(h ^ bits[i]!, 0x01000193);
  return h;
}

/** Whether `copy` holds exactly words [base, base + length) of `w` (bit for bit: NaN and -0 count). */
function sameWords(copy: Float64Array, w: Float64Array, base: number, length: number): boolean {
  if (copy.length !== length) return false;
  for (let i = 0; i < length; i++) {
    const a = copy[i]!;
    const b = w[base + i]!;
    if (a !== b && !(a !== a && b !== b)) return false;
    if (a === 0 && 1 / a !== 1 / b) return false;
  }
  return true;
}
