import { ValueError } from '@scratchnet/tensor';
import { describeValue } from '../options.js';
import { Adam, type AdamOptions } from './adam.js';
import { AdamW } from './adamw.js';
import { Optimizer, type OptimizerConfig } from './optimizer.js';
import { RMSprop, type RMSpropOptions } from './rmsprop.js';
import { SGD, type SGDOptions } from './sgd.js';

/** Names `compile` accepts for a built-in optimizer with default settings. */
export type OptimizerName = 'sgd' | 'adam' | 'adamw' | 'rmsprop';

export const OPTIMIZER_NAMES: readonly OptimizerName[] = ['sgd', 'adam', 'adamw', 'rmsprop'];

/** Makes an optimizer from a config as its `getConfig()` returned it (`{}` for the defaults). */
export type OptimizerFactory = (config: OptimizerConfig | Record<string, never>) => Optimizer;

interface Entry {
  /** The class name the optimizer reports (`Adam`), as saved in a manifest. */
  className: string;
  factory: OptimizerFactory;
}

/**
 * Optimizers `getOptimizer` knows, keyed by lower-cased class name (so `'adam'` and `'Adam'` are
 * one): the built-ins, then what `registerOptimizer` added. A module-level table, as for layers.
 */
const entries = new Map<string, Entry>([
  ['sgd', { className: 'SGD', factory: (c) => new SGD(c as SGDOptions) }],
  ['adam', { className: 'Adam', factory: (c) => new Adam(c as AdamOptions) }],
  ['adamw', { className: 'AdamW', factory: (c) => new AdamW(c as AdamOptions) }],
  ['rmsprop', { className: 'RMSprop', factory: (c) => new RMSprop(c as RMSpropOptions) }],
]);

/**
 * An optimizer from an instance (returned as is), a name (`'adam'`) or a class name with its
 * `getConfig()` (`getOptimizer('Adam', { learningRate: 0.01 })`). Names are case-insensitive.
 */
export function getOptimizer(identifier: Optimizer | string, config: object = {}): Optimizer {
  if (identifier instanceof Optimizer) return identifier;
  const entry = typeof identifier === 'string' ? entries.get(identifier.toLowerCase()) : undefined;
  if (entry === undefined) {
    const known = [...OPTIMIZER_NAMES, ...[...entries.values()].slice(OPTIMIZER_NAMES.length).map((e) => e.className)];
    throw new ValueError(`optimizer must be an Optimizer or one of ${known.map((n) => JSON.stringify(n)).join(', ')}, got ${describeValue(identifier)}`);
  }
  const optimizer = entry.factory(config as OptimizerConfig);
  if (!(optimizer instanceof Optimizer)) {
    throw new ValueError(`getOptimizer: the factory registered for ${entry.className} returned ${describeValue(optimizer)}, not an Optimizer`);
  }
  return optimizer;
}

/**
 * Teaches `getOptimizer` — and so `compile({ optimizer: name })` and loading a saved model with
 * its optimizer — an optimizer class of your own, under its `className` (case-insensitive).
 * Registering a name twice is an error unless `replace` is set, so a typo cannot shadow `Adam`.
 */
export function registerOptimizer(className: string, factory: OptimizerFactory, options: { replace?: boolean } = {}): void {
  if (typeof className !== 'string' || className === '') {
    throw new ValueError(`registerOptimizer: className must be a non-empty string, got ${describeValue(className)}`);
  }
  if (typeof factory !== 'function') throw new ValueError(`registerOptimizer: factory for ${className} must be a function, got ${describeValue(factory)}`);
  const key = className.toLowerCase();
  const existing = entries.get(key);
  if (existing !== undefined && options.replace !== true) {
    throw new ValueError(`registerOptimizer: ${existing.className} is already registered; pass { replace: true } to replace it`);
  }
  entries.set(key, { className, factory });
}

/** Class names `getOptimizer` accepts, built-ins first. */
export function registeredOptimizerClasses(): string[] {
  return [...entries.values()].map((e) => e.className);
}
