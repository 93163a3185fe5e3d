import { mul } from '@scratchnet/backend';
import {
  Dense,
  Layer,
  Param,
  ReLU,
  Softmax,
  checkLossLabels,
  lossArguments,
  registerLayer,
  registerLoss,
  type BackwardOptions,
  type ForwardOptions,
  type LayerConfig,
  type LayerOptions,
  type Loss,
  type LossOptions,
  type LossResult,
  type LossSignature,
  type SymbolicShape,
} from '@scratchnet/layers';
import { Rng, ValueError, ones, randint, randn, type Tensor } from '@scratchnet/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Adam,
  Optimizer,
  Sequential,
  loadModelAndOptimizer,
  memoryHandler,
  registerMetric,
  registerOptimizer,
  registeredMetricNames,
  registeredOptimizerClasses,
  type Metric,
  type OptimizerConfig,
} from '@scratchnet/model';
import { snapshot, useCpu } from './helpers.js';

beforeAll(useCpu);

/** signSGD: `param -= lr · sign(grad)`, no state. */
class SignSGD extends Optimizer {
  readonly className: string = 'SignSGD';

  constructor(options: { learningRate?: number } = {}) {
    super(options.learningRate ?? 0.01);
  }

  get slotNames(): readonly string[] {
    return [];
  }

  getConfig(): OptimizerConfig {
    return { learningRate: this.learningRate };
  }

  protected update(value: Tensor, grad: Tensor): void {
    for (let i = 0; i < value.size; i++) value.data[i] = value.data[i]! - this.learningRate * Math.sign(grad.data[i]!);
  }
}

const model = () => new Sequential([new Dense(3, 5, { rng: new Rng(1) }), new ReLU(), new Dense(5, 2, { rng: new Rng(2) }), new Softmax()]);
const x = randn([12, 3], { rng: new Rng(3) });
const y = randint(0, 2, [12], { rng: new Rng(4) });

