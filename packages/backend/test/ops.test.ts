import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DTypeError, ShapeError, ValueError, tensor, zeros, type DataTypeMap, type DType, type Tensor } from '@scratchnet/tensor';
import {
  ACTIVATION_OPS,
  UNARY_OPS,
  UNARY_SPECS,
  elu,
  unaryOp,
  where,
  BackendError,
  activationBackward,
  adamUpdate,
  add,
  argmax,
  argmin,
  cast,
  clearBackend,
  clip,
  clone,
  copy,
  div,
  equal,
  exp,
  fill,
  gather,
  greater,
  leakyRelu,
  logSoftmax,
  matmul,
  max,
  mean,
  momentumUpdate,
  mul,
  neg,
  pow,
  relu,
  rmspropUpdate,
  scale,
  setBackend,
  sgdUpdate,
  softmax,
  softmaxBackward,
  softmaxCrossentropy,
  sub,
  sum,
  transpose,
  withBackend,
  type Backend,
} from '@scratchnet/backend';
import { ReferenceBackend } from '@scratchnet/backend/testing';

/** The reference backend, recording each kernel call (name and arguments). */
function recording(): { backend: Backend; calls: Array<{ kernel: string; args: unknown[] }> } {
  const calls: Array<{ kernel: string; args: unknown[] }> = [];
  const inner = new ReferenceBackend();
  const backend = new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push({ kernel: String(prop), args });
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { backend, calls };
}

const f32 = (values: number[], shape?: number[]): Tensor<'float32'> => tensor(values, { shape: shape ?? [values.length] });
const f64 = (values: number[], shape?: number[]): Tensor<'float64'> =>
  tensor(values, { shape: shape ?? [values.length], dtype: 'float64' });
const i32 = (values: number[], shape?: number[]): Tensor<'int32'> => tensor(values, { shape: shape ?? [values.length], dtype: 'int32' });
const values = (t: Tensor): number[] => Array.from(t.data);

let calls: Array<{ kernel: string; args: unknown[] }>;

beforeEach(() => {
  const r = recording();
  calls = r.calls;
  setBackend(r.backend);
});
afterEach(() => clearBackend());

describe('every op without a backend', () => {
  const x = (): Tensor => zeros([2, 2]);
  const cases: Array<[string, () => unknown]> = [
    ['matmul', () => matmul(x(), x())],
    ['relu', () => relu(x())],
    ['add', () => add(x(), x())],
    ['sum', () => sum(x())],
    ['argmax', () => argmax(x())],
    ['softmax', () => softmax(x())],
    ['softmaxCrossentropy', () => softmaxCrossentropy(x(), i32([0, 1]))],
    ['gather', () => gather(x(), i32([0]))],
    ['transpose', () => transpose(x())],
    ['fill', () => fill(x(), 1)],
    ['copy', () => copy(x(), x())],
    ['cast', () => cast(x(), 'int32')],
    ['activationBackward', () => activationBackward('relu', x(), x())],
    ['sgdUpdate', () => sgdUpdate(x(), x(), { lr: 0.1 })],
  ];
  for (const [op, run] of cases) {
    it(`${op} throws a BackendError naming ${op}`, () => {
      clearBackend();
      expect(run).toThrow(BackendError);
      expect(run).toThrow(new RegExp(`^${op}: no backend is set[\\s\\S]*setBackend\\(new CpuBackend\\(\\)\\)`));
    });
  }
});

describe('outputs', () => {
  it("are allocated through the active backend's allocator", () => {
    let allocations = 0;
    const allocator = {
      allocate<D extends DType>(dtype: D, length: number): DataTypeMap[D] {
        allocations++;
        const Ctor = dtype === 'float64' ? Float64Array : dtype === 'int32' ? Int32Array : Float32Array;
        return new Ctor(length) as DataTypeMap[D];
      },
    };
    const backend = Object.assign(new ReferenceBackend(), { allocator });
    const x = f32([1, -2, 3]);
    const y = withBackend(backend, () => relu(x));
    expect(allocations).toBe(1);
    expect(values(y)).toEqual([1, 0, 3]);
  });

  it('are written into a caller-supplied out, which is returned (no allocation)', () => {
    const a = f32([1, 2, 3, 4], [2, 2]);
    const out = zeros([2, 2]);
    expect(matmul(a, a, { out })).toBe(out);
    expect(values(out)).toEqual([7, 10, 15, 22]);
    expect(relu(a, { out })).toBe(out);
    expect(add(a, 1, { out })).toBe(out);
    expect(values(out)).toEqual([2, 3, 4, 5]);
  });
});

