import { fileURLToPath } from 'node:url';
import { setBackend } from '@scratchnet/backend';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { Dense, ReLU, Softmax } from '@scratchnet/layers';
import { Rng, randn, tensor, type Tensor } from '@scratchnet/tensor';
import { IDBFactory } from 'fake-indexeddb';
import { beforeAll, describe, expect, it } from 'vitest';
import { Adam, ModelFormatError, ModelIOError, Sequential, loadModel, loadModelAndOptimizer, saveModel } from '@scratchnet/model';
import {
  browserDownloads,
  browserFiles,
  deleteIndexedDBModel,
  indexedDBHandler,
  listIndexedDBModels,
  type IDBFactoryLike,
} from '@scratchnet/model/browser';
import { itLoadsInNode } from '../../../test-support/loads.js';

beforeAll(() => {
  setBackend(new CpuBackend());
});

/** A small trained model with Adam state, so weights and optimizer slots both round-trip. */
async function trainedModel(): Promise<Sequential> {
  const rng = new Rng(3);
  const model = new Sequential([new Dense(4, 8, { rng }), new ReLU(), new Dense(8, 3, { rng }), new Softmax()]);
  model.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const x = randn([32, 4], { rng: new Rng(4) });
  const y = tensor(Array.from({ length: 32 }, (_, i) => i % 3), { dtype: 'int32' });
  await model.fit(x, y, { epochs: 2, batchSize: 8, rng: new Rng(5) });
  return model;
}

function bytes(t: Tensor): number[] {
  return Array.from(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
}

/** Rejects with exactly this class and message (toThrow(instance) would also compare the cause). */
async function expectRejection(promise: Promise<unknown>, type: new (...args: never[]) => Error, message: string): Promise<void> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(type);
  expect((error as Error).message).toBe(message);
}

function freshIndexedDB(): IDBFactoryLike {
  return new IDBFactory() as unknown as IDBFactoryLike;
}

