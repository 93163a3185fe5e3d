import type { LayerConfig } from '@scratchnet/layers';
import { DTYPES, ValueError, bytesPerElement, type DType } from '@scratchnet/tensor';
import { checkOptions, describeValue } from '../options.js';
import { checkDeclaredShapes } from './declared-shapes.js';
import { ModelFormatError } from './model-format-error.js';
import { assertNoForbiddenKeys } from './safe-json.js';

/** The `format` field of every scratchnet manifest. */
export const MODEL_FORMAT = 'scratchnet-model';
/** The manifest layout this package writes and reads. */
export const FORMAT_VERSION = 1;
/** Refuse to allocate more than this for weights unless told otherwise (2 GiB). */
export const DEFAULT_MAX_WEIGHTS_BYTES = 2 ** 31;

/**
 * Where one tensor lives in the weights file: `byteLength` bytes from `byteOffset`, little-endian,
 * row-major. Tensors are packed in manifest order with no gaps, so each `byteOffset` is the sum
 * of the byte lengths before it.
 */
export interface TensorSpec {
  dtype: DType;
  shape: number[];
  byteOffset: number;
  byteLength: number;
}

/** A layer parameter: `name` is `layerName/paramName` (`dense_2/kernel`). */
export interface WeightSpec extends TensorSpec {
  name: string;
}

/** One optimizer slot tensor: slot `slot` (`m`, `v`, `velocity`) of the parameter keyed `param`. */
export interface SlotSpec extends TensorSpec {
  param: string;
  slot: string;
}

export interface LayerSpec {
  className: string;
  config: LayerConfig;
}

/** An optimizer as saved: rebuilt from `className` + `config`, then `step` and the slots restored. */
export interface OptimizerSpec {
  className: string;
  config: Record<string, number | boolean>;
  step: number;
  slots: SlotSpec[];
}

/**
 * `model.json`. The weights file it names holds every tensor of `weights`, then every slot of
 * `optimizer.slots`, packed; `checksum` is the CRC-32 of that whole file.
 */
export interface ModelManifest {
  format: typeof MODEL_FORMAT;
  formatVersion: typeof FORMAT_VERSION;
  generatedBy: string;
  /** The Sequential's name. */
  name: string;
  architecture: LayerSpec[];
  /** A file name beside the manifest (no directory part). */
  weightsFile: string;
  weightsByteLength: number;
  checksum: { algorithm: 'crc32'; value: string };
  weights: WeightSpec[];
  optimizer?: OptimizerSpec;
}

export interface ManifestLimits {
  /** Largest weights file to accept; default 2 GiB. */
  maxWeightsBytes?: number;
}

const TOP_KEYS = ['format', 'formatVersion', 'generatedBy', 'name', 'architecture', 'weightsFile', 'weightsByteLength', 'checksum', 'weights', 'optimizer'];
const OPTIONAL_TOP_KEYS = ['optimizer'];
const WEIGHTS_FILE_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,254}$/;

/**
 * Checks an untrusted manifest field by field and returns a fresh copy holding only the known
 * fields (so nothing unchecked travels further). Every problem is a ModelFormatError naming
 * `file` and the field. Checks what the manifest says about itself — format, version, types,
 * sizes, a packed layout that adds up to `weightsByteLength`, and that the parameter shapes the
 * built-in layers' configs declare match their weight specs (so building allocates nothing the
 * files do not declare). Names and shapes of other layers are matched once built.
 */
