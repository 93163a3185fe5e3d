export {
  Layer,
  snakeCase,
  type BackwardOptions,
  type ForwardOptions,
  type LayerConfig,
  type LayerOptions,
  type OutputKind,
} from './layer.js';
export { identityStage, type Stage } from './stage.js';
export { Param, type ParamOptions } from './param.js';
export { BufferCache } from './buffer-cache.js';
export { checkDy } from './check-dy.js';
export { checkSymbolicShape, featureDims, formatSymbolicShape, withUnknownBatch, type SymbolicShape } from './shape.js';
export { Dense, type DenseOptions } from './dense.js';
export { Dropout, type DropoutOptions } from './dropout.js';
export { Flatten } from './flatten.js';
export { Reshape, type ReshapeOptions } from './reshape.js';
export { Conv2D, type Conv2DOptions } from './conv2d.js';
export { Pooling2D, type Pooling2DOptions } from './pooling2d.js';
export { MaxPooling2D } from './max-pooling2d.js';
export { AveragePooling2D } from './average-pooling2d.js';
export { GlobalAveragePooling2D } from './global-average-pooling2d.js';
export { BatchNormalization, type BatchNormalizationLayerOptions } from './batch-normalization.js';
export { IMAGE_LAYOUT } from './image-window.js';
export { ReLU } from './activations/relu.js';
export { LeakyReLU, type LeakyReLUOptions } from './activations/leaky-relu.js';
export { ELU, type ELUOptions } from './activations/elu.js';
export { Sigmoid } from './activations/sigmoid.js';
export { Tanh } from './activations/tanh.js';
export { Softmax } from './activations/softmax.js';
export { ActivationLayer } from './activations/activation-layer.js';
export { SpecActivation } from './activations/spec-activation.js';
export { ACTIVATION_LAYERS } from './activations/activation-layers.js';
export {
  activationFn,
  activationOpOf,
  ACTIVATION_NAMES,
  type ActivationFn,
  type ActivationName,
  type ElementwiseActivationName,
} from './activations/activation-fn.js';
export * from './initializers/index.js';
export { LOSS_INPUTS, type Loss, type LossInput, type LossName, type LossOptions, type LossResult } from './losses/loss.js';
export { checkLossLabels, lossArguments, type LossSignature } from './losses/loss-arguments.js';
export { lossFitsOutput } from './losses/loss-fits-output.js';
export { EPSILON } from './losses/clip-epsilon.js';
export { SoftmaxCrossentropy, softmaxCrossentropy } from './losses/softmax-crossentropy.js';
export { SparseSoftmaxCrossentropy, sparseSoftmaxCrossentropy } from './losses/sparse-softmax-crossentropy.js';
export { CategoricalCrossentropy, categoricalCrossentropy } from './losses/categorical-crossentropy.js';
export { SparseCategoricalCrossentropy, sparseCategoricalCrossentropy } from './losses/sparse-categorical-crossentropy.js';
export { BinaryCrossentropy, binaryCrossentropy } from './losses/binary-crossentropy.js';
export { MeanSquaredError, meanSquaredError } from './losses/mean-squared-error.js';
export { checkLoss, getLoss, LOSS_NAMES, registerLoss, registeredLossNames, type LossFactory } from './losses/loss-registry.js';
export { layerFromConfig, registerLayer, registeredLayerClasses, type LayerFactory } from './serialization.js';
