import {
  Dense,
  Dropout,
  LeakyReLU,
  ReLU,
  Sigmoid,
  Softmax,
  Tanh,
  layerFromConfig,
  type InitializerName,
  type Layer,
  type LayerConfig,
} from '@scratchnet/layers';
import { ScratchnetError, ValueError } from '@scratchnet/tensor';
import { Sequential } from '../sequential.js';
import { formatDims } from './manifest.js';
import { FORBIDDEN_KEYS, assertNoForbiddenKeys } from './safe-json.js';
import { decodeInto, encodeInto } from './weights-codec.js';

/**
 * TensorFlow.js Layers interop: the artifacts `tf.io.withSaveHandler` hands over and
 * `tf.io.fromMemory` / `tf.loadLayersModel` accept — the Keras `Sequential` topology JSON, the
 * weight specs, and the float32 weight bytes (little-endian, in spec order).
 *
 * Mapped both ways: Dense (activation linear, relu, sigmoid, tanh, softmax), ReLU, LeakyReLU,
 * Softmax, Sigmoid and Tanh (as tfjs `Activation` layers), Dropout. Anything else — another
 * layer, activation or dtype, a regularizer, a constraint, a non-trainable layer — is refused
 * with a ValueError naming the layer rather than approximated. Initializers never affect a saved
 * model's outputs; they map to the nearest tfjs name (tfjs's He/Glorot "normal" draws a
 * truncated normal, ours a plain one).
 */
export interface TfjsWeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: unknown;
  group?: string;
}

export interface TfjsArtifacts {
  modelTopology: Record<string, unknown>;
  weightSpecs: TfjsWeightSpec[];
  /** One buffer, or (tfjs >= 4.10) several to be read as one. */
  weightData: ArrayBuffer | ArrayBuffer[];
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  [key: string]: unknown;
}

interface KerasLayer {
  class_name: string;
  config: Record<string, unknown>;
}

const TFJS_ACTIVATIONS = ['linear', 'relu', 'sigmoid', 'tanh', 'softmax'] as const;

// Our initializer names and the Keras/tfjs VarianceScaling each one is.
const INITIALIZERS: Record<InitializerName, KerasLayer> = {
  heNormal: { class_name: 'VarianceScaling', config: { scale: 2, mode: 'fan_in', distribution: 'normal', seed: null } },
  heUniform: { class_name: 'VarianceScaling', config: { scale: 2, mode: 'fan_in', distribution: 'uniform', seed: null } },
  glorotNormal: { class_name: 'VarianceScaling', config: { scale: 1, mode: 'fan_avg', distribution: 'normal', seed: null } },
  glorotUniform: { class_name: 'VarianceScaling', config: { scale: 1, mode: 'fan_avg', distribution: 'uniform', seed: null } },
  zeros: { class_name: 'Zeros', config: {} },
  ones: { class_name: 'Ones', config: {} },
};

/** Our float32 Sequential as TensorFlow.js Layers artifacts (load them with `tf.io.fromMemory`). */
export function toTfjsArtifacts(model: Sequential): TfjsArtifacts {
  const where = 'toTfjsArtifacts';
  const firstDense = model.layers.find((l): l is Dense => l instanceof Dense);
  if (firstDense?.inputSize === undefined) {
    throw new ValueError(`${where}: model '${model.name}' needs a built Dense layer for its input size; give the first Dense an inputSize or run predict once`);
  }
  const layers: KerasLayer[] = model.layers.map((layer) => toKeras(layer, where));
  layers[0]!.config.batch_input_shape = [null, firstDense.inputSize];

  const params = model.namedParams();
  const weightSpecs: TfjsWeightSpec[] = params.map(({ key, param }) => ({ name: key, shape: [...param.value.shape], dtype: 'float32' }));
  const weightData = new ArrayBuffer(params.reduce((n, { param }) => n + 4 * param.value.size, 0));
  let offset = 0;
  for (const { param } of params) {
    encodeInto(new Uint8Array(weightData), offset, param.value.data);
    offset += param.value.data.byteLength;
  }
  return {
    modelTopology: {
      class_name: 'Sequential',
      config: { name: model.name, layers },
      keras_version: 'tfjs-layers 4.22.0 (written by @scratchnet/model)',
      backend: 'tensor_flow.js',
    },
    weightSpecs,
    weightData,
    format: 'layers-model',
    generatedBy: '@scratchnet/model',
    convertedBy: null,
  };
}