export function validateManifest(value: unknown, file: string, limits: ManifestLimits = {}): ModelManifest {
  const maxBytes = checkLimits('validateManifest', limits).maxWeightsBytes ?? DEFAULT_MAX_WEIGHTS_BYTES;
  assertNoForbiddenKeys(value, file);
  const top = record(value, file, undefined, 'the manifest');
  // The format and version decide how to read everything else, so they are checked first.
  if (top.format !== MODEL_FORMAT) {
    throw new ModelFormatError(file, 'format', `expected ${JSON.stringify(MODEL_FORMAT)}, got ${describe(top.format)}`);
  }
  if (top.formatVersion !== FORMAT_VERSION) {
    throw new ModelFormatError(
      file,
      'formatVersion',
      `unsupported version ${describe(top.formatVersion)}; this @scratchnet/model reads version ${FORMAT_VERSION}`,
    );
  }
  exactKeys(top, file, undefined, TOP_KEYS, OPTIONAL_TOP_KEYS);

  const generatedBy = string(top.generatedBy, file, 'generatedBy');
  const name = string(top.name, file, 'name');
  const architecture = array(top.architecture, file, 'architecture').map((item, i): LayerSpec => {
    const at = `architecture[${i}]`;
    const layer = record(item, file, at, 'a layer');
    exactKeys(layer, file, at, ['className', 'config']);
    const config = record(layer.config, file, `${at}.config`, 'a layer config');
    return { className: string(layer.className, file, `${at}.className`, true), config: { ...config } as LayerConfig };
  });

  const weightsFile = string(top.weightsFile, file, 'weightsFile');
  if (!WEIGHTS_FILE_PATTERN.test(weightsFile) || weightsFile === '.' || weightsFile === '..') {
    throw new ModelFormatError(file, 'weightsFile', `must be a plain file name (letters, digits, . _ -), got ${JSON.stringify(weightsFile)}`);
  }
  const weightsByteLength = count(top.weightsByteLength, file, 'weightsByteLength');
  if (weightsByteLength > maxBytes) {
    throw new ModelFormatError(file, 'weightsByteLength', `${weightsByteLength} bytes is more than the ${maxBytes} allowed (raise maxWeightsBytes to load it)`);
  }

  const checksumRecord = record(top.checksum, file, 'checksum', 'an object { algorithm, value }');
  exactKeys(checksumRecord, file, 'checksum', ['algorithm', 'value']);
  if (checksumRecord.algorithm !== 'crc32') {
    throw new ModelFormatError(file, 'checksum.algorithm', `expected "crc32", got ${describe(checksumRecord.algorithm)}`);
  }
  const checksumValue = string(checksumRecord.value, file, 'checksum.value');
  if (!/^[0-9a-f]{8}$/.test(checksumValue)) {
    throw new ModelFormatError(file, 'checksum.value', `expected 8 lowercase hex digits, got ${JSON.stringify(checksumValue)}`);
  }

  // Every tensor must start where the previous one ended; the running offset checks that.
  const layout = { offset: 0, maxBytes, file };
  const weights = array(top.weights, file, 'weights').map((item, i): WeightSpec => {
    const at = `weights[${i}]`;
    const spec = record(item, file, at, 'a weight spec');
    exactKeys(spec, file, at, ['name', 'dtype', 'shape', 'byteOffset', 'byteLength']);
    const weightName = string(spec.name, file, `${at}.name`, true);
    return { name: weightName, ...tensorSpec(spec, at, weightName, layout) };
  });

  let optimizer: OptimizerSpec | undefined;
  if (top.optimizer !== undefined) {
    const opt = record(top.optimizer, file, 'optimizer', 'an object { className, config, step, slots }');
    exactKeys(opt, file, 'optimizer', ['className', 'config', 'step', 'slots']);
    const configRecord = record(opt.config, file, 'optimizer.config', 'an object');
    const config: Record<string, number | boolean> = {};
    for (const [key, v] of Object.entries(configRecord)) {
      if (typeof v !== 'boolean' && (typeof v !== 'number' || !Number.isFinite(v))) {
        throw new ModelFormatError(file, `optimizer.config.${key}`, `expected a finite number or a boolean, got ${describe(v)}`);
      }
      config[key] = v;
    }
    const slots = array(opt.slots, file, 'optimizer.slots').map((item, i): SlotSpec => {
      const at = `optimizer.slots[${i}]`;
      const spec = record(item, file, at, 'a slot spec');
      exactKeys(spec, file, at, ['param', 'slot', 'dtype', 'shape', 'byteOffset', 'byteLength']);
      const param = string(spec.param, file, `${at}.param`, true);
      const slot = string(spec.slot, file, `${at}.slot`, true);
      return { param, slot, ...tensorSpec(spec, at, `${param} ${slot}`, layout) };
    });
    optimizer = {
      className: string(opt.className, file, 'optimizer.className', true),
      config,
      step: count(opt.step, file, 'optimizer.step'),
      slots,
    };
  }

  if (layout.offset !== weightsByteLength) {
    throw new ModelFormatError(
      file,
      'weightsByteLength',
      `declares ${weightsByteLength} bytes, but the tensors listed add up to ${layout.offset}`,
    );
  }

  // Before anything is built: what each layer config would allocate must match its specs.
  checkDeclaredShapes(architecture, weights, file);

  const manifest: ModelManifest = {
    format: MODEL_FORMAT,
    formatVersion: FORMAT_VERSION,
    generatedBy,
    name,
    architecture,
    weightsFile,
    weightsByteLength,
    checksum: { algorithm: 'crc32', value: checksumValue },
    weights,
  };
  if (optimizer !== undefined) manifest.optimizer = optimizer;
  return manifest;
}

/** Checks `limits` (an object with only `maxWeightsBytes`), naming `where`; returns it. */
export function checkLimits(where: string, limits: ManifestLimits | undefined): ManifestLimits {
  const o = checkOptions(where, limits, ['maxWeightsBytes']);
  if (o.maxWeightsBytes !== undefined) checkByteLimit(where, 'maxWeightsBytes', o.maxWeightsBytes);
  return o;
}

