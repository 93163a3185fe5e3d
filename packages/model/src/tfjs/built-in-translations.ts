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
