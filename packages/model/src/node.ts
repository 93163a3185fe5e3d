/**
 * `@scratchnet/model/node`: saving to and loading from the file system. Node-only (it imports
 * `node:fs`), which is why it is a separate entry: the main entry stays browser-safe.
 */
import { ValueError } from '@scratchnet/tensor';
import type { Sequential } from './sequential.js';
import { checkByteLimit } from './io/manifest.js';
import { fileSystemHandler, type FileSystemHandlerOptions } from './node/file-system-handler.js';
import { checkOptions } from './options.js';
import type { LoadHandler, SaveHandler, SaveResult } from './io/handler.js';
import type { LoadedModel } from './io/model-artifacts.js';
import {
  loadModelAndOptimizer as loadBothFromHandler,
  saveModel as saveToHandler,
  type LoadOptions,
  type SaveOptions,
} from './io/save-load.js';

export {
  fileSystemHandler,
  checkSaveDirectory,
  MANIFEST_FILE,
  type FileHandleLike,
  type FileKind,
  type FileSystemHandlerOptions,
  type FileSystemLike,
} from './node/file-system-handler.js';

type NodeLoadOptions = LoadOptions & Pick<FileSystemHandlerOptions, 'maxManifestBytes'>;

/** `saveModel` that also takes a directory: `saveModel(model, 'models/mnist')`. */
export function saveModel(model: Sequential, target: string | SaveHandler, options: SaveOptions = {}): Promise<SaveResult> {
  return saveToHandler(model, typeof target === 'string' ? fileSystemHandler(target) : target, options);
}

/** `loadModel` that also takes a directory: `await loadModel('models/mnist')`. */
export async function loadModel(source: string | LoadHandler, options: NodeLoadOptions = {}): Promise<Sequential> {
  return (await loadModelAndOptimizer(source, options)).model;
}

/** `loadModelAndOptimizer` that also takes a directory. */
export async function loadModelAndOptimizer(source: string | LoadHandler, options: NodeLoadOptions = {}): Promise<LoadedModel> {
  const { maxWeightsBytes, maxManifestBytes } = checkOptions('loadModel', options, ['maxWeightsBytes', 'maxManifestBytes']);
  if (maxWeightsBytes !== undefined) checkByteLimit('loadModel', 'maxWeightsBytes', maxWeightsBytes);
  if (maxManifestBytes !== undefined) checkByteLimit('loadModel', 'maxManifestBytes', maxManifestBytes);
  const limits = maxWeightsBytes === undefined ? {} : { maxWeightsBytes };
  if (typeof source !== 'string') {
    if (maxManifestBytes !== undefined) {
      throw new ValueError('loadModel: maxManifestBytes applies to a directory path; give it to the handler instead (fileSystemHandler(dir, { maxManifestBytes }))');
    }
    return loadBothFromHandler(source, limits);
  }
  return loadBothFromHandler(fileSystemHandler(source, { ...limits, ...(maxManifestBytes === undefined ? {} : { maxManifestBytes }) }), limits);
}
