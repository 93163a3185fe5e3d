import { ACTIVATION_OPS, activationSpec, unarySpec, type UnaryParams } from '@scratchnet/backend';
import { Rng, ValueError } from '@scratchnet/tensor';
import { ACTIVATION_LAYERS } from './activations/activation-layers.js';
import { Softmax } from './activations/softmax.js';
import { Dense, type DenseOptions } from './dense.js';
import { Dropout } from './dropout.js';
import { Flatten } from './flatten.js';
import { AveragePooling2D } from './average-pooling2d.js';
import { BatchNormalization, type BatchNormalizationLayerOptions } from './batch-normalization.js';
import { Conv2D, type Conv2DOptions } from './conv2d.js';
import { GlobalAveragePooling2D } from './global-average-pooling2d.js';
import { MaxPooling2D } from './max-pooling2d.js';
import type { Pooling2DOptions } from './pooling2d.js';
import { Reshape } from './reshape.js';
import { Layer, type LayerConfig, type LayerOptions } from './layer.js';

/** Rebuilds a layer from what its `getConfig()` returned. */
export type LayerFactory = (config: LayerConfig) => Layer;

/**
 * Layer classes `layerFromConfig` knows, by the `className` they write. A module-level table, not
 * a global: the built-ins are always here and `registerLayer` adds to this copy of the package
 * only — nothing registers itself as a side effect of importing a module.
 */
const factories = new Map<string, LayerFactory>();

/**
 * Builds a `className` layer from `config` (as `layer.getConfig()` returned it and a manifest
 * stored it). The config is untrusted: only its own keys are read, every key must be one the
 * layer writes, and each value is checked. Unknown classes and keys are ValueErrors naming them.
 */
export function layerFromConfig(className: string, config: unknown): Layer {
  if (typeof className !== 'string' || !factories.has(className)) {
    throw new ValueError(
      `layerFromConfig: unknown layer class ${JSON.stringify(className)}; known classes are ${[...factories.keys()].join(', ')} ` +
        `(register others with registerLayer)`,
    );
  }
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new ValueError(`layerFromConfig: ${className} config must be an object, got ${describe(config)}`);
  }
  const name = ownValue(config, 'name');
  if (typeof name !== 'string' || name === '') {
    throw new ValueError(`layerFromConfig: ${className} config.name must be a non-empty string, got ${describe(name)}`);
  }
  const layer = factories.get(className)!(config as LayerConfig);
  if (!(layer instanceof Layer) || layer.className !== className) {
    throw new ValueError(
      `layerFromConfig: the factory registered for ${className} returned ${layer instanceof Layer ? `a ${layer.className}` : describe(layer)}`,
    );
  }
  return layer;
}

/**
 * Teaches `layerFromConfig` (and so model loading) a layer class of your own. Registering a name
 * twice is an error unless `replace` is set, so a typo cannot silently shadow `Dense`.
 */
export function registerLayer(className: string, factory: LayerFactory, options: { replace?: boolean } = {}): void {
  if (typeof className !== 'string' || className === '') {
    throw new ValueError(`registerLayer: className must be a non-empty string, got ${describe(className)}`);
  }
  if (typeof factory !== 'function') {
    throw new ValueError(`registerLayer: factory for ${className} must be a function, got ${describe(factory)}`);
  }
  if (factories.has(className) && options.replace !== true) {
    throw new ValueError(`registerLayer: ${className} is already registered; pass { replace: true } to replace it`);
  }
  factories.set(className, factory);
}

/** Class names `layerFromConfig` accepts, built-ins first. */
export function registeredLayerClasses(): string[] {
  return [...factories.keys()];
}

/**
 * The config restricted to `keys` (each must be present unless listed in `optional`), as a
 * null-prototype record so no inherited or injected property is ever read.
 */
export function pickConfig(
  className: string,
  config: LayerConfig,
  keys: readonly string[],
  optional: readonly string[] = [],
): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(config)) {
    if (!keys.includes(key)) {
      throw new ValueError(`layerFromConfig: ${className} config has unknown key ${JSON.stringify(key)}; expected ${keys.join(', ')}`);
    }
    out[key] = config[key];
  }
  for (const key of keys) {
    if (!(key in out) && !optional.includes(key)) {
      throw new ValueError(`layerFromConfig: ${className} config is missing ${JSON.stringify(key)}`);
    }
  }
  return out;
}

function ownValue(object: object, key: string): unknown {
  return Object.hasOwn(object, key) ? (object as Record<string, unknown>)[key] : undefined;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value;
}

function checkBoolean(className: string, key: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new ValueError(`layerFromConfig: ${className} config.${key} must be true or false, got ${describe(value)}`);
  return value;
}

const DENSE_KEYS = ['name', 'units', 'inputSize', 'activation', 'useBias', 'kernelInitializer', 'biasInitializer', 'dtype'];

