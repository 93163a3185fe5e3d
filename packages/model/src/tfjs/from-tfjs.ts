import { layerFromConfig, type Layer, type SymbolicShape } from '@scratchnet/layers';
import { ScratchnetError, ValueError } from '@scratchnet/tensor';
import { FORBIDDEN_KEYS, assertNoForbiddenKeys } from '../io/safe-json.js';
import { decodeInto } from '../io/weights-codec.js';
import { Sequential } from '../sequential.js';
import { importerFor } from './registry.js';
import type { TfjsArtifacts } from './tfjs-artifacts.js';
import type { TfjsImportContext } from './translation.js';

/** Config keys every Keras layer may carry, which the translations never see as their own. */
const COMMON_KEYS = ['name', 'trainable', 'dtype', 'batch_input_shape', 'batch_size', 'input_dim'];

interface CheckedSpec {
  name: string;
  shape: number[];
  size: number;
  offset: number;
}

/**
 * A Sequential from TensorFlow.js Layers artifacts (as `tf.io.withSaveHandler` receives them,
 * or a `model.json` + weights read by hand). Everything is checked before the model is returned:
 * each layer goes through its entry of the translation table (see `registerTfjsLayer`) or is
 * refused by name, shapes are followed from the first layer's `batch_input_shape` (any rank),
 * and every parameter must find its weight — present, float32, of the layer's shape.
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
  const specFor = (layer: string, param: string): CheckedSpec | undefined => byName.get(`${layer}/${param}`) ?? byName.get(`${layer}/${param}:0`);

  const model = new Sequential({ name: modelName });
  let shape: SymbolicShape | undefined;
  layerList.forEach((entry: unknown, i: number) => {
    const layer = fromKeras(entry, i, shape, specFor, where);
    try {
      model.add(layer.layer);
    } catch (error) {
      throw rethrow(error, `${where}: layer ${i}`);
    }
    for (const p of layer.layer.allParams()) used.add(specFor(layer.layer.name, p.name)!.name);
    shape = layer.outputShape;
  });
  const unused = specs.filter((s) => !used.has(s.name));
  if (unused.length > 0) throw new ValueError(`${where}: weight ${JSON.stringify(unused[0]!.name)} belongs to no layer of the model`);

  for (const layer of model.layers) {
    for (const p of layer.allParams()) decodeInto(bytes, specFor(layer.name, p.name)!.offset, p.value.data);
  }
  return model;
}

function fromKeras(
  entry: unknown,
  index: number,
  incoming: SymbolicShape | undefined,
  specFor: (layer: string, param: string) => CheckedSpec | undefined,
  where: string,
): { layer: Layer; outputShape: SymbolicShape | undefined } {
  if (!isRecord(entry) || typeof own(entry, 'class_name') !== 'string' || !isRecord(own(entry, 'config'))) {
    throw new ValueError(`${where}: layer ${index} must be { class_name, config }`);
  }
  const kerasClassName = own(entry, 'class_name') as string;
  const c = Object.assign(Object.create(null) as Record<string, unknown>, own(entry, 'config') as Record<string, unknown>);
  const name = c.name;
  if (typeof name !== 'string' || name === '') throw new ValueError(`${where}: layer ${index} (${kerasClassName}) has no name`);
  const label = `layer '${name}' (${kerasClassName})`;
  const refuse = (why: string): never => {
    throw new ValueError(`${where}: ${label} ${why}; refusing rather than approximating it`);
  };
  const require = (key: string, ok: (v: unknown) => boolean, what: string): void => {
    if (key in c && !ok(c[key])) refuse(`has ${key} ${JSON.stringify(c[key])}; only ${what} is supported`);
  };
  require('trainable', (v) => v === true, 'trainable: true');
  require('dtype', (v) => v === null || v === 'float32' || (isRecord(v) && isRecord(own(v, 'config')) && own(own(v, 'config') as Record<string, unknown>, 'name') === 'float32'), 'float32');

  let declared: SymbolicShape | undefined;
  const batchInputShape = c.batch_input_shape;
  if (Array.isArray(batchInputShape)) {
    if (batchInputShape.length < 2 || !batchInputShape.slice(1).every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) {
      refuse(`has batch_input_shape ${JSON.stringify(batchInputShape)}; only [batch, …] with known sizes after the batch is supported`);
    }
    declared = [null, ...(batchInputShape.slice(1) as number[])];
  } else if (typeof c.input_dim === 'number') {
    declared = [null, c.input_dim];
  }
  if (declared !== undefined && incoming !== undefined && formatDims(declared) !== formatDims(incoming)) {
    refuse(`declares input shape ${formatDims(declared)}, but the layer before it outputs ${formatDims(incoming)}`);
  }
  const inputShape = incoming ?? declared;

  const importer = importerFor(kerasClassName);
  if (importer === undefined) return refuse('has no scratchnet equivalent');
  const context: TfjsImportContext = {
    name,
    kerasClassName,
    config: c,
    inputShape,
    weightShape(param) {
      const spec = specFor(name, param);
      if (spec === undefined) throw new ValueError(`${where}: ${label} has no weight ${JSON.stringify(`${name}/${param}`)} in weightSpecs`);
      return spec.shape;
    },
    allow(keys) {
      for (const key of Object.keys(c)) if (!COMMON_KEYS.includes(key) && !keys.includes(key)) refuse(`has config ${JSON.stringify(key)}, which scratchnet cannot represent`);
    },
    require,
    refuse,
  };
  const translated = importer(context);
  let layer: Layer;
  try {
    layer = layerFromConfig(translated.className, { ...translated.config, name });
    if (inputShape !== undefined) layer.build(inputShape);
  } catch (error) {
    throw rethrow(error, `${where}: ${label}`);
  }
  for (const p of layer.allParams()) {
    const expected = formatDims(p.value.shape);
    const got = context.weightShape(p.name);
    if (formatDims(got) !== expected) refuse(`has a weight ${JSON.stringify(`${name}/${p.name}`)} of shape ${formatDims(got)}; expected ${expected}`);
  }
  let outputShape: SymbolicShape | undefined;
  if (inputShape !== undefined) {
    try {
      outputShape = layer.computeOutputShape(inputShape);
    } catch (error) {
      throw rethrow(error, `${where}: ${label}`);
    }
  }
  return { layer, outputShape };
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

function formatDims(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? 'null' : String(d))).join(',')}]`;
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
