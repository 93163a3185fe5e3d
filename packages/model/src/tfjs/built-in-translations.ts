import { ACTIVATION_OPS, activationSpec, unarySpec, type ActivationOp } from '@scratchnet/backend';
import type { InitializerName } from '@scratchnet/layers';
import type { KerasLayerJson } from './tfjs-artifacts.js';
import type { TfjsImportContext, TfjsTranslation } from './translation.js';

/**
 * The translation table of the built-in layers, one entry per class, each direction written from
 * the layer's config (the serialization contract), never from its class. Anything a Keras layer
 * sets that scratchnet cannot represent — another activation, a regularizer, a constraint — is
 * refused by name rather than approximated. Initializers never affect a saved model's outputs;
 * they map to the nearest name (TF.js's He/Glorot "normal" draws a truncated normal, ours plain).
 */

/** Activations TF.js's Dense knows by the same name: the spec's that TF.js has, linear and softmax. */
const DENSE_ACTIVATIONS: readonly string[] = [
  'linear',
  ...ACTIVATION_OPS.filter((op) => activationSpec(op).tfjs.activation).map((op) => activationSpec(op).kerasName),
  'softmax',
];

/** The layer to use instead of an activation TF.js's Dense lacks, for the refusal message. */
function separateLayerFor(activation: unknown): string {
  const op = ACTIVATION_OPS.find((o) => activationSpec(o).kerasName === activation);
  return op === undefined ? 'a separate activation layer' : `a separate ${activationSpec(op).layerClass} layer`;
}

// Our initializer names and the Keras/tfjs VarianceScaling each one is.
const INITIALIZERS: Record<InitializerName, KerasLayerJson> = {
  heNormal: { class_name: 'VarianceScaling', config: { scale: 2, mode: 'fan_in', distribution: 'normal', seed: null } },
  heUniform: { class_name: 'VarianceScaling', config: { scale: 2, mode: 'fan_in', distribution: 'uniform', seed: null } },
  glorotNormal: { class_name: 'VarianceScaling', config: { scale: 1, mode: 'fan_avg', distribution: 'normal', seed: null } },
  glorotUniform: { class_name: 'VarianceScaling', config: { scale: 1, mode: 'fan_avg', distribution: 'uniform', seed: null } },
  zeros: { class_name: 'Zeros', config: {} },
  ones: { class_name: 'Ones', config: {} },
};

const NULL_KEYS = ['kernel_regularizer', 'bias_regularizer', 'activity_regularizer', 'kernel_constraint', 'bias_constraint'];

const dense: TfjsTranslation = {
  className: 'Dense',
  toTfjs(layer, { refuse }) {
    const c = layer.getConfig();
    if (!layer.built) refuse('is not built, so it has no weights to export; run predict once or give it an inputSize');
    if (!DENSE_ACTIVATIONS.includes(c.activation as string)) {
      refuse(`uses activation ${JSON.stringify(c.activation)}, which TensorFlow.js Dense does not have; use ${separateLayerFor(c.activation)}`);
    }
    return {
      class_name: 'Dense',
      config: {
        units: c.units,
        activation: c.activation,
        use_bias: c.useBias,
        kernel_initializer: INITIALIZERS[c.kernelInitializer as InitializerName],
        bias_initializer: INITIALIZERS[c.biasInitializer as InitializerName],
        ...Object.fromEntries(NULL_KEYS.map((k) => [k, null])),
      },
    };
  },
  kerasClassName: 'Dense',
  fromTfjs(ctx) {
    const { config: c, refuse } = ctx;
    ctx.allow(['units', 'activation', 'use_bias', 'kernel_initializer', 'bias_initializer', ...NULL_KEYS]);
    for (const key of NULL_KEYS) ctx.require(key, (v) => v === null, 'null');
    const activation = c.activation ?? 'linear';
    if (!DENSE_ACTIVATIONS.includes(activation as string)) refuse(`uses activation ${JSON.stringify(activation)}`);
    const useBias = c.use_bias ?? true;
    if (typeof useBias !== 'boolean') refuse('has a non-boolean use_bias');
    const kernel = ctx.weightShape('kernel');
    if (kernel.length !== 2) refuse(`has a kernel of shape ${formatDims(kernel)}; expected [inputs, units]`);
    const [inputs, units] = kernel as [number, number];
    if (c.units !== units) refuse(`has units ${JSON.stringify(c.units)} but a kernel of shape ${formatDims(kernel)}`);
    const features = ctx.inputShape?.[ctx.inputShape.length - 1];
    if (ctx.inputShape !== undefined && (ctx.inputShape.length !== 2 || features !== inputs)) {
      refuse(`has a kernel of shape ${formatDims(kernel)}, but its input has shape ${formatDims(ctx.inputShape)}`);
    }
    if (useBias) {
      const bias = ctx.weightShape('bias');
      if (bias.length !== 1 || bias[0] !== units) refuse(`has a bias of shape ${formatDims(bias)}; expected [${units}]`);
    }
    return {
      className: 'Dense',
      config: {
        units,
        inputSize: inputs,
        activation,
        useBias,
        kernelInitializer: initializerName(c.kernel_initializer, 'kernel_initializer', ctx),
        biasInitializer: initializerName(c.bias_initializer, 'bias_initializer', ctx),
        dtype: 'float32',
      },
    };
  },
};

