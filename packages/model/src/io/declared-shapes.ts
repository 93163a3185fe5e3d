import type { DType } from '@scratchnet/tensor';
import type { LayerSpec, WeightSpec } from './manifest.js';
import { ModelFormatError } from './model-format-error.js';

/** A parameter a layer config declares: what building that layer would allocate. */
interface DeclaredParam {
  key: string;
  shape: number[];
  dtype: DType;
  layer: number;
}

/** Built-in classes that have no parameters, whatever their config. */
const PARAMETERLESS = new Set([
  'ReLU',
  'LeakyReLU',
  'ELU',
  'Sigmoid',
  'Tanh',
  'Softmax',
  'Dropout',
  'Flatten',
  'Reshape',
  'MaxPooling2D',
  'AveragePooling2D',
  'GlobalAveragePooling2D',
]);

/**
 * The parameters of a built-in layer with parameters, from its config alone; undefined when the
 * config does not settle them (values the layer itself will refuse before allocating).
 */
const DECLARED: Record<string, (config: Record<string, unknown>) => { name: string; shape: number[]; dtype: DType }[] | undefined> = {
  Dense: (config) => {
    const { inputSize, units, useBias, dtype } = config;
    // No input size: the layer is not built, so it has no parameters yet.
    if (inputSize === null || inputSize === undefined) return [];
    if (!isPositiveInt(inputSize) || !isPositiveInt(units)) return undefined;
    if (useBias !== undefined && typeof useBias !== 'boolean') return undefined;
    if (dtype !== undefined && dtype !== 'float32' && dtype !== 'float64') return undefined;
    const d: DType = dtype === 'float64' ? 'float64' : 'float32';
    const params = [{ name: 'kernel', shape: [inputSize, units], dtype: d }];
    if (useBias !== false) params.push({ name: 'bias', shape: [units], dtype: d });
    return params;
  },
  Conv2D: (config) => {
    const { inputShape, filters, kernelSize, useBias, dtype } = config;
    if (inputShape === null || inputShape === undefined) return [];
    const channels = Array.isArray(inputShape) && inputShape.length === 3 ? inputShape[2] : undefined;
    const size = isPositiveInt(kernelSize) ? [kernelSize, kernelSize] : kernelSize;
    if (!isPositiveInt(channels) || !isPositiveInt(filters) || !Array.isArray(size) || size.length !== 2 || !size.every(isPositiveInt)) return undefined;
    if (useBias !== undefined && typeof useBias !== 'boolean') return undefined;
    const d = floatDType(dtype);
    if (d === undefined) return undefined;
    const params = [{ name: 'kernel', shape: [size[0] as number, size[1] as number, channels, filters], dtype: d }];
    if (useBias !== false) params.push({ name: 'bias', shape: [filters], dtype: d });
    return params;
  },
  BatchNormalization: (config) => {
    const { inputShape, center, scale, dtype } = config;
    if (inputShape === null || inputShape === undefined) return [];
    const features = Array.isArray(inputShape) && inputShape.length >= 1 ? inputShape[inputShape.length - 1] : undefined;
    if (!isPositiveInt(features)) return undefined;
    if ((center !== undefined && typeof center !== 'boolean') || (scale !== undefined && typeof scale !== 'boolean')) return undefined;
    const d = floatDType(dtype);
    if (d === undefined) return undefined;
    const names = [...(scale !== false ? ['gamma'] : []), ...(center !== false ? ['beta'] : []), 'moving_mean', 'moving_variance'];
    return names.map((name) => ({ name, shape: [features], dtype: d }));
  },
};

function floatDType(dtype: unknown): DType | undefined {
  if (dtype === undefined || dtype === 'float32') return 'float32';
  return dtype === 'float64' ? 'float64' : undefined;
}

/**
 * Checks the parameter shapes the layer configs declare against the weight specs BEFORE any
 * layer is built. Building allocates and initializes every parameter, so a hand-edited config of
 * `Dense(10000, 10000)` beside an 804-byte weights file used to cost seconds and a gigabyte
 * before the specs were compared with the built layer. The specs are bounded by the weights
 * file's declared length, so once they agree nothing larger than the files is built.
 *
 * When every layer is built-in, the whole parameter list is known and is checked in layer order
 * with the messages of the check after building (which stays the authority for every layer).
 * A layer of another class (registered) has parameters only building reveals; then each built-in
 * layer's parameters are looked up by name instead.
 */
export function checkDeclaredShapes(architecture: readonly LayerSpec[], weights: readonly WeightSpec[], file: string): void {
  const declared: DeclaredParam[] = [];
  let ordered = true;
  architecture.forEach(({ className, config }, layer) => {
    if (PARAMETERLESS.has(className)) return;
    const params = Object.hasOwn(DECLARED, className) && typeof config.name === 'string' ? DECLARED[className]!(config) : undefined;
    if (params === undefined) {
      ordered = false;
      return;
    }
    for (const { name, shape, dtype } of params) declared.push({ key: `${config.name}/${name}`, shape, dtype, layer });
  });

  if (ordered) {
    declared.forEach((param, i) => {
      const spec = weights[i];
      if (spec === undefined) {
        throw new ModelFormatError(file, 'weights', `has ${weights.length} entries, but the architecture has ${declared.length} parameters (missing ${param.key})`);
      }
      if (spec.name !== param.key) {
        throw new ModelFormatError(file, `weights[${i}].name`, `expected ${JSON.stringify(param.key)} (parameter ${i} in layer order), got ${JSON.stringify(spec.name)}`);
      }
      checkSpec(spec, i, param, file);
    });
    return;
  }
  const byName = new Map(weights.map((spec, i) => [spec.name, i]));
  for (const param of declared) {
    const i = byName.get(param.key);
    if (i === undefined) {
      throw new ModelFormatError(
        file,
        'weights',
        `has no ${param.key}, which architecture[${param.layer}] declares as ${param.dtype} ${dims(param.shape)}`,
      );
    }
    checkSpec(weights[i]!, i, param, file);
  }
}

function checkSpec(spec: WeightSpec, i: number, param: DeclaredParam, file: string): void {
  if (spec.dtype !== param.dtype) {
    throw new ModelFormatError(file, `weights[${i}].dtype`, `expected ${param.dtype} for ${param.key}, got ${spec.dtype}`);
  }
  if (spec.shape.length !== param.shape.length || spec.shape.some((d, k) => d !== param.shape[k])) {
    throw new ModelFormatError(file, `weights[${i}].shape`, `expected ${dims(param.shape)} for ${param.key}, got ${dims(spec.shape)}`);
  }
}

function isPositiveInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}

function dims(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}
