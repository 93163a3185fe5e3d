import { setBackend, softmax } from '@scratchnet/backend';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { DTypeError, Rng, ShapeError, ValueError, rand, randn, tensor, zeros, type Tensor } from '@scratchnet/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  EPSILON,
  LOSS_NAMES,
  Softmax,
  binaryCrossentropy,
  categoricalCrossentropy,
  checkLossLabels,
  getLoss,
  meanSquaredError,
  softmaxCrossentropy,
  sparseCategoricalCrossentropy,
  sparseSoftmaxCrossentropy,
  checkLoss,
  lossArguments,
  lossFitsOutput,
  registerLoss,
  registeredLossNames,
  type Loss,
  type LossName,
  type LossOptions,
  type LossResult,
  type LossSignature,
} from '@scratchnet/layers';
import { checkLossGradient, compareGradients } from '@scratchnet/layers/testing';
import { fixture, maxAbsDiff } from './helpers.js';

interface Case {
  pred: number[][] | number[];
  labels: number[][] | number[];
  loss: number;
  grad: number[][] | number[];
  /** What float32 inputs give: the clip bounds are float32 numbers there. */
  loss32: number;
  grad32: number[][] | number[];
}
const f = fixture<Record<LossName, Case[]> & { stability: Case }>('losses.json');

beforeAll(() => {
  setBackend(new CpuBackend());
});

const SPARSE: ReadonlySet<LossName> = new Set(['sparseSoftmaxCrossentropy', 'sparseCategoricalCrossentropy']);

function labelsOf(name: LossName, c: Case, dtype: 'float32' | 'float64'): Tensor {
  return SPARSE.has(name) ? tensor(c.labels, { dtype: 'int32' }) : tensor(c.labels, { dtype });
}

function oneHot(labels: Tensor, classes: number): Tensor<'float64'> {
  const out = zeros([labels.size, classes], { dtype: 'float64' });
  labels.data.forEach((l, i) => (out.data[i * classes + l] = 1));
  return out;
}

describe('losses match NumPy (loss and gradient)', () => {
  for (const name of LOSS_NAMES) {
    f[name].forEach((c, i) => {
      it(`${name} #${i} in float64`, () => {
        const loss = getLoss(name);
        const { loss: value, grad } = loss.compute(tensor(c.pred, { dtype: 'float64' }), labelsOf(name, c, 'float64'), { withGrad: true });
        expect(Math.abs(value - c.loss)).toBeLessThan(1e-12 * Math.max(1, Math.abs(c.loss)));
        expect(maxAbsDiff(grad!.toArray(), c.grad)).toBeLessThan(1e-12);
      });
      it(`${name} #${i} in float32`, () => {
        const loss = getLoss(name);
        const { loss: value, grad } = loss.compute(tensor(c.pred), labelsOf(name, c, 'float32'), { withGrad: true });
        expect(grad!.dtype).toBe('float32');
        expect(Math.abs(value - c.loss32)).toBeLessThan(1e-5 * Math.max(1, Math.abs(c.loss32)));
        expect(maxAbsDiff(grad!.toArray(), c.grad32)).toBeLessThan(1e-5);
      });
    });
  }

  it('the sparse losses equal their one-hot forms', () => {
    const logits = randn([7, 5], { dtype: 'float64', rng: new Rng(1) });
    const labels = tensor([0, 4, 2, 2, 1, 3, 0], { dtype: 'int32' });
    const hot = oneHot(labels, 5);
    const a = sparseSoftmaxCrossentropy().compute(logits, labels, { withGrad: true });
    const b = softmaxCrossentropy().compute(logits, hot, { withGrad: true });
    expect(a.loss).toBeCloseTo(b.loss, 14);
    expect(compareGradients(a.grad!.data, b.grad!.data).relError).toBeLessThan(1e-15);
    const probs = softmax(logits);
    const c = sparseCategoricalCrossentropy().compute(probs, labels, { withGrad: true });
    const d = categoricalCrossentropy().compute(probs, hot, { withGrad: true });
    expect(c.loss).toBeCloseTo(d.loss, 14);
    expect(compareGradients(c.grad!.data, d.grad!.data).relError).toBeLessThan(1e-15);
    // and on probabilities equal the from-logits losses
    expect(c.loss).toBeCloseTo(a.loss, 13);
  });
});

