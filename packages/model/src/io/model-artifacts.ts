import { layerFromConfig, registeredLayerClasses, type Layer } from '@scratchnet/layers';
import { ScratchnetError, ValueError, bytesPerElement, isDetached, shapesEqual, zeros, type Tensor } from '@scratchnet/tensor';
import { getOptimizer } from '../optimizers/get-optimizer.js';
import type { NamedParam, Optimizer } from '../optimizers/optimizer.js';
import { Sequential } from '../sequential.js';
import { crc32Hex } from './crc32.js';
import type { ArtifactSources, LoadedArtifacts, ModelArtifacts } from './handler.js';
import {
  FORMAT_VERSION,
  MODEL_FORMAT,
  formatDims,
  validateManifest,
  type ManifestLimits,
  type ModelManifest,
  type SlotSpec,
  type TensorSpec,
  type WeightSpec,
} from './manifest.js';
import { ModelFormatError } from './model-format-error.js';
import { decodeInto, encodeInto } from './weights-codec.js';

/** The weights file name in artifacts before a handler picks its own (the file-system one versions it). */
export const DEFAULT_WEIGHTS_FILE = 'weights.bin';

export interface ToArtifactsOptions {
  /** Optimizer whose configuration and state (step, slots) are saved too, so training can resume. */
  optimizer?: Optimizer;
}

/** A loaded model, and its optimizer when the manifest carried one. */
export interface LoadedModel {
  model: Sequential;
  optimizer: Optimizer | undefined;
}

/**
 * The manifest and weights bytes of `model` (and of `options.optimizer`'s state): every
 * parameter, then every optimizer slot, packed little-endian in that order, with a CRC-32 of the
 * whole. Reads the model only.
 */
export function modelToArtifacts(model: Sequential, options: ToArtifactsOptions = {}): ModelArtifacts {
  // A save that cannot be loaded back is the worst outcome: refuse classes loading would not know.
  const known = registeredLayerClasses();
  for (const layer of model.layers) {
    if (!known.includes(layer.className)) {
      throw new ValueError(
        `saveModel: layer '${layer.name}' is a ${layer.className}, which loading cannot rebuild; register it first with registerLayer('${layer.className}', config => new ${layer.className}(config))`,
      );
    }
  }
  const tensors: { spec: Omit<WeightSpec, 'byteOffset' | 'byteLength'> | Omit<SlotSpec, 'byteOffset' | 'byteLength'>; value: Tensor }[] = [];
  for (const { key, param } of model.namedParams()) {
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
    architecture: model.layers.map((layer) => ({ className: layer.className, config: layer.getConfig() })),
    weightsFile: DEFAULT_WEIGHTS_FILE,
    weightsByteLength: total,
    checksum: { algorithm: 'crc32', value: crc32Hex(bytes) },
    weights: placed.filter((p) => 'name' in p.spec).map((p) => p.spec as WeightSpec),
  };
  if (optimizerPart !== undefined) {
    manifest.optimizer = { ...optimizerPart, slots: placed.filter((p) => 'slot' in p.spec).map((p) => p.spec as SlotSpec) };
  }
  // Through JSON text, so the artifacts are exactly what a file would hold (and a config that is
  // not plain JSON fails here, at save time, rather than when someone loads it).
  return { manifest: JSON.parse(JSON.stringify(manifest)) as unknown, weights };
}

/**
 * Rebuilds a model (and optimizer) from artifacts, checking everything before returning:
 * the manifest's fields, the weights' size and checksum, each layer's config, and that every
 * weight has the name, dtype and shape the rebuilt layer expects. Any problem is a
 * ModelFormatError naming the file and field; nothing half-built escapes.
 */
export function modelFromArtifacts(artifacts: LoadedArtifacts, limits: ManifestLimits = {}): LoadedModel {
  const manifestFile = artifacts.sources?.manifest ?? 'model.json';
  const manifest = validateManifest(artifacts.manifest, manifestFile, limits);
  const sources: ArtifactSources = artifacts.sources ?? { manifest: manifestFile, weights: manifest.weightsFile };
  const bytes = checkWeightsBytes(artifacts.weights, manifest, sources);

  const model = buildModel(manifest, manifestFile);
  const params = model.namedParams();
  const specs = manifest.weights;
  params.forEach(({ key, param }, i) => {
    const spec = specs[i];
    if (spec === undefined) {
      throw new ModelFormatError(manifestFile, 'weights', `has ${specs.length} entries, but the architecture has ${params.length} parameters (missing ${key})`);
    }
    if (spec.name !== key) {
      throw new ModelFormatError(manifestFile, `weights[${i}].name`, `expected ${JSON.stringify(key)} (parameter ${i} in layer order), got ${JSON.stringify(spec.name)}`);
    }
    checkFits(spec, param.value, `weights[${i}]`, key, manifestFile);
  });
  if (specs.length > params.length) {
    throw new ModelFormatError(
      manifestFile,
      `weights[${params.length}]`,
      `${JSON.stringify(specs[params.length]!.name)} is not a parameter of the architecture, which has ${params.length}`,
    );
  }

  let optimizer: Optimizer | undefined;
  if (manifest.optimizer !== undefined) optimizer = buildOptimizer(manifest, params, bytes, manifestFile);
  // Everything is checked: only now are the parameters overwritten.
  params.forEach(({ param }, i) => decodeInto(bytes, specs[i]!.byteOffset, param.value.data));
  return { model, optimizer };
}