describe('matmul', () => {
  it('rejects inner dimensions that differ with the exact message', () => {
    const run = (): unknown => matmul(zeros([4, 3]), zeros([8, 3]));
    expect(run).toThrow(ShapeError);
    expect(run).toThrow(/^matmul: inner dimensions differ: a is \[4,3\], b is \[8,3\]$/);
  });

  it('names the transpose flags in the inner-dimension message, and accepts the transposed product', () => {
    expect(() => matmul(zeros([4, 3]), zeros([3, 8]), { transposeB: true })).toThrow(
      'matmul: inner dimensions differ: a is [4,3], b is [3,8] (with transposeB)',
    );
    expect(matmul(zeros([4, 3]), zeros([8, 3]), { transposeB: true }).shape).toEqual([4, 8]);
    expect(matmul(zeros([3, 4]), zeros([3, 8]), { transposeA: true }).shape).toEqual([4, 8]);
  });

  it('passes flags to the kernel', () => {
    matmul(zeros([3, 4]), zeros([8, 3]), { transposeA: true, transposeB: true, accumulate: true });
    expect(calls.at(-1)!.kernel).toBe('matmul');
    expect(calls.at(-1)!.args[3]).toEqual({ transposeA: true, transposeB: true, accumulate: true });
  });

  it('checks ranks and batch sizes', () => {
    expect(() => matmul(zeros([3]), zeros([3, 2]))).toThrow('matmul: a must be 2-D or 3-D (batched), got shape [3] (rank 1)');
    expect(() => matmul(zeros([2, 3]), zeros([1, 1, 3, 2]))).toThrow('matmul: b must be 2-D or 3-D (batched), got shape [1,1,3,2] (rank 4)');
    expect(() => matmul(zeros([2, 3]), zeros([4, 3, 2]))).toThrow(/^matmul: a is 2-D \[2,3\] but b is 3-D \[4,3,2\]/);
    expect(() => matmul(zeros([2, 2, 3]), zeros([3, 3, 2]))).toThrow('matmul: batch sizes differ: a is [2,2,3], b is [3,3,2]');
    expect(matmul(zeros([5, 2, 3]), zeros([3, 4])).shape).toEqual([5, 2, 4]);
    expect(matmul(zeros([5, 2, 3]), zeros([5, 3, 4])).shape).toEqual([5, 2, 4]);
  });

  it('checks dtypes', () => {
    expect(() => matmul(zeros([2, 2], { dtype: 'int32' }), zeros([2, 2], { dtype: 'int32' }))).toThrow(DTypeError);
    expect(() => matmul(zeros([2, 2], { dtype: 'int32' }), zeros([2, 2]))).toThrow(/^matmul: a has dtype int32; matmul needs float32 or float64 \(convert with cast\(a, 'float32'\)\)/);
    expect(() => matmul(zeros([2, 2]), zeros([2, 2], { dtype: 'float64' }))).toThrow(
      "matmul: dtypes differ: a is float32, b is float64; convert one with cast(b, 'float32')",
    );
  });

  it('checks out: shape, dtype, no shared memory with an input', () => {
    const a = zeros([4, 3]);
    const b = zeros([3, 2]);
    expect(() => matmul(a, b, { out: zeros([2, 4]) })).toThrow(new ShapeError('matmul: out has shape [2,4], expected [4,2]'));
    expect(() => matmul(a, b, { out: zeros([4, 2], { dtype: 'float64' }) })).toThrow(new DTypeError('matmul: out has dtype float64, expected float32'));
    const square = zeros([3, 3]);
    expect(() => matmul(square, square, { out: square })).toThrow(new ValueError('matmul: out shares memory with a; pass a separate tensor'));
  });

  it('rejects what is not a tensor and bad flags', () => {
    expect(() => matmul([[1]] as unknown as Tensor, zeros([1, 1]))).toThrow(new ValueError('matmul: a must be a Tensor, got an array'));
    expect(() => matmul(zeros([1, 1]), 3 as unknown as Tensor)).toThrow('matmul: b must be a Tensor, got the number 3');
    expect(() => matmul(zeros([1, 1]), zeros([1, 1]), { transposeA: 'yes' as unknown as boolean })).toThrow(
      'matmul: transposeA must be true or false, got string',
    );
  });
});

