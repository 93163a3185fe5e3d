import { ValueError } from '@scratchnet/tensor';
import { checkBoolean, checkOptions } from '../options.js';
import type { Sequential } from '../sequential.js';
import type { SaveHandler, SaveResult } from './handler.js';
import { modelToArtifacts } from './model-to-artifacts.js';

export interface SaveOptions {
  /**
   * Save the compiled optimizer's configuration and state (step count, moments) with the model,
   * so `fit` can resume exactly where it stopped. True by default; ignored when not compiled.
   */
  includeOptimizer?: boolean;
}

/**
 * Saves `model` through `handler`: `memoryHandler()` anywhere, or `fileSystemHandler(dir)` from
 * `@scratchnet/model/node` (which also accepts a directory path directly). Refuses, before
 * writing anything, a model that loading could not rebuild (see `modelToArtifacts`).
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
