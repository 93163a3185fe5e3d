export {
  Sequential,
  type SequentialOptions,
  type CompileOptions,
  type BatchOptions,
  type Gradients,
} from './sequential.js';
export type { FitOptions } from './fit-options.js';
export type { EvaluationResult } from './evaluate-dataset.js';
export { History, type HistoryRecord } from './history.js';
export { NonFiniteLossError } from './non-finite-loss-error.js';
export { METRIC_NAMES, registerMetric, registeredMetricNames, type MetricName } from './metrics/metric-registry.js';
export type { Metric, MetricContext, MetricFactory } from './metrics/metric.js';
export { Callback, type CallbackHooks, type CallbackLike, type Logs, type TrainingParams } from './callbacks/callback.js';
export { EarlyStopping, type EarlyStoppingOptions } from './callbacks/early-stopping.js';
export { Optimizer, type NamedParam, type OptimizerConfig, type OptimizerState } from './optimizers/optimizer.js';
export { SGD, type SGDOptions } from './optimizers/sgd.js';
export { Adam, type AdamOptions } from './optimizers/adam.js';
export { AdamW } from './optimizers/adamw.js';
export { RMSprop, type RMSpropOptions } from './optimizers/rmsprop.js';
export {
  getOptimizer,
  registerOptimizer,
  registeredOptimizerClasses,
  OPTIMIZER_NAMES,
  type OptimizerFactory,
  type OptimizerName,
} from './optimizers/optimizer-registry.js';
export { saveModel, loadModel, loadModelAndOptimizer, type SaveOptions, type LoadOptions } from './io/save-load.js';
export { memoryHandler, type MemoryHandler } from './io/memory-handler.js';
export type { IOHandler, SaveHandler, LoadHandler, ModelArtifacts, LoadedArtifacts, ArtifactSources, SaveResult } from './io/handler.js';
export { modelToArtifacts, modelFromArtifacts, type LoadedModel, type ToArtifactsOptions } from './io/model-artifacts.js';
export {
  validateManifest,
  MODEL_FORMAT,
  FORMAT_VERSION,
  DEFAULT_MAX_WEIGHTS_BYTES,
  type ModelManifest,
  type WeightSpec,
  type SlotSpec,
  type TensorSpec,
  type LayerSpec,
  type OptimizerSpec,
  type TrainingSpec,
  type ManifestLimits,
} from './io/manifest.js';
export { parseJson as parseManifestJson } from './io/safe-json.js';
export { crc32 } from './io/crc32.js';
export { ModelFormatError } from './io/model-format-error.js';
export { ModelIOError } from './io/model-io-error.js';
