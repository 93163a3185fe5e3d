import { ValueError } from '@scratchnet/tensor';
import { binaryCrossentropy } from './binary-crossentropy.js';
import { categoricalCrossentropy } from './categorical-crossentropy.js';
import { LOSS_INPUTS, type Loss, type LossName } from './loss.js';
import { meanSquaredError } from './mean-squared-error.js';
import { softmaxCrossentropy } from './softmax-crossentropy.js';
import { sparseCategoricalCrossentropy } from './sparse-categorical-crossentropy.js';
import { sparseSoftmaxCrossentropy } from './sparse-softmax-crossentropy.js';

/** Makes a new instance of a loss (each instance keeps its own scratch buffers). */
export type LossFactory = () => Loss;

const BUILT_IN: Record<LossName, LossFactory> = {
  categoricalCrossentropy,
  sparseCategoricalCrossentropy,
  softmaxCrossentropy,
  sparseSoftmaxCrossentropy,
  binaryCrossentropy,
  meanSquaredError,
};

/** The built-in losses' names. */
export const LOSS_NAMES = Object.keys(BUILT_IN) as LossName[];

/**
 * Losses `getLoss` knows, by name: the built-ins, then what `registerLoss` added. A module-level
 * table (nothing registers itself as a side effect of an import), as for layers.
 */
const factories = new Map<string, LossFactory>(Object.entries(BUILT_IN));

/**
 * A new instance of the loss called `name` (each instance keeps its own scratch buffers);
 * a ValueError listing the choices otherwise.
 */
export function getLoss(name: LossName | (string & {})): Loss {
  const factory = typeof name === 'string' ? factories.get(name) : undefined;
  if (factory === undefined) {
    throw new ValueError(`getLoss: unknown loss ${JSON.stringify(name)}; expected one of ${[...factories.keys()].join(', ')}`);
  }
  const loss = factory();
  checkLoss(`getLoss: the factory registered for ${name}`, loss);
  if (loss.name !== name) throw new ValueError(`getLoss: the factory registered for ${name} returned a loss named ${JSON.stringify(loss.name)}`);
  return loss;
}

/**
 * Teaches `getLoss` (and so `compile({ loss: name })`) a loss of your own. Registering a name
 * twice is an error unless `replace` is set, so a typo cannot silently shadow a built-in.
 */
export function registerLoss(name: string, factory: LossFactory, options: { replace?: boolean } = {}): void {
  if (typeof name !== 'string' || name === '') throw new ValueError(`registerLoss: name must be a non-empty string, got ${describe(name)}`);
  if (typeof factory !== 'function') throw new ValueError(`registerLoss: factory for ${name} must be a function, got ${describe(factory)}`);
  if (factories.has(name) && options.replace !== true) {
    throw new ValueError(`registerLoss: ${name} is already registered; pass { replace: true } to replace it`);
  }
  factories.set(name, factory);
}

/** Names `getLoss` accepts, built-ins first. */
export function registeredLossNames(): string[] {
  return [...factories.keys()];
}

/**
 * Checks that `value` is a Loss — `name`, `expects` (one of `LOSS_INPUTS`), `compute` and
 * `check` — and returns it; a ValueError starting with `where` otherwise.
 */
export function checkLoss(where: string, value: unknown): Loss {
  const l = value as Partial<Loss> | null;
  if (l === null || typeof l !== 'object' || typeof l.compute !== 'function' || typeof l.check !== 'function' || typeof l.name !== 'string' || l.name === '') {
    throw new ValueError(`${where}: expected a Loss (with name, expects, compute and check), got ${describe(value)}`);
  }
  if (!(LOSS_INPUTS as readonly unknown[]).includes(l.expects)) {
    throw new ValueError(`${where}: loss ${JSON.stringify(l.name)} has expects ${describe(l.expects)}; expected one of ${LOSS_INPUTS.join(', ')}`);
  }
  if (l.fromLogits !== undefined && typeof l.fromLogits !== 'function') {
    throw new ValueError(`${where}: loss ${JSON.stringify(l.name)} has a fromLogits that is not a function`);
  }
  return l as Loss;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value;
}
