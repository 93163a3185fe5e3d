import type { IOHandler, LoadedArtifacts, ModelArtifacts, SaveResult } from '../io/handler.js';
import { ModelFormatError } from '../io/model-format-error.js';
import { ModelIOError } from '../io/model-io-error.js';
import { parseJson } from '../io/safe-json.js';
import { checkOptions, describeValue } from '../options.js';

/**
 * The part of the IndexedDB API the handlers use, declared here so the package needs no DOM
 * types: a browser's `indexedDB` fits, and so does a test double such as fake-indexeddb's.
 */
export interface IDBFactoryLike {
  open(name: string, version?: number): IDBOpenRequestLike;
}

/** An IndexedDB request: `result` and `error` are read after its `success` or `error` event. */
export interface IDBRequestLike<T> {
  readonly result: T;
  readonly error: unknown;
  addEventListener(type: string, listener: () => void): void;
}

/** The request `IDBFactoryLike.open` returns; it also fires `upgradeneeded` and `blocked`. */
export type IDBOpenRequestLike = IDBRequestLike<IDBDatabaseLike>;

/** An open IndexedDB database. */
export interface IDBDatabaseLike {
  readonly objectStoreNames: { contains(name: string): boolean };
  createObjectStore(name: string): unknown;
  transaction(store: string, mode: 'readonly' | 'readwrite'): IDBTransactionLike;
  close(): void;
}

/** A transaction: it fires `complete`, `error` or `abort`. */
export interface IDBTransactionLike {
  readonly error: unknown;
  objectStore(name: string): IDBObjectStoreLike;
  addEventListener(type: string, listener: () => void): void;
}

/** An object store with out-of-line keys (the model's name). */
export interface IDBObjectStoreLike {
  put(value: unknown, key: string): IDBRequestLike<unknown>;
  get(key: string): IDBRequestLike<unknown>;
  delete(key: string): IDBRequestLike<unknown>;
  getAllKeys(): IDBRequestLike<unknown[]>;
}

/** Options of `indexedDBHandler`, `listIndexedDBModels` and `deleteIndexedDBModel`. */
export interface IndexedDBOptions {
  /** The database the models are kept in; default `scratchnet-models`. */
  databaseName?: string;
  /** The IndexedDB factory; `globalThis.indexedDB` by default. */
  indexedDB?: IDBFactoryLike;
}

/** A model kept in IndexedDB, as `listIndexedDBModels` describes it. */
export interface IndexedDBModelInfo {
  name: string;
  /** When it was saved, as an ISO 8601 date. */
  savedAt: string;
  weightsByteLength: number;
}

/** The database `indexedDBHandler` uses unless told otherwise. */
export const DEFAULT_MODEL_DATABASE = 'scratchnet-models';
const STORE = 'models';
const RECORD_KIND = 'scratchnet-model-record';
const OPTION_KEYS = ['databaseName', 'indexedDB'];

/** What one saved model is in the store: the manifest as the text a file would hold, and the weights. */
interface ModelRecord {
  kind: typeof RECORD_KIND;
  manifest: string;
  weights: ArrayBuffer;
  savedAt: string;
}

/**
 * Saves a model to, and loads it from, the browser's IndexedDB under `name` (TF.js's
 * `indexeddb://name`). A save is one `put` of manifest and weights in one transaction, so the
 * stored model is always a whole one: the previous, or the new. Loading reads that record back;
 * `loadModel` then validates it as it would files.
 */
export function indexedDBHandler(name: string, options: IndexedDBOptions = {}): IOHandler {
  checkName('indexedDBHandler', name);
  const { databaseName, factory } = resolveOptions('indexedDBHandler', options);
  const where = `indexeddb://${databaseName}/${name}`;
  return {
    async save(artifacts: ModelArtifacts): Promise<SaveResult> {
      const manifest = artifacts.manifest as { weightsFile: string; checksum: { value: string } };
      // put() stores a structured clone, taken before it returns: later changes to the buffer do not reach the database.
      const record: ModelRecord = { kind: RECORD_KIND, manifest: JSON.stringify(manifest), weights: artifacts.weights, savedAt: new Date().toISOString() };
      await withStore(factory, databaseName, 'readwrite', `saveModel: cannot save to ${where}`, (store) => store.put(record, name));
      return { location: where, weightsFile: manifest.weightsFile, weightsByteLength: record.weights.byteLength, checksum: manifest.checksum.value };
    },
    async load(): Promise<LoadedArtifacts> {
      const value = await withStore(factory, databaseName, 'readonly', `loadModel: cannot read ${where}`, (store) => store.get(name));
      if (value === undefined) throw new ModelIOError(`loadModel: no model named ${JSON.stringify(name)} in the IndexedDB database ${JSON.stringify(databaseName)}`);
      const record = checkRecord(value, where);
      const manifestFile = `${where}/model.json`;
      return { manifest: parseJson(record.manifest, manifestFile), weights: record.weights, sources: { manifest: manifestFile, weights: `${where}/weights` } };
    },
  };
}

/** The models kept in the database, in key order, with when each was saved and its weights' size. */
export async function listIndexedDBModels(options: IndexedDBOptions = {}): Promise<IndexedDBModelInfo[]> {
  const { databaseName, factory } = resolveOptions('listIndexedDBModels', options);
  const where = `indexeddb://${databaseName}`;
  const found: IndexedDBModelInfo[] = [];
  await withStore(factory, databaseName, 'readonly', `listIndexedDBModels: cannot read ${where}`, (store) => {
    const keys = store.getAllKeys();
    // Read in the same transaction: a record added or removed meanwhile cannot split the list.
    keys.addEventListener('success', () => {
      for (const key of keys.result) {
        if (typeof key !== 'string') continue;
        const got = store.get(key);
        got.addEventListener('success', () => {
          const r = got.result as Partial<ModelRecord> | undefined;
          if (r?.kind !== RECORD_KIND || !(r.weights instanceof ArrayBuffer)) return;
          found.push({ name: key, savedAt: String(r.savedAt), weightsByteLength: r.weights.byteLength });
        });
      }
    });
    return keys;
  });
  return found;
}