function toKeras(layer: Layer, where: string): KerasLayer {
  const base = { name: layer.name, trainable: true, dtype: 'float32' };
  const refuse = (why: string): never => {
    throw new ValueError(`${where}: layer '${layer.name}' (${layer.className}) ${why}`);
  };
  if (layer.dtype !== undefined && layer.dtype !== 'float32') refuse(`is ${layer.dtype}; TensorFlow.js layers hold float32`);
  if (layer instanceof Dense) {
    if (!layer.built) refuse('is not built, so it has no weights to export; run predict once or give it an inputSize');
    if (!(TFJS_ACTIVATIONS as readonly string[]).includes(layer.activation)) {
      refuse(`uses activation ${JSON.stringify(layer.activation)}, which TensorFlow.js Dense does not have; use a separate LeakyReLU layer`);
    }
    return {
      class_name: 'Dense',
      config: {
        ...base,
        units: layer.units,
        activation: layer.activation,
        use_bias: layer.useBias,
        kernel_initializer: INITIALIZERS[layer.kernelInitializer],
        bias_initializer: INITIALIZERS[layer.biasInitializer],
        kernel_regularizer: null,
        bias_regularizer: null,
        activity_regularizer: null,
        kernel_constraint: null,
        bias_constraint: null,
      },
    };
  }
  if (layer instanceof ReLU) return { class_name: 'ReLU', config: { ...base, max_value: null } };
  if (layer instanceof LeakyReLU) return { class_name: 'LeakyReLU', config: { ...base, alpha: layer.alpha } };
  if (layer instanceof Softmax) return { class_name: 'Softmax', config: { ...base, axis: -1 } };
  if (layer instanceof Sigmoid) return { class_name: 'Activation', config: { ...base, activation: 'sigmoid' } };
  if (layer instanceof Tanh) return { class_name: 'Activation', config: { ...base, activation: 'tanh' } };
  if (layer instanceof Dropout) return { class_name: 'Dropout', config: { ...base, rate: layer.rate, noise_shape: null, seed: layer.seed ?? null } };
  return refuse('has no TensorFlow.js equivalent');
}

/**
 * A Sequential from TensorFlow.js Layers artifacts (as `tf.io.withSaveHandler` receives them,
 * or a `model.json` + weights read by hand). Everything is checked before the model is returned:
 * each layer is mapped exactly or refused by name, and every weight must be present, float32,
 * and of the shape the layer expects.
 */
export function fromTfjsArtifacts(artifacts: TfjsArtifacts): Sequential {
  const where = 'fromTfjsArtifacts';
  if (artifacts === null || typeof artifacts !== 'object') throw new ValueError(`${where}: expected artifacts { modelTopology, weightSpecs, weightData }`);
  try {
    assertNoForbiddenKeys(artifacts.modelTopology, 'modelTopology');
    assertNoForbiddenKeys(artifacts.weightSpecs, 'weightSpecs');
  } catch (error) {
    throw new ValueError(`${where}: ${(error as Error).message}`);
  }
  let topology = own(artifacts, 'modelTopology');
  if (isRecord(topology) && own(topology, 'model_config') !== undefined) topology = own(topology, 'model_config');
  if (!isRecord(topology)) throw new ValueError(`${where}: modelTopology must be an object, got ${typeof topology}`);
  const className = own(topology, 'class_name');
  if (className !== 'Sequential') {
    throw new ValueError(`${where}: only Sequential models can be imported; modelTopology.class_name is ${JSON.stringify(className)}`);
  }
  const config = own(topology, 'config');
  const layerList = Array.isArray(config) ? config : isRecord(config) ? own(config, 'layers') : undefined;
  if (!Array.isArray(layerList)) throw new ValueError(`${where}: modelTopology.config.layers must be an array`);
  const modelName = isRecord(config) && typeof own(config, 'name') === 'string' ? (own(config, 'name') as string) : 'sequential';

  const specs = checkSpecs(artifacts.weightSpecs, where);
  const bytes = joinWeightData(artifacts.weightData, where);
  const expectedBytes = specs.reduce((n, s) => n + 4 * s.size, 0);
  if (bytes.byteLength !== expectedBytes) {
    throw new ValueError(`${where}: weightData has ${bytes.byteLength} bytes, the weight specs describe ${expectedBytes}`);
  }
  const byName = new Map(specs.map((s) => [s.name, s]));
  const used = new Set<string>();

  const model = new Sequential({ name: modelName });
  let features: number | null = null;
  layerList.forEach((entry: unknown, i: number) => {
    const built = fromKeras(entry, i, features, byName, used, where);
    try {
      model.add(built.layer);
    } catch (error) {
      throw rethrow(error, `${where}: layer ${i}`);
    }
    features = built.features;
  });
  const unused = specs.filter((s) => !used.has(s.name));
  if (unused.length > 0) throw new ValueError(`${where}: weight ${JSON.stringify(unused[0]!.name)} belongs to no layer of the model`);

  for (const { key, param } of model.namedParams()) {
    const spec = byName.get(key) ?? byName.get(`${key}:0`);
    decodeInto(bytes, spec!.offset, param.value.data);
  }
  return model;
}

