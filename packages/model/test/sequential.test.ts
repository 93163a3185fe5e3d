import { setBackend } from '@scratchnet/backend';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { Dense, ReLU, Softmax } from '@scratchnet/layers';
import { Rng, ShapeError, ValueError, tensor, randn, type Tensor } from '@scratchnet/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { Sequential } from '@scratchnet/model';

beforeAll(() => {
  setBackend(new CpuBackend());
});

function lessonModel(rng: Rng): Sequential {
  return new Sequential([
    new Dense(3, 8, { rng, dtype: 'float64' }),
    new ReLU(),
    new Dense(8, 8, { rng, dtype: 'float64' }),
    new ReLU(),
    new Dense(8, 3, { rng, dtype: 'float64' }),
    new Softmax(),
  ]);
}

describe('Sequential', () => {
  it('forward equals running the layers one after another', () => {
    const model = lessonModel(new Rng(1));
    const x = randn([6, 3], { dtype: 'float64', rng: new Rng(2) });
    let manual: Tensor = x;
    for (const layer of model.layers) manual = layer.forward(manual);
    expect(model.predict(x).toArray()).toEqual(manual.toArray());
  });

  it('names layers uniquely, Keras style, and keeps given names', () => {
    const model = new Sequential().add(new Dense(2, 2)).add(new ReLU()).add(new Dense(2, 2, { name: 'head' })).add(new Dense(2, 2));
    expect(model.layers.map((l) => l.name)).toEqual(['dense', 're_lu', 'head', 'dense_1']);
    expect(() => model.add(new ReLU({ name: 'head' }))).toThrow(/a layer named 'head' is already in this model/);
    expect(() => model.add(model.layers[0]!)).toThrow(ValueError);
    expect(() => model.add({} as never)).toThrow(/expected a Layer, got Object/);
  });

  it('summary lists each layer, its output shape and parameter count, with totals', () => {
    const lines: string[] = [];
    const text = lessonModel(new Rng(0)).summary({ printFn: (l) => lines.push(l) });
    expect(lines).toEqual([text]);
    expect(text).toBe(
      [
        'Model: "sequential"',
        '_________________________________________________________________',
        'Layer (type)                 Output Shape                 Param #',
        '=================================================================',
        'dense (Dense)                (None, 8)                         32',
        '_________________________________________________________________',
        're_lu (ReLU)                 (None, 8)                          0',
        '_________________________________________________________________',
        'dense_1 (Dense)              (None, 8)                         72',
        '_________________________________________________________________',
        're_lu_1 (ReLU)               (None, 8)                          0',
        '_________________________________________________________________',
        'dense_2 (Dense)              (None, 3)                         27',
        '_________________________________________________________________',
        'softmax (Softmax)            (None, 3)                          0',
        '=================================================================',
        'Total params: 131 (1.02 KB)',
        'Trainable params: 131 (1.02 KB)',
        'Non-trainable params: 0 (0.00 B)',
        '_________________________________________________________________',
      ].join('\n'),
    );
    expect(lessonModel(new Rng(0)).countParams()).toBe(131);
  });

  it('outputShapes follow the layers and reject inputs that do not fit', () => {
    const model = lessonModel(new Rng(0));
    expect(model.outputShapes([4, 3])).toEqual([[4, 8], [4, 8], [4, 8], [4, 8], [4, 3], [4, 3]]);
    expect(() => model.outputShapes([null, 5])).toThrow(ShapeError);
  });

  it('an empty model cannot run', () => {
    expect(() => new Sequential().predict(tensor([[1]]))).toThrow(/forward on a model with no layers/);
  });
});
