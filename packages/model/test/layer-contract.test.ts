import { mul, softmax } from '@scratchnet/backend';
import {
  BufferCache,
  Dense,
  Flatten,
  Layer,
  Param,
  ReLU,
  Softmax,
  checkDy,
  registerLayer,
  type BackwardOptions,
  type ForwardOptions,
  type LayerConfig,
  type LayerOptions,
  type OutputKind,
  type Stage,
  type SymbolicShape,
} from '@scratchnet/layers';
import { Rng, randint, randn, tensor, type Tensor } from '@scratchnet/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { Adam, SGD, Sequential, loadModel, memoryHandler } from '@scratchnet/model';
import { oneHot, snapshot, useCpu } from './helpers.js';

beforeAll(useCpu);

/**
 * A layer written outside the packages: `softmax(x · t)` over the last axis with one trainable
 * temperature-like scalar `t`. It declares a softmax output and hands out the stage computing
 * its logits `x · t` — so a model fuses it with cross-entropy exactly as it does `Softmax`,
 * without knowing its class. `withLogitsStage: false` makes it keep the stage to itself.
 */
class ScaledSoftmax extends Layer {
  readonly className = 'ScaledSoftmax';
  readonly #offerLogits: boolean;
  #t: Param | undefined;
  #x: Tensor | undefined;
  #y: Tensor | undefined;
  readonly #buffers = new BufferCache();

  constructor(options: LayerOptions & { withLogitsStage?: boolean; dtype?: 'float32' | 'float64' } = {}) {
    super(options);
    this.#offerLogits = options.withLogitsStage ?? true;
    this.#t = new Param('t', tensor([1], { dtype: options.dtype ?? 'float32' }));
  }

  override get outputKind(): OutputKind {
    return 'softmax';
  }