interface CheckedSpec {
  name: string;
  shape: number[];
  size: number;
  offset: number;
}

function checkSpecs(value: unknown, where: string): CheckedSpec[] {
  if (!Array.isArray(value)) throw new ValueError(`${where}: weightSpecs must be an array`);
  let offset = 0;
  return value.map((spec: unknown, i) => {
    if (!isRecord(spec)) throw new ValueError(`${where}: weightSpecs[${i}] must be an object`);
    const name = own(spec, 'name');
    const shape = own(spec, 'shape');
    if (typeof name !== 'string') throw new ValueError(`${where}: weightSpecs[${i}].name must be a string`);
    if (own(spec, 'dtype') !== 'float32') {
      throw new ValueError(`${where}: weight ${JSON.stringify(name)} is ${String(own(spec, 'dtype'))}; only float32 weights are supported`);
    }
    if (own(spec, 'quantization') !== undefined && own(spec, 'quantization') !== null) {
      throw new ValueError(`${where}: weight ${JSON.stringify(name)} is quantized; only plain float32 weights are supported`);
    }
    if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) {
      throw new ValueError(`${where}: weight ${JSON.stringify(name)} has an invalid shape`);
    }
    const size = (shape as number[]).reduce((a, b) => a * b, 1);
    if (!Number.isSafeInteger(size * 4)) throw new ValueError(`${where}: weight ${JSON.stringify(name)} is too large`);
    const checked = { name, shape: shape as number[], size, offset };
    offset += 4 * size;
    return checked;
  });
}

function joinWeightData(data: unknown, where: string): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (Array.isArray(data) && data.every((b) => b instanceof ArrayBuffer)) {
    const total = (data as ArrayBuffer[]).reduce((n, b) => n + b.byteLength, 0);
    const out = new Uint8Array(total);
    let offset = 0;
    for (const b of data as ArrayBuffer[]) {
      out.set(new Uint8Array(b), offset);
      offset += b.byteLength;
    }
    return out;
  }
  throw new ValueError(`${where}: weightData must be an ArrayBuffer or an array of them`);
}

const ACTIVATION_LAYERS = new Map<string, string>([
  ['relu', 'ReLU'],
  ['sigmoid', 'Sigmoid'],
  ['tanh', 'Tanh'],
  ['softmax', 'Softmax'],
]);

const COMMON_KEYS = ['name', 'trainable', 'dtype', 'batch_input_shape', 'batch_size', 'input_dim'];

