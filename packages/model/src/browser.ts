/**
 * `@scratchnet/model/browser`: saving and loading models in a browser — in IndexedDB
 * (`indexedDBHandler`), as two downloaded files (`browserDownloads`), and from files the user
 * chose (`browserFiles`). Use them with `saveModel` / `loadModel` from `@scratchnet/model`.
 * Isomorphic to import (no `node:` import, no DOM types needed); the defaults use the page's
 * `indexedDB` and `document`, each replaceable by an option.
 */
export {
  indexedDBHandler,
  listIndexedDBModels,
  deleteIndexedDBModel,
  DEFAULT_MODEL_DATABASE,
  type IndexedDBOptions,
  type IndexedDBModelInfo,
  type IDBFactoryLike,
  type IDBOpenRequestLike,
  type IDBRequestLike,
  type IDBDatabaseLike,
  type IDBTransactionLike,
  type IDBObjectStoreLike,
} from './browser/indexeddb-handler.js';
export { browserDownloads, type BrowserDownloadsOptions, type DownloadFile } from './browser/browser-downloads.js';
export { browserFiles, type BrowserFilesOptions, type FileLike } from './browser/browser-files.js';