/**
 * A byte limit: an integer >= 0, or Infinity for none. Anything else (a string, NaN) is a
 * ValueError: compared with a size it would be false every time and disable the limit silently.
 */
export function checkByteLimit(where: string, name: string, value: unknown): number {
  if (value !== Infinity && (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)) {
    throw new ValueError(`${where}: ${name} must be an integer >= 0 (bytes) or Infinity, got ${describeValue(value)}`);
  }
  return value;
}

function tensorSpec(
  spec: Record<string, unknown>,
  at: string,
  what: string,
  layout: { offset: number; maxBytes: number; file: string },
): TensorSpec {
  const { file } = layout;
  if (typeof spec.dtype !== 'string' || !(DTYPES as readonly string[]).includes(spec.dtype)) {
    throw new ModelFormatError(file, `${at}.dtype`, `expected one of ${DTYPES.join(', ')}, got ${describe(spec.dtype)}`);
  }
  const dtype = spec.dtype as DType;
  const shape = array(spec.shape, file, `${at}.shape`).map((d, k) => {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      throw new ModelFormatError(file, `${at}.shape[${k}]`, `expected an integer >= 0, got ${describe(d)}`);
    }
    return d;
  });
  // Checked dimension by dimension so a huge shape is refused before its product overflows.
  const maxElements = Math.floor(layout.maxBytes / bytesPerElement(dtype));
  let size = 1;
  for (const d of shape) {
    size *= d;
    if (size > maxElements) {
      throw new ModelFormatError(file, `${at}.shape`, `${formatDims(shape)} for ${what} holds more than the ${layout.maxBytes} bytes allowed`);
    }
  }
  const expectedLength = size * bytesPerElement(dtype);
  const byteOffset = count(spec.byteOffset, file, `${at}.byteOffset`);
  const byteLength = count(spec.byteLength, file, `${at}.byteLength`);
  if (byteLength !== expectedLength) {
    throw new ModelFormatError(
      file,
      `${at}.byteLength`,
      `expected ${expectedLength} for ${what} (${dtype} ${formatDims(shape)}), got ${byteLength}`,
    );
  }
  if (byteOffset !== layout.offset) {
    throw new ModelFormatError(
      file,
      `${at}.byteOffset`,
      `expected ${layout.offset} for ${what} (tensors are packed in order), got ${byteOffset}`,
    );
  }
  layout.offset += byteLength;
  if (layout.offset > layout.maxBytes) {
    throw new ModelFormatError(file, `${at}.byteLength`, `tensors up to ${what} add up to more than the ${layout.maxBytes} bytes allowed`);
  }
  return { dtype, shape, byteOffset, byteLength };
}

/** `[128,10]`, the way error messages print shapes. */
export function formatDims(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

function record(value: unknown, file: string, at: string | undefined, what: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ModelFormatError(file, at, `expected ${what}, got ${describe(value)}`);
  }
  // A null-prototype copy: later reads never reach Object.prototype.
  return Object.assign(Object.create(null) as Record<string, unknown>, value);
}

function array(value: unknown, file: string, at: string): unknown[] {
  if (!Array.isArray(value)) throw new ModelFormatError(file, at, `expected an array, got ${describe(value)}`);
  return value;
}

function string(value: unknown, file: string, at: string, nonEmpty = false): string {
  if (typeof value !== 'string' || (nonEmpty && value === '')) {
    throw new ModelFormatError(file, at, `expected a ${nonEmpty ? 'non-empty ' : ''}string, got ${describe(value)}`);
  }
  return value;
}

function count(value: unknown, file: string, at: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new ModelFormatError(file, at, `expected an integer >= 0, got ${describe(value)}`);
  }
  return value;
}

function exactKeys(
  value: Record<string, unknown>,
  file: string,
  at: string | undefined,
  keys: readonly string[],
  optional: readonly string[] = [],
): void {
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) {
      throw new ModelFormatError(file, at === undefined ? key : `${at}.${key}`, `unknown field (expected ${keys.join(', ')})`);
    }
  }
  for (const key of keys) {
    if (value[key] === undefined && !optional.includes(key)) {
      throw new ModelFormatError(file, at === undefined ? key : `${at}.${key}`, 'missing');
    }
  }
}

/** A short, safe description of an untrusted value for messages (strings quoted and clipped). */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value.length > 64 ? `${value.slice(0, 61)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.length > 0 && value.length <= 8 && value.every((v) => typeof v === 'number') ? `[${value.join(',')}]` : 'an array';
  return typeof value;
}