/** Our activation layers that TF.js has only as `Activation`. */
const asActivation = (className: string, activation: string): TfjsTranslation => ({
  className,
  toTfjs: () => ({ class_name: 'Activation', config: { activation } }),
});

/** Keras `Activation(name)` as our layer of that activation (the spec's that TF.js knows, and softmax). */
const ACTIVATION_LAYERS: Readonly<Record<string, string>> = Object.fromEntries([
  ...ACTIVATION_OPS.filter((op) => activationSpec(op).tfjs.activation).map((op) => [activationSpec(op).kerasName, activationSpec(op).layerClass]),
  ['softmax', 'Softmax'],
]);

/**
 * An activation layer whose TF.js class takes the same parameters (`ELU({ alpha })`), written
 * from the spec: values TF.js does not support are refused by name on export.
 */
const specLayer = (op: ActivationOp): TfjsTranslation => {
  const { layerClass, tfjs } = activationSpec(op);
  const kerasClass = tfjs.layer!.className;
  const supports = tfjs.layer!.supports ?? {};
  const params = Object.keys(unarySpec(op).params);
  return {
    className: layerClass,
    toTfjs(layer, { refuse }) {
      const c = layer.getConfig();
      for (const [key, value] of Object.entries(supports)) {
        if (c[key] !== value) refuse(`has ${key} ${String(c[key])}; TensorFlow.js's ${kerasClass} supports only ${key} ${value}`);
      }
      return { class_name: kerasClass, config: Object.fromEntries(params.map((key) => [key, c[key]])) };
    },
    kerasClassName: kerasClass,
    fromTfjs(ctx) {
      ctx.allow(params);
      return { className: layerClass, config: Object.fromEntries(params.filter((key) => ctx.config[key] !== undefined).map((key) => [key, ctx.config[key]])) };
    },
  };
};

const activation: TfjsTranslation = {
  kerasClassName: 'Activation',
  fromTfjs(ctx) {
    ctx.allow(['activation']);
    const name = ctx.config.activation;
    const ours = typeof name === 'string' && Object.hasOwn(ACTIVATION_LAYERS, name) ? ACTIVATION_LAYERS[name]! : undefined;
    if (ours === undefined) return ctx.refuse(`uses activation ${JSON.stringify(name)}`);
    return { className: ours, config: {} };
  },
};

const relu: TfjsTranslation = {
  className: 'ReLU',
  toTfjs: () => ({ class_name: 'ReLU', config: { max_value: null } }),
  kerasClassName: 'ReLU',
  fromTfjs(ctx) {
    ctx.allow(['max_value', 'negative_slope', 'threshold']);
    ctx.require('max_value', (v) => v === null, 'max_value null');
    ctx.require('negative_slope', (v) => v === 0, 'negative_slope 0');
    ctx.require('threshold', (v) => v === 0, 'threshold 0');
    return { className: 'ReLU', config: {} };
  },
};

const leakyRelu: TfjsTranslation = {
  className: 'LeakyReLU',
  toTfjs: (layer) => ({ class_name: 'LeakyReLU', config: { alpha: layer.getConfig().alpha } }),
  kerasClassName: 'LeakyReLU',
  fromTfjs(ctx) {
    ctx.allow(['alpha', 'negative_slope']);
    return { className: 'LeakyReLU', config: { alpha: ctx.config.alpha ?? ctx.config.negative_slope ?? 0.3 } };
  },
};

const softmax: TfjsTranslation = {
  className: 'Softmax',
  toTfjs: () => ({ class_name: 'Softmax', config: { axis: -1 } }),
  kerasClassName: 'Softmax',
  fromTfjs(ctx) {
    ctx.allow(['axis']);
    const rank = ctx.inputShape?.length;
    ctx.require('axis', (v) => v === -1 || (rank !== undefined && v === rank - 1), 'the last axis (-1)');
    return { className: 'Softmax', config: {} };
  },
};