describe('softmax cross-entropy is stable for logits of ±1e4', () => {
  for (const dtype of ['float64', 'float32'] as const) {
    it(dtype, () => {
      const c = f.stability;
      const logits = tensor(c.pred, { dtype });
      const labels = tensor(c.labels, { dtype: 'int32' });
      for (const [loss, y] of [
        [sparseSoftmaxCrossentropy(), labels],
        [softmaxCrossentropy(), oneHot(labels, 3)],
      ] as const) {
        const yTrue = y.dtype === 'int32' || y.dtype === dtype ? y : tensor(Array.from(y.data), { shape: y.shape, dtype });
        const { loss: value, grad } = loss.compute(logits, yTrue, { withGrad: true });
        expect(Number.isFinite(value)).toBe(true);
        expect(Math.abs(value - c.loss) / c.loss).toBeLessThan(1e-7);
        expect(Array.from(grad!.data).every(Number.isFinite)).toBe(true);
        expect(maxAbsDiff(grad!.toArray(), c.grad)).toBeLessThan(1e-7);
      }
    });
  }

  it('a saturated Softmax with categorical cross-entropy: the loss is clipped and finite', () => {
    const logits = tensor(f.stability.pred, { dtype: 'float32' });
    const labels = tensor(f.stability.labels, { dtype: 'int32' });
    const probs = new Softmax().forward(logits);
    for (const [loss, y] of [
      [categoricalCrossentropy(), tensor(Array.from(oneHot(labels, 3).data), { shape: [4, 3] })],
      [sparseCategoricalCrossentropy(), labels],
    ] as const) {
      const { loss: value } = loss.compute(probs, y);
      // rows with the label's probability 0 cost -log(eps) each: (2 * 16.118 + ln 2) / 4
      expect(value).toBeCloseTo((2 * -Math.log(Math.fround(EPSILON)) + Math.log(2)) / 4, 4);
    }
  });
});

describe('loss gradients match central finite differences (float64)', () => {
  const rng = new Rng(99);
  const probsOf = (shape: number[]) => softmax(randn(shape, { dtype: 'float64', rng }));
  const intLabels = (n: number, c: number) => tensor(Array.from({ length: n }, () => rng.randint(c)), { dtype: 'int32' });
  for (const [n, c] of [
    [1, 3],
    [4, 5],
    [7, 2],
  ] as const) {
    it(`softmax / categorical cross-entropy, dense and sparse, [${n},${c}]`, () => {
      const logits = randn([n, c], { dtype: 'float64', rng });
      const labels = intLabels(n, c);
      const soft = softmax(randn([n, c], { dtype: 'float64', rng }));
      const probs = probsOf([n, c]);
      const checks: [Loss, Tensor, Tensor][] = [
        [softmaxCrossentropy(), logits, oneHot(labels, c)],
        [softmaxCrossentropy(), logits, soft],
        [sparseSoftmaxCrossentropy(), logits, labels],
        // probabilities of a softmax stay far from the clip (>= ~0.01 for these logits)
        [categoricalCrossentropy(), probs, oneHot(labels, c)],
        [categoricalCrossentropy(), probs, soft],
        [sparseCategoricalCrossentropy(), probs, labels],
      ];
      for (const [loss, yPred, yTrue] of checks) {
        const err = checkLossGradient(loss, yPred, yTrue);
        expect(err.relError, loss.name).toBeLessThan(1e-6);
        expect(err.scale, loss.name).toBeGreaterThan(0);
      }
    });
  }

  for (const shape of [[1, 1], [5, 3], [6], [4, 2, 3]]) {
    it(`binary cross-entropy and mean squared error on [${shape.join(',')}]`, () => {
      // probabilities in [0.05, 0.95], away from the clip; 0/1 and soft labels
      const p = rand(shape, { dtype: 'float64', rng });
      for (let i = 0; i < p.data.length; i++) p.data[i] = 0.05 + 0.9 * p.data[i]!;
      const hard = rand(shape, { dtype: 'float64', rng });
      for (let i = 0; i < hard.data.length; i++) hard.data[i] = hard.data[i]! < 0.5 ? 0 : 1;
      const soft = rand(shape, { dtype: 'float64', rng });
      for (const y of [hard, soft]) {
        const err = checkLossGradient(binaryCrossentropy(), p, y);
        expect(err.relError).toBeLessThan(1e-6);
        expect(err.scale).toBeGreaterThan(0);
      }
      const err = checkLossGradient(meanSquaredError(), randn(shape, { dtype: 'float64', rng }), randn(shape, { dtype: 'float64', rng }));
      expect(err.relError).toBeLessThan(1e-6);
      expect(err.scale).toBeGreaterThan(0);
    });
  }
});

