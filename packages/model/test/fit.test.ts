import { gather } from '@scratchnet/backend';
import { Dense, Dropout, ReLU, Sigmoid, Softmax } from '@scratchnet/layers';
import { Rng, rand, randint, seed, tensor, type Tensor } from '@scratchnet/tensor';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { Adam, Callback, History, SGD, Sequential, type TrainingParams } from '@scratchnet/model';
import { oneHot, snapshot, spiralData, useCpu } from './helpers.js';

beforeAll(useCpu);

function classifier(rng: Rng, inputs = 2, classes = 3): Sequential {
  return new Sequential([new Dense(inputs, 16, { rng }), new ReLU(), new Dense(16, classes, { rng }), new Softmax()]);
}

function compiled(rng: Rng, metrics: Array<'accuracy' | 'categoricalAccuracy' | 'sparseCategoricalAccuracy' | 'binaryAccuracy' | 'loss'> = ['accuracy']): Sequential {
  const model = classifier(rng);
  model.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy', metrics });
  return model;
}

/** Records `TrainingParams` and every batch size it sees. */
class Recorder extends Callback {
  seen: TrainingParams | null = null;
  sizes: number[] = [];
  onTrainBegin(): void {
    this.seen = this.params;
  }
  onBatchEnd(_batch: number, logs: Record<string, number>): void {
    this.sizes.push(logs.size!);
  }
}

