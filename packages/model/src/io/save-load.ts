import { ValueError } from '@scratchnet/tensor';
import { checkBoolean, checkOptions } from '../options.js';
import type { Sequential } from '../sequential.js';
import type { LoadHandler, SaveHandler, SaveResult } from './handler.js';
import { checkLimits, type ManifestLimits } from './manifest.js';
import { modelFromArtifacts, modelToArtifacts, type LoadedModel } from './model-artifacts.js';

export interface SaveOptions {
  /**
   * Save the compiled optimizer's configuration and state (step count, moments) with the model,
   * so `fit` can resume exactly where it stopped. True by default; ignored when not compiled.
   */
  includeOptimizer?: boolean;
}

export type LoadOptions = ManifestLimits;

/**
 * Saves `model` through `handler`: `memoryHandler()` anywhere, or `fileSystemHandler(dir)` from
 * `@scratchnet/model/node` (which also accepts a directory path directly).
 */
export async function saveModel(model: Sequential, handler: SaveHandler, options: SaveOptions = {}): Promise<SaveResult> {
  if (typeof handler === 'string') {
    throw new ValueError(
      `saveModel: got the path ${JSON.stringify(handler)}; files need Node: use saveModel(model, ${JSON.stringify(handler)}) or fileSystemHandler(${JSON.stringify(handler)}) from '@scratchnet/model/node'`,
    );
  }
  if (handler === null || typeof handler !== 'object' || typeof handler.save !== 'function') {
    throw new ValueError('saveModel: handler must have a save(artifacts) method (memoryHandler(), or fileSystemHandler(dir) from @scratchnet/model/node)');
  }
  const o = checkOptions('saveModel', options, ['includeOptimizer']);
  if (o.includeOptimizer !== undefined) checkBoolean('saveModel', 'includeOptimizer', o.includeOptimizer);
  const optimizer = o.includeOptimizer === false ? undefined : model.optimizer;
  return handler.save(modelToArtifacts(model, optimizer === undefined ? {} : { optimizer }));
}

/**
 * Loads a model saved with `saveModel`, fully validated; resolves to a Sequential ready for
 * `predict`. To resume training, use `loadModelAndOptimizer` and compile with its optimizer.
 */
export async function loadModel(handler: LoadHandler, options: LoadOptions = {}): Promise<Sequential> {
  return (await loadModelAndOptimizer(handler, options)).model;
}

/**
 * Like `loadModel`, also rebuilding the saved optimizer with its state (undefined when none was
 * saved): `model.compile({ optimizer, loss })` and `fit` continues exactly where it stopped.
 */
export async function loadModelAndOptimizer(handler: LoadHandler, options: LoadOptions = {}): Promise<LoadedModel> {
  if (typeof handler === 'string') {
    throw new ValueError(
      `loadModel: got the path ${JSON.stringify(handler)}; files need Node: use loadModel(${JSON.stringify(handler)}) or fileSystemHandler(${JSON.stringify(handler)}) from '@scratchnet/model/node'`,
    );
  }
  if (handler === null || typeof handler !== 'object' || typeof handler.load !== 'function') {
    throw new ValueError('loadModel: handler must have a load() method (memoryHandler(artifacts), or fileSystemHandler(dir) from @scratchnet/model/node)');
  }
  // Checked before the handler reads anything: a limit of "abc" or NaN would disable itself.
  const limits = checkLimits('loadModel', options);
  return modelFromArtifacts(await handler.load(), limits);
}
