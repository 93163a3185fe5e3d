import { readFileSync } from 'node:fs';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { setBackend } from '@scratchnet/backend';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { ActivationLayer, Dense, Dropout, ELU, LeakyReLU, ReLU, Sigmoid, Softmax, Tanh, activationFn, registerLayer } from '@scratchnet/layers';
import { Rng, randn, tensor, type Tensor } from '@scratchnet/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Sequential,
  crc32,
  loadModel,
  memoryHandler,
  modelFromArtifacts,
  modelToArtifacts,
  saveModel,
  type ModelManifest,
} from '@scratchnet/model';
import { loadModel as loadFromDirectory } from '@scratchnet/model/node';
import { decodeInto, encodeInto } from '../src/io/weights-codec.js';

beforeAll(() => {
  setBackend(new CpuBackend());
});

function mixedModel(dtype: 'float32' | 'float64', rng: Rng): Sequential {
  return new Sequential({
    name: `mixed_${dtype}`,
    layers: [
      new Dense(6, 16, { rng, dtype, activation: 'tanh' }),
      new Dropout({ rate: 0.3, seed: 5 }),
      new LeakyReLU({ alpha: 0.05 }),
      new Dense(16, 8, { rng, dtype, useBias: false, kernelInitializer: 'glorotUniform' }),
      new Sigmoid(),
      new Dense(8, 8, { rng, dtype, activation: 'relu', biasInitializer: 'ones' }),
      new Tanh(),
      new Dense(8, 6, { rng, dtype, activation: 'elu' }),
      new ELU({ alpha: 0.5 }),
      new Dense(6, 4, { rng, dtype }),
      new ReLU(),
      new Dense(4, 3, { rng, dtype }),
      new Softmax(),
    ],
  });
}