describe('saving refuses what loading could not rebuild, naming the class', () => {
  it('a model compiled with an unregistered Optimizer subclass (before: saved, then failed to load)', async () => {
    const m = model();
    m.compile({ optimizer: new SignSGD(), loss: 'sparseCategoricalCrossentropy' });
    await m.fit(x, y, { epochs: 1, batchSize: 4 });
    const handler = memoryHandler();
    const refusal = m.save(handler);
    await expect(refusal).rejects.toThrow(ValueError);
    await expect(m.save(handler)).rejects.toThrow(
      "saveModel: the optimizer is a SignSGD, which loading cannot rebuild; register it first with registerOptimizer('SignSGD', config => new SignSGD(config)), or save with { includeOptimizer: false }",
    );
    expect(handler.artifacts).toBeUndefined(); // nothing was written
    await m.save(handler, { includeOptimizer: false });

    registerOptimizer('SignSGD', (config) => new SignSGD(config));
    await m.save(handler);
    const { model: loaded, optimizer } = await loadModelAndOptimizer(handler);
    expect(optimizer).toBeInstanceOf(SignSGD);
    expect(optimizer!.iterations).toBe(3);
    loaded.compile({ optimizer: optimizer!, loss: 'sparseCategoricalCrossentropy' });
    await m.fit(x, y, { epochs: 1, batchSize: 4, shuffle: false });
    await loaded.fit(x, y, { epochs: 1, batchSize: 4, shuffle: false });
    expect(snapshot(loaded.weights)).toEqual(snapshot(m.weights));
  });

  it('a subclass that kept its parent’s className (loading would build the parent)', async () => {
    class PatientAdam extends Adam {}
    const m = model();
    m.compile({ optimizer: new PatientAdam(), loss: 'sparseCategoricalCrossentropy' });
    await expect(m.save(memoryHandler())).rejects.toThrow(
      /^saveModel: the optimizer Adam is a PatientAdam, but loading would rebuild a Adam \(Adam\) from className 'Adam'; give PatientAdam a className of its own/,
    );
    class Wider extends Dense {}
    await expect(new Sequential([new Wider(2, 3)]).save(memoryHandler())).rejects.toThrow(
      /^saveModel: layer 'dense' \(Dense\) is a Wider, but loading would rebuild a Dense from className 'Dense'/,
    );
  });

  it('an optimizer or a layer whose config does not rebuild it', async () => {
    class Forgetful extends SignSGD {
      override readonly className = 'Forgetful';
      override getConfig(): OptimizerConfig {
        return { learningRate: this.learningRate, momentum: 0.5 };
      }
    }
    registerOptimizer('Forgetful', () => new Forgetful());
    const m = model();
    m.compile({ optimizer: new Forgetful({ learningRate: 0.5 }), loss: 'sparseCategoricalCrossentropy' });
    await expect(m.save(memoryHandler())).rejects.toThrow(
      'saveModel: the optimizer Forgetful does not rebuild from its config: saved {"learningRate":0.5,"momentum":0.5}, loading would give {"learningRate":0.01,"momentum":0.5}',
    );

    class Tagged extends ReLU {
      override readonly className = 'Tagged';
      readonly tag: string;
      constructor(options: LayerOptions & { tag?: string } = {}) {
        super(options);
        this.tag = options.tag ?? 'none';
      }
      override getConfig(): LayerConfig {
        return { name: this.name, tag: this.tag };
      }
    }
    registerLayer('Tagged', (config) => new Tagged({ name: config.name }));
    await expect(new Sequential([new Dense(2, 2), new Tagged({ tag: 'x' })]).save(memoryHandler())).rejects.toThrow(
      `saveModel: layer 'tagged' (Tagged) does not rebuild from its config: saved {"name":"tagged","tag":"x"}, loading would give {"name":"tagged","tag":"none"}`,
    );
  });

  it('a layer whose parameters loading could not recreate (sized from an input shape nothing saved says)', async () => {
    /** Per-feature gain, sized by its first input; its config does not record the size. */
    class Gain extends Layer {
      readonly className = 'Gain';
      #gain: Param | undefined;
      protected override createParams(inputShape: SymbolicShape): void {
        this.#gain = new Param('gain', ones([inputShape[inputShape.length - 1]!]));
      }
      override params(): Param[] {
        return this.#gain ? [this.#gain] : [];
      }
      forward(input: Tensor, _options?: ForwardOptions): Tensor {
        this.build(input.shape);
        return mul(input, this.#gain!.value);
      }
      backward(dy: Tensor, _options?: BackwardOptions): Tensor {
        return dy;
      }
      computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
        return inputShape;
      }
      getConfig(): LayerConfig {
        return { name: this.name };
      }
    }
    registerLayer('Gain', (config) => new Gain(config));
    const first = new Sequential([new Gain(), new Dense({ units: 2 })]);
    first.build([null, 3]);
    await expect(first.save(memoryHandler())).rejects.toThrow(
      /^saveModel: layer 'gain' \(Gain\) would not load back: layer 'gain' has weights, but its config does not say its input shape and nothing before it does either/,
    );
    // After a layer whose config gives the shape, loading builds it for the shape flowing in.
    const after = new Sequential([new Dense(3, 4, { rng: new Rng(5) }), new Gain(), new Dense({ units: 2, rng: new Rng(6) })]);
    after.build([null, 3]);
    after.layers[1]!.params()[0]!.value.data.set([1, 2, 3, 4]);
    const handler = memoryHandler();
    await after.save(handler);
    const { model: loaded } = await loadModelAndOptimizer(handler);
    expect(loaded.layers[1]!.params()[0]!.value.toArray()).toEqual([1, 2, 3, 4]);
    expect(Array.from(loaded.predict(x).data)).toEqual(Array.from(after.predict(x).data));
  });
});