function fromKeras(
  entry: unknown,
  index: number,
  features: number | null,
  byName: Map<string, CheckedSpec>,
  used: Set<string>,
  where: string,
): { layer: Layer; features: number | null } {
  if (!isRecord(entry) || typeof own(entry, 'class_name') !== 'string' || !isRecord(own(entry, 'config'))) {
    throw new ValueError(`${where}: layer ${index} must be { class_name, config }`);
  }
  const className = own(entry, 'class_name') as string;
  const c = own(entry, 'config') as Record<string, unknown>;
  const name = own(c, 'name');
  if (typeof name !== 'string' || name === '') throw new ValueError(`${where}: layer ${index} (${className}) has no name`);
  const label = `layer '${name}' (${className})`;
  const refuse = (why: string): never => {
    throw new ValueError(`${where}: ${label} ${why}; refusing rather than approximating it`);
  };
  const allow = (keys: readonly string[]): void => {
    for (const key of Object.keys(c)) if (!COMMON_KEYS.includes(key) && !keys.includes(key)) refuse(`has config ${JSON.stringify(key)}, which scratchnet cannot represent`);
  };
  const mustBe = (key: string, ok: (v: unknown) => boolean, what: string): void => {
    if (Object.hasOwn(c, key) && !ok(own(c, key))) refuse(`has ${key} ${JSON.stringify(own(c, key))}; only ${what} is supported`);
  };
  mustBe('trainable', (v) => v === true, 'trainable: true');
  mustBe('dtype', (v) => v === null || v === 'float32' || (isRecord(v) && isRecord(own(v, 'config')) && own(own(v, 'config') as Record<string, unknown>, 'name') === 'float32'), 'float32');
  const batchInputShape = own(c, 'batch_input_shape');
  let declaredFeatures: number | undefined;
  if (Array.isArray(batchInputShape)) {
    const last = batchInputShape[batchInputShape.length - 1] as unknown;
    if (batchInputShape.length !== 2 || typeof last !== 'number') refuse(`has batch_input_shape ${JSON.stringify(batchInputShape)}; only [batch, features] inputs are supported`);
    declaredFeatures = last as number;
  } else if (typeof own(c, 'input_dim') === 'number') {
    declaredFeatures = own(c, 'input_dim') as number;
  }
  if (declaredFeatures !== undefined && features !== null && declaredFeatures !== features) {
    refuse(`declares ${declaredFeatures} input features, but the layer before it outputs ${features}`);
  }
  // Features flowing into this layer; the shape-preserving layers pass them on.
  const incoming = features ?? declaredFeatures ?? null;
  const base: LayerConfig = { name };
  const make = (ours: string, config: LayerConfig): Layer => {
    try {
      return layerFromConfig(ours, config);
    } catch (error) {
      throw rethrow(error, `${where}: ${label}`);
    }
  };

  switch (className) {
    case 'Dense': {
      allow(['units', 'activation', 'use_bias', 'kernel_initializer', 'bias_initializer', 'kernel_regularizer', 'bias_regularizer', 'activity_regularizer', 'kernel_constraint', 'bias_constraint']);
      for (const key of ['kernel_regularizer', 'bias_regularizer', 'activity_regularizer', 'kernel_constraint', 'bias_constraint']) {
        mustBe(key, (v) => v === null, 'null');
      }
      const activation = own(c, 'activation') ?? 'linear';
      if (!(TFJS_ACTIVATIONS as readonly unknown[]).includes(activation)) refuse(`uses activation ${JSON.stringify(activation)}`);
      const useBias = own(c, 'use_bias') ?? true;
      if (typeof useBias !== 'boolean') refuse('has a non-boolean use_bias');
      const kernel = takeWeight(byName, used, `${name}/kernel`, label, where);
      if (kernel.shape.length !== 2) refuse(`has a kernel of shape ${formatDims(kernel.shape)}; expected [inputs, units]`);
      const [inputs, units] = kernel.shape as [number, number];
      if (own(c, 'units') !== units) refuse(`has units ${JSON.stringify(own(c, 'units'))} but a kernel of shape ${formatDims(kernel.shape)}`);
      if (incoming !== null && incoming !== inputs) {
        refuse(`has a kernel of shape ${formatDims(kernel.shape)}, but its input has ${incoming} features`);
      }
      if (useBias) {
        const bias = takeWeight(byName, used, `${name}/bias`, label, where);
        if (bias.shape.length !== 1 || bias.shape[0] !== units) refuse(`has a bias of shape ${formatDims(bias.shape)}; expected [${units}]`);
      }
      const layer = make('Dense', {
        ...base,
        units,
        inputSize: inputs,
        activation,
        useBias,
        kernelInitializer: initializerName(own(c, 'kernel_initializer'), 'kernel_initializer', refuse),
        biasInitializer: initializerName(own(c, 'bias_initializer'), 'bias_initializer', refuse),
        dtype: 'float32',
      });
      return { layer, features: units };
    }
    case 'Activation': {
      allow(['activation']);
      const activation = own(c, 'activation');
      const ours = ACTIVATION_LAYERS.get(activation as string);
      if (ours === undefined) return refuse(`uses activation ${JSON.stringify(activation)}`);
      return { layer: make(ours, base), features: incoming };
    }
    case 'ReLU': {
      allow(['max_value', 'negative_slope', 'threshold']);
      mustBe('max_value', (v) => v === null, 'max_value null');
      mustBe('negative_slope', (v) => v === 0, 'negative_slope 0');
      mustBe('threshold', (v) => v === 0, 'threshold 0');
      return { layer: make('ReLU', base), features: incoming };
    }
    case 'LeakyReLU': {
      allow(['alpha', 'negative_slope']);
      const alpha = own(c, 'alpha') ?? own(c, 'negative_slope') ?? 0.3;
      return { layer: make('LeakyReLU', { ...base, alpha }), features: incoming };
    }
    case 'Softmax': {
      allow(['axis']);
      // Our layers see [batch, features]: the last axis is axis 1.
      mustBe('axis', (v) => v === -1 || v === 1, 'the last axis (-1 or 1)');
      return { layer: make('Softmax', base), features: incoming };
    }
    case 'Dropout': {
      allow(['rate', 'noise_shape', 'seed']);
      mustBe('noise_shape', (v) => v === null, 'noise_shape null');
      const seed = own(c, 'seed');
      return { layer: make('Dropout', { ...base, rate: own(c, 'rate'), ...(seed !== null && seed !== undefined ? { seed } : {}) }), features: incoming };
    }
    default:
      return refuse('has no scratchnet equivalent');
  }
}