describe('indexedDBHandler', () => {
  it('saves and loads a model with its optimizer, bitwise; lists and deletes it', async () => {
    const indexedDB = freshIndexedDB();
    const model = await trainedModel();
    const result = await saveModel(model, indexedDBHandler('digits', { indexedDB }));
    expect(result.location).toBe('indexeddb://scratchnet-models/digits');

    const { model: loaded, optimizer } = await loadModelAndOptimizer(indexedDBHandler('digits', { indexedDB }));
    const probe = randn([5, 4], { rng: new Rng(9) });
    expect(bytes(loaded.predict(probe))).toEqual(bytes(model.predict(probe)));
    expect(optimizer?.iterations).toBe(model.optimizer!.iterations);

    const listed = await listIndexedDBModels({ indexedDB });
    expect(listed.map((m) => [m.name, m.weightsByteLength])).toEqual([['digits', result.weightsByteLength]]);
    expect(Number.isNaN(Date.parse(listed[0]!.savedAt))).toBe(false);

    expect(await deleteIndexedDBModel('digits', { indexedDB })).toBe(true);
    expect(await deleteIndexedDBModel('digits', { indexedDB })).toBe(false);
    expect(await listIndexedDBModels({ indexedDB })).toEqual([]);
    await expect(loadModel(indexedDBHandler('digits', { indexedDB }))).rejects.toThrow(
      new ModelIOError('loadModel: no model named "digits" in the IndexedDB database "scratchnet-models"'),
    );
  });

  it('a second save under the same name replaces the first; other names and databases are apart', async () => {
    const indexedDB = freshIndexedDB();
    const first = await trainedModel();
    const second = new Sequential([new Dense(4, 2, { rng: new Rng(1) }), new Softmax()]);
    await saveModel(first, indexedDBHandler('a', { indexedDB }));
    await saveModel(first, indexedDBHandler('b', { indexedDB }));
    await saveModel(second, indexedDBHandler('a', { indexedDB }));
    await saveModel(second, indexedDBHandler('a', { indexedDB, databaseName: 'other' }));
    const a = await loadModel(indexedDBHandler('a', { indexedDB }));
    expect(a.layers.map((l) => l.className)).toEqual(['Dense', 'Softmax']);
    const b = await loadModel(indexedDBHandler('b', { indexedDB }));
    expect(b.layers).toHaveLength(4);
    expect((await listIndexedDBModels({ indexedDB })).map((m) => m.name)).toEqual(['a', 'b']);
    expect((await listIndexedDBModels({ indexedDB, databaseName: 'other' })).map((m) => m.name)).toEqual(['a']);
  });

  it('a record that is not a saved model is a ModelFormatError naming it; a bad manifest names model.json', async () => {
    const indexedDB = freshIndexedDB();
    await saveModel(await trainedModel(), indexedDBHandler('m', { indexedDB }));
    // Overwrite the record behind the handler's back, as another app sharing the database might.
    const put = (value: unknown) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('scratchnet-models', 1);
        open.addEventListener('success', () => {
          const tx = open.result.transaction('models', 'readwrite');
          tx.objectStore('models').put(value, 'm');
          tx.addEventListener('complete', () => {
            open.result.close();
            resolve();
          });
          tx.addEventListener('error', () => reject(new Error('put failed')));
        });
      });
    await put('hello');
    await expect(loadModel(indexedDBHandler('m', { indexedDB }))).rejects.toThrow(
      new ModelFormatError('indexeddb://scratchnet-models/m', undefined, 'not a model saved by indexedDBHandler (got "hello")'),
    );
    await put({ kind: 'scratchnet-model-record', manifest: '{"format": "nope"', weights: new ArrayBuffer(0), savedAt: '' });
    const error = await loadModel(indexedDBHandler('m', { indexedDB })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFormatError);
    expect((error as ModelFormatError).file).toBe('indexeddb://scratchnet-models/m/model.json');
    expect((error as Error).message).toMatch(/not valid JSON/);
    await put({ kind: 'scratchnet-model-record', manifest: '{}', weights: 'bytes', savedAt: '' });
    await expect(loadModel(indexedDBHandler('m', { indexedDB }))).rejects.toThrow(/indexeddb:\/\/scratchnet-models\/m: weights: expected an ArrayBuffer, got "bytes"/);
  });

  it('no IndexedDB, a failing one, or bad arguments are typed errors, never a hang', async () => {
    expect(() => indexedDBHandler('m')).toThrow(ModelIOError);
    expect(() => indexedDBHandler('m')).toThrow(/IndexedDB is not available here/);
    expect(() => indexedDBHandler('', { indexedDB: freshIndexedDB() })).toThrow(/name must be a non-empty string, got ""/);
    expect(() => indexedDBHandler('m', { indexedDB: freshIndexedDB(), databse: 'x' } as never)).toThrow(/unknown option "databse"/);

    // A factory whose open() fails (storage disabled, as in some private windows).
    const failing: IDBFactoryLike = {
      open() {
        const listeners: Record<string, () => void> = {};
        setTimeout(() => listeners.error?.(), 0);
        return { result: undefined as never, error: new Error('storage is disabled'), addEventListener: (type, fn) => void (listeners[type] = fn) };
      },
    };
    await expectRejection(
      saveModel(await trainedModel(), indexedDBHandler('m', { indexedDB: failing })),
      ModelIOError,
      'saveModel: cannot save to indexeddb://scratchnet-models/m: storage is disabled',
    );
    // Blocked by another tab holding an older version open.
    const blocked: IDBFactoryLike = {
      open() {
        const listeners: Record<string, () => void> = {};
        setTimeout(() => listeners.blocked?.(), 0);
        return { result: undefined as never, error: null, addEventListener: (type, fn) => void (listeners[type] = fn) };
      },
    };
    await expect(loadModel(indexedDBHandler('m', { indexedDB: blocked }))).rejects.toThrow(/open in another tab/);
  });
});

/** What `browserDownloads` hands over, as the Files a user would choose again. */
async function downloadedFiles(model: Sequential, prefix?: string): Promise<File[]> {
  const files: File[] = [];
  await saveModel(model, browserDownloads(prefix, { download: (name, data, type) => void files.push(new File([data as Uint8Array<ArrayBuffer>], name, { type })) }));
  return files;
}