describe('fit', () => {
  it('returns a History with one entry per epoch for the loss and every metric', async () => {
    const rng = new Rng(0);
    const { x, y } = spiralData(rng, 20);
    const model = compiled(rng, ['accuracy', 'loss']);
    const history = await model.fit(x, y, { epochs: 4, batchSize: 16, rng });
    expect(history).toBeInstanceOf(History);
    expect(history.epoch).toEqual([0, 1, 2, 3]);
    expect(Object.keys(history.history)).toEqual(['loss', 'accuracy']);
    expect(history.history.loss).toHaveLength(4);
    for (const a of history.history.accuracy!) expect(a * 60).toBeCloseTo(Math.round(a * 60), 9); // a count of 60 samples
  });

  it('the epoch loss and accuracy are the sample-weighted means of the batch values', async () => {
    const rng = new Rng(1);
    const { x, y } = spiralData(rng, 10); // 30 samples: batches of 8, 8, 8, 6
    const model = compiled(rng);
    const batches: Array<{ size: number; loss: number; accuracy: number }> = [];
    const history = await model.fit(x, y, {
      epochs: 1,
      batchSize: 8,
      rng,
      callbacks: [{ onBatchEnd: (_b, logs) => void batches.push({ size: logs.size!, loss: logs.loss!, accuracy: logs.accuracy! }) }],
    });
    expect(batches.map((b) => b.size)).toEqual([8, 8, 8, 6]);
    const weighted = (key: 'loss' | 'accuracy') => batches.reduce((s, b) => s + b[key] * b.size, 0) / 30;
    expect(history.history.loss![0]).toBeCloseTo(weighted('loss'), 12);
    expect(history.history.accuracy![0]).toBeCloseTo(weighted('accuracy'), 12);
  });

  it('validationData is evaluated after every epoch, exactly as evaluate() does', async () => {
    const rng = new Rng(2);
    const train = spiralData(rng, 20);
    const val = spiralData(rng, 7);
    const model = compiled(rng);
    const history = await model.fit(train.x, train.y, { epochs: 3, batchSize: 10, validationData: [val.x, val.y], rng });
    expect(Object.keys(history.history)).toEqual(['loss', 'accuracy', 'val_loss', 'val_accuracy']);
    const evaluated = model.evaluate(val.x, val.y, { batchSize: 10 });
    expect(history.history.val_loss![2]).toBe(evaluated.loss);
    expect(history.history.val_accuracy![2]).toBe(evaluated.metrics.accuracy);
  });

  it('validationSplit holds out n - floor(n(1 - split)) samples picked by a permutation from rng', async () => {
    const rng = new Rng(3);
    const { x, y } = spiralData(rng, 10); // 30 samples
    const model = compiled(rng);
    const recorder = new Recorder();
    const history = await model.fit(x, y, { epochs: 1, batchSize: 4, validationSplit: 0.25, rng: new Rng(42), callbacks: [recorder] });
    // floor(30 * 0.75) = 22 train, 8 held out (Keras's count).
    expect(recorder.seen).toMatchObject({ samples: 22, validationSamples: 8, steps: 6, batchSize: 4, epochs: 1 });
    expect(recorder.sizes).toEqual([4, 4, 4, 4, 4, 2]);
    // The held-out samples are the last 8 of new Rng(42).permutation(30), drawn before any shuffle.
    const held = Array.from(new Rng(42).permutation(30).slice(22)).sort((a, b) => a - b);
    const picked = tensor(held, { dtype: 'int32' });
    const evaluated = model.evaluate(gather(x, picked), gather(y, picked), { batchSize: 4 });
    expect(history.history.val_loss![0]).toBe(evaluated.loss);
    expect(history.history.val_accuracy![0]).toBe(evaluated.metrics.accuracy);
  });

  it('calls the hooks in order: train, epochs, batches', async () => {
    const rng = new Rng(4);
    const { x, y } = spiralData(rng, 2); // 6 samples in batches of 4: 2 batches
    const model = compiled(rng);
    const calls: string[] = [];
    await model.fit(x, y, {
      epochs: 2,
      batchSize: 4,
      validationSplit: 0,
      rng,
      callbacks: [
        {
          onTrainBegin: () => void calls.push('trainBegin'),
          onEpochBegin: (e) => void calls.push(`epochBegin ${e}`),
          onBatchBegin: (b) => void calls.push(`batchBegin ${b}`),
          onBatchEnd: (b) => void calls.push(`batchEnd ${b}`),
          onEpochEnd: (e, logs) => void calls.push(`epochEnd ${e} ${Object.keys(logs).join(',')}`),
          onTrainEnd: (logs) => void calls.push(`trainEnd ${Object.keys(logs).join(',')}`),
        },
        { onEpochEnd: async (e) => void (await Promise.resolve(), calls.push(`async epochEnd ${e}`)) },
      ],
    });
    expect(calls).toEqual([
      'trainBegin',
      'epochBegin 0', 'batchBegin 0', 'batchEnd 0', 'batchBegin 1', 'batchEnd 1', 'epochEnd 0 loss,accuracy', 'async epochEnd 0',
      'epochBegin 1', 'batchBegin 0', 'batchEnd 0', 'batchBegin 1', 'batchEnd 1', 'epochEnd 1 loss,accuracy', 'async epochEnd 1',
      'trainEnd loss,accuracy',
    ]);
  });

  it('stopTraining set by a callback ends fit after that batch', async () => {
    const rng = new Rng(5);
    const { x, y } = spiralData(rng, 10);
    const model = compiled(rng);
    let batches = 0;
    const batchLogs: { loss: number; accuracy: number }[] = [];
    const history = await model.fit(x, y, {
      epochs: 5,
      batchSize: 4,
      rng,
      callbacks: [
        {
          onBatchEnd: (b, logs) => {
            batchLogs.push({ loss: logs!.loss!, accuracy: logs!.accuracy! });
            batches++;
            if (b === 2) model.stopTraining = true;
          },
        },
      ],
    });
    expect(batches).toBe(3);
    expect(history.epoch).toEqual([0]);
    // The epoch's logs average the 12 samples trained, not all 30 of the epoch.
    const mean = (f: (l: { loss: number; accuracy: number }) => number) => batchLogs.reduce((acc, l) => acc + f(l), 0) / batchLogs.length;
    expect(history.history.loss![0]).toBeCloseTo(mean((l) => l.loss), 12);
    expect(history.history.accuracy![0]).toBeCloseTo(mean((l) => l.accuracy), 12);
  });

  it('yields to the event loop between batches', async () => {
    const rng = new Rng(6);
    const { x, y } = spiralData(rng, 50);
    const model = compiled(rng);
    let batchesDone = 0;
    let batchesWhenOtherTaskRan = -1;
    setImmediate(() => (batchesWhenOtherTaskRan = batchesDone));
    await model.fit(x, y, { epochs: 2, batchSize: 10, rng, callbacks: [{ onBatchEnd: () => void batchesDone++ }] });
    expect(batchesDone).toBe(30);
    expect(batchesWhenOtherTaskRan).toBeGreaterThanOrEqual(1);
    expect(batchesWhenOtherTaskRan).toBeLessThan(30);
  });

  it('the same seed gives bitwise identical weights (shuffle, validation split, dropout, global Rng)', async () => {
    const run = async (): Promise<number[][]> => {
      seed(7);
      const { x, y } = spiralData(new Rng(8), 15);
      const model = new Sequential([new Dense({ units: 12 }), new ReLU(), new Dropout({ rate: 0.3 }), new Dense({ units: 3 }), new Softmax()]);
      model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
      await model.fit(x, y, { epochs: 5, batchSize: 8, validationSplit: 0.2 });
      return snapshot(model.weights);
    };
    const first = await run();
    const second = await run();
    expect(second).toEqual(first);
    seed(9);
    const { x, y } = spiralData(new Rng(8), 15);
    const other = new Sequential([new Dense({ units: 12 }), new ReLU(), new Dropout({ rate: 0.3 }), new Dense({ units: 3 }), new Softmax()]);
    other.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    await other.fit(x, y, { epochs: 5, batchSize: 8, validationSplit: 0.2 });
    expect(snapshot(other.weights)).not.toEqual(first);
  });

  it('shuffle: false visits the samples in data order', async () => {
    const rng = new Rng(10);
    const x = rand([6, 2], { rng });
    const y = randint(0, 3, [6], { rng });
    // Two models from the same init: one fit without shuffling, one by hand in order.
    const a = compiled(new Rng(11));
    const b = classifier(new Rng(11));
    b.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy' });
    await a.fit(x, y, { epochs: 1, batchSize: 2, shuffle: false });
    for (let i = 0; i < 6; i += 2) await b.fit(x.slice(i, i + 2), y.slice(i, i + 2), { epochs: 1, batchSize: 2, shuffle: false });
    expect(snapshot(a.weights)).toEqual(snapshot(b.weights));
  });

  it('accuracy follows the loss: categorical for one-hot, binary for a sigmoid output', async () => {
    const rng = new Rng(12);
    const { x, y } = spiralData(rng, 10);
    const model = classifier(rng);
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['accuracy', 'categoricalAccuracy'] });
    const history = await model.fit(x, oneHot(y, 3), { epochs: 2, batchSize: 30, shuffle: false });
    expect(history.history.accuracy).toEqual(history.history.categoricalAccuracy);

    const binary = new Sequential([new Dense(2, 4, { rng }), new ReLU(), new Dense(4, 1, { rng }), new Sigmoid()]);
    binary.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const yb = tensor(Array.from(y.data, (c) => (c === 0 ? 1 : 0)), { shape: [30, 1] });
    const p = binary.predict(x).data;
    const expected = Array.from(p).filter((v, i) => v > 0.5 === (yb.data[i] === 1)).length / 30;
    expect(binary.evaluate(x, yb).metrics.accuracy).toBe(expected);
  });
});

