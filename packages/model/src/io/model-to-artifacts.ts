import { registeredLayerClasses, type Layer, type Param } from '@scratchnet/layers';
import { ValueError, bytesPerElement, type Tensor } from '@scratchnet/tensor';
import { getOptimizer, registeredOptimizerClasses } from '../optimizers/optimizer-registry.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import type { Sequential } from '../sequential.js';
import { ArchitectureError, layersFromArchitecture } from './architecture.js';
import { crc32Hex } from './crc32.js';
import type { ModelArtifacts } from './handler.js';
import { FORMAT_VERSION, MODEL_FORMAT, formatDims, type LayerSpec, type ModelManifest, type SlotSpec, type WeightSpec } from './manifest.js';
import { encodeInto } from './weights-codec.js';

/** The weights file name in artifacts before a handler picks its own (the file-system one versions it). */
export const DEFAULT_WEIGHTS_FILE = 'weights.bin';

export interface ToArtifactsOptions {
  /** Optimizer whose configuration and state (step, slots) are saved too, so training can resume. */
  optimizer?: Optimizer;
}

/**
 * The manifest and weights bytes of `model` (and of `options.optimizer`'s state): every
 * parameter, trainable or not (`namedWeights`), then every optimizer slot, packed little-endian
 * in that order, with a CRC-32 of the whole. Reads the model only.
 *
 * A save that cannot be loaded back is the worst outcome, so first this rebuilds what loading
 * would — every layer from its saved config, the optimizer from its class name and config — and
 * refuses, with a ValueError naming the class, anything that would not come back the same: an
 * unregistered class, a class whose `className` belongs to another (a subclass that kept its
 * parent's), a config that does not rebuild the layer, parameters loading could not recreate.
 */
export function modelToArtifacts(model: Sequential, options: ToArtifactsOptions = {}): ModelArtifacts {
  // Through JSON text, as a manifest stores them (a config that is not plain JSON fails here).
  const architecture = JSON.parse(JSON.stringify(model.layers.map((layer) => ({ className: layer.className, config: layer.getConfig() })))) as LayerSpec[];
  const params = model.namedWeights();
  checkLayersLoadBack(model.layers, architecture, params.map((p) => p.key));
  if (options.optimizer !== undefined) checkOptimizerLoadsBack(options.optimizer);

  const tensors: { spec: Omit<WeightSpec, 'byteOffset' | 'byteLength'> | Omit<SlotSpec, 'byteOffset' | 'byteLength'>; value: Tensor }[] = [];
  for (const { key, param } of params) {
    tensors.push({ spec: { name: key, dtype: param.value.dtype, shape: [...param.value.shape] }, value: param.value });
  }
  let optimizerPart: { className: string; config: Record<string, number | boolean>; step: number } | undefined;
  if (options.optimizer !== undefined) {
    const { optimizer } = options;
    const state = optimizer.getState();
    for (const [param, slots] of Object.entries(state.slots)) {
      for (const slot of optimizer.slotNames) {
        const value = slots[slot]!;
        tensors.push({ spec: { param, slot, dtype: value.dtype, shape: [...value.shape] }, value });
      }
    }
    optimizerPart = { className: optimizer.className, config: { ...optimizer.getConfig() }, step: state.step };
  }

  let total = 0;
  const placed = tensors.map(({ spec, value }) => {
    const byteLength = value.size * bytesPerElement(value.dtype);
    const full = { ...spec, byteOffset: total, byteLength };
    total += byteLength;
    return { spec: full, value };
  });
  const weights = new ArrayBuffer(total);
  const bytes = new Uint8Array(weights);
  for (const { spec, value } of placed) encodeInto(bytes, spec.byteOffset, value.data);

  const manifest: ModelManifest = {
    format: MODEL_FORMAT,
    formatVersion: FORMAT_VERSION,
    generatedBy: '@scratchnet/model',
    name: model.name,
    architecture,
    weightsFile: DEFAULT_WEIGHTS_FILE,
    weightsByteLength: total,
    checksum: { algorithm: 'crc32', value: crc32Hex(bytes) },
    weights: placed.filter((p) => 'name' in p.spec).map((p) => p.spec as WeightSpec),
  };
  if (optimizerPart !== undefined) {
    manifest.optimizer = { ...optimizerPart, slots: placed.filter((p) => 'slot' in p.spec).map((p) => p.spec as SlotSpec) };
  }
  return { manifest: JSON.parse(JSON.stringify(manifest)) as unknown, weights };
}