describe('loss options', () => {
  it('returns the gradient only when asked; gradOut is written and returned', () => {
    const loss = meanSquaredError();
    const p = tensor([[1, 2], [3, 4]], { dtype: 'float64' });
    const y = tensor([[0, 2], [5, 4]], { dtype: 'float64' });
    expect(loss.compute(p, y)).toEqual({ loss: (1 + 4) / 4, grad: null });
    const out = zeros([2, 2], { dtype: 'float64' });
    const { grad } = loss.compute(p, y, { gradOut: out });
    expect(grad).toBe(out);
    expect(out.toArray()).toEqual([[0.5, 0], [-1, 0]]);
    expect(() => loss.compute(p, y, { gradOut: zeros([2, 3], { dtype: 'float64' }) })).toThrow(ShapeError);
    expect(() => loss.compute(p, y, { gradOut: zeros([2, 2]) })).toThrow(DTypeError);
    expect(() => loss.compute(p, y, { gradOut: p })).toThrow(/gradOut shares memory with the predictions or the labels/);
    expect(() => loss.compute(p, y, { gradOut: out, withGrad: false })).toThrow(/gradOut was passed but withGrad is false/);
  });

  it('[n] labels fit [n, 1] predictions for mean squared error and binary cross-entropy', () => {
    const p = tensor([[0.25], [0.5], [0.75]], { dtype: 'float64' });
    const flat = tensor([0, 1, 1], { dtype: 'float64' });
    const column = tensor([[0], [1], [1]], { dtype: 'float64' });
    for (const loss of [meanSquaredError(), binaryCrossentropy()]) {
      loss.check([3, 1], flat);
      const a = loss.compute(p, flat, { withGrad: true });
      const b = loss.compute(p, column, { withGrad: true });
      expect(a.loss).toBe(b.loss);
      expect(a.grad!.toArray()).toEqual(b.grad!.toArray());
    }
  });

  it('[n, 1] int labels fit the sparse losses', () => {
    const logits = randn([3, 4], { dtype: 'float64', rng: new Rng(3) });
    const a = sparseSoftmaxCrossentropy().compute(logits, tensor([1, 0, 3], { dtype: 'int32' }));
    const b = sparseSoftmaxCrossentropy().compute(logits, tensor([[1], [0], [3]], { dtype: 'int32' }));
    expect(a.loss).toBe(b.loss);
  });
});