/** Removes the model saved as `name`; true if there was one. */
export async function deleteIndexedDBModel(name: string, options: IndexedDBOptions = {}): Promise<boolean> {
  checkName('deleteIndexedDBModel', name);
  const { databaseName, factory } = resolveOptions('deleteIndexedDBModel', options);
  let existed = false;
  await withStore(factory, databaseName, 'readwrite', `deleteIndexedDBModel: cannot delete ${JSON.stringify(name)} from indexeddb://${databaseName}`, (store) => {
    const count = store.getAllKeys();
    count.addEventListener('success', () => {
      existed = count.result.includes(name);
      if (existed) store.delete(name);
    });
    return count;
  });
  return existed;
}

function checkName(where: string, name: unknown): asserts name is string {
  if (typeof name !== 'string' || name === '') throw new ModelIOError(`${where}: name must be a non-empty string, got ${describeValue(name)}`);
}

function resolveOptions(where: string, options: IndexedDBOptions): { databaseName: string; factory: IDBFactoryLike } {
  const o = checkOptions(where, options, OPTION_KEYS);
  const databaseName = o.databaseName ?? DEFAULT_MODEL_DATABASE;
  if (typeof databaseName !== 'string' || databaseName === '') {
    throw new ModelIOError(`${where}: databaseName must be a non-empty string, got ${describeValue(databaseName)}`);
  }
  const factory = o.indexedDB ?? (globalThis as { indexedDB?: IDBFactoryLike }).indexedDB;
  if (factory === undefined || factory === null || typeof factory.open !== 'function') {
    throw new ModelIOError(`${where}: IndexedDB is not available here (it needs a browser, or pass { indexedDB } from a package such as fake-indexeddb)`);
  }
  return { databaseName, factory };
}

/**
 * Opens the database (creating the store on first use), runs `work` in one transaction and
 * resolves with the result of the request it returns once the transaction has committed — not
 * when the request succeeds, which for a write is before it is durable.
 */
async function withStore(
  factory: IDBFactoryLike,
  databaseName: string,
  mode: 'readonly' | 'readwrite',
  failure: string,
  work: (store: IDBObjectStoreLike) => IDBRequestLike<unknown>,
): Promise<unknown> {
  const db = await openDatabase(factory, databaseName, failure);
  try {
    return await new Promise((resolve, reject) => {
      let tx: IDBTransactionLike;
      let request: IDBRequestLike<unknown>;
      try {
        tx = db.transaction(STORE, mode);
        request = work(tx.objectStore(STORE));
      } catch (error) {
        reject(new ModelIOError(`${failure}: ${messageOf(error)}`, { cause: error }));
        return;
      }
      tx.addEventListener('complete', () => resolve(request.result));
      // A failed request fails its transaction; `abort` also covers a quota exceeded at commit.
      const fail = () => reject(new ModelIOError(`${failure}: ${messageOf(tx.error ?? request.error)}`, { cause: tx.error ?? request.error }));
      tx.addEventListener('abort', fail);
      tx.addEventListener('error', fail);
    });
  } finally {
    db.close();
  }
}

function openDatabase(factory: IDBFactoryLike, databaseName: string, failure: string): Promise<IDBDatabaseLike> {
  return new Promise((resolve, reject) => {
    let request: IDBOpenRequestLike;
    try {
      request = factory.open(databaseName, 1);
    } catch (error) {
      reject(new ModelIOError(`${failure}: ${messageOf(error)}`, { cause: error }));
      return;
    }
    request.addEventListener('upgradeneeded', () => {
      if (!request.result.objectStoreNames.contains(STORE)) request.result.createObjectStore(STORE);
    });
    request.addEventListener('success', () => resolve(request.result));
    request.addEventListener('error', () => reject(new ModelIOError(`${failure}: ${messageOf(request.error)}`, { cause: request.error })));
    // Another tab holds an older version open; without this the promise would wait forever.
    request.addEventListener('blocked', () => reject(new ModelIOError(`${failure}: the database is open in another tab with an older version; close it and retry`)));
  });
}

function checkRecord(value: unknown, where: string): ModelRecord {
  const r = value as Partial<ModelRecord> | null;
  if (r === null || typeof r !== 'object' || r.kind !== RECORD_KIND) {
    throw new ModelFormatError(where, undefined, `not a model saved by indexedDBHandler (got ${describeValue(value)})`);
  }
  if (typeof r.manifest !== 'string') throw new ModelFormatError(where, 'manifest', `expected the manifest's JSON text, got ${describeValue(r.manifest)}`);
  if (!(r.weights instanceof ArrayBuffer)) throw new ModelFormatError(where, 'weights', `expected an ArrayBuffer, got ${describeValue(r.weights)}`);
  return r as ModelRecord;
}

function messageOf(error: unknown): string {
  if (error instanceof Error || (typeof error === 'object' && error !== null && 'message' in error)) {
    const e = error as { name?: string; message: string };
    return e.name !== undefined && e.name !== 'Error' ? `${e.name}: ${e.message}` : e.message;
  }
  return error === null || error === undefined ? 'unknown error' : String(error);
}