function denseFromConfig(config: LayerConfig): Dense {
  const c = pickConfig('Dense', config, DENSE_KEYS, ['inputSize', 'activation', 'useBias', 'kernelInitializer', 'biasInitializer', 'dtype']);
  const options: DenseOptions = {
    name: c.name as string,
    units: c.units as number,
    // The initializers run once when an input size is known; a loader overwrites what they drew.
    // A private Rng keeps that draw from advancing the global one, so loading is side-effect free.
    rng: new Rng(0),
  };
  if (c.inputSize !== undefined && c.inputSize !== null) options.inputSize = c.inputSize as number;
  if (c.activation !== undefined) options.activation = c.activation as DenseOptions['activation'];
  if (c.useBias !== undefined) options.useBias = checkBoolean('Dense', 'useBias', c.useBias);
  if (c.kernelInitializer !== undefined) options.kernelInitializer = c.kernelInitializer as DenseOptions['kernelInitializer'];
  if (c.biasInitializer !== undefined) options.biasInitializer = c.biasInitializer as DenseOptions['biasInitializer'];
  if (c.dtype !== undefined) options.dtype = c.dtype as DenseOptions['dtype'];
  // Dense validates units, inputSize, activation, initializers and dtype itself.
  return new Dense(options);
}

factories.set('Dense', denseFromConfig);
// Every elementwise activation layer of the spec, its config keys being the op's parameters.
for (const op of ACTIVATION_OPS) {
  const className = activationSpec(op).layerClass;
  const params = Object.keys(unarySpec(op).params);
  factories.set(className, (config) => {
    const c = pickConfig(className, config, ['name', ...params], params);
    return new ACTIVATION_LAYERS[op](c as LayerOptions & UnaryParams);
  });
}
factories.set('Softmax', (config) => new Softmax({ name: pickConfig('Softmax', config, ['name']).name as string }));
factories.set('Flatten', (config) => new Flatten({ name: pickConfig('Flatten', config, ['name']).name as string }));
factories.set('Dropout', (config) => {
  const c = pickConfig('Dropout', config, ['name', 'rate', 'seed'], ['seed']);
  // A seeded Dropout restarts its mask stream from the seed; an unseeded one uses the global Rng.
  return new Dropout({ name: c.name as string, rate: c.rate as number, ...(c.seed !== undefined && c.seed !== null ? { seed: c.seed as number } : {}) });
});

/**
 * The config's keys as constructor options, each value as it is (the constructor checks it);
 * `inputShape: null` (written by an unbuilt layer) means none.
 */
function present<T>(c: Record<string, unknown>, keys: readonly string[]): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (c[key] !== undefined && !(key === 'inputShape' && c[key] === null)) out[key] = c[key];
  return out as Partial<T>;
}

const CONV2D_KEYS = [
  'name',
  'filters',
  'kernelSize',
  'strides',
  'padding',
  'dilationRate',
  'activation',
  'useBias',
  'kernelInitializer',
  'biasInitializer',
  'dtype',
  'inputShape',
];
factories.set('Conv2D', (config) => {
  const c = pickConfig('Conv2D', config, CONV2D_KEYS, CONV2D_KEYS.filter((k) => k !== 'name' && k !== 'filters' && k !== 'kernelSize'));
  // As for Dense: a private Rng, so that the initializers' draw (overwritten by a loader) leaves the global one alone.
  return new Conv2D({ ...present<Conv2DOptions>(c, CONV2D_KEYS), name: c.name as string, filters: c.filters as number, kernelSize: c.kernelSize as number, rng: new Rng(0) });
});

const POOLING_KEYS = ['name', 'poolSize', 'strides', 'padding'];
for (const [className, Pooling] of [
  ['MaxPooling2D', MaxPooling2D],
  ['AveragePooling2D', AveragePooling2D],
] as const) {
  factories.set(className, (config) => {
    const c = pickConfig(className, config, POOLING_KEYS, POOLING_KEYS.slice(1));
    return new Pooling({ ...present<Pooling2DOptions>(c, POOLING_KEYS), name: c.name as string });
  });
}
factories.set('GlobalAveragePooling2D', (config) => new GlobalAveragePooling2D({ name: pickConfig('GlobalAveragePooling2D', config, ['name']).name as string }));
factories.set('Reshape', (config) => {
  const c = pickConfig('Reshape', config, ['name', 'targetShape']);
  return new Reshape({ name: c.name as string, targetShape: c.targetShape as number[] });
});

const BATCH_NORMALIZATION_KEYS = [
  'name',
  'axis',
  'momentum',
  'epsilon',
  'center',
  'scale',
  'betaInitializer',
  'gammaInitializer',
  'movingMeanInitializer',
  'movingVarianceInitializer',
  'dtype',
  'inputShape',
];
factories.set('BatchNormalization', (config) => {
  const c = pickConfig('BatchNormalization', config, BATCH_NORMALIZATION_KEYS, BATCH_NORMALIZATION_KEYS.slice(1));
  return new BatchNormalization({ ...present<BatchNormalizationLayerOptions>(c, BATCH_NORMALIZATION_KEYS), name: c.name as string });
});
