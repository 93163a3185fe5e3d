/**
 * `@scratchnet/model/node`: saving to and loading from the file system. Node-only (it imports
 * `node:fs`), which is why it is a separate entry: the main entry stays browser-safe.
 */
import type { Sequential } from './sequential.js';
import { fileSystemHandler, type FileSystemHandlerOptions } from './node/file-system-handler.js';
import type { LoadHandler, SaveHandler, SaveResult } from './io/handler.js';
import type { LoadedModel } from './io/model-artifacts.js';
import {
  loadModel as loadFromHandler,
  loadModelAndOptimizer as loadBothFromHandler,
  saveModel as saveToHandler,
  type LoadOptions,
  type SaveOptions,
} from './io/save-load.js';

export {
  fileSystemHandler,
  MANIFEST_FILE,
  type FileHandleLike,
  type FileSystemHandlerOptions,
  type FileSystemLike,
} from './node/file-system-handler.js';

/** `saveModel` that also takes a directory: `saveModel(model, 'models/mnist')`. */
export function saveModel(model: Sequential, target: string | SaveHandler, options: SaveOptions = {}): Promise<SaveResult> {
  return saveToHandler(model, typeof target === 'string' ? fileSystemHandler(target) : target, options);
}

/** `loadModel` that also takes a directory: `await loadModel('models/mnist')`. */
export function loadModel(source: string | LoadHandler, options: LoadOptions & Pick<FileSystemHandlerOptions, 'maxManifestBytes'> = {}): Promise<Sequential> {
  return loadFromHandler(typeof source === 'string' ? fileSystemHandler(source, options) : source, options);
}

/** `loadModelAndOptimizer` that also takes a directory. */
export function loadModelAndOptimizer(
  source: string | LoadHandler,
  options: LoadOptions & Pick<FileSystemHandlerOptions, 'maxManifestBytes'> = {},
): Promise<LoadedModel> {
  return loadBothFromHandler(typeof source === 'string' ? fileSystemHandler(source, options) : source, options);
}