function checkWeightsBytes(weights: unknown, manifest: ModelManifest, sources: ArtifactSources): Uint8Array {
  if (!(weights instanceof ArrayBuffer)) {
    throw new ModelFormatError(sources.weights, undefined, `expected the weights as an ArrayBuffer, got ${weights === null ? 'null' : typeof weights}`);
  }
  if (isDetached(weights)) throw new ModelFormatError(sources.weights, undefined, 'the weights ArrayBuffer is detached (transferred away): its bytes are gone');
  const declared = manifest.weightsByteLength;
  if (weights.byteLength !== declared) {
    const what = weights.byteLength < declared ? 'truncated' : 'oversized';
    throw new ModelFormatError(
      sources.weights,
      undefined,
      `${what}: ${weights.byteLength} bytes, but ${sources.manifest} declares weightsByteLength ${declared}`,
    );
  }
  const bytes = new Uint8Array(weights);
  const actual = crc32Hex(bytes);
  if (actual !== manifest.checksum.value) {
    throw new ModelFormatError(
      sources.weights,
      undefined,
      `checksum mismatch: ${sources.manifest} checksum.value is ${manifest.checksum.value}, the file's CRC-32 is ${actual}`,
    );
  }
  return bytes;
}

function buildModel(manifest: ModelManifest, file: string): Sequential {
  const model = new Sequential({ name: manifest.name });
  manifest.architecture.forEach(({ className, config }, i) => {
    let layer: Layer;
    try {
      layer = layerFromConfig(className, config);
    } catch (error) {
      const field = registeredLayerClasses().includes(className) ? `architecture[${i}].config` : `architecture[${i}].className`;
      throw wrap(error, file, field);
    }
    try {
      model.add(layer);
    } catch (error) {
      throw wrap(error, file, `architecture[${i}].config.name`);
    }
  });
  return model;
}

function buildOptimizer(manifest: ModelManifest, params: readonly NamedParam[], bytes: Uint8Array, file: string): Optimizer {
  const spec = manifest.optimizer!;
  let optimizer: Optimizer;
  try {
    optimizer = getOptimizer(spec.className, spec.config);
  } catch (error) {
    throw wrap(error, file, 'optimizer');
  }
  if (optimizer.className !== spec.className) {
    throw new ModelFormatError(file, 'optimizer.className', `expected an optimizer class name such as ${optimizer.className}, got ${JSON.stringify(spec.className)}`);
  }
  const byKey = new Map(params.map(({ key, param }) => [key, param]));
  const slots: Record<string, Record<string, Tensor>> = Object.create(null) as Record<string, Record<string, Tensor>>;
  spec.slots.forEach((slotSpec, i) => {
    const at = `optimizer.slots[${i}]`;
    const param = byKey.get(slotSpec.param);
    if (param === undefined) {
      throw new ModelFormatError(file, `${at}.param`, `${JSON.stringify(slotSpec.param)} is not a parameter of the architecture`);
    }
    if (!optimizer.slotNames.includes(slotSpec.slot)) {
      throw new ModelFormatError(file, `${at}.slot`, `${spec.className} keeps ${optimizer.slotNames.join(', ') || 'no slots'}, got ${JSON.stringify(slotSpec.slot)}`);
    }
    checkFits(slotSpec, param.value, at, `the ${slotSpec.slot} slot of ${slotSpec.param}`, file);
    const perParam = (slots[slotSpec.param] ??= Object.create(null) as Record<string, Tensor>);
    if (Object.hasOwn(perParam, slotSpec.slot)) {
      throw new ModelFormatError(file, `${at}.slot`, `a second ${slotSpec.slot} slot for ${slotSpec.param}`);
    }
    perParam[slotSpec.slot] = decodeTensor(bytes, slotSpec);
  });
  try {
    // setState checks that every parameter has every slot, and copies what it keeps.
    optimizer.setState({ step: spec.step, slots: { ...slots } });
  } catch (error) {
    throw wrap(error, file, 'optimizer.slots');
  }
  return optimizer;
}

function checkFits(spec: TensorSpec, value: Tensor, at: string, what: string, file: string): void {
  if (spec.dtype !== value.dtype) {
    throw new ModelFormatError(file, `${at}.dtype`, `expected ${value.dtype} for ${what}, got ${spec.dtype}`);
  }
  if (!shapesEqual(spec.shape, value.shape)) {
    throw new ModelFormatError(file, `${at}.shape`, `expected ${formatDims(value.shape)} for ${what}, got ${formatDims(spec.shape)}`);
  }
}

// Created with zeros(), not new Tensor(array): a backend may then move it into its own memory
// (the worker backend refuses to move arrays adopted from a caller).
function decodeTensor(bytes: Uint8Array, spec: TensorSpec): Tensor {
  const t = zeros(spec.shape, { dtype: spec.dtype });
  decodeInto(bytes, spec.byteOffset, t.data);
  return t;
}

/** A library error about a field becomes a ModelFormatError naming it; anything else passes through. */
function wrap(error: unknown, file: string, field: string): unknown {
  if (!(error instanceof ScratchnetError)) return error;
  const message = error.message.replace(/^layerFromConfig: /, '');
  return new ModelFormatError(file, field, message, { cause: error });
}
