import { ValueError } from '@scratchnet/tensor';
import { describeValue } from '../options.js';
import { Adam, type AdamOptions } from './adam.js';
import { AdamW } from './adamw.js';
import { Optimizer } from './optimizer.js';
import { RMSprop, type RMSpropOptions } from './rmsprop.js';
import { SGD, type SGDOptions } from './sgd.js';

/** Names `compile` accepts for an optimizer with default settings. */
export type OptimizerName = 'sgd' | 'adam' | 'adamw' | 'rmsprop';

export const OPTIMIZER_NAMES: readonly OptimizerName[] = ['sgd', 'adam', 'adamw', 'rmsprop'];

const FACTORIES: Record<string, (config: object) => Optimizer> = {
  sgd: (c) => new SGD(c as SGDOptions),
  adam: (c) => new Adam(c as AdamOptions),
  adamw: (c) => new AdamW(c as AdamOptions),
  rmsprop: (c) => new RMSprop(c as RMSpropOptions),
};

/**
 * An optimizer from an instance (returned as is), a name (`'adam'`) or a class name with its
 * `getConfig()` (`getOptimizer('Adam', { learningRate: 0.01 })`). Names are case-insensitive.
 */
export function getOptimizer(identifier: Optimizer | string, config: object = {}): Optimizer {
  if (identifier instanceof Optimizer) return identifier;
  const factory = typeof identifier === 'string' ? FACTORIES[identifier.toLowerCase()] : undefined;
  if (factory === undefined) {
    throw new ValueError(
      `optimizer must be an Optimizer or one of ${OPTIMIZER_NAMES.map((n) => JSON.stringify(n)).join(', ')}, got ${describeValue(identifier)}`,
    );
  }
  return factory(config);
}