const dropout: TfjsTranslation = {
  className: 'Dropout',
  toTfjs: (layer) => {
    const c = layer.getConfig();
    return { class_name: 'Dropout', config: { rate: c.rate, noise_shape: null, seed: c.seed ?? null } };
  },
  kerasClassName: 'Dropout',
  fromTfjs(ctx) {
    ctx.allow(['rate', 'noise_shape', 'seed']);
    ctx.require('noise_shape', (v) => v === null, 'noise_shape null');
    const seed = ctx.config.seed;
    return { className: 'Dropout', config: { rate: ctx.config.rate, ...(seed !== null && seed !== undefined ? { seed } : {}) } };
  },
};

const flatten: TfjsTranslation = {
  className: 'Flatten',
  toTfjs: () => ({ class_name: 'Flatten', config: { data_format: 'channels_last' } }),
  kerasClassName: 'Flatten',
  fromTfjs(ctx) {
    ctx.allow(['data_format']);
    ctx.require('data_format', (v) => v === null || v === 'channels_last', 'channels_last');
    return { className: 'Flatten', config: {} };
  },
};

/** A Keras `[height, width]` option (or one number for both). */
function pairOf(value: unknown): [number, number] | undefined {
  const ok = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 1;
  if (ok(value)) return [value, value];
  return Array.isArray(value) && value.length === 2 && ok(value[0]) && ok(value[1]) ? [value[0], value[1]] : undefined;
}

/** Keras's `data_format`: only channels-last (NHWC) images, as every scratchnet image layer takes. */
function requireChannelsLast(ctx: TfjsImportContext): void {
  ctx.require('data_format', (v) => v === null || v === 'channels_last', 'channels_last (NHWC)');
}

/** The spatial window options every image layer imports the same way. */
function windowOption(ctx: TfjsImportContext, key: string, fallback?: [number, number]): [number, number] {
  const value = ctx.config[key];
  if ((value === undefined || value === null) && fallback !== undefined) return fallback;
  const pair = pairOf(value);
  if (pair === undefined) return ctx.refuse(`has ${key} ${JSON.stringify(value)}; expected a positive integer or [height, width]`);
  return pair;
}

function paddingOf(ctx: TfjsImportContext): 'valid' | 'same' {
  const padding = ctx.config.padding ?? 'valid';
  if (padding !== 'valid' && padding !== 'same') return ctx.refuse(`has padding ${JSON.stringify(padding)}; only 'valid' and 'same' are supported`);
  return padding;
}

/** The input's `[height, width, channels]` for a layer's `inputShape` config, when the topology says it. */
function imageShapeOf(ctx: TfjsImportContext): (number | null)[] | null {
  return ctx.inputShape === undefined ? null : ctx.inputShape.slice(1);
}