describe('browserDownloads and browserFiles', () => {
  it('download two files that load back, bitwise, in any order', async () => {
    const model = await trainedModel();
    const files = await downloadedFiles(model, 'mnist');
    expect(files.map((f) => [f.name, f.type])).toEqual([
      ['mnist.json', 'application/json'],
      ['mnist.weights.bin', 'application/octet-stream'],
    ]);
    expect(JSON.parse(await files[0]!.text()).weightsFile).toBe('mnist.weights.bin');
    const probe = randn([5, 4], { rng: new Rng(9) });
    for (const order of [files, [...files].reverse()]) {
      const { model: loaded, optimizer } = await loadModelAndOptimizer(browserFiles(order));
      expect(bytes(loaded.predict(probe))).toEqual(bytes(model.predict(probe)));
      expect(optimizer?.getState().step).toBe(model.optimizer!.getState().step);
    }
  });

  it('takes a renamed weights file when it is the only other one; its checksum still guards it', async () => {
    const model = await trainedModel();
    const [manifest, weights] = await downloadedFiles(model);
    const renamed = new File([new Uint8Array(await weights!.arrayBuffer())], 'model.weights (1).bin');
    const loaded = await loadModel(browserFiles([manifest!, renamed]));
    expect(loaded.countParams()).toBe(model.countParams());

    const flipped = new Uint8Array(await weights!.arrayBuffer());
    flipped[7]! ^= 1;
    await expect(loadModel(browserFiles([manifest!, new File([flipped], 'other.bin')]))).rejects.toThrow(/other\.bin: checksum mismatch: model\.json checksum\.value is [0-9a-f]{8}, the file's CRC-32 is [0-9a-f]{8}/);
    await expect(loadModel(browserFiles([manifest!, new File([flipped.slice(4)], 'short.bin')]))).rejects.toThrow(
      new ModelFormatError('short.bin', undefined, `truncated: ${flipped.length - 4} bytes, but model.json declares weightsByteLength ${flipped.length}`),
    );
  });

  it('a file that is not a scratchnet model is the loader\'s typed error naming it', async () => {
    const notJson = loadModel(browserFiles([new File(['not json at all'], 'notes.txt')]));
    await expect(notJson).rejects.toBeInstanceOf(ModelFormatError);
    await expect(notJson).rejects.toThrow(/^notes\.txt: not valid JSON/);
    await expect(loadModel(browserFiles([new File(['{"hello": 1}'], 'model.json')]))).rejects.toThrow(/^model\.json: format: /);
    await expectRejection(loadModel(browserFiles([new File([new Uint8Array([0xff, 0xfe, 0x00])], 'model.json')])), ModelFormatError, 'model.json: not UTF-8 text');
    await expect(loadModel(browserFiles([new File(['{"__proto__": {}}'], 'model.json')]))).rejects.toThrow(/key "__proto__" is not allowed/);
  });

  it('missing, extra or oversized files are typed errors before anything large is read', async () => {
    const model = await trainedModel();
    const [manifest, weights] = await downloadedFiles(model);
    await expect(loadModel(browserFiles([]))).rejects.toThrow(new ModelIOError('loadModel: no file chosen; choose the model.json and the weights file it names'));
    await expect(loadModel(browserFiles([manifest!]))).rejects.toThrow(
      new ModelIOError('loadModel: model.json names its weights file model.weights.bin; choose it too (no other file was chosen)'),
    );
    await expect(loadModel(browserFiles([manifest!, new File(['x'], 'a.bin'), new File(['y'], 'b.bin')]))).rejects.toThrow(/choose it too \(the others are a\.bin, b\.bin\)/);
    await expect(loadModel(browserFiles([manifest!, new File(['{}'], 'second.json'), weights!]))).rejects.toThrow(/choose one manifest, got 2 \.json files/);
    await expect(loadModel(browserFiles([weights!, new File(['y'], 'b.bin')]))).rejects.toThrow(/no \.json manifest among the chosen files \(model\.weights\.bin, b\.bin\)/);

    // Size limits are checked on File.size: a file that lies about its size is never read.
    const unread = (name: string, size: number) => ({ name, size, arrayBuffer: () => Promise.reject(new Error(`${name} was read`)) });
    await expect(loadModel(browserFiles([unread('model.json', 2000)], { maxManifestBytes: 1000 }))).rejects.toThrow(/model\.json: 2000 bytes is more than the 1000 a manifest may have/);
    await expect(loadModel(browserFiles([manifest!, unread('model.weights.bin', 10 ** 9)]))).rejects.toThrow(/model\.weights\.bin: oversized: 1000000000 bytes/);
    await expect(loadModel(browserFiles([manifest!, weights!], { maxWeightsBytes: 10 }))).rejects.toThrow(/maxWeightsBytes/);
    expect(() => browserFiles([manifest!], { maxWeightsBytes: -1 })).toThrow(/maxWeightsBytes must be an integer >= 0/);
    expect(() => browserFiles([{ name: 'model.json' }] as never)).toThrow(/files\[0\] is not a file \(it needs name, size and arrayBuffer\(\)\)/);
    expect(() => browserFiles('model.json' as never)).toThrow(/files must be a list of files/);
    expect(() => browserFiles(null as never)).toThrow(/files must be a list of files/);
  });

  it('without a page, downloading says what to pass; a failing download is a ModelIOError', async () => {
    const model = await trainedModel();
    await expect(saveModel(model, browserDownloads())).rejects.toThrow(/downloads need a page \(document\)/);
    await expectRejection(
      saveModel(model, browserDownloads('m', { download: () => Promise.reject(new Error('disk full')) })),
      ModelIOError,
      'saveModel: cannot download m.json and m.weights.bin: disk full',
    );
    expect(() => browserDownloads('../evil')).toThrow(/prefix must be a plain file name/);
  });
});

describe('built ./browser entry', () => {
  itLoadsInNode(fileURLToPath(new URL('..', import.meta.url)), {
    './browser': ['indexedDBHandler', 'listIndexedDBModels', 'deleteIndexedDBModel', 'browserDownloads', 'browserFiles', 'DEFAULT_MODEL_DATABASE'],
  });
});