describe('unary ops', () => {
  it('compute and keep the dtype', () => {
    expect(values(neg(i32([1, -2])))).toEqual([-1, 2]);
    expect(relu(i32([3, -3])).dtype).toBe('int32');
    expect(values(leakyRelu(f32([-2, 2]), 0.5))).toEqual([-1, 2]);
    expect(values(clip(f32([-5, 0.5, 5]), -1, 1))).toEqual([-1, 0.5, 1]);
    expect(values(scale(i32([3, -3]), 0.5))).toEqual([1, -1]); // int32 results truncate
  });

  it('reject int32 where the result is not an integer', () => {
    expect(() => exp(i32([1]))).toThrow(new DTypeError("exp: x has dtype int32; exp needs float32 or float64 (convert with cast(x, 'float32'))"));
    expect(() => leakyRelu(i32([1]), 0.1)).toThrow(DTypeError);
  });

  it('run in place when out is x, and reject a partly overlapping out', () => {
    const x = f32([-1, 2, -3, 4]);
    expect(relu(x, { out: x })).toBe(x);
    expect(values(x)).toEqual([0, 2, 0, 4]);
    const base = f32([1, 2, 3, 4, 5, 6], [3, 2]);
    expect(() => neg(base.slice(0, 2), { out: base.slice(1, 3) })).toThrow(
      new ValueError('neg: out partly overlaps x; pass x itself (in place) or a separate tensor'),
    );
    expect(() => relu(x, { out: zeros([3]) })).toThrow(new ShapeError('relu: out has shape [3], expected [4]'));
  });

  it('check their parameters', () => {
    expect(() => leakyRelu(f32([1]), NaN)).toThrow(new ValueError('leakyRelu: alpha must be a finite number >= 0, got NaN'));
    expect(() => clip(f32([1]), 2, 1)).toThrow(new ValueError('clip: min 2 is greater than max 1'));
    expect(() => clip(f32([1]), NaN, 1)).toThrow('clip: min must be a number, got NaN');
    expect(values(clip(f32([-9, 9]), -Infinity, 1))).toEqual([-9, 1]);
    expect(() => scale(f32([1]), Infinity)).toThrow('scale: factor must be a finite number, got Infinity');
    expect(() => elu(f32([1]), -0.5)).toThrow(new ValueError('elu: alpha must be a finite number >= 0, got -0.5'));
  });

  it('unaryOp applies any op of UNARY_SPECS by name, with its parameters checked by the row', () => {
    const x = f32([-1, 0, 2]);
    for (const op of UNARY_OPS) {
      if (UNARY_SPECS[op].params && 'min' in UNARY_SPECS[op].params) continue; // clip needs bounds
      if (op === 'scale') continue; // scale needs a factor
      expect(unaryOp(op, x).dtype).toBe('float32');
    }
    expect(values(unaryOp('clip', x, { params: { min: -0.5, max: 1 } }))).toEqual([-0.5, 0, 1]);
    expect(values(unaryOp('elu', f64([-1, 2]), { params: { alpha: 2 } }))).toEqual([2 * Math.expm1(-1), 2]);
    expect(() => unaryOp('gelu' as 'relu', x)).toThrow(new ValueError(`unaryOp: unknown op "gelu"; expected one of ${UNARY_OPS.join(', ')}`));
    expect(() => unaryOp('clip', x)).toThrow(new ValueError('clip: clip needs min (lower bound (may be -Infinity))'));
    expect(() => unaryOp('relu', x, { params: { alpha: 1 } })).toThrow(new ValueError('relu: relu takes no parameters, got alpha'));
    expect(() => unaryOp('clip', x, { params: { min: 1, max: 0 } })).toThrow(new ValueError('clip: min 1 is greater than max 0'));
  });
});

describe('where', () => {
  it('selects a where cond is non-zero (NaN counts), else b, broadcasting all three', () => {
    const cond = f32([1, 0, NaN, -2]);
    expect(values(where(cond, f32([1, 2, 3, 4]), f32([5, 6, 7, 8])))).toEqual([1, 6, 3, 4]);
    const out = where(i32([1, 0], [2, 1]), f64([-0, 3]), f64([9], [1]));
    expect(out.shape).toEqual([2, 2]);
    expect(Array.from(out.data).map((v) => (Object.is(v, -0) ? '-0' : v))).toEqual(['-0', 3, 9, 9]);
  });

  it('checks dtypes, shapes and out', () => {
    expect(() => where(f32([1]), f32([1]), f64([1]))).toThrow(DTypeError);
    expect(() => where(f32([1, 0, 1]), f32([1, 2]), f32([1, 2]))).toThrow(
      new ShapeError('where: cond [3], a [2] and b [2] do not broadcast together'),
    );
    const a = f32([1, 2]);
    expect(where(f32([0, 1]), a, f32([7, 7]), { out: a })).toBe(a);
    expect(values(a)).toEqual([7, 2]);
  });
});