const conv2d: TfjsTranslation = {
  className: 'Conv2D',
  toTfjs(layer, { refuse }) {
    const c = layer.getConfig();
    if (!layer.built) refuse('is not built, so it has no weights to export; build the model or give the layer an inputShape');
    if (!DENSE_ACTIVATIONS.includes(c.activation as string)) {
      refuse(`uses activation ${JSON.stringify(c.activation)}, which TensorFlow.js Conv2D does not have; use ${separateLayerFor(c.activation)}`);
    }
    const strides = c.strides as number[];
    const dilation = c.dilationRate as number[];
    if (strides.some((s) => s !== 1) && dilation.some((d) => d !== 1)) {
      refuse(`has strides [${strides.join(',')}] and dilationRate [${dilation.join(',')}]; TensorFlow.js convolves with either strides or dilation 1`);
    }
    return {
      class_name: 'Conv2D',
      config: {
        filters: c.filters,
        kernel_size: c.kernelSize,
        strides,
        padding: c.padding,
        data_format: 'channels_last',
        dilation_rate: dilation,
        activation: c.activation,
        use_bias: c.useBias,
        kernel_initializer: INITIALIZERS[c.kernelInitializer as InitializerName],
        bias_initializer: INITIALIZERS[c.biasInitializer as InitializerName],
        ...Object.fromEntries(NULL_KEYS.map((k) => [k, null])),
      },
    };
  },
  kerasClassName: 'Conv2D',
  fromTfjs(ctx) {
    const { config: c, refuse } = ctx;
    ctx.allow(['filters', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'activation', 'use_bias', 'kernel_initializer', 'bias_initializer', ...NULL_KEYS]);
    for (const key of NULL_KEYS) ctx.require(key, (v) => v === null, 'null');
    requireChannelsLast(ctx);
    const activation = c.activation ?? 'linear';
    if (!DENSE_ACTIVATIONS.includes(activation as string)) refuse(`uses activation ${JSON.stringify(activation)}`);
    const useBias = c.use_bias ?? true;
    if (typeof useBias !== 'boolean') refuse('has a non-boolean use_bias');
    const kernelSize = windowOption(ctx, 'kernel_size');
    const strides = windowOption(ctx, 'strides', [1, 1]);
    const padding = paddingOf(ctx);
    const dilationRate = windowOption(ctx, 'dilation_rate', [1, 1]);
    const kernel = ctx.weightShape('kernel');
    if (kernel.length !== 4 || kernel[0] !== kernelSize[0] || kernel[1] !== kernelSize[1] || kernel[3] !== c.filters) {
      refuse(`has filters ${JSON.stringify(c.filters)} and kernel_size [${kernelSize.join(',')}] but a kernel of shape ${formatDims(kernel)}`);
    }
    const channels = ctx.inputShape?.[ctx.inputShape.length - 1];
    if (ctx.inputShape !== undefined && (ctx.inputShape.length !== 4 || channels !== kernel[2])) {
      refuse(`has a kernel of shape ${formatDims(kernel)}, but its input has shape ${formatDims(ctx.inputShape)}`);
    }
    if (useBias) {
      const bias = ctx.weightShape('bias');
      if (bias.length !== 1 || bias[0] !== kernel[3]) refuse(`has a bias of shape ${formatDims(bias)}; expected [${kernel[3]}]`);
    }
    return {
      className: 'Conv2D',
      config: {
        filters: kernel[3],
        kernelSize,
        strides,
        padding,
        dilationRate,
        activation,
        useBias,
        kernelInitializer: initializerName(c.kernel_initializer, 'kernel_initializer', ctx),
        biasInitializer: initializerName(c.bias_initializer, 'bias_initializer', ctx),
        dtype: 'float32',
        inputShape: imageShapeOf(ctx),
      },
    };
  },
};

/** MaxPooling2D and AveragePooling2D: the same options both ways. */
const pooling = (className: 'MaxPooling2D' | 'AveragePooling2D'): TfjsTranslation => ({
  className,
  toTfjs(layer) {
    const c = layer.getConfig();
    return { class_name: className, config: { pool_size: c.poolSize, padding: c.padding, strides: c.strides, data_format: 'channels_last' } };
  },
  kerasClassName: className,
  fromTfjs(ctx) {
    ctx.allow(['pool_size', 'padding', 'strides', 'data_format']);
    requireChannelsLast(ctx);
    const poolSize = windowOption(ctx, 'pool_size', [2, 2]);
    return { className, config: { poolSize, strides: windowOption(ctx, 'strides', poolSize), padding: paddingOf(ctx) } };
  },
});

const globalAveragePooling2d: TfjsTranslation = {
  className: 'GlobalAveragePooling2D',
  toTfjs: () => ({ class_name: 'GlobalAveragePooling2D', config: { data_format: 'channels_last' } }),
  kerasClassName: 'GlobalAveragePooling2D',
  fromTfjs(ctx) {
    ctx.allow(['data_format', 'keepdims']);
    requireChannelsLast(ctx);
    ctx.require('keepdims', (v) => v === false, 'keepdims false');
    return { className: 'GlobalAveragePooling2D', config: {} };
  },
};

const reshape: TfjsTranslation = {
  className: 'Reshape',
  toTfjs: (layer) => ({ class_name: 'Reshape', config: { target_shape: layer.getConfig().targetShape } }),
  kerasClassName: 'Reshape',
  fromTfjs(ctx) {
    ctx.allow(['target_shape']);
    return { className: 'Reshape', config: { targetShape: ctx.config.target_shape } };
  },
};

const BATCH_NORMALIZATION_NULL_KEYS = ['beta_regularizer', 'gamma_regularizer', 'beta_constraint', 'gamma_constraint'];