describe('bad labels are typed errors that say what to change', () => {
  it('dense categorical labels whose width does not match the outputs point to the sparse loss', () => {
    const y = zeros([32, 9]);
    expect(() => categoricalCrossentropy().check([32, 10], y)).toThrow(ShapeError);
    expect(() => categoricalCrossentropy().check([32, 10], y)).toThrow(
      'categoricalCrossentropy: labels have shape [32,9], predictions [32,10]; use sparseCategoricalCrossentropy for integer class labels',
    );
    expect(() => softmaxCrossentropy().check([32, 10], zeros([32]))).toThrow(
      /softmaxCrossentropy: labels have shape \[32\], predictions \[32,10\]; use sparseSoftmaxCrossentropy/,
    );
    expect(() => categoricalCrossentropy().check([32, 10], tensor(new Int32Array(32), { shape: [32] }))).toThrow(DTypeError);
  });

  it('label counts that do not match the predictions say so', () => {
    expect(() => categoricalCrossentropy().check([32, 10], zeros([30, 10]))).toThrow(
      'categoricalCrossentropy: labels have shape [30,10], predictions [32,10] (30 labels for 32 samples); use sparseCategoricalCrossentropy for integer class labels',
    );
    expect(() => sparseCategoricalCrossentropy().check([4, 3], tensor([0, 1, 2], { dtype: 'int32' }))).toThrow(
      'sparseCategoricalCrossentropy: labels have shape [3], predictions [4,3] (3 labels for 4 samples); class indices are [4] or [4,1]',
    );
    expect(() => meanSquaredError().check([4, 2], zeros([4, 3]))).toThrow(
      'meanSquaredError: labels have shape [4,3], predictions [4,2]; regression targets are floats shaped like the predictions',
    );
  });

  it('sparse labels must be int32 indices in range; the error names the row and the value', () => {
    const loss = sparseCategoricalCrossentropy();
    expect(() => loss.check([3, 4], tensor([0, 4, 1], { dtype: 'int32' }))).toThrow(ValueError);
    expect(() => loss.check([3, 4], tensor([0, 4, 1], { dtype: 'int32' }))).toThrow(
      'sparseCategoricalCrossentropy: label at row 1 is 4, outside [0, 4) for predictions with 4 classes',
    );
    expect(() => sparseSoftmaxCrossentropy().check([2, 4], tensor([-1, 0], { dtype: 'int32' }))).toThrow(/label at row 0 is -1/);
    expect(() => loss.check([3, 4], tensor([0, 1, 2]))).toThrow(
      "sparseCategoricalCrossentropy: labels must be int32 class indices, got float32 labels of shape [3]; if they are class indices, make them int32 (tensor(ys, { dtype: 'int32' }) or cast(labels, 'int32')); if they are one-hot, use categoricalCrossentropy",
    );
    expect(() => loss.check([3, 4], tensor(new Int32Array(12), { shape: [3, 4] }))).toThrow(
      /labels have shape \[3,4\], predictions \[3,4\]; class indices are \[3\] or \[3,1\]; use categoricalCrossentropy for one-hot labels/,
    );
  });

  it('compute validates too: dtype mismatch, non-float or empty predictions, non-tensors', () => {
    const loss = meanSquaredError();
    expect(() => loss.compute(zeros([2, 2], { dtype: 'float64' }), zeros([2, 2]))).toThrow(
      'meanSquaredError: labels are float32, predictions float64; cast the labels to float64',
    );
    expect(() => loss.compute(zeros([2, 2], { dtype: 'int32' }), zeros([2, 2], { dtype: 'int32' }))).toThrow(DTypeError);
    expect(() => loss.compute(zeros([0, 2]), zeros([0, 2]))).toThrow(/predictions \[0,2\] have no rows/);
    expect(() => loss.compute([[1]] as unknown as Tensor, zeros([1, 1]))).toThrow('meanSquaredError: predictions must be a Tensor, got an array');
    expect(() => categoricalCrossentropy().compute(zeros([2, 2, 2]), zeros([2, 2, 2]))).toThrow(
      'categoricalCrossentropy: predictions must be 2-D [batch, classes], got shape [2,2,2]',
    );
    expect(() => sparseSoftmaxCrossentropy().compute(zeros([2, 3]), tensor([0, 3], { dtype: 'int32' }))).toThrow(/label at row 1 is 3/);
  });

  it('getLoss knows the Keras names and lists them for an unknown one', () => {
    for (const name of LOSS_NAMES) {
      const loss = getLoss(name);
      expect(loss.name).toBe(name);
      expect(getLoss(name)).not.toBe(loss); // each model gets its own scratch buffers
    }
    expect(LOSS_NAMES).toHaveLength(6);
    expect(getLoss('softmaxCrossentropy').expects).toBe('logits');
    expect(getLoss('categoricalCrossentropy').expects).toBe('softmax');
    expect(getLoss('sparseCategoricalCrossentropy').expects).toBe('softmax');
    expect(getLoss('binaryCrossentropy').expects).toBe('probabilities');
    expect(getLoss('meanSquaredError').expects).toBe('values');
    expect(() => getLoss('mse' as LossName)).toThrow(ValueError);
    expect(() => getLoss('mse' as LossName)).toThrow(
      'getLoss: unknown loss "mse"; expected one of categoricalCrossentropy, sparseCategoricalCrossentropy, softmaxCrossentropy, sparseSoftmaxCrossentropy, binaryCrossentropy, meanSquaredError',
    );
    expect(() => getLoss('toString' as LossName)).toThrow(/unknown loss "toString"/);
  });
});

