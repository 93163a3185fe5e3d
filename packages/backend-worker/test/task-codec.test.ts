import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { KernelTask } from '@scratchnet/backend-cpu';
import { describe, expect, it } from 'vitest';
import { numberAt, TaskDecoder, TaskEncoder } from '../src/task-codec.js';

const BASE = 5;
const LIMIT = 256;

function codec(limit = LIMIT) {
  const words = new Float64Array(new SharedArrayBuffer(8 * limit));
  const encoder = new TaskEncoder(words, BASE, limit);
  const decoder = new TaskDecoder();
  /** Encodes, hands the definitions over as the pool would, decodes. */
  const roundTrip = (task: unknown): KernelTask | null => {
    const ok = encoder.write(task as KernelTask);
    const definitions = encoder.takeDefinitions();
    if (definitions !== null) decoder.define(structuredClone(definitions));
    return ok ? decoder.read(words, BASE) : null;
  };
  return { words, encoder, decoder, roundTrip };
}

const shared = <T>(Type: new (buffer: SharedArrayBuffer, offset: number, length: number) => T, bytes: number, offset: number, length: number): T =>
  new Type(new SharedArrayBuffer(bytes), offset, length);

describe('task codec: what goes into the mailbox comes out the same', () => {
  it('numbers (integers, fractions, -0, NaN, ±Infinity, beyond int32), booleans, strings, null and number lists', () => {
    const { roundTrip } = codec();
    const args = {
      int: 128, neg: -7, zero: 0, negZero: -0, frac: 0.1, tiny: 5e-324, nan: NaN, inf: Infinity, ninf: -Infinity,
      big: 2 ** 40, int32Max: 2 ** 31 - 1, aboveInt32: 2 ** 31, yes: true, no: false, op: 'leakyRelu', empty: '', none: null,
      shape: [3, 1, 4], strides: [], mixed: [0.5, -0, NaN],
    };
    const task = roundTrip({ kernel: 'binary', args, units: 12, grain: 1, cost: 4 })!;
    expect(task.kernel).toBe('binary');
    expect([task.units, task.grain, task.cost]).toEqual([12, 1, 4]);
    const got = task.args as unknown as Record<string, unknown>;
    expect(Object.keys(got)).toEqual(Object.keys(args));
    for (const [key, value] of Object.entries(args)) {
      if (Array.isArray(value)) {
        expect((got[key] as number[]).length, key).toBe(value.length);
        value.forEach((v, i) => expect(Object.is((got[key] as number[])[i], v), `${key}[${i}]`).toBe(true));
      } else {
        expect(Object.is(got[key], value), `${key}: ${String(got[key])} vs ${String(value)}`).toBe(true);
      }
    }
  });

  it('integral words come back as the same integers, -0 stays -0', () => {
    const w = new Float64Array([3, -0, 0, 2 ** 31, -(2 ** 31), 1.5]);
    expect([0, 1, 2, 3, 4, 5].map((i) => numberAt(w, i))).toEqual([3, -0, 0, 2 ** 31, -(2 ** 31), 1.5]);
    expect(Object.is(numberAt(w, 1), -0)).toBe(true);
    expect(Object.is(numberAt(w, 2), 0)).toBe(true);
  });

  it('typed arrays of every type come back as views of the same shared memory, offset and length kept', () => {
    const { roundTrip } = codec();
    const arrays = {
      f32: shared(Float32Array, 64, 8, 5),
      f64: shared(Float64Array, 64, 16, 3),
      i32: shared(Int32Array, 64, 0, 16),
      u8: shared(Uint8Array, 16, 3, 7),
      i8: shared(Int8Array, 16, 1, 2),
      u16: shared(Uint16Array, 16, 2, 3),
      i16: shared(Int16Array, 16, 4, 6),
      u32: shared(Uint32Array, 16, 4, 1),
      u8c: shared(Uint8ClampedArray, 16, 0, 0),
    };
    const got = roundTrip({ kernel: 'copy', args: arrays, units: 1, grain: 1, cost: 1 })!.args as unknown as Record<string, ArrayBufferView & { length: number }>;
    for (const [key, original] of Object.entries(arrays)) {
      const view = got[key]!;
      expect(view.constructor, key).toBe(original.constructor);
      expect([view.byteOffset, view.length], key).toEqual([original.byteOffset, original.length]);
      // The same memory: a write through one is read through the other.
      if (original.length > 0) {
        (view as unknown as number[])[original.length - 1] = 1;
        expect((original as unknown as number[])[original.length - 1], key).toBe(1);
      }
    }
  });

  it('defines each string and buffer once, and nothing when a task only repeats them', () => {
    const { encoder, roundTrip } = codec();
    const x = shared(Float32Array, 16, 0, 4);
    const task = { kernel: 'unary', args: { op: 'relu', x, out: x, alpha: 1 }, units: 4, grain: 1, cost: 1 };
    expect(roundTrip(task)).not.toBeNull();
    expect(encoder.write(task as unknown as KernelTask)).toBe(true);
    expect(encoder.takeDefinitions()).toBeNull();
    const y = shared(Float32Array, 16, 0, 4);
    encoder.write({ ...task, args: { ...task.args, out: y } } as unknown as KernelTask);
    const definitions = encoder.takeDefinitions()!;
    expect(definitions.strings).toEqual([]);
    expect(definitions.buffers.map(([, buffer]) => buffer)).toEqual([y.buffer]);
  });

  it('refuses what it cannot carry (plain memory, objects, a task larger than the mailbox), so the task goes as a message', () => {
    const { roundTrip } = codec(64);
    const base = { kernel: 'fill', units: 1, grain: 1, cost: 1 };
    expect(roundTrip({ ...base, args: { out: new Float32Array(4) } })).toBeNull();
    expect(roundTrip({ ...base, args: { options: { lr: 1 } } })).toBeNull();
    expect(roundTrip({ ...base, args: { list: ['a'] } })).toBeNull();
    expect(roundTrip({ ...base, args: { shape: new Array<number>(60).fill(1) } })).toBeNull();
    // …and the next task that fits still goes through.
    expect(roundTrip({ ...base, args: { value: 2, out: shared(Float32Array, 16, 0, 4) } })?.args).toMatchObject({ value: 2 });
  });

  it('a decoder told of an unknown buffer or string fails with a message, not a wrong array', () => {
    const { words, encoder } = codec();
    encoder.write({ kernel: 'fill', args: { out: shared(Float32Array, 16, 0, 4) }, units: 4, grain: 1, cost: 1 } as unknown as KernelTask);
    expect(() => new TaskDecoder().read(words, BASE)).toThrow(/unknown string/);
    const decoder = new TaskDecoder();
    const definitions = encoder.takeDefinitions()!;
    decoder.define({ ...definitions, buffers: [] });
    expect(() => decoder.read(words, BASE)).toThrow(/argument out refers to unknown buffer 1/);
  });

  it('hands back the same task object while the words are the same, a new one when any word differs', () => {
    const { words, encoder, decoder } = codec();
    const x = shared(Float32Array, 64, 0, 16);
    const write = (alpha: number, out = x) => {
      encoder.write({ kernel: 'unary', args: { op: 'scale', x, out, alpha }, units: 16, grain: 1, cost: 1 } as unknown as KernelTask);
      const definitions = encoder.takeDefinitions();
      if (definitions !== null) decoder.define(definitions);
      return decoder.read(words, BASE);
    };
    const first = write(2);
    expect(write(2)).toBe(first);
    for (const alpha of [3, -0, 0, NaN]) {
      const other = write(alpha);
      expect(other, `alpha ${alpha}`).not.toBe(first);
      expect(Object.is((other.args as { alpha: number }).alpha, alpha)).toBe(true);
    }
    expect(write(-0)).toBe(write(-0));
    expect(write(2, shared(Float32Array, 64, 0, 16))).not.toBe(first);
    expect(write(2)).toBe(first);
    expect(decoder.cachedCount).toBe(6);
  });

  it('buffers the caller has let go of are forgotten, so workers never keep them alive', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const { encoder, decoder, roundTrip } = codec();
    const kept = shared(Float32Array, 16, 0, 4);
    const writeOnce = () => {
      const dropped = shared(Float32Array, 16, 0, 4);
      roundTrip({ kernel: 'copy', args: { src: dropped, dst: kept }, units: 4, grain: 1, cost: 1 });
    };
    for (let i = 0; i < 10; i++) writeOnce();
    expect(decoder.bufferCount).toBe(11);
    // Finalizers run after a collection, on a later turn of the event loop.
    for (let attempt = 0; attempt < 20 && decoder.bufferCount > 1; attempt++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 10));
      const definitions = encoder.takeDefinitions();
      if (definitions !== null) decoder.define(definitions);
    }
    expect(decoder.bufferCount).toBe(1);
    // No cached task may keep a forgotten buffer alive.
    expect(decoder.cachedCount).toBe(0);
    expect(roundTrip({ kernel: 'fill', args: { out: kept }, units: 4, grain: 1, cost: 1 })?.args).toMatchObject({ out: kept });
  });
});