describe('binary ops', () => {
  it('broadcast to broadcastShapes and name both shapes when they do not fit', () => {
    expect(add(zeros([4, 1]), zeros([3])).shape).toEqual([4, 3]);
    expect(() => add(zeros([2, 3]), zeros([4]))).toThrow(new ShapeError('add: shapes [2,3] and [4] do not broadcast: dimension -1 is 3 vs 4'));
  });

  it('require one dtype and suggest cast', () => {
    expect(() => sub(zeros([2]), zeros([2], { dtype: 'int32' }))).toThrow(
      new DTypeError("sub: dtypes differ: a is float32, b is int32; convert one with cast(b, 'float32')"),
    );
    expect(() => div(i32([1]), i32([2]))).toThrow(DTypeError);
    expect(() => pow(i32([1]), 2)).toThrow(/^pow: a has dtype int32/);
  });

  it("turn a number into a 0-d tensor of the other operand's dtype", () => {
    const y = mul(f64([1, 2]), 3);
    expect(y.dtype).toBe('float64');
    expect(values(y)).toEqual([3, 6]);
    const scalarArg = calls.at(-1)!.args[2] as Tensor;
    expect(scalarArg.shape).toEqual([]);
    expect(scalarArg.dtype).toBe('float64');
    expect(values(sub(10, i32([1, 2])))).toEqual([9, 8]);
    expect(() => add(i32([1]), 1.5)).toThrow(new DTypeError('add: b is 1.5, which an int32 tensor cannot hold; cast the tensor to a float dtype first'));
    const both = add(1, 2);
    expect([both.dtype, both.shape, both.item()]).toEqual(['float32', [], 3]);
    expect(() => add('1' as unknown as number, 2)).toThrow(new ValueError('add: a must be a Tensor or a number, got string'));
  });

  it("comparisons give 1/0 in the inputs' dtype, or in out's dtype", () => {
    const eq = equal(f32([1, 2, 3]), f32([1, 0, 3]));
    expect(eq.dtype).toBe('float32');
    expect(values(eq)).toEqual([1, 0, 1]);
    const out = zeros([3], { dtype: 'int32' });
    expect(greater(f64([1, 2, 3]), 2, { out })).toBe(out);
    expect(values(out)).toEqual([0, 0, 1]);
    expect(() => add(f32([1]), f32([1]), { out: zeros([1], { dtype: 'int32' }) })).toThrow(new DTypeError('add: out has dtype int32, expected float32'));
  });

  it('write in place over a full-shaped operand, but never over a broadcast one', () => {
    const x = f32([1, 2, 3, 4, 5, 6], [2, 3]);
    const bias = f32([10, 20, 30]);
    expect(add(x, bias, { out: x })).toBe(x);
    expect(values(x)).toEqual([11, 22, 33, 14, 25, 36]);
    const base = f32([0, 0, 0, 0, 0, 0], [2, 3]);
    const row = base.slice(0, 1).reshape([3]);
    expect(() => add(base, row, { out: base })).toThrow(new ValueError('add: out shares memory with b; pass a separate tensor'));
  });
});

describe('activationBackward', () => {
  it('checks the op, shapes, dtypes and alpha', () => {
    const x = f32([1, -1]);
    expect(() => activationBackward('gelu' as 'relu', x, x)).toThrow(
      new ValueError(`activationBackward: unknown activation "gelu"; expected one of ${ACTIVATION_OPS.join(', ')}`),
    );
    expect(() => activationBackward('relu', x, f32([1, 2, 3]))).toThrow(new ShapeError('activationBackward: shapes differ: saved is [2], dy is [3]'));
    expect(() => activationBackward('relu', x, f64([1, 2]))).toThrow(DTypeError);
    expect(() => activationBackward('relu', i32([1]), i32([1]))).toThrow(DTypeError);
    expect(() => activationBackward('relu', x, x, { alpha: 0.1 })).toThrow(
      new ValueError('activationBackward relu: relu takes no parameters, got alpha'),
    );
    expect(() => activationBackward('elu', x, x, { alpha: -1 })).toThrow(
      new ValueError('activationBackward elu: alpha must be a finite number >= 0, got -1'),
    );
  });

  it("takes a missing alpha from the op's spec row, as the forward op does", () => {
    const x = f32([2, -2, 0]);
    const dy = f32([1, 1, 1]);
    const alpha = UNARY_SPECS.leakyRelu.params.alpha.default;
    expect(values(activationBackward('leakyRelu', x, dy))).toEqual(values(activationBackward('leakyRelu', x, dy, { alpha })));
    expect(values(leakyRelu(x))).toEqual(values(leakyRelu(x, alpha)));
    expect(values(leakyRelu(x))).toEqual([2, Math.fround(-2 * 0.3), 0]);
  });

  it('computes dx, in place over dy when asked', () => {
    const x = f32([2, -2, 0]);
    const dy = f32([1, 1, 1]);
    expect(values(activationBackward('leakyRelu', x, dy, { alpha: 0.25 }))).toEqual([1, 0.25, 0.25]);
    expect(activationBackward('relu', x, dy, { out: dy })).toBe(dy);
    expect(values(dy)).toEqual([1, 0, 0]);
    expect(() => activationBackward('relu', x, dy, { out: x })).toThrow(new ValueError('activationBackward: out shares memory with saved; pass a separate tensor'));
  });
});

