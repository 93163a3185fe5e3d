import { setBackend } from '@scratchnet/backend';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { Dense, Param, Softmax } from '@scratchnet/layers';
import { DTypeError, Rng, randint, randn, zeros, type FloatDType, type Tensor } from '@scratchnet/tensor';
import { beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { Sequential } from '@scratchnet/model';

// Issue 13 item 3: predict and getWeights keep the dtype in their types, History and evaluate
// name their metrics. `pnpm typecheck` (tsc over the tests) checks the expectTypeOf lines; the
// expect lines check that the run-time values agree with those types.

beforeAll(() => {
  setBackend(new CpuBackend());
});

function model(): Sequential {
  const rng = new Rng(3);
  const m = new Sequential([new Dense(4, 3, { rng }), new Softmax()]);
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}

describe('dtypes in the types', () => {
  it('predict returns the dtype it was given: a float32 batch gives Float32Array data', () => {
    const x = randn([5, 4], { dtype: 'float32', rng: new Rng(1) });
    const y = model().predict(x);
    expectTypeOf(y).toEqualTypeOf<Tensor<'float32'>>();
    expectTypeOf(y.data).toEqualTypeOf<Float32Array>();
    expect(y.data).toBeInstanceOf(Float32Array);
  });

  it('float64 in, float64 out, through the batched path too', () => {
    const m = new Sequential([new Dense(4, 3, { rng: new Rng(1), dtype: 'float64' })]);
    const y = m.predict(randn([40, 4], { dtype: 'float64', rng: new Rng(2) }), { batchSize: 16 });
    expectTypeOf(y).toEqualTypeOf<Tensor<'float64'>>();
    expect(y.data).toBeInstanceOf(Float64Array);
  });

  it('getWeights and weights are float tensors', () => {
    const weights = model().getWeights();
    expectTypeOf(weights).toEqualTypeOf<Tensor<FloatDType>[]>();
    expectTypeOf(weights[0]!.data).toEqualTypeOf<Float32Array | Float64Array>();
    for (const w of weights) expect(w.dtype === 'float32' || w.dtype === 'float64').toBe(true);
  });

  it('a parameter is float: Param refuses int32 (so the weights type holds for layers of your own)', () => {
    expect(() => new Param('counter', zeros([1], { dtype: 'int32' }), { trainable: false })).toThrow(DTypeError);
    expect(() => new Param('counter', zeros([1], { dtype: 'int32' }))).toThrow(/Param 'counter': a parameter must be float32 or float64, got int32/);
  });
});

describe('metric names in the types', () => {
  it('History: loss always a number[], built-in metrics by name, registered ones by index', async () => {
    const m = model();
    const x = randn([8, 4], { rng: new Rng(4) });
    const y = randint(0, 3, [8], { rng: new Rng(5) });
    const history = await m.fit(x, y, { epochs: 2, validationSplit: 0.25, rng: new Rng(6) });
    expectTypeOf(history.history.loss).toEqualTypeOf<number[]>();
    expectTypeOf(history.history.accuracy).toEqualTypeOf<number[] | undefined>();
    expectTypeOf(history.history.val_accuracy).toEqualTypeOf<number[] | undefined>();
    expectTypeOf(history.history['myMetric']).toEqualTypeOf<number[] | undefined>();
    expect(history.history.loss).toHaveLength(2);
    expect(history.history.accuracy).toHaveLength(2);
    expect(history.history.val_accuracy).toHaveLength(2);
    expect(history.history['myMetric']).toBeUndefined();
  });

  it('evaluate: metrics by name', () => {
    const result = model().evaluate(randn([8, 4]), randint(0, 3, [8]));
    expectTypeOf(result.metrics.accuracy).toEqualTypeOf<number | undefined>();
    expectTypeOf(result.loss).toEqualTypeOf<number>();
    expect(typeof result.metrics.accuracy).toBe('number');
  });
});
