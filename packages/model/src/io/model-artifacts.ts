import type { Layer } from '@scratchnet/layers';
import { ScratchnetError, isDetached, shapesEqual, zeros, type Tensor } from '@scratchnet/tensor';
import { getOptimizer } from '../optimizers/optimizer-registry.js';
import type { NamedParam, Optimizer } from '../optimizers/optimizer.js';
import { Sequential } from '../sequential.js';
import { ArchitectureError, layersFromArchitecture } from './architecture.js';
import { crc32Hex } from './crc32.js';
import type { ArtifactSources, LoadedArtifacts } from './handler.js';
import { formatDims, validateManifest, type ManifestLimits, type ModelManifest, type TensorSpec } from './manifest.js';
import { ModelFormatError } from './model-format-error.js';
import { decodeInto } from './weights-codec.js';

// Saving lives apart (it must not import Sequential, which saves through it); re-exported here.
export { DEFAULT_WEIGHTS_FILE, modelToArtifacts, type ToArtifactsOptions } from './model-to-artifacts.js';

/** A loaded model, and its optimizer when the manifest carried one. */
export interface LoadedModel {
  model: Sequential;
  optimizer: Optimizer | undefined;
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
  const params = model.namedWeights();
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
  // Optimizer slots belong to trainable parameters only.
  if (manifest.optimizer !== undefined) optimizer = buildOptimizer(manifest, model.namedParams(), bytes, manifestFile);
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
  let layers: Layer[];
  try {
    layers = layersFromArchitecture(manifest.architecture, manifest.weights.map((w) => w.name));
  } catch (error) {
    if (!(error instanceof ArchitectureError)) throw error;
    const at = `architecture[${error.index}]`;
    const field = error.field === 'className' ? `${at}.className` : `${at}.config`;
    // A library error becomes a ModelFormatError naming the field; a custom layer's own error passes through.
    throw wrap(error.reason, file, field);
  }
  const model = new Sequential({ name: manifest.name });
  layers.forEach((layer, i) => {
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
