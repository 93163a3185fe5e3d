import { crc32 as zlibCrc32 } from 'node:zlib';
import { setBackend } from '@scratchnet/backend';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { Dense, ReLU, Softmax } from '@scratchnet/layers';
import { Rng, getGlobalRng, seed } from '@scratchnet/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Adam,
  ModelFormatError,
  Sequential,
  loadModel,
  memoryHandler,
  modelFromArtifacts,
  modelToArtifacts,
  parseManifestJson,
  validateManifest,
  type ModelManifest,
} from '@scratchnet/model';

beforeAll(() => {
  setBackend(new CpuBackend());
});

/** The lesson's network 3 -> 8 -> 3: weights dense/kernel [3,8], dense/bias [8], dense_1/kernel [8,3], dense_1/bias [3]. */
function model(): Sequential {
  const rng = new Rng(0);
  return new Sequential([new Dense(3, 8, { rng }), new ReLU(), new Dense(8, 3, { rng }), new Softmax()]);
}

type Json = Record<string, unknown> & ModelManifest;

function fresh(): { manifest: Json; weights: ArrayBuffer } {
  const { manifest, weights } = modelToArtifacts(model());
  return { manifest: manifest as Json, weights };
}

/** Recomputes checksum (and, when asked, weightsByteLength) after a deliberate edit, so only the edit is wrong. */
function reseal(manifest: Json, weights: ArrayBuffer, length = false): void {
  manifest.checksum.value = zlibCrc32(new Uint8Array(weights)).toString(16).padStart(8, '0');
  if (length) manifest.weightsByteLength = weights.byteLength;
}

function load(manifest: unknown, weights: ArrayBuffer): () => unknown {
  return () => modelFromArtifacts({ manifest, weights });
}

function expectFormatError(fn: () => unknown, message: RegExp, field?: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ModelFormatError);
  expect((caught as Error).message).toMatch(message);
  if (field !== undefined) expect((caught as ModelFormatError).field).toBe(field);
}