function bits(t: Tensor): number[] {
  return Array.from(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
}

describe('save -> load round trip (in memory)', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    it(`${dtype}: predictions, weights and configs are bitwise identical`, async () => {
      const model = mixedModel(dtype, new Rng(1));
      // Non-trivial biases, so every byte of every tensor matters.
      for (const layer of model.layers) for (const p of layer.params()) p.value.data.set(randn(p.value.shape, { rng: new Rng(p.value.size) }).data);
      const x = randn([9, 6], { dtype, rng: new Rng(2) });
      const handler = memoryHandler();
      const result = await saveModel(model, handler);
      expect(result.location).toBe('memory');
      const loaded = await loadModel(handler);

      expect(loaded).toBeInstanceOf(Sequential);
      expect(loaded.name).toBe(model.name);
      expect(loaded.layers.map((l) => [l.className, l.getConfig()])).toEqual(model.layers.map((l) => [l.className, l.getConfig()]));
      const before = model.layers.flatMap((l) => l.params().map((p) => bits(p.value)));
      const after = loaded.layers.flatMap((l) => l.params().map((p) => bits(p.value)));
      expect(after).toEqual(before);
      expect(bits(loaded.predict(x))).toEqual(bits(model.predict(x)));
    });
  }

  it('the manifest lists every parameter, packed little-endian in layer order, with a CRC-32', () => {
    const model = new Sequential([new Dense(2, 3, { rng: new Rng(0) }), new ReLU(), new Dense(3, 1, { rng: new Rng(1), dtype: 'float32' })]);
    const { manifest, weights } = modelToArtifacts(model);
    const m = manifest as ModelManifest;
    expect(m.format).toBe('scratchnet-model');
    expect(m.formatVersion).toBe(1);
    expect(m.architecture.map((a) => a.className)).toEqual(['Dense', 'ReLU', 'Dense']);
    expect(m.weights).toEqual([
      { name: 'dense/kernel', dtype: 'float32', shape: [2, 3], byteOffset: 0, byteLength: 24 },
      { name: 'dense/bias', dtype: 'float32', shape: [3], byteOffset: 24, byteLength: 12 },
      { name: 'dense_1/kernel', dtype: 'float32', shape: [3, 1], byteOffset: 36, byteLength: 12 },
      { name: 'dense_1/bias', dtype: 'float32', shape: [1], byteOffset: 48, byteLength: 4 },
    ]);
    expect(m.weightsByteLength).toBe(52);
    expect(weights.byteLength).toBe(52);
    expect(m.checksum).toEqual({ algorithm: 'crc32', value: zlibCrc32(new Uint8Array(weights)).toString(16).padStart(8, '0') });
    // Explicitly little-endian, read back with a DataView.
    const view = new DataView(weights);
    const kernel = (model.layers[0] as Dense).kernel!.data;
    for (let i = 0; i < kernel.length; i++) expect(view.getFloat32(4 * i, true)).toBe(kernel[i]);
  });

  it('an unbuilt Dense saves without weights and loads unbuilt', async () => {
    const model = new Sequential([new Dense({ units: 4, activation: 'relu' }), new Softmax()]);
    const handler = memoryHandler();
    await saveModel(model, handler);
    expect((handler.artifacts!.manifest as ModelManifest).weights).toEqual([]);
    const loaded = await loadModel(handler);
    expect((loaded.layers[0] as Dense).built).toBe(false);
    expect(loaded.layers[0]!.getConfig()).toEqual(model.layers[0]!.getConfig());
  });

  it('a layer class loading could not rebuild is refused at save time, and saves once registered', async () => {
    class Swish extends ActivationLayer {
      readonly className = 'Swish';
      protected readonly fn = activationFn('Swish', 'sigmoid');
    }
    const model = new Sequential([new Dense(2, 2, { rng: new Rng(6) }), new Swish()]);
    await expect(saveModel(model, memoryHandler())).rejects.toThrow(
      /^saveModel: layer 'swish' is a Swish, which loading cannot rebuild; register it first with registerLayer\('Swish'/,
    );
    registerLayer('Swish', (config) => new Swish(config));
    const handler = memoryHandler();
    await saveModel(model, handler);
    const loaded = await loadModel(handler);
    expect(loaded.layers[1]).toBeInstanceOf(Swish);
    const x = randn([3, 2], { rng: new Rng(7) });
    expect(bits(loaded.predict(x))).toEqual(bits(model.predict(x)));
  });

  it('model.save(handler) saves as saveModel does; a path is refused with a pointer to the node entry', async () => {
    const model = mixedModel('float32', new Rng(8));
    const handler = memoryHandler();
    const result = await model.save(handler);
    expect(result.weightsByteLength).toBe(handler.artifacts!.weights.byteLength);
    const x = randn([2, 6], { rng: new Rng(9) });
    expect(bits((await loadModel(handler)).predict(x))).toEqual(bits(model.predict(x)));
    await expect(model.save('models/m' as never)).rejects.toThrow(
      /^saveModel: got the path "models\/m"; files need Node: use saveModel\(model, "models\/m"\) or fileSystemHandler\("models\/m"\) from '@scratchnet\/model\/node'$/,
    );
    await expect(loadModel('models/m' as never)).rejects.toThrow(/^loadModel: got the path "models\/m"; files need Node/);
    await expect(saveModel(model, {} as never)).rejects.toThrow(/^saveModel: handler must have a save\(artifacts\) method/);
    await expect(saveModel(model, handler, { includeOptimizer: 'yes' } as never)).rejects.toThrow(/includeOptimizer must be true or false/);
    await expect(saveModel(model, handler, { optimizer: true } as never)).rejects.toThrow(/saveModel: unknown option "optimizer"/);
  });

  it('the memory handler copies in both directions', async () => {
    const model = new Sequential([new Dense(2, 2, { rng: new Rng(3) })]);
    const handler = memoryHandler();
    await saveModel(model, handler);
    const saved = Array.from(new Uint8Array(handler.artifacts!.weights));
    (model.layers[0] as Dense).kernel!.data.fill(9);
    expect(Array.from(new Uint8Array(handler.artifacts!.weights))).toEqual(saved);
    const a = await loadModel(handler);
    (a.layers[0] as Dense).kernel!.data.fill(7);
    const b = await loadModel(handler);
    expect(Array.from((b.layers[0] as Dense).kernel!.data)).not.toContain(7);
  });

  it('artifacts from a memory handler load from plain objects (what a browser would store)', async () => {
    const model = mixedModel('float32', new Rng(4));
    const { manifest, weights } = modelToArtifacts(model);
    const x = randn([3, 6], { rng: new Rng(5) });
    const fromJson = await loadModel(memoryHandler({ manifest: JSON.parse(JSON.stringify(manifest)), weights: new Uint8Array(weights) }));
    expect(bits(fromJson.predict(x))).toEqual(bits(model.predict(x)));
    expect(bits(modelFromArtifacts({ manifest, weights }).model.predict(x))).toEqual(bits(model.predict(x)));
  });
});

