import { ValueError } from '@scratchnet/tensor';
import type { Sequential } from '../sequential.js';
import type { LoadHandler } from './handler.js';
import { checkLimits, type ManifestLimits } from './manifest.js';
import { modelFromArtifacts, type LoadedModel } from './model-artifacts.js';

// Saving lives in its own module, which Sequential imports (loading imports Sequential).
export { saveModel, type SaveOptions } from './save-model.js';

export type LoadOptions = ManifestLimits;

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