const batchNormalization: TfjsTranslation = {
  className: 'BatchNormalization',
  toTfjs(layer, { refuse }) {
    const c = layer.getConfig();
    if (!layer.built) refuse('is not built, so it has no weights to export; build the model or give the layer an inputShape');
    return {
      class_name: 'BatchNormalization',
      config: {
        axis: -1,
        momentum: c.momentum,
        epsilon: c.epsilon,
        center: c.center,
        scale: c.scale,
        beta_initializer: INITIALIZERS[c.betaInitializer as InitializerName],
        gamma_initializer: INITIALIZERS[c.gammaInitializer as InitializerName],
        moving_mean_initializer: INITIALIZERS[c.movingMeanInitializer as InitializerName],
        moving_variance_initializer: INITIALIZERS[c.movingVarianceInitializer as InitializerName],
        ...Object.fromEntries(BATCH_NORMALIZATION_NULL_KEYS.map((k) => [k, null])),
      },
    };
  },
  kerasClassName: 'BatchNormalization',
  fromTfjs(ctx) {
    const { config: c } = ctx;
    ctx.allow([
      'axis',
      'momentum',
      'epsilon',
      'center',
      'scale',
      'beta_initializer',
      'gamma_initializer',
      'moving_mean_initializer',
      'moving_variance_initializer',
      ...BATCH_NORMALIZATION_NULL_KEYS,
    ]);
    for (const key of BATCH_NORMALIZATION_NULL_KEYS) ctx.require(key, (v) => v === null, 'null');
    // The last axis, however it is written: -1, rank - 1, or a list of it (Keras).
    const last = ctx.inputShape === undefined ? undefined : ctx.inputShape.length - 1;
    const isLast = (v: unknown) => v === -1 || (last !== undefined && v === last);
    ctx.require('axis', (v) => isLast(v) || (Array.isArray(v) && v.length === 1 && isLast(v[0])), 'the last axis (-1: channels-last features)');
    const initializer = (key: string, fallback: InitializerName) => (c[key] === undefined ? fallback : initializerName(c[key], key, ctx));
    return {
      className: 'BatchNormalization',
      config: {
        ...(c.momentum === undefined ? {} : { momentum: c.momentum }),
        ...(c.epsilon === undefined ? {} : { epsilon: c.epsilon }),
        ...(c.center === undefined ? {} : { center: c.center }),
        ...(c.scale === undefined ? {} : { scale: c.scale }),
        betaInitializer: initializer('beta_initializer', 'zeros'),
        gammaInitializer: initializer('gamma_initializer', 'ones'),
        movingMeanInitializer: initializer('moving_mean_initializer', 'zeros'),
        movingVarianceInitializer: initializer('moving_variance_initializer', 'ones'),
        dtype: 'float32',
        inputShape: imageShapeOf(ctx),
      },
    };
  },
};

export const BUILT_IN_TRANSLATIONS: readonly TfjsTranslation[] = [
  dense,
  relu,
  leakyRelu,
  softmax,
  specLayer('elu'),
  asActivation('Sigmoid', 'sigmoid'),
  asActivation('Tanh', 'tanh'),
  activation,
  dropout,
  flatten,
  reshape,
  conv2d,
  pooling('MaxPooling2D'),
  pooling('AveragePooling2D'),
  globalAveragePooling2d,
  batchNormalization,
];

function formatDims(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? 'null' : String(d))).join(',')}]`;
}

function initializerName(value: unknown, key: string, ctx: TfjsImportContext): InitializerName {
  if (value === undefined || value === null) return key === 'bias_initializer' ? 'zeros' : 'glorotUniform';
  if (typeof value !== 'object' || Array.isArray(value) || typeof own(value, 'class_name') !== 'string') return ctx.refuse(`has an unreadable ${key}`);
  const className = own(value, 'class_name') as string;
  const nested = own(value, 'config');
  const config = nested !== null && typeof nested === 'object' ? nested : {};
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
    const snake = (v: unknown) => String(v).replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`);
    const mode = snake(own(config, 'mode'));
    const distribution = snake(own(config, 'distribution'));
    const normal = ['normal', 'truncated_normal', 'untruncated_normal'].includes(distribution);
    const uniform = distribution === 'uniform';
    const scale = own(config, 'scale');
    if (scale === 2 && mode === 'fan_in' && (normal || uniform)) return normal ? 'heNormal' : 'heUniform';
    if (scale === 1 && mode === 'fan_avg' && (normal || uniform)) return normal ? 'glorotNormal' : 'glorotUniform';
  }
  return ctx.refuse(`has ${key} ${JSON.stringify(value)}, which has no scratchnet initializer`);
}

/** An own property only: untrusted JSON never reaches a prototype through this. */
function own(object: object, key: string): unknown {
  return Object.hasOwn(object, key) ? (object as Record<string, unknown>)[key] : undefined;
}