function takeWeight(byName: Map<string, CheckedSpec>, used: Set<string>, name: string, label: string, where: string): CheckedSpec {
  const spec = byName.get(name) ?? byName.get(`${name}:0`);
  if (spec === undefined) throw new ValueError(`${where}: ${label} has no weight ${JSON.stringify(name)} in weightSpecs`);
  used.add(spec.name);
  return spec;
}

function initializerName(value: unknown, key: string, refuse: (why: string) => never): InitializerName {
  if (value === undefined || value === null) return key === 'bias_initializer' ? 'zeros' : 'glorotUniform';
  if (!isRecord(value) || typeof own(value, 'class_name') !== 'string') return refuse(`has an unreadable ${key}`);
  const className = own(value, 'class_name') as string;
  const config = isRecord(own(value, 'config')) ? (own(value, 'config') as Record<string, unknown>) : {};
  const byClass: Record<string, InitializerName> = {
    Zeros: 'zeros',
    Ones: 'ones',
    HeNormal: 'heNormal',
    HeUniform: 'heUniform',
    GlorotNormal: 'glorotNormal',
    GlorotUniform: 'glorotUniform',
  };
  if (Object.hasOwn(byClass, className)) return byClass[className]!;
  if (className === 'VarianceScaling') {
    const mode = String(own(config, 'mode')).replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`);
    const distribution = String(own(config, 'distribution')).replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`);
    const normal = ['normal', 'truncated_normal', 'untruncated_normal'].includes(distribution);
    const uniform = distribution === 'uniform';
    const scale = own(config, 'scale');
    if (scale === 2 && mode === 'fan_in' && (normal || uniform)) return normal ? 'heNormal' : 'heUniform';
    if (scale === 1 && mode === 'fan_avg' && (normal || uniform)) return normal ? 'glorotNormal' : 'glorotUniform';
  }
  return refuse(`has ${key} ${JSON.stringify(value)}, which has no scratchnet initializer`);
}

function rethrow(error: unknown, prefix: string): unknown {
  if (!(error instanceof ScratchnetError)) return error;
  return new ValueError(`${prefix}: ${error.message.replace(/^layerFromConfig: /, '')}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** An own property only: untrusted JSON never reaches a prototype through this. */
function own(object: object, key: string): unknown {
  return !FORBIDDEN_KEYS.includes(key) && Object.hasOwn(object, key) ? (object as Record<string, unknown>)[key] : undefined;
}
