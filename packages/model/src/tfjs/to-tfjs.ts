import { ValueError } from '@scratchnet/tensor';
import { encodeInto } from '../io/weights-codec.js';
import type { Sequential } from '../sequential.js';
import { exporterFor } from './registry.js';
import type { KerasLayerJson, TfjsArtifacts, TfjsWeightSpec } from './tfjs-artifacts.js';

/**
 * Our float32 Sequential as TensorFlow.js Layers artifacts (load them with `tf.io.fromMemory`).
 * Each layer goes through its entry of the translation table (see `registerTfjsLayer`); a layer
 * without one, or that its entry refuses, is a ValueError naming it. The model's input shape is
 * the one its first layer was built for.
 */
export function toTfjsArtifacts(model: Sequential): TfjsArtifacts {
  const where = 'toTfjsArtifacts';
  const inputShape = model.layers[0]?.inputShape;
  if (inputShape === undefined) {
    throw new ValueError(
      `${where}: model '${model.name}' has no known input shape; build it first (model.build([null, features]), or predict once), or give the first Dense an inputSize`,
    );
  }
  const layers = model.layers.map((layer): KerasLayerJson => {
    const refuse = (why: string): never => {
      throw new ValueError(`${where}: layer '${layer.name}' (${layer.className}) ${why}`);
    };
    if (layer.dtype !== undefined && layer.dtype !== 'float32') refuse(`is ${layer.dtype}; TensorFlow.js layers hold float32`);
    const exporter = exporterFor(layer.className);
    if (exporter === undefined) return refuse('has no TensorFlow.js equivalent');
    const { class_name, config } = exporter(layer, { refuse });
    return { class_name, config: { name: layer.name, trainable: true, dtype: 'float32', ...config } };
  });
  layers[0]!.config.batch_input_shape = [null, ...inputShape.slice(1)];

  const params = model.namedWeights();
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