describe('loading refuses, with a ModelFormatError naming the file and field', () => {
  it('an unknown format or format version', () => {
    const a = fresh();
    a.manifest.formatVersion = 2 as 1;
    expectFormatError(load(a.manifest, a.weights), /^model\.json: formatVersion: unsupported version 2; this @scratchnet\/model reads version 1$/, 'formatVersion');
    const b = fresh();
    (b.manifest as Record<string, unknown>).format = 'layers-model';
    expectFormatError(load(b.manifest, b.weights), /^model\.json: format: expected "scratchnet-model", got "layers-model"$/);
    expectFormatError(load([], b.weights), /^model\.json: expected the manifest, got an array$/);
    expectFormatError(load(null, b.weights), /^model\.json: expected the manifest, got null$/);
  });

  it('an unknown layer class, or a layer config the layer rejects', () => {
    const a = fresh();
    a.manifest.architecture[1] = { className: 'Conv3D', config: { name: 'conv' } };
    expectFormatError(load(a.manifest, a.weights), /^model\.json: architecture\[1\]\.className: unknown layer class "Conv3D"; known classes are Dense,/, 'architecture[1].className');
    const b = fresh();
    b.manifest.architecture[0]!.config.units = -8;
    expectFormatError(load(b.manifest, b.weights), /^model\.json: architecture\[0\]\.config: Dense: units must be a positive integer, got -8$/);
    const c = fresh();
    c.manifest.architecture[0]!.config.kernelRegularizer = 'l2';
    expectFormatError(load(c.manifest, c.weights), /architecture\[0\]\.config: Dense config has unknown key "kernelRegularizer"/);
    const d = fresh();
    d.manifest.architecture[3]!.config.name = 're_lu';
    expectFormatError(load(d.manifest, d.weights), /^model\.json: architecture\[3\]\.config\.name: .*a layer named 're_lu' is already in this model/);
  });

  it('shapes, dtypes, names and byte lengths that disagree with the layers', () => {
    const a = fresh();
    a.manifest.weights[0]!.shape = [8, 3];
    expectFormatError(load(a.manifest, a.weights), /^model\.json: weights\[0\]\.shape: expected \[3,8\] for dense\/kernel, got \[8,3\]$/, 'weights[0].shape');
    const b = fresh();
    b.manifest.weights[1]!.dtype = 'int32';
    expectFormatError(load(b.manifest, b.weights), /^model\.json: weights\[1\]\.dtype: expected float32 for dense\/bias, got int32$/);
    const c = fresh();
    c.manifest.weights[1]!.byteLength = 28;
    expectFormatError(load(c.manifest, c.weights), /^model\.json: weights\[1\]\.byteLength: expected 32 for dense\/bias \(float32 \[8\]\), got 28$/);
    const d = fresh();
    d.manifest.weights[2]!.byteOffset += 4;
    expectFormatError(load(d.manifest, d.weights), /^model\.json: weights\[2\]\.byteOffset: expected 128 for dense_1\/kernel \(tensors are packed in order\), got 132$/);
    const e = fresh();
    [e.manifest.weights[0]!.name, e.manifest.weights[1]!.name] = [e.manifest.weights[1]!.name, e.manifest.weights[0]!.name];
    expectFormatError(load(e.manifest, e.weights), /^model\.json: weights\[0\]\.name: expected "dense\/kernel" \(parameter 0 in layer order\), got "dense\/bias"$/);
  });

  it('weights missing from, or in excess of, the architecture', () => {
    const a = fresh();
    a.manifest.weights.pop();
    const shorter = a.weights.slice(0, a.weights.byteLength - 12);
    reseal(a.manifest, shorter, true);
    expectFormatError(load(a.manifest, shorter), /^model\.json: weights: has 3 entries, but the architecture has 4 parameters \(missing dense_1\/bias\)$/);
    const b = fresh();
    b.manifest.weights.push({ name: 'extra/kernel', dtype: 'float32', shape: [1], byteOffset: b.weights.byteLength, byteLength: 4 });
    const longer = new ArrayBuffer(b.weights.byteLength + 4);
    new Uint8Array(longer).set(new Uint8Array(b.weights));
    reseal(b.manifest, longer, true);
    expectFormatError(load(b.manifest, longer), /^model\.json: weights\[4\]: "extra\/kernel" is not a parameter of the architecture, which has 4$/);
  });

  it('a checksum mismatch, a truncated or an oversized weights buffer', () => {
    const a = fresh();
    new Uint8Array(a.weights)[17]! ^= 0x10;
    expectFormatError(load(a.manifest, a.weights), /^weights\.bin: checksum mismatch: model\.json checksum\.value is [0-9a-f]{8}, the file's CRC-32 is [0-9a-f]{8}$/);
    const b = fresh();
    expectFormatError(load(b.manifest, b.weights.slice(0, 100)), /^weights\.bin: truncated: 100 bytes, but model\.json declares weightsByteLength 236$/);
    const bigger = new ArrayBuffer(237);
    expectFormatError(load(b.manifest, bigger), /^weights\.bin: oversized: 237 bytes, but model\.json declares weightsByteLength 236$/);
    expectFormatError(load(b.manifest, new Uint8Array(236) as unknown as ArrayBuffer), /^weights\.bin: expected the weights as an ArrayBuffer/);
  });

  it('NaN, negative, fractional and huge declared sizes, before allocating anything', () => {
    const cases: [(m: Json) => void, RegExp][] = [
      [(m) => (m.weightsByteLength = Number.NaN), /^model\.json: weightsByteLength: expected an integer >= 0, got NaN$/],
      [(m) => (m.weightsByteLength = -4), /weightsByteLength: expected an integer >= 0, got -4$/],
      [(m) => (m.weightsByteLength = 1e300), /weightsByteLength: expected an integer >= 0, got 1e\+300$/],
      [(m) => (m.weightsByteLength = 2 ** 40), /weightsByteLength: 1099511627776 bytes is more than the 2147483648 allowed/],
      [(m) => (m.weights[0]!.shape = [3, Number.NaN]), /weights\[0\]\.shape\[1\]: expected an integer >= 0, got NaN$/],
      [(m) => (m.weights[0]!.shape = [-3, 8]), /weights\[0\]\.shape\[0\]: expected an integer >= 0, got -3$/],
      [(m) => (m.weights[0]!.shape = [2.5, 8]), /weights\[0\]\.shape\[0\]: expected an integer >= 0, got 2.5$/],
      [(m) => (m.weights[0]!.shape = [1e9, 1e9, 1e9]), /weights\[0\]\.shape: \[1000000000,1000000000,1000000000\] for dense\/kernel holds more than the 2147483648 bytes allowed$/],
      [(m) => (m.weights[0]!.byteLength = Number.POSITIVE_INFINITY), /weights\[0\]\.byteLength: expected an integer >= 0, got Infinity$/],
      [(m) => (m.weights[0]!.shape = '3,8' as unknown as number[]), /weights\[0\]\.shape: expected an array, got "3,8"$/],
    ];
    for (const [edit, message] of cases) {
      const a = fresh();
      edit(a.manifest);
      expectFormatError(load(a.manifest, a.weights), message);
    }
    // A limit of one's own.
    const b = fresh();
    expect(() => modelFromArtifacts({ manifest: b.manifest, weights: b.weights }, { maxWeightsBytes: 100 })).toThrow(
      /weightsByteLength: 236 bytes is more than the 100 allowed/,
    );
  });

  it('unknown or missing fields, and a weights file name with a directory part', () => {
    const a = fresh();
    (a.manifest as Record<string, unknown>).trainingConfig = {};
    expectFormatError(load(a.manifest, a.weights), /^model\.json: trainingConfig: unknown field/);
    const b = fresh();
    delete (b.manifest as Partial<Json>).checksum;
    expectFormatError(load(b.manifest, b.weights), /^model\.json: checksum: missing$/);
    const c = fresh();
    (c.manifest.weights[0] as unknown as Record<string, unknown>).offset = 0;
    expectFormatError(load(c.manifest, c.weights), /^model\.json: weights\[0\]\.offset: unknown field/);
    for (const name of ['../../etc/passwd', '/etc/passwd', '..', 'a/b.bin', 'C:\\w.bin', '']) {
      const d = fresh();
      d.manifest.weightsFile = name;
      expectFormatError(load(d.manifest, d.weights), /^model\.json: weightsFile: /);
    }
    const e = fresh();
    e.manifest.checksum = { algorithm: 'sha256' as 'crc32', value: 'ab' };
    expectFormatError(load(e.manifest, e.weights), /^model\.json: checksum\.algorithm: expected "crc32", got "sha256"$/);
  });

  it('__proto__, constructor and prototype keys anywhere: refused, nothing polluted', () => {
    const text = JSON.stringify(fresh().manifest);
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const evil = text.replace('"units":8', `"units":8,"${key}":{"polluted":true}`);
      expect(evil).not.toBe(text);
      expectFormatError(() => parseManifestJson(evil, 'model.json'), new RegExp(`^model\\.json: key "${key}" is not allowed anywhere in a manifest$`));
      // The same key in an object handed over directly (the in-memory handler): named by path.
      const object = JSON.parse(evil) as unknown;
      expectFormatError(() => validateManifest(object, 'model.json'), new RegExp(`^model\\.json: architecture\\[0\\]\\.config\\.${key}: key "${key}" is not allowed$`));
    }
    const top = JSON.parse(text.replace('{"format"', '{"__proto__":{"isAdmin":true},"format"')) as unknown;
    expectFormatError(() => validateManifest(top, 'model.json'), /^model\.json: __proto__: key "__proto__" is not allowed$/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expectFormatError(() => parseManifestJson('{"format": "scratchnet-model",', 'dir/model.json'), /^dir\/model\.json: not valid JSON/);
    expectFormatError(() => parseManifestJson('['.repeat(100_000) + ']'.repeat(100_000), 'model.json'), /^model\.json: /);
  });

  it('a bad optimizer section', () => {
    const m = model();
    m.compile({ optimizer: new Adam(), loss: 'sparseCategoricalCrossentropy' });
    const withOptimizer = () => {
      const { manifest, weights } = modelToArtifacts(m, { optimizer: m.optimizer! });
      return { manifest: manifest as Json, weights };
    };
    // Before any step an optimizer has no slots; give it some by stepping once by hand.
    m.optimizer!.applyGradients(m.namedParams());
    const a = withOptimizer();
    expect(a.manifest.optimizer!.slots).toHaveLength(8);
    expect(modelFromArtifacts(a).optimizer!.iterations).toBe(1);
    a.manifest.optimizer!.className = 'Adagrad';
    expectFormatError(load(a.manifest, a.weights), /^model\.json: optimizer: optimizer must be an Optimizer or one of/);
    const b = withOptimizer();
    b.manifest.optimizer!.config.momentum = 0.9;
    expectFormatError(load(b.manifest, b.weights), /^model\.json: optimizer: Adam: unknown option "momentum"/);
    const c = withOptimizer();
    c.manifest.optimizer!.slots[0]!.param = 'dense_9/kernel';
    expectFormatError(load(c.manifest, c.weights), /^model\.json: optimizer\.slots\[0\]\.param: "dense_9\/kernel" is not a parameter of the architecture$/);
    const d = withOptimizer();
    d.manifest.optimizer!.slots[0]!.shape = [8, 3];
    expectFormatError(load(d.manifest, d.weights), /^model\.json: optimizer\.slots\[0\]\.shape: expected \[3,8\] for the m slot of dense\/kernel, got \[8,3\]$/);
    const e = withOptimizer();
    e.manifest.optimizer!.slots[1]!.slot = 'velocity';
    expectFormatError(load(e.manifest, e.weights), /^model\.json: optimizer\.slots\[1\]\.slot: Adam keeps m, v, got "velocity"$/);
    const f = withOptimizer();
    f.manifest.optimizer!.slots[1]!.slot = 'm';
    expectFormatError(load(f.manifest, f.weights), /^model\.json: optimizer\.slots\[1\]\.slot: a second m slot for dense\/kernel$/);
    const g = withOptimizer();
    g.manifest.optimizer!.step = -1;
    expectFormatError(load(g.manifest, g.weights), /^model\.json: optimizer\.step: expected an integer >= 0, got -1$/);
    const h = withOptimizer();
    h.manifest.optimizer!.config.learningRate = 'fast' as unknown as number;
    expectFormatError(load(h.manifest, h.weights), /^model\.json: optimizer\.config\.learningRate: expected a finite number or a boolean, got "fast"$/);
  });

  it('a failed load leaves no trace: the global Rng is untouched and nothing is returned', async () => {
    seed(3);
    const state = getGlobalRng().getState();
    const a = fresh();
    a.manifest.weights[3]!.shape = [4];
    a.manifest.weights[3]!.byteLength = 16;
    await expect(loadModel(memoryHandler({ manifest: a.manifest, weights: a.weights }))).rejects.toThrow(ModelFormatError);
    expect(getGlobalRng().getState()).toEqual(state);
  });
});