describe('registries', () => {
  it('registerOptimizer: compile by name (case-insensitive), refused twice, listed', () => {
    registerOptimizer('Lion', (config) => Object.assign(new SignSGD(config), { className: 'Lion' }));
    // The built-ins, then those registered by the tests above, in order.
    expect(registeredOptimizerClasses()).toEqual(['SGD', 'Adam', 'AdamW', 'RMSprop', 'SignSGD', 'Forgetful', 'Lion']);
    const m = model();
    m.compile({ optimizer: 'lion', loss: 'sparseCategoricalCrossentropy' });
    expect(m.optimizer!.className).toBe('Lion');
    expect(() => registerOptimizer('LION', () => new SignSGD())).toThrow('registerOptimizer: Lion is already registered; pass { replace: true } to replace it');
    expect(() => registerOptimizer('adam', () => new SignSGD())).toThrow(/Adam is already registered/);
    expect(() => registerOptimizer('', () => new SignSGD())).toThrow(/className must be a non-empty string/);
    expect(() => model().compile({ optimizer: 'adagrad' as never, loss: 'sparseCategoricalCrossentropy' })).toThrow(/"rmsprop", .*"Lion", got "adagrad"/);
    registerOptimizer('Broken', () => ({}) as never);
    expect(() => model().compile({ optimizer: 'broken' as never, loss: 'sparseCategoricalCrossentropy' })).toThrow(/the factory registered for Broken returned an object \(Object\), not an Optimizer/);
  });

  it('registerMetric: a metric that needs probabilities sees them, even when the softmax is fused', async () => {
    /** The mean over samples of the largest predicted probability. */
    const confidence = (): Metric => ({
      name: 'confidence',
      total(yPred) {
        const [n, c] = yPred.shape as [number, number];
        let s = 0;
        for (let r = 0; r < n; r++) s += Math.max(...Array.from(yPred.data.subarray(r * c, (r + 1) * c)));
        return s;
      },
    });
    registerMetric('confidence', confidence);
    expect(registeredMetricNames()).toContain('confidence');
    expect(() => registerMetric('confidence', confidence)).toThrow(/confidence is already registered/);
    expect(() => registerMetric('loss', confidence)).toThrow(/other than "loss"/);
    const m = model();
    m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['confidence', 'accuracy'] });
    const history = await m.fit(x, y, { epochs: 2, batchSize: 4, shuffle: false });
    expect(history.history.confidence).toHaveLength(2);
    const probs = m.predict(x).toArray() as number[][];
    const expected = probs.reduce((s, row) => s + Math.max(...row), 0) / probs.length;
    expect(m.evaluate(x, y).metrics.confidence).toBeCloseTo(expected, 6);
    expect(() => m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['confidense'] })).toThrow(
      /unknown metric "confidense"; expected one of "accuracy", .*"confidence", "loss" \(register others with registerMetric\)/,
    );
  });

  it('registerLoss: compile by name, and the loss checks its labels with the shared preamble', async () => {
    /** Mean absolute error. */
    class MeanAbsoluteError implements Loss {
      readonly name = 'meanAbsoluteError';
      readonly expects = 'values';
      readonly #signature: LossSignature = { name: this.name, rank2: false, labels: { kind: 'dense', hint: '', allowFlat: true } };
      check(shape: readonly number[], yTrue: Tensor): void {
        checkLossLabels(this.#signature, shape, yTrue);
      }
      compute(yPred: Tensor, yTrue: Tensor, options?: LossOptions): LossResult {
        const { labels, grad } = lossArguments(this.#signature, yPred, yTrue, options);
        let total = 0;
        for (let i = 0; i < yPred.size; i++) {
          const d = yPred.data[i]! - labels.data[i]!;
          total += Math.abs(d);
          if (grad) grad.data[i] = Math.sign(d) / yPred.size;
        }
        return { loss: total / yPred.size, grad };
      }
    }
    registerLoss('meanAbsoluteError', () => new MeanAbsoluteError());
    const regression = new Sequential([new Dense(3, 1, { rng: new Rng(7) })]);
    regression.compile({ optimizer: new Adam({ learningRate: 0.05 }), loss: 'meanAbsoluteError' });
    const targets = randn([12], { rng: new Rng(8) });
    const history = await regression.fit(x, targets, { epochs: 30, batchSize: 12 });
    expect(history.history.loss!.at(-1)!).toBeLessThan(history.history.loss![0]!);
    await expect(regression.fit(x, randn([12, 2]))).rejects.toThrow(/^fit: y does not fit the loss: meanAbsoluteError: labels have shape \[12,2\], predictions \[12,1\]/);
  });
});