  override params(): Param[] {
    return [this.#t!];
  }

  override logitsStage(): Stage | undefined {
    if (!this.#offerLogits) return undefined;
    return {
      forward: (x, options) => this.#logits(x, options?.training === true),
      backward: (dz, options) => this.#logitsBackward(dz, options),
    };
  }

  #logits(x: Tensor, training: boolean): Tensor {
    if (training) this.#x = x;
    const t = this.#t!.value.data[0]!;
    return mul(x, t, training ? { out: this.#buffers.get('z', x.shape, x.dtype) } : {});
  }

  #logitsBackward(dz: Tensor, options: BackwardOptions = {}): Tensor | null {
    checkDy(`ScaledSoftmax '${this.name}'`, dz, this.#x);
    const g = this.#t!.grad.data;
    const x = this.#x!.data;
    for (let i = 0; i < x.length; i++) g[0] = g[0]! + dz.data[i]! * x[i]!;
    return options.inputGrad === false ? null : mul(dz, this.#t!.value.data[0]!, { out: this.#buffers.get('dx', dz.shape, dz.dtype) });
  }

  forward(x: Tensor, options: ForwardOptions = {}): Tensor {
    const training = options.training === true;
    const y = softmax(this.#logits(x, training), training ? { out: this.#buffers.get('y', x.shape, x.dtype) } : {});
    if (training) this.#y = y;
    return y;
  }

  backward(dy: Tensor, options?: BackwardOptions & { inputGrad?: true }): Tensor;
  backward(dy: Tensor, options: BackwardOptions): Tensor | null;
  backward(dy: Tensor, options: BackwardOptions = {}): Tensor | null {
    checkDy(`ScaledSoftmax '${this.name}'`, dy, this.#y);
    // softmax backward by hand: dz = y (dy − Σ dy y), row by row.
    const y = this.#y!;
    const c = y.shape[y.rank - 1]!;
    const dz = this.#buffers.get('dz', dy.shape, dy.dtype);
    for (let r = 0; r < y.size / c; r++) {
      let dot = 0;
      for (let j = 0; j < c; j++) dot += dy.data[r * c + j]! * y.data[r * c + j]!;
      for (let j = 0; j < c; j++) dz.data[r * c + j] = y.data[r * c + j]! * (dy.data[r * c + j]! - dot);
    }
    return this.#logitsBackward(dz, options);
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  getConfig(): LayerConfig {
    return { name: this.name, withLogitsStage: this.#offerLogits };
  }
}

describe('a layer of your own is driven by the contract, not its class', () => {
  /** Confidently wrong logits of ±1e4: softmax probabilities are exactly 0 and 1 in float32. */
  function saturated(withLogitsStage: boolean): Sequential {
    const dense = new Dense(2, 3, { rng: new Rng(5) });
    dense.kernel!.data.set([10000, -10000, 0, -10000, 10000, 0]);
    return new Sequential([dense, new ScaledSoftmax({ withLogitsStage })]);
  }
  const x = tensor([[1.5, 0.5], [2, 1], [0.5, 1.5], [1, 2]]);
  const y = oneHot(tensor([1, 1, 0, 0], { dtype: 'int32' }), 3);

  it('with a logits stage, cross-entropy is fused: exact loss lse(z) − z_label, finite gradients, and it trains', async () => {
    const model = saturated(true);
    model.compile({ optimizer: new SGD({ learningRate: 2000 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    expect(model.evaluate(x, y).loss).toBe(20000);
    const history = await model.fit(x, y, { epochs: 30, batchSize: 4, shuffle: false });
    expect(history.history.loss![0]).toBe(20000);
    expect(history.history.loss!.at(-1)!).toBeLessThan(1e-3);
    expect(history.history.accuracy!.at(-1)).toBe(1);
    // predict runs the layer itself: probabilities.
    for (const row of model.predict(x).toArray() as number[][]) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });

  it('without one, the loss is the clipped cross-entropy on probabilities, and the gradient vanishes', async () => {
    const model = saturated(false);
    model.compile({ optimizer: new SGD({ learningRate: 2000 }), loss: 'categoricalCrossentropy' });
    const before = snapshot(model.weights);
    const history = await model.fit(x, y, { epochs: 1, batchSize: 4, shuffle: false });
    expect(history.history.loss![0]).toBeCloseTo(-Math.log(Math.fround(1e-7)), 4);
    expect(snapshot(model.weights)).toEqual(before);
  });

  it('a fused float64 step equals the one through the layer itself where nothing saturates', async () => {
    const make = (withLogitsStage: boolean) =>
      new Sequential([new Dense(3, 4, { rng: new Rng(1), dtype: 'float64' }), new ScaledSoftmax({ withLogitsStage, dtype: 'float64' })]);
    const fused = make(true);
    const plain = make(false);
    const xs = randn([6, 3], { dtype: 'float64', rng: new Rng(2) });
    const ys = randint(0, 4, [6], { rng: new Rng(3) });
    for (const m of [fused, plain]) {
      m.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'sparseCategoricalCrossentropy' });
      await m.fit(xs, ys, { epochs: 3, batchSize: 6, shuffle: false });
    }
    const a = snapshot(fused.weights).flat();
    const b = snapshot(plain.weights).flat();
    a.forEach((v, i) => expect(Math.abs(v - b[i]!)).toBeLessThan(1e-12));
  });

  it('softmaxCrossentropy is refused on it (it outputs probabilities), naming it', () => {
    expect(() => saturated(true).compile({ optimizer: 'sgd', loss: 'softmaxCrossentropy' })).toThrow(
      /loss 'softmaxCrossentropy' does not fit the last layer 'scaled_softmax' \(ScaledSoftmax\): it takes logits and applies softmax itself/,
    );
  });

  it('saves and loads once registered, the fused training path intact', async () => {
    const model = saturated(true);
    registerLayer('ScaledSoftmax', (config) => new ScaledSoftmax(config as LayerConfig & { withLogitsStage: boolean }));
    const handler = memoryHandler();
    await model.save(handler);
    const loaded = await loadModel(handler);
    expect(loaded.layers[1]).toBeInstanceOf(ScaledSoftmax);
    expect(Array.from(loaded.predict(x).data)).toEqual(Array.from(model.predict(x).data));
    loaded.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    expect(loaded.evaluate(x, y).loss).toBe(20000);
  });
});

describe('NHWC images flow through build, summary, fit, predict, evaluate, save and load', () => {
  const rng = new Rng(7);
  const images = randn([40, 4, 4, 2], { rng });
  const labels = randint(0, 3, [40], { rng });
  const cnnLike = () => new Sequential([new Flatten(), new Dense({ units: 8, activation: 'relu', rng: new Rng(8) }), new Dense({ units: 3, rng: new Rng(9) }), new Softmax()]);

  it('build([null, 4, 4, 2]) creates the parameters; summary shows every shape', () => {
    const model = cnnLike();
    expect(model.summary({ printFn: () => {} })).toContain('flatten (Flatten)            ?');
    model.build([null, 4, 4, 2]);
    expect(model.layers.map((l) => l.inputShape)).toEqual([[null, 4, 4, 2], [null, 32], [null, 8], [null, 3]]);
    const text = model.summary({ printFn: () => {} });
    expect(text.split('\n').slice(4, 11)).toEqual([
      'flatten (Flatten)            (None, 32)                         0',
      '_________________________________________________________________',
      'dense (Dense)                (None, 8)                        264',
      '_________________________________________________________________',
      'dense_1 (Dense)              (None, 3)                         27',
      '_________________________________________________________________',
      'softmax (Softmax)            (None, 3)                          0',
    ]);
    expect(model.outputShapes([null, 4, 4, 2]).at(-1)).toEqual([null, 3]);
  });

  it('fit learns, predict and evaluate take [n, h, w, c], and a saved copy predicts bitwise the same', async () => {
    const model = cnnLike();
    model.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const history = await model.fit(images, labels, { epochs: 40, batchSize: 8, rng: new Rng(10) });
    expect(history.history.loss!.at(-1)!).toBeLessThan(history.history.loss![0]! / 2);
    expect(model.predict(images, { batchSize: 16 }).shape).toEqual([40, 3]);
    expect(model.evaluate(images, labels).metrics.accuracy).toBeGreaterThan(0.8);
    const handler = memoryHandler();
    await model.save(handler);
    const loaded = await loadModel(handler);
    expect(Array.from(loaded.predict(images).data)).toEqual(Array.from(model.predict(images).data));
    expect(() => model.predict(randn([2, 4, 4, 3]))).toThrow(/Dense 'dense': expected 32 input features, got input of shape \[2,48\]/);
  });

  it('a rank-4 input that does not fit says so before training', async () => {
    const model = cnnLike();
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    await model.fit(images.slice(0, 8), labels.slice(0, 8));
    await expect(model.fit(randn([8, 4, 4, 3]), labels.slice(0, 8))).rejects.toThrow(
      /^fit: x of shape \[8,4,4,3\] does not fit the model: Dense 'dense': input shape \[8,48\] does not fit; expected \[batch, 32\]/,
    );
  });
});

describe('Sequential.build', () => {
  it('builds lazily declared layers in order, drawing the same weights as the first forward would', () => {
    const a = new Sequential([new Dense({ units: 4, rng: new Rng(1) }), new ReLU(), new Dense({ units: 2, rng: new Rng(2) })]);
    const b = new Sequential([new Dense({ units: 4, rng: new Rng(1) }), new ReLU(), new Dense({ units: 2, rng: new Rng(2) })]);
    a.build([null, 3]);
    b.predict(randn([1, 3]));
    expect(snapshot(a.weights)).toEqual(snapshot(b.weights));
    expect(() => new Sequential([new Dense({ units: 2 })]).build([null, null])).toThrow(/Dense 'dense': expected inputs \[batch, features\], got shape \(None, None\)/);
    expect(() => new Sequential([new ReLU()]).build('x' as never)).toThrow(/Sequential 'sequential'.build: expected a shape with a batch axis/);
  });
});

describe('the loss-vs-output check and the fusion read only the contract', () => {
  it('uses what the last layer declares', () => {
    class Probabilities extends ReLU {
      override get outputKind(): OutputKind {
        return 'sigmoid';
      }
    }
    const model = new Sequential([new Dense(2, 2), new Probabilities()]);
    model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' });
    expect(() => model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' })).toThrow(/it expects probabilities from a softmax/);
    expect(() => model.compile({ optimizer: 'sgd', loss: 'softmaxCrossentropy' })).toThrow(/already outputs probabilities/);
  });
});
