import { Rng } from '@scratchnet/tensor';
import { Dense, ReLU, Softmax } from '@scratchnet/layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { Adam, EarlyStopping, Sequential, type CallbackHooks } from '@scratchnet/model';
import { snapshot, spiralData, useCpu } from './helpers.js';

beforeAll(useCpu);

/**
 * Fits for up to `script.length` epochs with the monitored value replaced by `script[epoch]`
 * (a hook listed before EarlyStopping rewrites the shared logs), snapshotting the weights at the
 * end of every epoch.
 */
async function runScripted(stopper: EarlyStopping, monitor: string, script: number[]) {
  const rng = new Rng(0);
  const { x, y } = spiralData(rng, 10);
  const model = new Sequential([new Dense(2, 8, { rng }), new ReLU(), new Dense(8, 3, { rng }), new Softmax()]);
  model.compile({ optimizer: new Adam({ learningRate: 0.05 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const weightsAtEpochEnd: number[][][] = [];
  const scripted: CallbackHooks = { onEpochEnd: (epoch, logs) => void (logs[monitor] = script[epoch]!) };
  const recorder: CallbackHooks = { onEpochEnd: () => void weightsAtEpochEnd.push(snapshot(model.weights)) };
  const history = await model.fit(x, y, { epochs: script.length, batchSize: 8, validationSplit: 0.2, rng, callbacks: [scripted, stopper, recorder] });
  return { model, history, weightsAtEpochEnd };
}

describe('EarlyStopping', () => {
  it('stops once the monitor has not improved for `patience` epochs', async () => {
    const stopper = new EarlyStopping({ patience: 2 });
    const { history } = await runScripted(stopper, 'val_loss', [1, 0.8, 0.85, 0.9, 0.7, 0.6]);
    expect(history.epoch).toEqual([0, 1, 2, 3]);
    expect(stopper.stoppedEpoch).toBe(3);
    expect(stopper.bestEpoch).toBe(1);
    expect(stopper.best).toBe(0.8);
  });

  it('patience 0 stops at the first epoch without improvement; an improving run goes to the end', async () => {
    const first = new EarlyStopping();
    expect((await runScripted(first, 'val_loss', [1, 0.9, 0.95, 0.5])).history.epoch).toEqual([0, 1, 2]);
    const steady = new EarlyStopping();
    expect((await runScripted(steady, 'val_loss', [1, 0.9, 0.8, 0.7])).history.epoch).toEqual([0, 1, 2, 3]);
    expect(steady.stoppedEpoch).toBe(-1);
  });

  it('minDelta: changes smaller than it are not improvements', async () => {
    const stopper = new EarlyStopping({ patience: 1, minDelta: 0.1 });
    const { history } = await runScripted(stopper, 'val_loss', [1, 0.95, 0.5, 0.4]);
    expect(history.epoch).toEqual([0, 1]);
    expect(stopper.best).toBe(1);
  });

  it("mode 'auto' maximizes accuracies; 'min' can be forced", async () => {
    const auto = new EarlyStopping({ monitor: 'val_accuracy', patience: 1 });
    expect(auto.mode).toBe('max');
    expect((await runScripted(auto, 'val_accuracy', [0.5, 0.6, 0.55, 0.9])).history.epoch).toEqual([0, 1, 2]);
    const forced = new EarlyStopping({ monitor: 'val_accuracy', mode: 'min', patience: 1 });
    expect((await runScripted(forced, 'val_accuracy', [0.5, 0.6, 0.55, 0.9])).history.epoch).toEqual([0, 1]);
  });

  it('restoreBestWeights puts back the weights of the best epoch; without it the last ones stay', async () => {
    const script = [1, 0.5, 0.9, 0.95, 0.2];
    const restoring = await runScripted(new EarlyStopping({ patience: 2, restoreBestWeights: true }), 'val_loss', script);
    expect(restoring.history.epoch).toEqual([0, 1, 2, 3]);
    expect(snapshot(restoring.model.weights)).toEqual(restoring.weightsAtEpochEnd[1]);
    expect(snapshot(restoring.model.weights)).not.toEqual(restoring.weightsAtEpochEnd[3]);
    const plain = await runScripted(new EarlyStopping({ patience: 2 }), 'val_loss', script);
    expect(snapshot(plain.model.weights)).toEqual(plain.weightsAtEpochEnd[3]);
  });

  it('restores the best weights even when training runs to the end', async () => {
    const { model, weightsAtEpochEnd } = await runScripted(new EarlyStopping({ patience: 5, restoreBestWeights: true }), 'val_loss', [1, 0.3, 0.5, 0.4]);
    expect(snapshot(model.weights)).toEqual(weightsAtEpochEnd[1]);
  });

  it('a monitor the fit does not report is an error before training', async () => {
    const rng = new Rng(1);
    const { x, y } = spiralData(rng, 5);
    const model = new Sequential([new Dense(2, 3, { rng }), new Softmax()]);
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const before = snapshot(model.weights);
    await expect(model.fit(x, y, { epochs: 2, callbacks: [new EarlyStopping()] })).rejects.toThrow(
      'EarlyStopping: monitor "val_loss" is not reported by this fit (it reports loss, accuracy); pass validationData or validationSplit to fit',
    );
    expect(snapshot(model.weights)).toEqual(before);
  });

  it('validates its options', () => {
    expect(() => new EarlyStopping({ patience: -1 })).toThrow(/EarlyStopping: patience must be an integer >= 0, got -1/);
    expect(() => new EarlyStopping({ patience: 1.5 })).toThrow(/patience must be an integer/);
    expect(() => new EarlyStopping({ mode: 'maximum' as never })).toThrow(/EarlyStopping: mode must be one of "auto", "min", "max", got "maximum"/);
    expect(() => new EarlyStopping({ restoreBest: true } as never)).toThrow(/EarlyStopping: unknown option "restoreBest"/);
    expect(() => new EarlyStopping({ minDelta: Number.NaN })).toThrow(/minDelta must be a finite number/);
    expect(() => new EarlyStopping({ monitor: '' })).toThrow(/monitor must be a non-empty string/);
  });
});