describe('models written by an independent NumPy writer (test/fixtures/io/make_fixtures.py)', () => {
  for (const [dtype, tolerance] of [['float32', 1e-6], ['float64', 1e-14]] as const) {
    it(`${dtype}: loads from its directory and predicts what NumPy computed`, async () => {
      const dir = new URL(`./fixtures/io/lesson-${dtype}/`, import.meta.url);
      const expected = JSON.parse(readFileSync(new URL('expected.json', dir), 'utf8')) as { x: number[][]; y: number[][] };
      const model = await loadFromDirectory(dir.pathname);
      expect(model.layers.map((l) => l.name)).toEqual(['dense', 're_lu', 'dense_1', 're_lu_1', 'dense_2', 'softmax']);
      const y = model.predict(tensor(expected.x, { dtype })).toArray() as number[][];
      let maxDiff = 0;
      y.forEach((row, i) => row.forEach((v, j) => (maxDiff = Math.max(maxDiff, Math.abs(v - expected.y[i]![j]!)))));
      expect(maxDiff).toBeLessThan(tolerance);
      // And our writer produces the very same bytes for the very same weights.
      const ours = modelToArtifacts(model);
      expect(new Uint8Array(ours.weights)).toEqual(new Uint8Array(readFileSync(new URL('weights.bin', dir))));
    });
  }
});

describe('weights codec', () => {
  const samples = {
    float32: new Float32Array([0, -0, 1.5, -2.25e-38, 3.4e38, Infinity, -Infinity, 1 / 3]),
    float64: new Float64Array([0, -0, Math.PI, -5e-324, 1.7976931348623157e308, -Infinity, 1 / 3]),
    int32: new Int32Array([0, 1, -1, 2147483647, -2147483648, 123456789]),
  };
  for (const [dtype, data] of Object.entries(samples)) {
    it(`${dtype}: the DataView path (big-endian hosts) writes and reads the same bytes as the fast path`, () => {
      const fast = new Uint8Array(data.byteLength + 3);
      const portable = new Uint8Array(data.byteLength + 3);
      encodeInto(fast, 3, data, true);
      encodeInto(portable, 3, data, false);
      expect(portable).toEqual(fast);
      // Little-endian: the first float32/int32 element's least significant byte comes first.
      const view = new DataView(portable.buffer, 3);
      const first = dtype === 'float64' ? view.getFloat64(16, true) : dtype === 'float32' ? view.getFloat32(8, true) : view.getInt32(8, true);
      expect(first).toBe(data[2]);
      const back = new (data.constructor as new (n: number) => typeof data)(data.length);
      decodeInto(portable, 3, back, false);
      expect(Array.from(back).map((v) => Object.is(v, -0) ? '-0' : v)).toEqual(Array.from(data).map((v) => Object.is(v, -0) ? '-0' : v));
      const backFast = new (data.constructor as new (n: number) => typeof data)(data.length);
      decodeInto(fast, 3, backFast, true);
      expect(new Uint8Array(backFast.buffer)).toEqual(new Uint8Array(back.buffer));
    });
  }
});

describe('crc32', () => {
  it('matches the standard check value and zlib on lengths around the 8-byte stride', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    const rng = new Rng(9);
    for (const n of [1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000, 4099]) {
      const bytes = new Uint8Array(n).map(() => rng.randint(0, 256));
      expect(crc32(bytes)).toBe(zlibCrc32(bytes));
      // Continuing from a prefix's CRC gives the CRC of the whole.
      expect(crc32(bytes.subarray(n >> 1), crc32(bytes.subarray(0, n >> 1)))).toBe(zlibCrc32(bytes));
    }
  });
});
