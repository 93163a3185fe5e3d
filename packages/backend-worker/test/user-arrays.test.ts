import { BackendError, clearBackend, matmul, relu, setBackend } from '@scratchnet/backend';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { Tensor, tensor } from '@scratchnet/tensor';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { WorkerBackend, moveToShared } from './built.js';
import { sameBits } from './helpers.js';

/**
 * `new Tensor(array)` adopts the caller's array: on the cpu backend every op reads and writes
 * that very array. The worker backend computes only in shared memory; it used to move such a
 * tensor there silently, so `out = new Tensor(userArray)` left `userArray` all zeros where cpu
 * filled it. Now the two are observably the same or the worker says why it cannot be.
 */
const worker = new WorkerBackend({ threads: 2, inlineThreshold: 0 });
const cpu = new CpuBackend();
afterAll(() => worker.dispose());
afterEach(() => clearBackend());

const a = tensor([[1, 2], [3, 4], [5, 6], [7, 8]]);
const b = tensor([[1, 0, 2], [0, 1, 3]]);
const expected = [1, 2, 8, 3, 4, 18, 5, 6, 28, 7, 8, 38];

describe('arrays the caller adopted with new Tensor(array)', () => {
  it('cpu writes the result into the caller’s array', () => {
    const userArray = new Float32Array(12);
    cpu.matmul(a, b, new Tensor(userArray, [4, 3]));
    expect(Array.from(userArray)).toEqual(expected);
  });

  it('worker refuses a plain one as output or input, saying why, and moves nothing', () => {
    const userArray = new Float32Array(12);
    const out = new Tensor(userArray, [4, 3]);
    expect(() => worker.matmul(a, b, out)).toThrow(BackendError);
    expect(() => worker.matmul(a, b, out)).toThrow(
      /^worker backend: a float32 tensor of shape \[4,3\] is built on an array passed to new Tensor\(\), in plain memory\. The worker threads compute only in shared memory, and moving the tensor there would leave that array behind: the cpu backend reads and writes it, this one would not\./,
    );
    expect(out.storage.data).toBe(userArray);
    expect(Array.from(userArray)).toEqual(new Array(12).fill(0));
    const input = new Tensor(new Float32Array([1, -2, 3]), [3]);
    expect(() => worker.unary('relu', input, tensor([0, 0, 0]))).toThrow(/is built on an array passed to new Tensor\(\)/);
    // Through the ops too.
    setBackend(worker);
    expect(() => matmul(a, b, { out })).toThrow(BackendError);
    expect(() => relu(input)).toThrow(BackendError);
  });

  it('over a SharedArrayBuffer the worker writes into the caller’s array, as cpu does', () => {
    const userArray = new Float32Array(new SharedArrayBuffer(12 * 4));
    const out = new Tensor(userArray, [4, 3]);
    worker.matmul(a, b, out);
    expect(out.storage.data).toBe(userArray);
    expect(Array.from(userArray)).toEqual(expected);
    const viaCpu = new Float32Array(12);
    cpu.matmul(a, b, new Tensor(viaCpu, [4, 3]));
    expect(sameBits(userArray, viaCpu)).toBe(true);
  });

  it('moveToShared(tensor) moves it knowingly: the tensor computes, the caller’s array stays behind', () => {
    const userArray = new Float32Array(12);
    const out = new Tensor(userArray, [4, 3]);
    moveToShared(out);
    worker.matmul(a, b, out);
    expect(Array.from(out.data)).toEqual(expected);
    expect(Array.from(userArray)).toEqual(new Array(12).fill(0));
  });

  it('tensors the library created in plain memory are still moved once, views included', () => {
    const x = tensor([1, -2, 3, -4]);
    const view = x.reshape([2, 2]);
    const out = tensor([0, 0, 0, 0]);
    worker.unary('relu', x, out);
    expect(x.storage.shared).toBe(true);
    expect(view.data.buffer).toBe(x.data.buffer);
    expect(Array.from(out.data)).toEqual([1, 0, 3, 0]);
  });
});