describe('a loss on softmax probabilities knows its form on logits', () => {
  it('fromLogits() gives the fused loss, equal to the clipped one where nothing is clipped', () => {
    const logits = randn([6, 4], { dtype: 'float64', rng: new Rng(21) });
    const probs = softmax(logits);
    const labels = tensor([0, 3, 1, 1, 2, 0], { dtype: 'int32' });
    for (const [loss, y] of [
      [categoricalCrossentropy(), oneHot(labels, 4)],
      [sparseCategoricalCrossentropy(), labels],
    ] as const) {
      const fused = loss.fromLogits();
      expect(fused.expects).toBe('logits');
      expect(fused.name).toBe(loss.name === 'categoricalCrossentropy' ? 'softmaxCrossentropy' : 'sparseSoftmaxCrossentropy');
      expect(fused.compute(logits, y).loss).toBeCloseTo(loss.compute(probs, y).loss, 12);
    }
    expect((binaryCrossentropy() as Loss).fromLogits).toBeUndefined();
    expect((meanSquaredError() as Loss).fromLogits).toBeUndefined();
  });

  it('lossFitsOutput: which layer outputs each kind of loss takes', () => {
    const kinds = ['softmax', 'sigmoid', 'other'] as const;
    const fits = (expects: Loss['expects']) => kinds.filter((k) => lossFitsOutput(expects, k));
    expect(fits('softmax')).toEqual(['softmax']);
    expect(fits('probabilities')).toEqual(['softmax', 'sigmoid']);
    expect(fits('logits')).toEqual(['other']);
    expect(fits('values')).toEqual(['softmax', 'sigmoid', 'other']);
  });
});

/** Mean absolute error, written the way a user would: the shared preamble, then the math. */
class MeanAbsoluteError implements Loss {
  readonly name = 'meanAbsoluteError';
  readonly expects = 'values';
  static readonly signature: LossSignature = { name: 'meanAbsoluteError', rank2: false, labels: { kind: 'dense', hint: '', allowFlat: true } };

  check(yPredShape: readonly number[], yTrue: Tensor): void {
    checkLossLabels(MeanAbsoluteError.signature, yPredShape, yTrue);
  }

  compute(yPred: Tensor, yTrue: Tensor, options?: LossOptions): LossResult {
    const { labels, grad } = lossArguments(MeanAbsoluteError.signature, yPred, yTrue, options);
    let total = 0;
    for (let i = 0; i < yPred.size; i++) {
      const d = yPred.data[i]! - labels.data[i]!;
      total += Math.abs(d);
      if (grad) grad.data[i] = Math.sign(d) / yPred.size;
    }
    return { loss: total / yPred.size, grad };
  }
}

describe('registerLoss', () => {
  it('teaches getLoss a loss of your own, refusing a second registration unless replacing', () => {
    registerLoss('meanAbsoluteError', () => new MeanAbsoluteError());
    expect(registeredLossNames()).toEqual([...LOSS_NAMES, 'meanAbsoluteError']);
    const loss = getLoss('meanAbsoluteError');
    expect(loss).toBeInstanceOf(MeanAbsoluteError);
    expect(loss.compute(tensor([[1, -2]]), tensor([[0.5, 0]])).loss).toBe(1.25);
    expect(checkLossGradient(loss, tensor([[1, -2], [0.3, 4]], { dtype: 'float64' }), tensor([[0.5, 0], [0, 1]], { dtype: 'float64' })).relError).toBeLessThan(1e-9);
    expect(() => loss.compute(tensor([[1, 2]]), tensor([[1, 2, 3]]))).toThrow(new ShapeError('meanAbsoluteError: labels have shape [1,3], predictions [1,2]'));
    expect(() => registerLoss('meanAbsoluteError', () => new MeanAbsoluteError())).toThrow(
      'registerLoss: meanAbsoluteError is already registered; pass { replace: true } to replace it',
    );
    expect(() => registerLoss('meanSquaredError', () => new MeanAbsoluteError())).toThrow(/meanSquaredError is already registered/);
    registerLoss('meanAbsoluteError', () => new MeanAbsoluteError(), { replace: true });
    expect(() => getLoss('nope' as LossName)).toThrow(/expected one of categoricalCrossentropy, .*, meanSquaredError, meanAbsoluteError$/);
  });

  it('refuses bad names, factories, and factories that make something else', () => {
    expect(() => registerLoss('', () => new MeanAbsoluteError())).toThrow(/name must be a non-empty string/);
    expect(() => registerLoss('x', 3 as never)).toThrow(/factory for x must be a function, got 3/);
    registerLoss('liar', () => new MeanAbsoluteError());
    expect(() => getLoss('liar')).toThrow(/the factory registered for liar returned a loss named "meanAbsoluteError"/);
    registerLoss('notALoss', () => ({ name: 'notALoss' }) as never);
    expect(() => getLoss('notALoss')).toThrow(/expected a Loss \(with name, expects, compute and check\), got object/);
    expect(() => checkLoss('compile', { ...new MeanAbsoluteError(), compute: () => 0, check: () => {}, expects: 'probs' })).toThrow(
      /compile: loss "meanAbsoluteError" has expects "probs"; expected one of softmax, probabilities, logits, values/,
    );
  });
});