describe('verbose', () => {
  it('1 prints one line per epoch with the logs; 0 prints nothing', async () => {
    const rng = new Rng(15);
    const { x, y } = spiralData(rng, 4);
    const model = compiled(rng);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const history = await model.fit(x, y, { epochs: 2, batchSize: 4, validationSplit: 0.25, verbose: 1, rng });
      expect(log).toHaveBeenCalledTimes(2);
      const line = String(log.mock.calls[1]![0]);
      const h = history.history;
      expect(line).toMatch(
        new RegExp(`^Epoch 2/2 - \\d+ms - loss: ${h.loss![1]!.toFixed(4)} - accuracy: ${h.accuracy![1]!.toFixed(4)} - val_loss: ${h.val_loss![1]!.toFixed(4)} - val_accuracy: ${h.val_accuracy![1]!.toFixed(4)}$`),
      );
      await model.fit(x, y, { epochs: 2, batchSize: 4, rng });
      expect(log).toHaveBeenCalledTimes(2);
    } finally {
      log.mockRestore();
    }
  });
});

describe('evaluate and predict', () => {
  it('evaluate: the loss does not depend on the batch size; the accuracy counts argmax hits', async () => {
    const rng = new Rng(13);
    const { x, y } = spiralData(rng, 11);
    const model = compiled(rng);
    await model.fit(x, y, { epochs: 3, batchSize: 8, rng });
    const whole = model.evaluate(x, y, { batchSize: 33 });
    const batched = model.evaluate(x, y, { batchSize: 5 });
    expect(batched.loss).toBeCloseTo(whole.loss, 6);
    const probs = model.predict(x).toArray() as number[][];
    const hits = probs.filter((row, i) => row.indexOf(Math.max(...row)) === y.data[i]).length;
    expect(whole.metrics).toEqual({ accuracy: hits / 33 });
    expect(batched.metrics).toEqual({ accuracy: hits / 33 });
    // The loss is the mean cross-entropy of the predicted probabilities.
    const ce = probs.reduce((s, row, i) => s - Math.log(row[y.data[i]!]!), 0) / 33;
    expect(whole.loss).toBeCloseTo(ce, 5);
  });

  it('predict in batches concatenates to the same [n, …] result as one pass', () => {
    const rng = new Rng(14);
    const model = classifier(rng);
    const x = rand([70, 2], { rng });
    const whole = model.predict(x, { batchSize: 100 });
    const batched = model.predict(x, { batchSize: 32 });
    expect(batched.shape).toEqual([70, 3]);
    expect(Array.from(batched.data)).toEqual(Array.from(whole.data));
    const one: Tensor = model.predict(x.slice(0, 1));
    expect(one.shape).toEqual([1, 3]);
  });
});