/** Rebuilds the layers as loading will, and compares each with the original. */
function checkLayersLoadBack(layers: readonly Layer[], architecture: readonly LayerSpec[], paramKeys: readonly string[]): void {
  let rebuilt: Layer[];
  try {
    rebuilt = layersFromArchitecture(architecture, paramKeys);
  } catch (error) {
    if (!(error instanceof ArchitectureError)) throw error;
    const layer = layers[error.index]!;
    const { className, name } = layer;
    if (error.field === 'className' && !registeredLayerClasses().includes(className)) {
      throw new ValueError(
        `saveModel: layer '${name}' is a ${className}, which loading cannot rebuild; register it first with registerLayer('${className}', config => new ${className}(config))`,
      );
    }
    throw new ValueError(`saveModel: layer '${name}' (${className}) would not load back: ${error.message.replace(/^layerFromConfig: /, '')}`);
  }
  layers.forEach((layer, i) => {
    const copy = rebuilt[i]!;
    const what = `saveModel: layer '${layer.name}' (${layer.className})`;
    if (Object.getPrototypeOf(copy) !== Object.getPrototypeOf(layer)) {
      throw new ValueError(
        `${what} is a ${layer.constructor.name}, but loading would rebuild a ${copy.constructor.name} from className '${layer.className}'; ` +
          `give ${layer.constructor.name} a className of its own and register it with registerLayer`,
      );
    }
    const saved = canonicalJson(architecture[i]!.config);
    const loaded = canonicalJson(copy.getConfig());
    if (saved !== loaded) throw new ValueError(`${what} does not rebuild from its config: saved ${saved}, loading would give ${loaded}`);
    const describeParam = (p: Param) => `${p.name} ${p.value.dtype} ${formatDims(p.value.shape)}${p.trainable ? '' : ' (non-trainable)'}`;
    const mine = layer.allParams().map(describeParam);
    const theirs = copy.allParams().map(describeParam);
    if (mine.join('; ') !== theirs.join('; ')) {
      throw new ValueError(
        `${what} has parameters [${mine.join('; ')}] but loading would give it [${theirs.join('; ')}]` +
          (theirs.length === 0 && !copy.built ? '; its config must say its input shape (as Dense writes inputSize), or an earlier layer must' : ''),
      );
    }
  });
}

/** Rebuilds the optimizer as loading will (class name and config), and compares. */
function checkOptimizerLoadsBack(optimizer: Optimizer): void {
  const { className } = optimizer;
  const config = JSON.parse(JSON.stringify(optimizer.getConfig())) as Record<string, number | boolean>;
  let copy: Optimizer;
  try {
    copy = getOptimizer(className, config);
  } catch (error) {
    if (!registeredOptimizerClasses().some((c) => c.toLowerCase() === className.toLowerCase())) {
      throw new ValueError(
        `saveModel: the optimizer is a ${className}, which loading cannot rebuild; register it first with registerOptimizer('${className}', config => new ${className}(config)), or save with { includeOptimizer: false }`,
      );
    }
    throw new ValueError(`saveModel: the optimizer ${className} would not load back from its config: ${(error as Error).message}`);
  }
  const what = `saveModel: the optimizer ${className}`;
  if (Object.getPrototypeOf(copy) !== Object.getPrototypeOf(optimizer) || copy.className !== className) {
    throw new ValueError(
      `${what} is a ${optimizer.constructor.name}, but loading would rebuild a ${copy.constructor.name} (${copy.className}) from className '${className}'; ` +
        `give ${optimizer.constructor.name} a className of its own and register it with registerOptimizer`,
    );
  }
  const saved = canonicalJson(config);
  const loaded = canonicalJson(copy.getConfig());
  if (saved !== loaded) throw new ValueError(`${what} does not rebuild from its config: saved ${saved}, loading would give ${loaded}`);
  if (copy.slotNames.join() !== optimizer.slotNames.join()) {
    throw new ValueError(`${what} keeps slots ${optimizer.slotNames.join(', ') || 'none'}, but one rebuilt from its config keeps ${copy.slotNames.join(', ') || 'none'}`);
  }
}

/** JSON with object keys sorted, so two configs compare by content, not key order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