describe('reductions', () => {
  const x = (): Tensor => f32([1, 2, 3, 4, 5, 6], [2, 3]);

  it('reduce all axes by default, one axis, negative axes, several axes, keepDims', () => {
    expect(sum(x()).shape).toEqual([]);
    expect(sum(x()).item()).toBe(21);
    expect(values(sum(x(), { axis: 0 }))).toEqual([5, 7, 9]);
    expect(values(mean(x(), { axis: -1 }))).toEqual([2, 5]);
    expect(max(x(), { axis: [0, 1], keepDims: true }).shape).toEqual([1, 1]);
    expect(sum(x(), { axis: 1, keepDims: true }).shape).toEqual([2, 1]);
    expect(values(sum(x(), { axis: [] }))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('use one kernel call: a reshape for contiguous axes, a transpose for scattered ones', () => {
    const t = zeros([2, 3, 4, 5]);
    calls.length = 0;
    sum(t, { axis: [1, 2] });
    expect(calls.map((c) => c.kernel)).toEqual(['reduce']);
    expect((calls[0]!.args[1] as Tensor).shape).toEqual([2, 12, 5]);
    calls.length = 0;
    expect(sum(t, { axis: [0, 2] }).shape).toEqual([3, 5]);
    expect(calls.map((c) => c.kernel)).toEqual(['transpose', 'reduce']);
    expect(calls[0]!.args[1]).toEqual([1, 3, 0, 2]);
  });

  it('check axes and dtypes', () => {
    expect(() => sum(x(), { axis: 2 })).toThrow(new ShapeError('sum: axis 2 is out of range for a tensor of rank 2'));
    expect(() => sum(x(), { axis: [1, -1] })).toThrow(new ValueError('sum: axis 1 appears more than once in [1,-1]'));
    expect(() => mean(i32([1, 2]))).toThrow(/^mean: x has dtype int32; mean needs float32 or float64/);
    expect(values(sum(i32([1, 2])))).toEqual([3]);
    expect(() => max(zeros([3, 0], { dtype: 'int32' }), { axis: 1 })).toThrow(
      new ValueError('max: cannot reduce an empty axis of an int32 tensor (shape [3,0], axes [1]): int32 has no -Infinity'),
    );
    expect(values(max(zeros([2, 0]), { axis: 1 }))).toEqual([-Infinity, -Infinity]);
    expect(() => sum(x(), { out: zeros([3]) })).toThrow(new ShapeError('sum: out has shape [3], expected []'));
  });
});

describe('argmax / argmin', () => {
  it('default to the last axis, return int32, keep the first index on ties', () => {
    const t = f32([1, 3, 3, 0, 0, -1], [2, 3]);
    const r = argmax(t);
    expect(r.dtype).toBe('int32');
    expect(values(r)).toEqual([1, 0]);
    expect(values(argmin(t, { axis: 0 }))).toEqual([1, 1, 1]);
    expect(argmax(t, { keepDims: true }).shape).toEqual([2, 1]);
  });

  it('reject scalars, empty axes, several axes and a non-int32 out', () => {
    expect(() => argmax(tensor(1))).toThrow(new ShapeError('argmax: x is a scalar (shape []); it needs at least one axis'));
    expect(() => argmax(zeros([2, 0]))).toThrow(new ValueError('argmax: axis 1 of shape [2,0] is empty, so there is no index to return'));
    expect(() => argmin(zeros([2, 2]), { axis: [0] as unknown as number })).toThrow(ValueError);
    expect(() => argmax(zeros([2, 2]), { out: zeros([2]) })).toThrow(new DTypeError('argmax: out has dtype float32, expected int32'));
  });
});

describe('softmax family', () => {
  it('checks rank, dtype and axis', () => {
    expect(() => softmax(tensor(1))).toThrow(new ShapeError('softmax: x is a scalar (shape []); it needs at least one axis'));
    expect(() => softmax(i32([1, 2]))).toThrow(DTypeError);
    expect(() => logSoftmax(zeros([2, 2]), { axis: 2 })).toThrow(new ShapeError('logSoftmax: axis 2 is out of range for a tensor of rank 2'));
    expect(() => softmaxBackward(zeros([2, 2]), zeros([2, 3]))).toThrow(new ShapeError('softmaxBackward: shapes differ: y is [2,2], dy is [2,3]'));
  });

  it('softmax may run in place; logSoftmax may not', () => {
    const x = f64([0, Math.log(3)]);
    expect(softmax(x, { out: x })).toBe(x);
    expect(values(x)[1]).toBeCloseTo(0.75, 15);
    expect(() => logSoftmax(x, { out: x })).toThrow(new ValueError('logSoftmax: out shares memory with x; pass a separate tensor'));
  });

  it('handles another axis by transposing to the last and back', () => {
    const x = f64([0, 0, Math.log(3), 0], [2, 2]);
    calls.length = 0;
    const y = softmax(x, { axis: 0 });
    expect(calls.map((c) => c.kernel)).toEqual(['transpose', 'softmax', 'transpose']);
    expect(values(y).map((v) => Math.round(v * 1e12) / 1e12)).toEqual([0.25, 0.5, 0.75, 0.5]);
  });
});

describe('softmaxCrossentropy', () => {
  const logits = (): Tensor => zeros([3, 5]);

  it('checks logits, sparse labels (dtype, count, range) and dense labels', () => {
    expect(() => softmaxCrossentropy(zeros([5]), i32([1]))).toThrow(new ShapeError('softmaxCrossentropy: logits must be 2-D [n,c], got shape [5]'));
    expect(() => softmaxCrossentropy(zeros([3, 0]), i32([0, 0, 0]))).toThrow('softmaxCrossentropy: logits [3,0] have no classes');
    expect(() => softmaxCrossentropy(logits(), f32([0, 1, 2]))).toThrow(DTypeError);
    expect(() => softmaxCrossentropy(logits(), i32([0, 1]))).toThrow(new ShapeError('softmaxCrossentropy: 3 rows of logits [3,5] but 2 labels'));
    expect(() => softmaxCrossentropy(logits(), i32([0, 1, 5]))).toThrow(new ValueError('softmaxCrossentropy: label at row 2 is 5, outside [0, 5)'));
    expect(() => softmaxCrossentropy(logits(), i32([0, -1, 2]))).toThrow('softmaxCrossentropy: label at row 1 is -1, outside [0, 5)');
    expect(() => softmaxCrossentropy(logits(), zeros([3, 4]))).toThrow(new ShapeError('softmaxCrossentropy: labels [3,4] do not match logits [3,5]'));
    expect(() => softmaxCrossentropy(logits(), zeros([3, 5], { dtype: 'float64' }))).toThrow(DTypeError);
    expect(() => softmaxCrossentropy(logits(), zeros([3, 5, 1]))).toThrow(ShapeError);
  });

  it('computes the gradient only when asked, into dlogits if given', () => {
    const plain = softmaxCrossentropy(logits(), i32([0, 1, 2]));
    expect(plain.dlogits).toBeNull();
    expect(plain.losses.shape).toEqual([3]);
    expect(values(plain.losses).map((v) => Math.round(v * 1e6) / 1e6)).toEqual(Array(3).fill(Math.round(Math.log(5) * 1e6) / 1e6));
    const withGrad = softmaxCrossentropy(logits(), i32([0, 1, 2]), { withGrad: true, gradScale: 2 });
    expect(withGrad.dlogits!.shape).toEqual([3, 5]);
    expect(withGrad.dlogits!.get(0, 0)).toBeCloseTo((0.2 - 1) * 2, 6);
    const dlogits = zeros([3, 5]);
    expect(softmaxCrossentropy(logits(), i32([0, 1, 2]), { dlogits }).dlogits).toBe(dlogits);
    expect(() => softmaxCrossentropy(logits(), i32([0, 1, 2]), { dlogits, withGrad: false })).toThrow(
      new ValueError('softmaxCrossentropy: dlogits was passed but withGrad is false'),
    );
    expect(() => softmaxCrossentropy(logits(), i32([0, 1, 2]), { gradScale: NaN })).toThrow('softmaxCrossentropy: gradScale must be a finite number, got NaN');
    expect(() => softmaxCrossentropy(logits(), i32([0, 1, 2]), { losses: zeros([5]) })).toThrow('softmaxCrossentropy: losses has shape [5], expected [3]');
  });
});

describe('gather, transpose', () => {
  it('gather checks indices: dtype, rank, each index in range', () => {
    const x = f32([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14], [5, 3]);
    expect(values(gather(x, i32([4, 0, 4])))).toEqual([12, 13, 14, 0, 1, 2, 12, 13, 14]);
    expect(() => gather(x, f32([1]))).toThrow(new DTypeError('gather: indices must be int32, got float32'));
    expect(() => gather(x, i32([1, 2], [1, 2]))).toThrow(new ShapeError('gather: indices must be 1-D, got shape [1,2]'));
    expect(() => gather(x, i32([0, 1, 5]))).toThrow(new ValueError('gather: index 5 at position 2 is out of range for x [5,3] (rows 0..4)'));
    expect(() => gather(x, i32([-1]))).toThrow('gather: index -1 at position 0 is out of range');
    expect(() => gather(tensor(1), i32([0]))).toThrow(ShapeError);
  });

  it('transpose reverses axes by default and checks perm', () => {
    const x = zeros([2, 3, 4]);
    expect(transpose(x).shape).toEqual([4, 3, 2]);
    expect(transpose(x, [0, 2, 1]).shape).toEqual([2, 4, 3]);
    expect(() => transpose(x, [0, 1])).toThrow(new ShapeError('transpose: perm [0,1] has 2 axes, x [2,3,4] has 3'));
    expect(() => transpose(x, [0, 1, 1])).toThrow(new ValueError('transpose: perm [0,1,1] is not a permutation of 0..2'));
    expect(values(transpose(f32([1, 2, 3, 4, 5, 6], [2, 3])))).toEqual([1, 4, 2, 5, 3, 6]);
  });
});

describe('fill, copy, cast, clone', () => {
  it('fill sets every element and checks int32 values', () => {
    const t = zeros([2, 2], { dtype: 'int32' });
    expect(fill(t, -3)).toBe(t);
    expect(values(t)).toEqual([-3, -3, -3, -3]);
    expect(() => fill(t, 1.5)).toThrow(new DTypeError('fill: value 1.5 cannot be stored in an int32 tensor exactly'));
    expect(() => fill(t, '1' as unknown as number)).toThrow(new ValueError('fill: value must be a number, got string'));
  });

  it('copy needs one dtype and one size, shapes may differ', () => {
    const dst = zeros([3, 2]);
    expect(copy(f32([1, 2, 3, 4, 5, 6]), dst)).toBe(dst);
    expect(values(dst)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(() => copy(f64([1]), zeros([1]))).toThrow(new DTypeError("copy: dtypes differ: src is float64, dst is float32; use cast(src, 'float32', { out: dst })"));
    expect(() => copy(f32([1, 2]), zeros([3]))).toThrow(new ShapeError('copy: sizes differ: src [2] has 2 elements, dst [3] has 3'));
  });

  it('cast truncates toward zero into int32 and checks the dtype', () => {
    const r = cast(f32([-2.7, -0.5, 0.5, 1.9]), 'int32');
    expect(r.dtype).toBe('int32');
    expect(values(r)).toEqual([-2, 0, 0, 1]);
    expect(values(cast(i32([3, -4]), 'float64'))).toEqual([3, -4]);
    expect(() => cast(f32([1]), 'int8' as DType)).toThrow(new DTypeError('cast: unknown dtype "int8"; expected one of float32, float64, int32'));
    expect(() => cast(f32([1]), 'int32', { out: zeros([1]) })).toThrow(new DTypeError('cast: out has dtype float32, expected int32'));
  });

  it('clone copies into new memory', () => {
    const x = f64([1, 2, 3], [3]);
    const c = clone(x);
    expect(c).not.toBe(x);
    expect(c.storage).not.toBe(x.storage);
    expect([c.dtype, c.shape, values(c)]).toEqual(['float64', [3], [1, 2, 3]]);
  });
});

describe('optimizer updates', () => {
  const p = (): Tensor => f32([1, 2, 3]);

  it('update in place', () => {
    const param = p();
    sgdUpdate(param, f32([1, 1, 1]), { lr: 0.5 });
    expect(values(param)).toEqual([0.5, 1.5, 2.5]);
  });

  it('check tensors: float dtype, matching shapes and dtypes, no shared memory', () => {
    expect(() => sgdUpdate(i32([1]), i32([1]), { lr: 0.1 })).toThrow(/^sgdUpdate: param has dtype int32/);
    expect(() => sgdUpdate(p(), f32([1, 2]), { lr: 0.1 })).toThrow(new ShapeError('sgdUpdate: shapes differ: param is [3], grad is [2]'));
    expect(() => momentumUpdate(p(), p(), f64([0, 0, 0]), { lr: 0.1, momentum: 0.9 })).toThrow(
      new DTypeError("momentumUpdate: dtypes differ: param is float32, velocity is float64; convert one with cast(velocity, 'float32')"),
    );
    const param = p();
    expect(() => sgdUpdate(param, param, { lr: 0.1 })).toThrow(new ValueError('sgdUpdate: param shares memory with grad; pass a separate tensor'));
  });

  it('check hyper-parameters', () => {
    const adam = (o: Partial<Parameters<typeof adamUpdate>[4]>) => () =>
      adamUpdate(p(), p(), p(), p(), { lr: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, step: 1, ...o });
    expect(adam({})).not.toThrow();
    expect(adam({ lr: -1 })).toThrow(new ValueError('adamUpdate: lr must be >= 0, got -1'));
    expect(adam({ lr: NaN })).toThrow('adamUpdate: lr must be a finite number, got NaN');
    expect(adam({ beta1: 1 })).toThrow(new ValueError('adamUpdate: beta1 must be in [0, 1), got 1'));
    expect(adam({ beta2: -0.1 })).toThrow('adamUpdate: beta2 must be in [0, 1), got -0.1');
    expect(adam({ epsilon: 0 })).toThrow(new ValueError('adamUpdate: epsilon must be > 0, got 0'));
    expect(adam({ step: 0 })).toThrow(new ValueError('adamUpdate: step must be an integer >= 1 (the first update is step 1), got 0'));
    expect(adam({ step: 1.5 })).toThrow(/step must be an integer/);
    expect(adam({ weightDecay: -0.1 })).toThrow('adamUpdate: weightDecay must be >= 0, got -0.1');
    expect(() => momentumUpdate(p(), p(), p(), { lr: 0.1, momentum: 1 })).toThrow('momentumUpdate: momentum must be in [0, 1), got 1');
    expect(() => sgdUpdate(p(), p(), undefined as unknown as { lr: number })).toThrow(
      new ValueError('sgdUpdate: options must be an object with at least lr, got undefined'),
    );
  });

  it('rmsprop needs a buffer exactly when momentum > 0, a meanGrad exactly when centered', () => {
    expect(() => rmspropUpdate(p(), p(), p(), null, null, { lr: 0.1, rho: 0.9, epsilon: 1e-7, momentum: 0.5 })).toThrow(
      new ValueError('rmspropUpdate: momentum 0.5 needs a buffer tensor, got null'),
    );
    expect(() => rmspropUpdate(p(), p(), p(), null, null, { lr: 0.1, rho: 0.9, epsilon: 1e-7, centered: true })).toThrow(
      new ValueError('rmspropUpdate: centered needs a meanGrad tensor, got null'),
    );
    const buffer = f32([7, 7, 7]);
    const meanGrad = f32([5, 5, 5]);
    rmspropUpdate(p(), p(), zeros([3]), meanGrad, buffer, { lr: 0.1, rho: 0.9, epsilon: 1e-7 });
    expect(values(buffer)).toEqual([7, 7, 7]);
    expect(values(meanGrad)).toEqual([5, 5, 5]);
    expect(calls.at(-1)!.args[3]).toBeNull();
    expect(calls.at(-1)!.args[4]).toBeNull();
    expect(() => rmspropUpdate(p(), p(), p(), null, f32([1]), { lr: 0.1, rho: 0.9, epsilon: 1e-7, momentum: 0.5 })).toThrow(
      'rmspropUpdate: shapes differ: param is [3], buffer is [1]',
    );
    expect(() => rmspropUpdate(p(), p(), p(), p(), null, { lr: 0.1, rho: 0.9, epsilon: 1e-7, centered: 'yes' as unknown as boolean })).toThrow(
      'rmspropUpdate: centered must be true or false',
    );
  });
});
